#include "modules/native.h"

#include <string.h>

#include "core/jsutil.h"
#include "modules/embed.h"
#include "modules/qjs.h"

#define NATIVE_ID "weft:internal/native"

/* Each binding is made when its module is first imported. The bindings
 * every thread needs share weft:internal/native; those only some threads use
 * are modules of their own (weft:internal/native/fs, ...), so that threads
 * that never use them never make them. */
static const struct {
    const char *module;
    const char *name;
    JSValue (*make)(JSContext *ctx);
} bindings[] = {
    { NATIVE_ID, "process", weft__binding_process },
    { NATIVE_ID, "modules", weft__binding_modules },
    { NATIVE_ID, "ports", weft__binding_ports },
    { NATIVE_ID, "threads", weft__binding_threads },
    { NATIVE_ID "/timers", "timers", weft__binding_timers },
    { NATIVE_ID "/fs", "fs", weft__binding_fs },
    { NATIVE_ID "/vm", "vm", weft__binding_vm },
};

static bool is_binding_module(const char *id)
{
    for (size_t i = 0; i < WEFT_COUNTOF(bindings); i++) {
        if (strcmp(id, bindings[i].module) == 0)
            return true;
    }
    return false;
}

/* Besides the bindings' modules, the C modules behind QuickJS's 'os' and
 * 'std' (src/modules/qjs.c) and the embedder's 'weft:embed'
 * (src/modules/embed.c) are made here, on first import only. */
bool weft__native_is_module(const char *id)
{
    return is_binding_module(id) || weft__qjs_is_module(id) || weft__embed_is_module(id);
}

static int init_native(JSContext *ctx, JSModuleDef *m)
{
    JSAtom name = JS_GetModuleName(ctx, m);
    const char *id = JS_AtomToCString(ctx, name);
    JS_FreeAtom(ctx, name);
    if (!id)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < WEFT_COUNTOF(bindings) && rc == 0; i++) {
        if (strcmp(id, bindings[i].module) != 0)
            continue;
        JSValue b = bindings[i].make(ctx);
        if (JS_IsException(b) || JS_SetModuleExport(ctx, m, bindings[i].name, b) < 0)
            rc = -1;
    }
    JS_FreeCString(ctx, id);
    return rc;
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
        if (strcmp(id, bindings[i].module) == 0 && JS_AddModuleExport(ctx, m, bindings[i].name) < 0)
            return NULL;
    }
    return m;
}
