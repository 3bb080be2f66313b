/*
 * qjs: the C module "weft:qjs/native" behind QuickJS's 'os' and 'std' modules
 * on weft (see qjs.h and docs/quickjs-compat.md).
 *
 * quickjs-libc (compiled into the engine library) does most of 'std' and
 * 'os' well: FILE objects, file descriptors, stat, exec. Its modules are
 * loaded here as they are. What assumes quickjs-libc's own event loop
 * (js_std_loop) is replaced: timers, fd handlers, signals and workers live on
 * the weft thread's uv loop, and are built in JavaScript on the watchers
 * below and on the weft module.
 *
 * quickjs-libc keeps its per-thread state (JSThreadState) in the runtime's
 * opaque pointer, which in weft is the vm. Of the functions weft reuses, only
 * the 'os' module's init reads that state (to decide whether it runs in a
 * worker), so the 'os' module is evaluated while the opaque points to an
 * all-zero state, with collection held off so that no finalizer can see the
 * stand-in. The libc modules can only be reached through loadLibc().
 */
#include "modules/qjs.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "core/jsutil.h"
#include "core/loader.h"
#include "core/thread.h"
#include "core/vm.h"
#include "quickjs-libc.h"

#define NATIVE_ID "weft:qjs/native"
#define LIBC_OS_ID "weft:qjs/libc-os"
#define LIBC_STD_ID "weft:qjs/libc-std"

/* GC threshold floor after the libc 'os' module loaded (vm.c's default). */
#define MIN_GC_THRESHOLD (256 * 1024)

/* Set only while loadLibc() imports a libc module on this thread: the libc
 * ids do not exist for anyone else (importing them directly would run the
 * 'os' init against the vm as if it were quickjs-libc's state). */
static _Thread_local bool loading_libc;

/* Serializes libc module loading: quickjs-libc's 'os' init writes a global
 * (its poll function) and std's init registers a class id. */
static uv_once_t libc_once = UV_ONCE_INIT;
static uv_mutex_t libc_lock;
static bool stdout_line_buffered; /* guarded by libc_lock */

/* An all-zero stand-in for quickjs-libc's JSThreadState (only read): no
 * worker pipes, so the 'os' init defines no Worker.parent of its own. Larger
 * than the real struct, so that reading any of its fields stays inside. */
static uint64_t zero_thread_state[64];

static void libc_lock_init(void)
{
    if (uv_mutex_init(&libc_lock) != 0)
        abort(); /* only fails without resources at start-up */
}

bool weft__qjs_is_module(const char *id)
{
    if (strcmp(id, NATIVE_ID) == 0)
        return true;
    return loading_libc && (strcmp(id, LIBC_OS_ID) == 0 || strcmp(id, LIBC_STD_ID) == 0);
}

/* ---- libc modules ------------------------------------------------------------ */

/* Collection back on after the 'os' init: the threshold QuickJS itself sets
 * after a collection, one and a half times the heap in use. */
static void restore_gc(JSRuntime *rt)
{
    JSMemoryUsage mu;
    JS_ComputeMemoryUsage(rt, &mu);
    size_t used = mu.malloc_size > 0 ? (size_t)mu.malloc_size : 0;
    size_t threshold = used + used / 2;
    JS_SetGCThreshold(rt, threshold < MIN_GC_THRESHOLD ? MIN_GC_THRESHOLD : threshold);
}

/* loadLibc('os' | 'std') -> the namespace of quickjs-libc's module. */
static JSValue js_load_libc(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    const char *which = JS_ToCString(ctx, argv[0]);
    if (!which)
        return JS_EXCEPTION;
    bool is_os = strcmp(which, "os") == 0;
    bool is_std = strcmp(which, "std") == 0;
    JS_FreeCString(ctx, which);
    if (!is_os && !is_std)
        return weft__throw(ctx, "TypeError", "ERR_INVALID_ARG_VALUE", "no libc module of that name");

    uv_once(&libc_once, libc_lock_init);
    uv_mutex_lock(&libc_lock);
    if (is_std && !stdout_line_buffered) {
        /* weft writes stdout with write(2) (console.log) while std.out and
         * print buffer in stdio: line buffering keeps their lines in order
         * when stdout is a pipe. Nothing has used stdio's stdout before the
         * first 'std' import, which setvbuf requires. */
        setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
        stdout_line_buffered = true;
    }
    JSRuntime *rt = JS_GetRuntime(ctx);
    void *vm = JS_GetRuntimeOpaque(rt);
    if (is_os) {
        JS_SetGCThreshold(rt, SIZE_MAX);
        JS_SetRuntimeOpaque(rt, zero_thread_state);
    }
    loading_libc = true;
    JSValue ns = weft__import_sync(ctx, is_os ? LIBC_OS_ID : LIBC_STD_ID);
    loading_libc = false;
    if (is_os) {
        JS_SetRuntimeOpaque(rt, vm);
        restore_gc(rt);
    }
    uv_mutex_unlock(&libc_lock);
    return ns;
}

/* ---- sleep ------------------------------------------------------------------- */

/* sleep(ms): blocks the thread like quickjs-libc's os.sleep, but wakes for
 * terminate() (which then ends the thread). */
static JSValue js_sleep(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    int64_t delay;
    if (JS_ToInt64(ctx, &delay, argv[0]) < 0)
        return JS_EXCEPTION;
    if (delay <= 0)
        return JS_NewInt32(ctx, 0);
    weft_vm *vm = weft__vm_of(ctx);
    weft_thread *t = vm->thread;
    if (!t) {
        /* The main thread cannot be terminated from outside. */
        struct timespec ts = { (time_t)(delay / 1000), (long)(delay % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        return JS_NewInt32(ctx, 0);
    }
    uv_mutex_t m;
    uv_cond_t c;
    if (uv_mutex_init(&m) != 0)
        return JS_ThrowOutOfMemory(ctx);
    if (uv_cond_init(&c) != 0) {
        uv_mutex_destroy(&m);
        return JS_ThrowOutOfMemory(ctx);
    }
    uint64_t deadline = uv_hrtime() + (uint64_t)delay * 1000000u;
    weft__thread_block_begin(t, &m, &c);
    uv_mutex_lock(&m);
    for (;;) {
        uint64_t now = uv_hrtime();
        if (weft__thread_stop_requested(t) || now >= deadline)
            break;
        uv_cond_timedwait(&c, &m, deadline - now);
    }
    uv_mutex_unlock(&m);
    weft__thread_block_end(t);
    uv_cond_destroy(&c);
    uv_mutex_destroy(&m);
    if (weft__thread_stop_requested(t)) {
        weft__vm_stop(vm, weft__thread_stop_reason(t));
        return weft__vm_exit(vm, vm->exit_code);
    }
    return JS_NewInt32(ctx, 0);
}

/* ---- evalScript --------------------------------------------------------------- */

static int bool_option(JSContext *ctx, JSValueConst opts, const char *name, bool *out)
{
    if (!JS_IsObject(opts))
        return 0;
    JSValue v = JS_GetPropertyStr(ctx, opts, name);
    if (JS_IsException(v))
        return -1;
    if (!JS_IsUndefined(v))
        *out = JS_ToBool(ctx, v);
    JS_FreeValue(ctx, v);
    return 0;
}

/* evalScript(source, { backtrace_barrier, async }): std.evalScript without
 * quickjs-libc's SIGINT interrupt handler, which would replace weft's (and
 * with it termination and CPU limits). */
static JSValue js_eval_script(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    bool barrier = false, async = false;
    if (argc > 1 && (bool_option(ctx, argv[1], "backtrace_barrier", &barrier) < 0 ||
                     bool_option(ctx, argv[1], "async", &async) < 0))
        return JS_EXCEPTION;
    size_t len;
    const char *src = JS_ToCStringLen(ctx, &len, argv[0]);
    if (!src)
        return JS_EXCEPTION;
    int flags = JS_EVAL_TYPE_GLOBAL;
    if (barrier)
        flags |= JS_EVAL_FLAG_BACKTRACE_BARRIER;
    if (async)
        flags |= JS_EVAL_FLAG_ASYNC;
    JSValue r = JS_Eval(ctx, src, len, "<evalScript>", flags);
    JS_FreeCString(ctx, src);
    return r;
}

/* ---- the calling module -------------------------------------------------------- */

/* callerFile() -> the file of the nearest function on the stack that is not
 * weft's own (os.Worker resolves relative paths against it), or undefined. */
static JSValue js_caller_file(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    /* Frames without a script name (C functions, stripped builtins) give
     * JS_ATOM_NULL; look a little past them. */
    for (int level = 1; level < 64; level++) {
        JSAtom atom = JS_GetScriptOrModuleName(ctx, level);
        if (atom == JS_ATOM_NULL)
            continue;
        const char *name = JS_AtomToCString(ctx, atom);
        JS_FreeAtom(ctx, atom);
        if (!name)
            return JS_EXCEPTION;
        bool ours = strncmp(name, "weft:", 5) == 0 || name[0] == '<';
        JSValue r = ours ? JS_UNDEFINED : JS_NewString(ctx, name);
        JS_FreeCString(ctx, name);
        if (!ours)
            return r;
    }
    return JS_UNDEFINED;
}

/* ---- watchers: fds and signals on the thread's loop ------------------------------
 *
 * A watcher is a uv_poll_t (fd readiness) or uv_signal_t. Its lifetime is
 * the timers' (src/modules/timers.c): a started watcher holds a reference to
 * its own object; the finalizer closes the handle; the C struct lives until
 * both the object and the handle are gone.
 */

typedef struct watcher {
    weft_handle base; /* handle data points here */
    union {
        uv_handle_t handle;
        uv_poll_t poll;
        uv_signal_t signal;
    } u;
    bool is_signal;
    JSContext *ctx;
    JSValue self;     /* JS_UNDEFINED unless started */
    JSValue callback;
    bool object_gone;
    bool handle_gone;
} watcher;

static JSClassID watcher_class_id;

static void watcher_release(watcher *w)
{
    JSValue self = w->self;
    w->self = JS_UNDEFINED;
    JS_FreeValue(w->ctx, self); /* may finalize the object */
}

static void watcher_on_close(uv_handle_t *handle)
{
    watcher *w = handle->data;
    w->handle_gone = true;
    if (w->object_gone)
        free(w);
}

static void watcher_dispose(weft_handle *h)
{
    watcher *w = (watcher *)h;
    JSValue cb = w->callback;
    w->callback = JS_UNDEFINED;
    uv_close(&w->u.handle, watcher_on_close);
    JS_FreeValue(w->ctx, cb);
    watcher_release(w);
}

static void watcher_finalizer(JSRuntime *rt, JSValue val)
{
    watcher *w = JS_GetOpaque(val, watcher_class_id);
    if (!w)
        return;
    JS_FreeValueRT(rt, w->callback);
    w->callback = JS_UNDEFINED;
    w->object_gone = true;
    if (w->handle_gone)
        free(w);
    else if (!uv_is_closing(&w->u.handle))
        uv_close(&w->u.handle, watcher_on_close);
}

static void watcher_mark(JSRuntime *rt, JSValueConst val, JS_MarkFunc *mark)
{
    watcher *w = JS_GetOpaque(val, watcher_class_id);
    if (w)
        JS_MarkValue(rt, w->callback, mark);
}

static JSClassDef watcher_class = {
    "QuickJSWatcher",
    .finalizer = watcher_finalizer,
    .gc_mark = watcher_mark,
};

static void watcher_fire(watcher *w, int argc, JSValueConst *argv)
{
    if (JS_IsUndefined(w->callback))
        return;
    weft_vm *vm = weft__vm_of(w->ctx);
    JSValue self = JS_DupValue(w->ctx, w->self); /* alive even if it stops itself */
    JSValue cb = JS_DupValue(w->ctx, w->callback);
    weft__vm_callback(vm, cb, self, argc, argv);
    JS_FreeValue(w->ctx, cb);
    JS_FreeValue(w->ctx, self);
}

static void on_poll(uv_poll_t *handle, int status, int events)
{
    watcher *w = handle->data;
    JSValueConst args[2] = { JS_NewInt32(w->ctx, status), JS_NewInt32(w->ctx, events) };
    watcher_fire(w, 2, args);
}

static void on_signal(uv_signal_t *handle, int signum)
{
    watcher *w = handle->data;
    JSValueConst args[1] = { JS_NewInt32(w->ctx, signum) };
    watcher_fire(w, 1, args);
}

static watcher *watcher_get(JSContext *ctx, JSValueConst this_val)
{
    watcher *w = JS_GetOpaque2(ctx, this_val, watcher_class_id);
    if (w && (w->handle_gone || uv_is_closing(&w->u.handle))) {
        weft__throw(ctx, "Error", "ERR_INVALID_STATE", "watcher is closed");
        return NULL;
    }
    return w;
}

/* newPoll(fd, callback(status, events)) / newSignal(callback(signum)) */
static JSValue new_watcher(JSContext *ctx, JSValueConst *argv, bool is_signal)
{
    int32_t fd = -1;
    JSValueConst cb = is_signal ? argv[0] : argv[1];
    if (!is_signal && JS_ToInt32(ctx, &fd, argv[0]) < 0)
        return JS_EXCEPTION;
    if (!JS_IsFunction(ctx, cb))
        return weft__throw_arg_type(ctx, "callback", "of type function", cb);
    uv_loop_t *loop = weft__vm_loop(weft__vm_of(ctx));
    if (!loop)
        return JS_EXCEPTION;
    JSValue obj = JS_NewObjectClass(ctx, (int)watcher_class_id);
    if (JS_IsException(obj))
        return obj;
    watcher *w = calloc(1, sizeof *w);
    if (!w) {
        JS_FreeValue(ctx, obj);
        return JS_ThrowOutOfMemory(ctx);
    }
    int err = is_signal ? uv_signal_init(loop, &w->u.signal) : uv_poll_init(loop, &w->u.poll, fd);
    if (err) {
        free(w);
        JS_FreeValue(ctx, obj);
        return weft__throw_syscall(ctx, err, is_signal ? "uv_signal_init" : "uv_poll_init", NULL);
    }
    w->base.dispose = watcher_dispose;
    w->u.handle.data = w;
    w->is_signal = is_signal;
    w->ctx = ctx;
    w->self = JS_UNDEFINED;
    w->callback = JS_DupValue(ctx, cb);
    JS_SetOpaque(obj, w);
    return obj;
}

static JSValue js_new_poll(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return new_watcher(ctx, argv, false);
}

static JSValue js_new_signal(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return new_watcher(ctx, argv, true);
}

/* start(events | signum): (re)starts watching. */
static JSValue watcher_start(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    watcher *w = watcher_get(ctx, this_val);
    int32_t arg;
    if (!w || JS_ToInt32(ctx, &arg, argv[0]) < 0)
        return JS_EXCEPTION;
    int err;
    if (w->is_signal)
        err = uv_signal_start(&w->u.signal, on_signal, arg);
    else
        err = uv_poll_start(&w->u.poll, arg & (UV_READABLE | UV_WRITABLE), on_poll);
    if (err)
        return weft__throw_syscall(ctx, err, w->is_signal ? "uv_signal_start" : "uv_poll_start", NULL);
    if (JS_IsUndefined(w->self))
        w->self = JS_DupValue(ctx, this_val);
    return JS_UNDEFINED;
}

/* close(): stops for good; the object may be collected afterwards. */
static JSValue watcher_close(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    watcher *w = JS_GetOpaque2(ctx, this_val, watcher_class_id);
    if (!w)
        return JS_EXCEPTION;
    if (!w->handle_gone && !uv_is_closing(&w->u.handle)) {
        uv_close(&w->u.handle, watcher_on_close);
        watcher_release(w);
    }
    return JS_UNDEFINED;
}

/* setRef(bool): whether the watcher keeps the loop alive. */
static JSValue watcher_set_ref(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    watcher *w = watcher_get(ctx, this_val);
    if (!w)
        return JS_EXCEPTION;
    if (JS_ToBool(ctx, argv[0]))
        uv_ref(&w->u.handle);
    else
        uv_unref(&w->u.handle);
    return JS_UNDEFINED;
}

static const JSCFunctionListEntry watcher_proto_funcs[] = {
    JS_CFUNC_DEF("start", 1, watcher_start),
    JS_CFUNC_DEF("close", 0, watcher_close),
    JS_CFUNC_DEF("setRef", 1, watcher_set_ref),
};

/* resetSignal(signum, ignore): SIG_IGN or SIG_DFL, as quickjs-libc's
 * os.signal(sig, undefined | null) does once its handler is gone. */
static JSValue js_reset_signal(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    int32_t sig;
    if (JS_ToInt32(ctx, &sig, argv[0]) < 0)
        return JS_EXCEPTION;
    if (sig > 0 && sig < 64)
        signal(sig, JS_ToBool(ctx, argv[1]) ? SIG_IGN : SIG_DFL);
    return JS_UNDEFINED;
}

/* ---- timers ------------------------------------------------------------------- */

/* updateTime(): the loop's clock is read once per turn; quickjs-libc's timers
 * count from the moment setTimeout is called, so os.setTimeout brings the
 * clock up to date first (a code running long after the turn began would
 * otherwise see its timeouts fire early). */
static JSValue js_update_time(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    uv_loop_t *loop = weft__vm_loop(weft__vm_of(ctx));
    if (!loop)
        return JS_EXCEPTION;
    uv_update_time(loop);
    return JS_UNDEFINED;
}

/* ---- the module ------------------------------------------------------------- */

static const JSCFunctionListEntry native_funcs[] = {
    JS_CFUNC_DEF("loadLibc", 1, js_load_libc),
    JS_CFUNC_DEF("sleep", 1, js_sleep),
    JS_CFUNC_DEF("evalScript", 2, js_eval_script),
    JS_CFUNC_DEF("callerFile", 0, js_caller_file),
    JS_CFUNC_DEF("newPoll", 2, js_new_poll),
    JS_CFUNC_DEF("newSignal", 1, js_new_signal),
    JS_CFUNC_DEF("resetSignal", 2, js_reset_signal),
    JS_CFUNC_DEF("updateTime", 0, js_update_time),
    JS_PROP_INT32_DEF("READABLE", UV_READABLE, 0),
    JS_PROP_INT32_DEF("WRITABLE", UV_WRITABLE, 0),
};

static int native_init(JSContext *ctx, JSModuleDef *m)
{
    JSRuntime *rt = JS_GetRuntime(ctx);
    weft__new_class_id(&watcher_class_id);
    if (!JS_IsRegisteredClass(rt, watcher_class_id) && JS_NewClass(rt, watcher_class_id, &watcher_class) < 0)
        return -1;
    JSValue proto = JS_NewObject(ctx);
    if (JS_IsException(proto))
        return -1;
    JS_SetPropertyFunctionList(ctx, proto, watcher_proto_funcs, WEFT_COUNTOF(watcher_proto_funcs));
    JS_SetClassProto(ctx, watcher_class_id, proto);
    return JS_SetModuleExportList(ctx, m, native_funcs, WEFT_COUNTOF(native_funcs));
}

JSModuleDef *weft__qjs_module(JSContext *ctx, const char *id)
{
    if (strcmp(id, LIBC_OS_ID) == 0)
        return js_init_module_os(ctx, id);
    if (strcmp(id, LIBC_STD_ID) == 0)
        return js_init_module_std(ctx, id);
    JSModuleDef *m = JS_NewCModule(ctx, id, native_init);
    if (!m || JS_AddModuleExportList(ctx, m, native_funcs, WEFT_COUNTOF(native_funcs)) < 0)
        return NULL;
    return m;
}
