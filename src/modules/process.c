/*
 * The "process" binding: what Node's process object is made of (arguments,
 * environment, clocks, memory, stdio writes) plus the loop controls that
 * weft:internal/bootstrap needs (exit, nextTick bookkeeping, microtasks).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "core/jsutil.h"
#include "core/vm.h"
#include "modules/native.h"

extern char **environ;

static JSValue js_cwd(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    char buf[4096];
    size_t len = sizeof buf;
    int err = uv_cwd(buf, &len);
    return err ? weft__throw_syscall(ctx, err, "uv_cwd", NULL) : JS_NewStringLen(ctx, buf, len);
}

static JSValue js_chdir(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    if (!JS_IsString(argv[0]))
        return weft__throw_arg_type(ctx, "directory", "of type string", argv[0]);
    const char *dir = JS_ToCString(ctx, argv[0]);
    if (!dir)
        return JS_EXCEPTION;
    int err = uv_chdir(dir);
    JSValue r = err ? weft__throw_syscall(ctx, err, "chdir", dir) : JS_UNDEFINED;
    JS_FreeCString(ctx, dir);
    return r;
}

/* hrtimeBigint() -> nanoseconds from an arbitrary fixed point, as a BigInt */
static JSValue js_hrtime_bigint(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return JS_NewBigUint64(ctx, uv_hrtime());
}

/* now() -> milliseconds since this thread started (performance.now()) */
static JSValue js_now(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    return JS_NewFloat64(ctx, (double)(uv_hrtime() - vm->start_hrtime) / 1e6);
}

static JSValue js_memory_usage(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    JSMemoryUsage mu;
    JS_ComputeMemoryUsage(JS_GetRuntime(ctx), &mu);
    size_t rss = 0;
    if (uv_resident_set_memory(&rss) != 0)
        rss = 0;
    JSValue obj = JS_NewObject(ctx);
    if (JS_IsException(obj))
        return obj;
    JS_SetPropertyStr(ctx, obj, "rss", JS_NewInt64(ctx, (int64_t)rss));
    JS_SetPropertyStr(ctx, obj, "heapTotal", JS_NewInt64(ctx, mu.malloc_size));
    JS_SetPropertyStr(ctx, obj, "heapUsed", JS_NewInt64(ctx, mu.memory_used_size));
    JS_SetPropertyStr(ctx, obj, "external", JS_NewInt64(ctx, 0));
    JS_SetPropertyStr(ctx, obj, "arrayBuffers", JS_NewInt64(ctx, 0));
    return obj;
}

/* write(fd, string | ArrayBuffer view): synchronous, like Node's stdio on
 * files and TTYs, so that output is never lost when the thread exits. */
static JSValue js_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    int32_t fd;
    if (JS_ToInt32(ctx, &fd, argv[0]) < 0)
        return JS_EXCEPTION;
    int err;
    if (JS_IsString(argv[1])) {
        size_t len;
        const char *s = JS_ToCStringLen(ctx, &len, argv[1]);
        if (!s)
            return JS_EXCEPTION;
        err = weft__write_all(fd, s, len);
        JS_FreeCString(ctx, s);
    } else {
        size_t offset, len, elem;
        JSValue buf = JS_GetTypedArrayBuffer(ctx, argv[1], &offset, &len, &elem);
        if (JS_IsException(buf))
            return weft__throw_arg_type(ctx, "chunk", "of type string or an instance of Uint8Array", argv[1]);
        size_t size;
        uint8_t *bytes = JS_GetArrayBuffer(ctx, &size, buf);
        JS_FreeValue(ctx, buf);
        if (!bytes && len)
            return JS_EXCEPTION;
        err = weft__write_all(fd, bytes + offset, len);
    }
    /* A closed pipe (EPIPE) is not worth an exception while printing. */
    if (err && err != UV_EPIPE)
        return weft__throw_syscall(ctx, err, "write", NULL);
    return JS_UNDEFINED;
}

static JSValue js_isatty(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    int32_t fd;
    if (JS_ToInt32(ctx, &fd, argv[0]) < 0)
        return JS_EXCEPTION;
    return JS_NewBool(ctx, isatty(fd));
}

/* exit(code): unwinds the current JavaScript and ends the thread. */
static JSValue js_exit(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    int32_t code = 0;
    if (JS_ToInt32(ctx, &code, argv[0]) < 0)
        return JS_EXCEPTION;
    return weft__vm_exit(weft__vm_of(ctx), code);
}

static JSValue js_set_ticks_pending(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft__vm_of(ctx)->ticks_pending = JS_ToBool(ctx, argv[0]);
    return JS_UNDEFINED;
}

/* runMicrotasks(): drains the promise job queue, reporting what throws. */
static JSValue js_run_microtasks(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    weft__vm_run_microtasks(vm);
    return vm->exiting ? weft__vm_exit(vm, vm->exit_code) : JS_UNDEFINED;
}

/* invokeCallback(fn, thisArg): runs fn as a loop callback is run (an
 * exception is reported as uncaught, then ticks and microtasks drain), so that
 * queues kept in JavaScript (immediates) get Node's ordering between entries. */
static JSValue js_invoke_callback(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    weft__vm_callback(vm, argv[0], argv[1], 0, NULL);
    return vm->exiting ? weft__vm_exit(vm, vm->exit_code) : JS_UNDEFINED;
}

static JSValue run_microtask(JSContext *ctx, int argc, JSValueConst *argv)
{
    return JS_Call(ctx, argv[0], JS_UNDEFINED, 0, NULL);
}

/* queueMicrotask(fn): a job of its own, so that a throw is reported as an
 * uncaught exception (a promise reaction would make it a rejection). */
static JSValue js_queue_microtask(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    if (!JS_IsFunction(ctx, argv[0]))
        return weft__throw_arg_type(ctx, "callback", "of type function", argv[0]);
    if (JS_EnqueueJob(ctx, run_microtask, 1, argv) < 0)
        return JS_EXCEPTION;
    return JS_UNDEFINED;
}

/* getEnv(): the environment as it is now (read when process first loads). */
static JSValue js_get_env(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    JSValue env = JS_NewObject(ctx);
    for (char **e = environ; e && *e && !JS_IsException(env); e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        char *key = strndup(*e, (size_t)(eq - *e));
        if (!key) {
            JS_FreeValue(ctx, env);
            return JS_ThrowOutOfMemory(ctx);
        }
        JS_SetPropertyStr(ctx, env, key, JS_NewString(ctx, eq + 1));
        free(key);
    }
    return env;
}

/* getArgv(): process.argv; a thread's arguments are known only once it
 * is given work (see the spare threads of core/thread.c). */
static JSValue js_get_argv(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    JSValue arr = JS_NewArray(ctx);
    for (int i = 0; i < vm->argc && !JS_IsException(arr); i++)
        JS_SetPropertyUint32(ctx, arr, (uint32_t)i, JS_NewString(ctx, vm->argv[i]));
    return arr;
}

/* The architecture weft was built for, named as Node names it (a 32-bit
 * build on a 64-bit kernel is ia32, as in Node). */
#if defined(__x86_64__)
#define ARCH "x64"
#elif defined(__aarch64__)
#define ARCH "arm64"
#elif defined(__i386__)
#define ARCH "ia32"
#elif defined(__arm__)
#define ARCH "arm"
#else
#define ARCH "unknown"
#endif

/* The process ids are read when asked for: the parent changes when it dies,
 * and every thread makes this binding. */
static JSValue js_pid(JSContext *ctx, JSValueConst this_val)
{
    return JS_NewInt32(ctx, (int32_t)getpid());
}

static JSValue js_ppid(JSContext *ctx, JSValueConst this_val)
{
    return JS_NewInt32(ctx, (int32_t)getppid());
}

static const JSCFunctionListEntry process_funcs[] = {
    JS_CFUNC_DEF("cwd", 0, js_cwd),
    JS_CFUNC_DEF("chdir", 1, js_chdir),
    JS_CFUNC_DEF("hrtimeBigint", 0, js_hrtime_bigint),
    JS_CFUNC_DEF("now", 0, js_now),
    JS_CGETSET_DEF("pid", js_pid, NULL),
    JS_CGETSET_DEF("ppid", js_ppid, NULL),
    JS_PROP_STRING_DEF("arch", ARCH, JS_PROP_CONFIGURABLE),
    JS_CFUNC_DEF("memoryUsage", 0, js_memory_usage),
    JS_CFUNC_DEF("write", 2, js_write),
    JS_CFUNC_DEF("isatty", 1, js_isatty),
    JS_CFUNC_DEF("exit", 1, js_exit),
    JS_CFUNC_DEF("setTicksPending", 1, js_set_ticks_pending),
    JS_CFUNC_DEF("runMicrotasks", 0, js_run_microtasks),
    JS_CFUNC_DEF("invokeCallback", 2, js_invoke_callback),
    JS_CFUNC_DEF("queueMicrotask", 1, js_queue_microtask),
    JS_CFUNC_DEF("getArgv", 0, js_get_argv),
    JS_CFUNC_DEF("getEnv", 0, js_get_env),
    JS_PROP_STRING_DEF("platform", "linux", JS_PROP_ENUMERABLE),
    JS_PROP_STRING_DEF("version", WEFT_VERSION, JS_PROP_ENUMERABLE),
    JS_PROP_STRING_DEF("quickjsVersion", WEFT_QUICKJS_VERSION, JS_PROP_ENUMERABLE),
};

JSValue weft__binding_process(JSContext *ctx)
{
    weft_vm *vm = weft__vm_of(ctx);
    JSValue obj = JS_NewObject(ctx);
    if (JS_IsException(obj))
        return obj;
    JS_SetPropertyFunctionList(ctx, obj, process_funcs, WEFT_COUNTOF(process_funcs));
    JS_SetPropertyStr(ctx, obj, "uvVersion", JS_NewString(ctx, uv_version_string()));
    JS_SetPropertyStr(ctx, obj, "timeOrigin", JS_NewFloat64(ctx, vm->time_origin));
    return obj;
}
