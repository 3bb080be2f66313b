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

/* What a shape's key means for a plain object's clone. */
enum key_kind { KEY_PLAIN, KEY_SKIPPED, KEY_GENERAL };

static inline enum key_kind key_kind(JSRuntime *rt, JSAtom atom)
{
    /* An index key is listed before the others, not in shape order. */
    if (__JS_AtomIsTaggedInt(atom))
        return KEY_GENERAL;
    JSAtomStruct *s = rt->atom_array[atom];
    if (s->atom_type != JS_ATOM_TYPE_STRING)
        return KEY_SKIPPED; /* a symbol: not cloned */
    /* Indices past 2^31 are string atoms: any key that starts with a digit
     * takes the general path, which sorts them. */
    if (s->len > 0 && (s->is_wide_char ? s->u.str16[0] : s->u.str8[0]) - '0' < 10u)
        return KEY_GENERAL;
    return KEY_PLAIN;
}

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
        if (prs->atom == JS_ATOM_NULL || !(prs->flags & JS_PROP_ENUMERABLE))
            continue; /* deleted or not enumerable: not cloned */
        enum key_kind kind = key_kind(ctx->rt, prs->atom);
        if (kind == KEY_SKIPPED)
            continue;
        JSValueConst v = p->prop[i].u.value;
        if (kind == KEY_GENERAL || (prs->flags & JS_PROP_TMASK) != JS_PROP_NORMAL || JS_IsObject(v) || n == max) {
            /* An index key, an accessor, an object (its clone may run code
             * that changes this one), or too many: the general path. */
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

static inline bool same_shape(JSValueConst a, JSValueConst b)
{
    return JS_VALUE_GET_TAG(a) == JS_TAG_OBJECT && JS_VALUE_GET_TAG(b) == JS_TAG_OBJECT &&
           JS_VALUE_GET_OBJ(a)->shape == JS_VALUE_GET_OBJ(b)->shape;
}

bool weft__engine_same_shape(JSValueConst a, JSValueConst b)
{
    return same_shape(a, b);
}

bool weft__engine_values_like(JSValueConst obj, JSValueConst model, JSValueConst *values, int n)
{
    if (!same_shape(obj, model))
        return false;
    JSObject *p = JS_VALUE_GET_OBJ(obj);
    if (p->class_id != JS_CLASS_OBJECT || p->is_exotic || p->shape->prop_count != (uint32_t)n)
        return false;
    for (int i = 0; i < n; i++) {
        values[i] = p->prop[i].u.value;
        if (JS_IsObject(values[i]))
            return false;
    }
    return true;
}

JSValue weft__engine_object_like(JSContext *ctx, JSValueConst model, JSValue *values, int n)
{
    if (JS_VALUE_GET_TAG(model) != JS_TAG_OBJECT)
        return JS_UNDEFINED;
    JSObject *m = JS_VALUE_GET_OBJ(model);
    JSShape *sh = m->shape;
    if (m->class_id != JS_CLASS_OBJECT || m->is_exotic || !m->extensible || sh->prop_count != (uint32_t)n)
        return JS_UNDEFINED;
    JSShapeProperty *prs = get_shape_prop(sh);
    for (int i = 0; i < n; i++) {
        if (prs[i].atom == JS_ATOM_NULL || (prs[i].flags & (JS_PROP_TMASK | JS_PROP_C_W_E)) != JS_PROP_C_W_E)
            return JS_UNDEFINED;
    }
    JSValue obj = JS_NewObjectFromShape(ctx, js_dup_shape(sh), JS_CLASS_OBJECT);
    if (JS_IsException(obj)) {
        for (int i = 0; i < n; i++)
            JS_FreeValue(ctx, values[i]);
        return obj;
    }
    JSObject *p = JS_VALUE_GET_OBJ(obj);
    for (int i = 0; i < n; i++)
        p->prop[i].u.value = values[i];
    return obj;
}
