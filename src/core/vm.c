#include "core/vm.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clone.h"
#include "core/heap.h"
#include "core/jsutil.h"
#include "core/limits.h"
#include "core/loader.h"
#include "core/shm.h"
#include "modules/native.h"

#define DEFAULT_STACK_SIZE (1024 * 1024)
/* Native stack left below the JavaScript limit for C frames that run after
 * the engine's last check (callbacks, clone, error printing). */
#define STACK_MARGIN (128 * 1024)
#define GC_THRESHOLD (256 * 1024) /* QuickJS's own default */

weft_vm *weft__vm_of(JSContext *ctx)
{
    return JS_GetContextOpaque(ctx);
}

uv_loop_t *weft__vm_loop(weft_vm *vm)
{
    if (vm->loop_ready)
        return &vm->loop;
    int err = uv_loop_init(&vm->loop);
    if (err) {
        weft__throw_syscall(vm->ctx, err, "uv_loop_init", NULL);
        return NULL;
    }
    /* Idle time feeds stats() (eventLoopUtilization in the Node layer). */
    uv_loop_configure(&vm->loop, UV_METRICS_IDLE_TIME);
    err = weft__inbox_use_loop(vm->inbox, &vm->loop);
    if (err) {
        uv_loop_close(&vm->loop);
        weft__throw_syscall(vm->ctx, err, "uv_async_init", NULL);
        return NULL;
    }
    vm->loop_ready = true;
    if (vm->thread)
        weft__thread_set_loop(vm->thread, &vm->loop);
    if (vm->exiting)
        uv_stop(&vm->loop);
    return &vm->loop;
}

static void stop_loop(weft_vm *vm)
{
    if (vm->loop_ready)
        uv_stop(&vm->loop);
}

/* ---- rejections --------------------------------------------------------- */

static void free_rejection(JSContext *ctx, weft_rejection *r)
{
    JS_FreeValue(ctx, r->promise);
    JS_FreeValue(ctx, r->reason);
    free(r);
}

void weft__vm_forget_rejection(weft_vm *vm, JSValueConst promise)
{
    for (weft_rejection **p = &vm->rejections; *p; p = &(*p)->next) {
        if (JS_VALUE_GET_PTR((*p)->promise) == JS_VALUE_GET_PTR(promise)) {
            weft_rejection *r = *p;
            *p = r->next;
            free_rejection(vm->ctx, r);
            return;
        }
    }
}

/* Drops every pending rejection whose reason is `reason`. */
static void forget_rejections_with(weft_vm *vm, JSValueConst reason)
{
    for (weft_rejection **p = &vm->rejections; *p;) {
        if (JS_StrictEq(vm->ctx, (*p)->reason, reason)) {
            weft_rejection *r = *p;
            *p = r->next;
            free_rejection(vm->ctx, r);
        } else {
            p = &(*p)->next;
        }
    }
}

/* QuickJS reports a rejection without handlers, and later a handler being
 * attached; what is still unhandled when the microtask queue drains is
 * reported, as in Node. */
static void track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason,
                            JS_BOOL is_handled, void *opaque)
{
    weft_vm *vm = opaque;
    if (is_handled) {
        weft__vm_forget_rejection(vm, promise);
        return;
    }
    weft_rejection *r = malloc(sizeof *r);
    if (!r)
        return; /* nothing to report with; the rejection stays silent */
    r->promise = JS_DupValue(ctx, promise);
    r->reason = JS_DupValue(ctx, reason);
    r->next = NULL;
    weft_rejection **tail = &vm->rejections;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
}

/* ---- errors and exit ---------------------------------------------------- */

JSValue weft__vm_exit(weft_vm *vm, int code)
{
    if (!vm->exiting) {
        vm->exiting = true;
        vm->exit_code = code;
    }
    stop_loop(vm);
    JSValue err = JS_NewError(vm->ctx);
    if (JS_IsException(err))
        return err;
    JS_DefinePropertyValueStr(vm->ctx, err, "message", JS_NewString(vm->ctx, "thread exiting"),
                              JS_PROP_CONFIGURABLE | JS_PROP_WRITABLE);
    JS_SetUncatchableError(vm->ctx, err, 1);
    return JS_Throw(vm->ctx, err);
}

void weft__vm_stop(weft_vm *vm, weft_stop_reason why)
{
    if (vm->stop_reason == WEFT_STOP_NONE) {
        vm->stop_reason = why;
        if (vm->thread)
            weft__thread_request_stop(vm->thread, why); /* the reason the creator sees */
    }
    vm->exiting = true;
    vm->exit_code = 1;
    stop_loop(vm);
}

/* Last-resort report when JavaScript cannot print the error itself (out of
 * memory, a broken console). */
static void print_exception_raw(JSContext *ctx, JSValueConst err)
{
    const char *msg = JS_ToCString(ctx, err);
    JSValue stack = JS_IsObject(err) ? JS_GetPropertyStr(ctx, err, "stack") : JS_UNDEFINED;
    const char *where = JS_IsString(stack) ? JS_ToCString(ctx, stack) : NULL;
    fprintf(stderr, "Uncaught %s\n%s", msg ? msg : "exception", where ? where : "");
    JS_FreeCString(ctx, where);
    JS_FreeCString(ctx, msg);
    JS_FreeValue(ctx, stack);
    JS_FreeValue(ctx, JS_GetException(ctx));
}

/* Calls hooks[name](arg). Returns the hook's result; JS_EXCEPTION when the hook
 * threw (the exception is left pending). */
static JSValue call_hook(weft_vm *vm, const char *name, int argc, JSValueConst *argv)
{
    JSValue fn = JS_GetPropertyStr(vm->ctx, vm->hooks, name);
    JSValue r = JS_IsException(fn) ? fn : JS_Call(vm->ctx, fn, JS_UNDEFINED, argc, argv);
    JS_FreeValue(vm->ctx, fn);
    return r;
}

void weft__vm_prepare_spare(weft_vm *vm, bool commonjs)
{
    static const char warm_up[] = "(function (a) { return [a, { a }, `${a}`]; })";
    JSContext *ctx = vm->ctx;
    /* The modules nearly every entry needs. weft:lib/weft reads this
     * thread's start message when it runs, so it is only read here. */
    JSValue arg = JS_NewBool(ctx, commonjs);
    JSValue r = call_hook(vm, "prepareSpare", 1, &arg);
    if (!JS_IsException(r) && weft__loader_preload(ctx, "weft:lib/weft") < 0)
        r = JS_EXCEPTION;
    /* The first compile in a runtime costs three times the next one: pay it
     * here rather than on the entry's. */
    if (!JS_IsException(r)) {
        JS_FreeValue(ctx, r);
        r = JS_Eval(ctx, warm_up, sizeof warm_up - 1, "<weft:warm-up>", JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_COMPILE_ONLY);
    }
    /* Only an optimisation: what failed to load here loads on first use,
     * where a lasting failure is reported to the code that needs it. */
    if (JS_IsException(r))
        JS_FreeValue(ctx, JS_GetException(ctx));
    JS_FreeValue(ctx, r);
}

/* Hands an uncaught error to JavaScript (weft:internal/bootstrap), which emits
 * 'uncaughtException' or prints it; a false result means the thread dies. */
static void report_error(weft_vm *vm, const char *hook, JSValue err, JSValueConst promise)
{
    JSContext *ctx = vm->ctx;
    JSValueConst args[2] = { err, promise };
    JSValue handled = call_hook(vm, hook, 2, args);
    if (JS_IsException(handled)) {
        if (vm->exiting) {
            JS_FreeValue(ctx, JS_GetException(ctx)); /* process.exit() in a handler */
        } else {
            JSValue again = JS_GetException(ctx);
            print_exception_raw(ctx, again);
            JS_FreeValue(ctx, again);
            print_exception_raw(ctx, err);
            vm->exiting = true;
            vm->exit_code = 7; /* Node's code for a failing exception handler */
        }
    } else if (!JS_ToBool(ctx, handled) && !vm->exiting) {
        vm->exiting = true;
        vm->exit_code = 1;
    }
    JS_FreeValue(ctx, handled);
    JS_FreeValue(ctx, err);
    if (vm->exiting)
        stop_loop(vm);
}

/* Past the memory limit nothing more runs: the creator reports it. */
static void stop_if_out_of_memory(weft_vm *vm)
{
    if (vm->out_of_memory && vm->stop_reason == WEFT_STOP_NONE) {
        if (!vm->thread)
            fprintf(stderr, "weft: JavaScript heap out of memory (limit reached)\n");
        weft__vm_stop(vm, WEFT_STOP_OUT_OF_MEMORY);
    }
}

void weft__vm_report_exception(weft_vm *vm)
{
    JSValue err = JS_GetException(vm->ctx);
    stop_if_out_of_memory(vm);
    if (vm->exiting) {
        /* The uncatchable unwind of process.exit() or of termination. */
        JS_FreeValue(vm->ctx, err);
        return;
    }
    report_error(vm, "onUncaughtException", err, JS_UNDEFINED);
}

/* ---- draining ----------------------------------------------------------- */

void weft__vm_run_microtasks(weft_vm *vm)
{
    JSContext *job_ctx;
    while (!vm->exiting && JS_IsJobPending(vm->rt)) {
        if (JS_ExecutePendingJob(vm->rt, &job_ctx) < 0)
            weft__vm_report_exception(vm);
    }
}

static void report_rejections(weft_vm *vm)
{
    if (vm->rejections)
        stop_if_out_of_memory(vm);
    while (vm->rejections && !vm->exiting) {
        weft_rejection *r = vm->rejections;
        vm->rejections = r->next;
        report_error(vm, "onUnhandledRejection", JS_DupValue(vm->ctx, r->reason), r->promise);
        free_rejection(vm->ctx, r);
        weft__vm_run_microtasks(vm);
    }
}

void weft__vm_drain(weft_vm *vm)
{
    do {
        if (vm->ticks_pending) {
            /* processTicks runs every queued tick, draining microtasks after
             * the queue empties, until neither has work left. */
            JSValue r = call_hook(vm, "processTicks", 0, NULL);
            if (JS_IsException(r))
                weft__vm_report_exception(vm);
            JS_FreeValue(vm->ctx, r);
        }
        weft__vm_run_microtasks(vm);
        report_rejections(vm);
    } while (!vm->exiting && (vm->ticks_pending || JS_IsJobPending(vm->rt)));
    /* Between tasks: a good moment to give back memory a burst left idle. */
    if (vm->heap && weft__heap_should_trim(vm->heap))
        weft__heap_trim(vm->heap);
}

bool weft__vm_callback(weft_vm *vm, JSValueConst fn, JSValueConst this_val, int argc, JSValueConst *argv)
{
    if (vm->exiting)
        return false;
    JSValue r = JS_Call(vm->ctx, fn, this_val, argc, argv);
    bool ok = !JS_IsException(r);
    if (ok)
        JS_FreeValue(vm->ctx, r);
    else
        weft__vm_report_exception(vm);
    weft__vm_drain(vm);
    return ok;
}

/* ---- life cycle --------------------------------------------------------- */

static void start_clocks(weft_vm *vm)
{
    vm->start_hrtime = uv_hrtime();
    uv_timeval64_t now;
    vm->time_origin = uv_gettimeofday(&now) == 0 ? (double)now.tv_sec * 1e3 + (double)now.tv_usec / 1e3 : 0;
}

static void free_argv(weft_vm *vm)
{
    for (int i = 0; i < vm->argc; i++)
        free(vm->argv[i]);
    free(vm->argv);
    vm->argv = NULL;
    vm->argc = 0;
}

static int copy_argv(weft_vm *vm, int argc, const char *const *argv)
{
    vm->argv = calloc((size_t)argc + 1, sizeof *vm->argv);
    if (!vm->argv)
        return -1;
    for (int i = 0; i < argc; i++) {
        vm->argv[i] = strdup(argv[i]);
        if (!vm->argv[i])
            return -1;
        vm->argc = i + 1;
    }
    return 0;
}

/* Formats the pending exception into err, for failures before any script. */
static void exception_message(JSContext *ctx, char *err, size_t errlen)
{
    JSValue e = JS_GetException(ctx);
    JSValue stack = JS_IsObject(e) ? JS_GetPropertyStr(ctx, e, "stack") : JS_UNDEFINED;
    const char *msg = JS_ToCString(ctx, e);
    const char *where = JS_IsString(stack) ? JS_ToCString(ctx, stack) : NULL;
    snprintf(err, errlen, "%s\n%s", msg ? msg : "out of memory", where ? where : "");
    JS_FreeCString(ctx, where);
    JS_FreeCString(ctx, msg);
    JS_FreeValue(ctx, stack);
    JS_FreeValue(ctx, e);
}

/* The JavaScript stack limit: what was asked for, but never more than the
 * stack this thread really has below us. A thread's stack also holds its
 * TLS (large under sanitizers), so its nominal size overstates the room. */
static size_t js_stack_size(size_t wanted)
{
    pthread_attr_t attr;
    void *base;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return wanted;
    int rc = pthread_attr_getstack(&attr, &base, &size);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        return wanted;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    uintptr_t bottom = (uintptr_t)base;
    size_t room = here > bottom ? here - bottom : 0;
    size_t margin = room / 2 < STACK_MARGIN ? room / 2 : STACK_MARGIN;
    return wanted < room - margin ? wanted : room - margin;
}

int weft__vm_new(weft_vm **out, const weft_vm_options *opts, char *err, size_t errlen)
{
    weft_vm *vm = calloc(1, sizeof *vm);
    if (!vm) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    weft__message_pool_attach(); /* detached by weft__vm_free */
    vm->hooks = JS_UNDEFINED;
    start_clocks(vm);
    vm->thread = opts->thread;
    vm->parent_port = JS_UNDEFINED;
    vm->inbox = weft__inbox_new(weft__ports_deliver, vm);
    vm->rt = vm->inbox ? weft__limits_new_runtime(vm) : NULL;
    vm->ctx = vm->rt ? JS_NewContext(vm->rt) : NULL;
    if (!vm->ctx || copy_argv(vm, opts->argc, opts->argv) != 0) {
        snprintf(err, errlen, "out of memory");
        weft__vm_free(vm);
        return -1;
    }
    JS_SetRuntimeOpaque(vm->rt, vm);
    JS_SetContextOpaque(vm->ctx, vm);
    JS_SetMaxStackSize(vm->rt, js_stack_size(opts->stack_size ? opts->stack_size : DEFAULT_STACK_SIZE));
    if (opts->memory_limit)
        JS_SetMemoryLimit(vm->rt, opts->memory_limit);
    JS_SetHostPromiseRejectionTracker(vm->rt, track_rejection, vm);
    JS_SetCanBlock(vm->rt, 1);
    vm->atom_message = JS_NewAtom(vm->ctx, "message");
    vm->atom_events = JS_NewAtom(vm->ctx, "_events");
    weft__shm_install(vm->rt);
    weft__limits_install(vm, opts->cpu_limit_ms);
    weft__loader_install(vm->rt);
    if (weft__clone_init(vm->ctx) < 0 || weft__ports_init(vm->ctx) < 0 || weft__atomics_install(vm->ctx) < 0) {
        exception_message(vm->ctx, err, errlen);
        weft__vm_free(vm);
        return -1;
    }

    /* The bootstrap allocates a lot that stays alive: collecting during it
     * is wasted work. */
    JS_SetGCThreshold(vm->rt, 4 * 1024 * 1024);
    vm->hooks = weft__import_sync(vm->ctx, "weft:internal/bootstrap");
    JS_SetGCThreshold(vm->rt, GC_THRESHOLD);
    if (JS_IsException(vm->hooks)) {
        exception_message(vm->ctx, err, errlen);
        weft__vm_free(vm);
        return -1;
    }
    *out = vm;
    return 0;
}

static void dispose_handle(uv_handle_t *handle, void *arg)
{
    weft_handle *h = handle->data;
    if (h && !uv_is_closing(handle))
        h->dispose(h);
}

void weft__vm_free(weft_vm *vm)
{
    if (!vm)
        return;
    /* Handles hold JavaScript values: release them while the runtime lives,
     * then let the loop run the close callbacks. */
    if (vm->inbox)
        weft__inbox_close(vm->inbox); /* not a weft_handle: closed first */
    if (vm->loop_ready) {
        uv_walk(&vm->loop, dispose_handle, NULL);
        /* A uv_stop() still pending makes the first run return at once. */
        while (uv_run(&vm->loop, UV_RUN_DEFAULT) != 0)
            ;
    }
    if (vm->ctx) {
        weft__ports_dispose(vm);
        JS_FreeValue(vm->ctx, vm->parent_port);
        while (vm->rejections) {
            weft_rejection *r = vm->rejections;
            vm->rejections = r->next;
            free_rejection(vm->ctx, r);
        }
        JS_FreeValue(vm->ctx, vm->hooks);
        JS_FreeAtom(vm->ctx, vm->atom_message);
        JS_FreeAtom(vm->ctx, vm->atom_events);
        JS_FreeContext(vm->ctx);
    }
    if (vm->rt)
        weft__limits_free_runtime(vm);
    if (vm->loop_ready)
        uv_loop_close(&vm->loop);
    free_argv(vm);
    free(vm);
    weft__message_pool_detach();
}

/* ---- running the main module -------------------------------------------- */

JSValue weft__vm_eval_main(weft_vm *vm, const char *path, const char *source, size_t len, bool module)
{
    JSContext *ctx = vm->ctx;
    if (!module) {
        JSValue args[2] = { JS_NewString(ctx, path), JS_NewStringLen(ctx, source, len) };
        JSValue r = call_hook(vm, "runMainCommonJS", 2, (JSValueConst *)args);
        JS_FreeValue(ctx, args[0]);
        JS_FreeValue(ctx, args[1]);
        return r;
    }
    JSValue fn = weft__compile_module(ctx, path, source, len, true);
    if (JS_IsException(fn))
        return fn;
    if (JS_ResolveModule(ctx, fn) < 0) {
        JS_FreeValue(ctx, fn);
        return JS_EXCEPTION;
    }
    return JS_EvalFunction(ctx, fn);
}

/* Exit code of a main module whose top-level await never settled (Node's). */
#define EXIT_UNSETTLED_TLA 13

bool weft__vm_alive(weft_vm *vm)
{
    if (vm->loop_ready)
        return uv_loop_alive(&vm->loop);
    return weft__inbox_keep_alive(vm->inbox) > 0;
}

void weft__vm_run_loop(weft_vm *vm)
{
    while (!vm->exiting) {
        if (vm->loop_ready) {
            uv_run(&vm->loop, UV_RUN_DEFAULT);
        } else if (weft__inbox_keep_alive(vm->inbox) > 0) {
            /* Only ports keep this thread: sleep without a loop. */
            if (vm->thread)
                weft__thread_idle_begin(vm->thread);
            uint64_t idle = weft__inbox_wait(vm->inbox);
            if (vm->thread)
                weft__thread_idle_end(vm->thread, idle);
            weft__inbox_process(vm->inbox);
            continue;
        }
        if (vm->exiting)
            break;
        /* 'beforeExit' may schedule more work, which keeps the process going. */
        JSValue r = call_hook(vm, "onBeforeExit", 0, NULL);
        if (JS_IsException(r))
            weft__vm_report_exception(vm);
        JS_FreeValue(vm->ctx, r);
        weft__vm_drain(vm);
        if (!weft__vm_alive(vm))
            break;
    }
}

int weft__vm_run_main(weft_vm *vm, const char *path, const char *source, size_t len,
                      bool force_module, int *exit_code)
{
    JSContext *ctx = vm->ctx;
    char *owned = NULL;
    int format = force_module ? WEFT_FORMAT_ESM : WEFT_FORMAT_COMMONJS;
    if (!source) {
        int rc = weft__read_file(path, &owned, &len);
        if (rc != 0) {
            snprintf(vm->error, sizeof vm->error, "cannot read '%s': %s", path, uv_strerror(rc));
            return rc == UV_ENOENT || rc == UV_ENOTDIR ? -1 : -2;
        }
        source = owned;
        format = weft__module_format(ctx, path);
        if (format < 0) {
            free(owned);
            exception_message(ctx, vm->error, sizeof vm->error);
            return -2;
        }
    }
    vm->main_loaded = true;
    JSValue result = weft__vm_eval_main(vm, path, source, len, format == WEFT_FORMAT_ESM);
    free(owned);
    if (JS_IsException(result)) {
        weft__vm_report_exception(vm);
    } else if (JS_IsObject(result) && JS_PromiseState(ctx, result) == JS_PROMISE_REJECTED) {
        /* A module whose evaluation threw: an uncaught exception, as in Node,
         * not an unhandled rejection of the evaluation promises (the module's
         * and its body's, both rejected with the error). */
        JSValue err = JS_PromiseResult(ctx, result);
        forget_rejections_with(vm, err);
        JS_Throw(ctx, err);
        weft__vm_report_exception(vm);
    }
    weft__vm_drain(vm);
    /* A thread stopped in its top level (terminate()) is going away: making
     * the next spare now would slow its exit. */
    if (vm->thread && !vm->exiting)
        weft__thread_entry_ran(format != WEFT_FORMAT_ESM);
    weft__vm_run_loop(vm);

    if (!vm->exiting && JS_IsObject(result) && JS_PromiseState(ctx, result) == JS_PROMISE_PENDING) {
        fprintf(stderr, "Warning: Detected unsettled top-level await in %s\n", path);
        vm->exiting = true;
        vm->exit_code = EXIT_UNSETTLED_TLA;
    }
    JS_FreeValue(ctx, result);

    *exit_code = weft__vm_finish(vm);
    return 0;
}

int weft__vm_finish(weft_vm *vm)
{
    /* Stopped from outside or by a limit: no more JavaScript runs. */
    if (vm->stop_reason != WEFT_STOP_NONE)
        return vm->exit_code;
    /* 'exit' listeners run last; they see and may change process.exitCode. */
    JSValue code = JS_NewInt32(vm->ctx, vm->exiting ? vm->exit_code : -1);
    vm->exiting = false;
    JSValue final_code = call_hook(vm, "onExit", 1, (JSValueConst *)&code);
    int32_t c = vm->exit_code;
    if (JS_IsException(final_code)) {
        if (!vm->exiting) {
            weft__vm_report_exception(vm);
            c = 7;
        }
        c = vm->exiting ? vm->exit_code : c;
    } else if (JS_ToInt32(vm->ctx, &c, final_code) < 0) {
        c = 1;
    }
    JS_FreeValue(vm->ctx, final_code);
    /* Nothing runs JavaScript after 'exit' (teardown's last loop turns). */
    vm->exiting = true;
    return c;
}

void weft__vm_claim(weft_vm *vm, int argc, const char *const *argv, size_t memory_limit, double cpu_limit_ms)
{
    free_argv(vm);
    if (copy_argv(vm, argc, argv) != 0)
        free_argv(vm); /* out of memory: an empty process.argv */
    if (memory_limit)
        JS_SetMemoryLimit(vm->rt, memory_limit);
    vm->cpu_limit_ms = cpu_limit_ms;
    start_clocks(vm);
}

int weft__vm_run_thread(weft_vm *vm, weft_thread *t)
{
    if (weft__thread_stop_requested(t)) {
        weft__vm_stop(vm, weft__thread_stop_reason(t));
        return vm->exit_code;
    }
    weft__thread_post_online(t);
    const char *entry, *filename;
    bool module;
    int code = 1;
    int rc;
    if (weft__thread_entry(t, &entry, &filename, &module) == WEFT_ENTRY_FILE)
        rc = weft__vm_run_main(vm, entry, NULL, 0, false, &code);
    else
        rc = weft__vm_run_main(vm, filename ? filename : "[thread]", entry, strlen(entry), module, &code);
    if (rc != 0) {
        /* The file could not be read: report it as the thread's error. */
        JS_ThrowReferenceError(vm->ctx, "%s", vm->error);
        weft__vm_report_exception(vm);
        code = 1;
    }
    return code;
}
