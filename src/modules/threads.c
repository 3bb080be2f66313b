/*
 * The "threads" binding: starting threads and handling them from their
 * creator (terminate, statistics), and what code inside a thread asks about
 * itself (its parent port, start data, identity).
 */
#include <stdlib.h>
#include <string.h>

#include "core/clone.h"
#include "core/embed.h"
#include "core/jsutil.h"
#include "core/thread.h"
#include "core/vm.h"
#include "modules/native.h"

static JSClassID handle_class_id;

static void handle_finalizer(JSRuntime *rt, JSValue val)
{
    weft_thread *t = JS_GetOpaque(val, handle_class_id);
    if (t)
        weft__thread_release(t);
}

static JSClassDef handle_class = { "ThreadHandle", .finalizer = handle_finalizer };

static weft_thread *handle_of(JSContext *ctx, JSValueConst val)
{
    return JS_GetOpaque2(ctx, val, handle_class_id);
}

/* ---- options -------------------------------------------------------------- */

/* A string option, NULL when absent; *failed on a JavaScript error. */
static const char *opt_string(JSContext *ctx, JSValueConst opts, const char *key, bool *failed)
{
    JSValue v = JS_GetPropertyStr(ctx, opts, key);
    const char *s = NULL;
    if (JS_IsException(v))
        *failed = true;
    else if (JS_IsString(v) && !(s = JS_ToCString(ctx, v)))
        *failed = true;
    JS_FreeValue(ctx, v);
    return s;
}

static double opt_number(JSContext *ctx, JSValueConst opts, const char *key, bool *failed)
{
    JSValue v = JS_GetPropertyStr(ctx, opts, key);
    double d = 0;
    if (JS_IsException(v) || (!JS_IsUndefined(v) && JS_ToFloat64(ctx, &d, v) < 0))
        *failed = true;
    JS_FreeValue(ctx, v);
    return d;
}

/* The argv option as a C array of strings (freed with free_argv). */
static char **opt_argv(JSContext *ctx, JSValueConst opts, int *argc, bool *failed)
{
    JSValue arr = JS_GetPropertyStr(ctx, opts, "argv");
    JSValue lenv = JS_IsObject(arr) ? JS_GetPropertyStr(ctx, arr, "length") : JS_NewInt32(ctx, 0);
    int32_t n = 0;
    char **argv = NULL;
    if (JS_IsException(arr) || JS_ToInt32(ctx, &n, lenv) < 0 || n < 0 ||
        !(argv = calloc((size_t)n + 1, sizeof *argv))) {
        *failed = true;
        n = 0;
    }
    for (int32_t i = 0; i < n && !*failed; i++) {
        JSValue item = JS_GetPropertyUint32(ctx, arr, (uint32_t)i);
        const char *s = JS_ToCString(ctx, item);
        if (!s || !(argv[i] = strdup(s)))
            *failed = true;
        JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, item);
    }
    JS_FreeValue(ctx, lenv);
    JS_FreeValue(ctx, arr);
    *argc = n;
    return argv;
}

static void free_argv(char **argv, int argc)
{
    if (!argv)
        return;
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

/* A started thread says it runs, and usually posts, within a few hundred
 * microseconds: the parent's waits spin that long instead of sleeping. On
 * two cores a sleeping parent's CPU was given to the making of the next
 * spare, and the parent then shared it when woken (perf sched); a spinning
 * one keeps its CPU. Starts back to back: medians 236 -> 89 µs. */
#define START_SPIN_NS 500000

/* start(options) -> [handle, port]. options (validated by weft:lib/weft):
 * kind ('file' | 'source'), entry, module, name, filename, memoryLimit,
 * stackSize, cpuLimit, argv, payload (cloned), transfer. */
static JSValue js_start(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    JSValueConst o = argv[0];
    bool failed = false;
    const char *kind = opt_string(ctx, o, "kind", &failed);
    const char *entry = opt_string(ctx, o, "entry", &failed);
    const char *name = opt_string(ctx, o, "name", &failed);
    const char *filename = opt_string(ctx, o, "filename", &failed);
    JSValue module = JS_GetPropertyStr(ctx, o, "module");
    double memory = opt_number(ctx, o, "memoryLimit", &failed);
    double stack = opt_number(ctx, o, "stackSize", &failed);
    double cpu = opt_number(ctx, o, "cpuLimit", &failed);
    int targc = 0;
    char **targv = failed ? NULL : opt_argv(ctx, o, &targc, &failed);
    JSValue result = JS_EXCEPTION;
    weft_message *start = NULL;
    if (!failed && (!kind || !entry))
        weft__throw(ctx, "TypeError", "ERR_INVALID_ARG_TYPE", "thread entry missing");
    else if (!failed) {
        JSValue payload = JS_GetPropertyStr(ctx, o, "payload");
        JSValue transfer = JS_GetPropertyStr(ctx, o, "transfer");
        start = weft__clone_write(ctx, payload, transfer, NULL);
        JS_FreeValue(ctx, payload);
        JS_FreeValue(ctx, transfer);
    }
    if (start) {
        weft_vm *vm = weft__vm_of(ctx);
        weft_thread_options topts = {
            .kind = strcmp(kind, "file") == 0 ? WEFT_ENTRY_FILE : WEFT_ENTRY_SOURCE,
            .entry = entry,
            .module = JS_ToBool(ctx, module),
            .name = name,
            .filename = filename,
            .memory_limit = memory > 0 ? (size_t)memory : 0,
            .stack_size = stack > 0 ? (size_t)stack : 0,
            .cpu_limit_ms = cpu > 0 ? cpu : 0,
            .argc = targc,
            .argv = (const char *const *)targv,
            .start = start,
            .embed = vm->embed, /* an embedder's runtime: its threads inherit it */
        };
        if (vm->embed)
            weft__embed_thread_defaults(vm->embed, &topts.memory_limit, &topts.stack_size);
        weft_thread *t;
        weft_port *port;
        int err = weft__thread_start(&topts, &t, &port);
        if (err) {
            weft__throw(ctx, "Error", "ERR_WORKER_INIT_FAILED", "cannot start a thread: %s", uv_strerror(err));
        } else {
            weft__inbox_expect_mail(vm->inbox, START_SPIN_NS);
            JSValue handle = JS_NewObjectClass(ctx, (int)handle_class_id);
            if (JS_IsException(handle)) {
                weft__thread_terminate(t);
                weft__thread_release(t);
                weft__port_release(port);
            } else {
                JS_SetOpaque(handle, t);
                JSValue pobj = weft__port_wrap(ctx, port);
                result = JS_NewArray(ctx);
                JS_SetPropertyUint32(ctx, result, 0, handle);
                JS_SetPropertyUint32(ctx, result, 1, pobj);
            }
        }
    }
    free_argv(targv, targc);
    JS_FreeValue(ctx, module);
    JS_FreeCString(ctx, kind);
    JS_FreeCString(ctx, entry);
    JS_FreeCString(ctx, name);
    JS_FreeCString(ctx, filename);
    return result;
}

/* ---- handles -------------------------------------------------------------- */

static JSValue handle_terminate(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_thread *t = handle_of(ctx, this_val);
    if (!t)
        return JS_EXCEPTION;
    weft__thread_terminate(t);
    return JS_UNDEFINED;
}

static const char *state_name(weft_thread_state s)
{
    static const char *const names[] = { "starting", "online", "stopping", "exited" };
    return names[s];
}

static JSValue stats_object(JSContext *ctx, const weft_thread_stats *st)
{
    JSValue o = JS_NewObject(ctx);
    if (JS_IsException(o))
        return o;
    JS_SetPropertyStr(ctx, o, "state", JS_NewString(ctx, state_name(st->state)));
    JS_SetPropertyStr(ctx, o, "heapUsed", JS_NewInt64(ctx, (int64_t)st->heap_used));
    JS_SetPropertyStr(ctx, o, "heapLimit", JS_NewInt64(ctx, (int64_t)st->heap_limit));
    JS_SetPropertyStr(ctx, o, "cpuTime", JS_NewFloat64(ctx, st->cpu_ms));
    JS_SetPropertyStr(ctx, o, "idleTime", JS_NewFloat64(ctx, st->idle_ms));
    JS_SetPropertyStr(ctx, o, "messagesIn", JS_NewInt64(ctx, (int64_t)st->messages_in));
    JS_SetPropertyStr(ctx, o, "messagesOut", JS_NewInt64(ctx, (int64_t)st->messages_out));
    return o;
}

static JSValue handle_stats(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_thread *t = handle_of(ctx, this_val);
    if (!t)
        return JS_EXCEPTION;
    weft_thread_stats st;
    weft__thread_stats(t, &st);
    return stats_object(ctx, &st);
}

static JSValue handle_id(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_thread *t = handle_of(ctx, this_val);
    return t ? JS_NewInt64(ctx, (int64_t)weft__thread_id(t)) : JS_EXCEPTION;
}

static const JSCFunctionListEntry handle_funcs[] = {
    JS_CFUNC_DEF("terminate", 0, handle_terminate),
    JS_CFUNC_DEF("stats", 0, handle_stats),
    JS_CFUNC_DEF("id", 0, handle_id),
};

/* ---- inside a thread ------------------------------------------------------- */

static JSValue js_parent_port(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    if (!vm->thread)
        return JS_NULL;
    if (JS_IsUndefined(vm->parent_port)) {
        weft_port *p = weft__thread_child_end(vm->thread);
        weft__port_retain(p);
        vm->parent_port = weft__port_wrap(ctx, p);
        if (JS_IsException(vm->parent_port)) {
            vm->parent_port = JS_UNDEFINED;
            return JS_EXCEPTION;
        }
    }
    return JS_DupValue(ctx, vm->parent_port);
}

/* takeStart() -> the start payload, once (undefined afterwards). */
static JSValue js_take_start(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    weft_message *m = vm->thread ? weft__thread_take_start(vm->thread) : NULL;
    if (!m)
        return JS_UNDEFINED;
    JSValue v = weft__clone_read(ctx, m);
    weft__message_free(m);
    return v;
}

/* reportError(error): the thread's uncaught error, for the creator. */
static JSValue js_report_error(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    if (!vm->thread)
        return JS_FALSE;
    weft_message *m = weft__clone_write(ctx, argv[0], JS_UNDEFINED, NULL);
    if (!m)
        return JS_EXCEPTION;
    m->kind = WEFT_MSG_ERROR;
    weft__port_post(weft__thread_child_end(vm->thread), m);
    return JS_TRUE;
}

static JSValue js_info(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    JSValue o = JS_NewObject(ctx);
    if (JS_IsException(o))
        return o;
    JS_SetPropertyStr(ctx, o, "isMainThread", JS_NewBool(ctx, vm->thread == NULL));
    JS_SetPropertyStr(ctx, o, "threadId", JS_NewInt64(ctx, vm->thread ? (int64_t)weft__thread_id(vm->thread) : 0));
    JS_SetPropertyStr(ctx, o, "name", JS_NewString(ctx, vm->thread ? weft__thread_name(vm->thread) : "main"));
    return o;
}

/* isMainThread(): unlike info(), safe while a spare's vm is made: a claim
 * writes the thread's name then (src/core/thread.c). */
static JSValue js_is_main_thread(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return JS_NewBool(ctx, weft__vm_of(ctx)->thread == NULL);
}

/* selfStats(): the calling thread's statistics. */
static JSValue js_self_stats(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    weft_thread_stats st = { .state = WEFT_THREAD_ONLINE };
    if (vm->thread) {
        weft__thread_stats(vm->thread, &st);
    } else {
        JSMemoryUsage mu;
        JS_ComputeMemoryUsage(vm->rt, &mu);
        st.heap_used = (size_t)mu.malloc_size;
        st.heap_limit = (size_t)(mu.malloc_limit < 0 ? 0 : mu.malloc_limit);
    }
    return stats_object(ctx, &st);
}

static const JSCFunctionListEntry threads_funcs[] = {
    JS_CFUNC_DEF("start", 1, js_start),
    JS_CFUNC_DEF("parentPort", 0, js_parent_port),
    JS_CFUNC_DEF("takeStart", 0, js_take_start),
    JS_CFUNC_DEF("reportError", 1, js_report_error),
    JS_CFUNC_DEF("info", 0, js_info),
    JS_CFUNC_DEF("isMainThread", 0, js_is_main_thread),
    JS_CFUNC_DEF("selfStats", 0, js_self_stats),
};

JSValue weft__binding_threads(JSContext *ctx)
{
    JSRuntime *rt = JS_GetRuntime(ctx);
    weft__new_class_id(&handle_class_id);
    if (!JS_IsRegisteredClass(rt, handle_class_id) && JS_NewClass(rt, handle_class_id, &handle_class) < 0)
        return JS_EXCEPTION;
    JSValue proto = JS_NewObject(ctx);
    if (JS_IsException(proto))
        return proto;
    JS_SetPropertyFunctionList(ctx, proto, handle_funcs, WEFT_COUNTOF(handle_funcs));
    JS_SetClassProto(ctx, handle_class_id, proto);
    JSValue obj = JS_NewObject(ctx);
    if (!JS_IsException(obj))
        JS_SetPropertyFunctionList(ctx, obj, threads_funcs, WEFT_COUNTOF(threads_funcs));
    return obj;
}
