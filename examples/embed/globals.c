/*
 * Custom globals and limits in every thread: the runtime factory and the
 * context factory (weft's equivalent of QuickJS's
 * js_std_set_worker_new_runtime_func / js_std_set_worker_new_context_func).
 *
 * Every thread weft makes, the main thread and the three threads the script
 * starts, gets a 64 MB heap limit, a 1 MB GC threshold, and a global
 * `customAPI` with the thread's name and a C function.
 *
 * Build: cc globals.c $(pkg-config --cflags --libs weft)
 */
#include <stdio.h>
#include <string.h>

#include <quickjs.h>
#include <weft.h>

/* customAPI.hostAdd(a, b): a C function every thread can call directly. */
static JSValue host_add(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    (void)argc; /* missing arguments are undefined: QuickJS pads argv to the declared length */
    double a, b;
    if (JS_ToFloat64(ctx, &a, argv[0]) < 0 || JS_ToFloat64(ctx, &b, argv[1]) < 0)
        return JS_EXCEPTION;
    return JS_NewFloat64(ctx, a + b);
}

static int my_runtime_factory(JSRuntime *rt, const weft_thread_info_t *info, void *opaque)
{
    (void)info;
    (void)opaque;
    JS_SetMemoryLimit(rt, 64 * 1024 * 1024); /* 64 MB per thread */
    JS_SetGCThreshold(rt, 1024 * 1024);      /* 1 MB GC threshold */
    return 0;
}

static int my_context_factory(JSContext *ctx, const weft_thread_info_t *info, void *opaque)
{
    const char *app = opaque;
    JSValue api = JS_NewObject(ctx);
    if (JS_IsException(api))
        return -1;
    JS_SetPropertyStr(ctx, api, "app", JS_NewString(ctx, app));
    JS_SetPropertyStr(ctx, api, "thread", JS_NewString(ctx, info->name));
    JS_SetPropertyStr(ctx, api, "hostAdd", JS_NewCFunction(ctx, host_add, "hostAdd", 2));
    JSValue global = JS_GetGlobalObject(ctx);
    int rc = JS_SetPropertyStr(ctx, global, "customAPI", api);
    JS_FreeValue(ctx, global);
    return rc < 0 ? -1 : 0;
}

static const char script[] =
    "import { Thread } from 'weft';\n"
    "console.log(`main: ${customAPI.app} in thread '${customAPI.thread}', 2 + 3 = ${customAPI.hostAdd(2, 3)}`);\n"
    "const lines = await Promise.all(['red', 'green', 'blue'].map((name) => new Promise((resolve) => {\n"
    "  const t = new Thread(() => {\n"
    "    const { parent } = require('weft');\n"
    "    parent.postMessage(`${customAPI.thread}: ${customAPI.app}, 40 + 2 = ${customAPI.hostAdd(40, 2)}`);\n"
    "  }, { name });\n"
    "  t.once('message', resolve);\n"
    "})));\n"
    "for (const line of lines) console.log(line);\n"
    "// The runtime factory's 64 MB limit holds in every thread.\n"
    "const greedy = new Thread(() => { globalThis.big = new Uint8Array(100 << 20); }, { name: 'greedy' });\n"
    "greedy.on('error', (err) => console.log(`greedy: ${err.code}`));\n";

int main(int argc, char **argv)
{
    weft_runtime_options_t opts = { .argc = argc, .argv = (const char *const *)argv };
    weft_runtime_t *rt;
    int rc = weft_runtime_new(&rt, &opts);
    if (rc != WEFT_OK) {
        fprintf(stderr, "weft_runtime_new: %s\n", weft_last_error());
        return 1;
    }
    int exit_code = 1;
    if ((rc = weft_runtime_set_runtime_factory(rt, my_runtime_factory, NULL)) != WEFT_OK ||
        (rc = weft_runtime_set_context_factory(rt, my_context_factory, "embed-demo")) != WEFT_OK ||
        (rc = weft_runtime_run_source(rt, script, strlen(script), "globals.mjs", 1, &exit_code)) != WEFT_OK)
        fprintf(stderr, "weft: %s\n", weft_last_error());
    weft_runtime_free(rt);
    return rc == WEFT_OK ? exit_code : 1;
}
