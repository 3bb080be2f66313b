/*
 * The engine's translation unit: QuickJS's quickjs.c, exactly as Debian ships
 * it, followed by the few functions weft needs that the engine's public API
 * cannot express cheaply. Being in the same unit, they see the engine's
 * internal types; the compiler checks every field they touch against the
 * pinned QuickJS version (cmake/QuickJS.cmake), so an engine update that
 * changes them fails to build instead of misbehaving. Keep this file small:
 * each function here is a hot path that was measured to need it.
 */
#include "quickjs.c"

#include "engine/engine.h"

int weft__engine_plain_data(JSContext *ctx, JSValueConst obj, JSAtom *atoms, JSValue *values, int max)
{
    if (JS_VALUE_GET_TAG(obj) != JS_TAG_OBJECT)
        return -1;
    JSObject *p = JS_VALUE_GET_OBJ(obj);
    if (p->class_id != JS_CLASS_OBJECT || p->is_exotic)
        return -1;
    JSShape *sh = p->shape;
    JSShapeProperty *prs = get_shape_prop(sh);
    int n = 0;
    for (uint32_t i = 0; i < sh->prop_count; i++, prs++) {
        if (prs->atom == JS_ATOM_NULL || !(prs->flags & JS_PROP_ENUMERABLE) ||
            JS_AtomGetKind(ctx, prs->atom) != JS_ATOM_KIND_STRING)
            continue; /* deleted, not enumerable, or a symbol: not cloned */
        uint32_t index;
        JSValueConst v = p->prop[i].u.value;
        if ((prs->flags & JS_PROP_TMASK) != JS_PROP_NORMAL || JS_AtomIsArrayIndex(ctx, &index, prs->atom) ||
            JS_IsObject(v) || n == max) {
            /* An accessor, an index key (listed first, not in shape
             * order), an object (its clone may run code that changes
             * this one), or too many: the general path. */
            for (int j = 0; j < n; j++)
                JS_FreeValue(ctx, values[j]);
            return -1;
        }
        atoms[n] = prs->atom;
        values[n] = JS_DupValue(ctx, v);
        n++;
    }
    return n;
}
