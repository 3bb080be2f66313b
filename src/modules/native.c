#include "modules/native.h"

#include <string.h>

#include "core/jsutil.h"
#include "modules/embed.h"
#include "modules/qjs.h"

#define NATIVE_ID "weft:internal/native"

static const struct {
    const char *name;
    JSValue (*make)(JSContext *ctx);
} bindings[] = {
    { "process", weft__binding_process },
    { "timers", weft__binding_timers },
    { "modules", weft__binding_modules },
    { "ports", weft__binding_ports },
    { "threads", weft__binding_threads },
    { "fs", weft__binding_fs },
    { "vm", weft__binding_vm },
};

/* Besides weft:internal/native, the C modules behind QuickJS's 'os' and
 * 'std' (src/modules/qjs.c) and the embedder's 'weft:embed'
 * (src/modules/embed.c) are made here, on first import only. */
bool weft__native_is_module(const char *id)
{
    return strcmp(id, NATIVE_ID) == 0 || weft__qjs_is_module(id) || weft__embed_is_module(id);
}

static int init_native(JSContext *ctx, JSModuleDef *m)
{
    for (size_t i = 0; i < WEFT_COUNTOF(bindings); i++) {
        JSValue b = bindings[i].make(ctx);
        if (JS_IsException(b) || JS_SetModuleExport(ctx, m, bindings[i].name, b) < 0)
            return -1;
    }
    return 0;
}

JSModuleDef *weft__native_module(JSContext *ctx, const char *id)
{
    if (weft__qjs_is_module(id))
        return weft__qjs_module(ctx, id);
    if (weft__embed_is_module(id))
        return weft__embed_module(ctx, id);
    JSModuleDef *m = JS_NewCModule(ctx, id, init_native);
    if (!m)
        return NULL;
    for (size_t i = 0; i < WEFT_COUNTOF(bindings); i++) {
        if (JS_AddModuleExport(ctx, m, bindings[i].name) < 0)
            return NULL;
    }
    return m;
}
