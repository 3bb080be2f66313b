/*
 * engine: what weft adds to QuickJS inside the engine's own translation unit
 * (src/engine/quickjs_weft.c), for hot paths the public API makes slow.
 */
#ifndef WEFT_ENGINE_H
#define WEFT_ENGINE_H

#include <stdbool.h>

#include <quickjs.h>

/* For an ordinary object (class Object, no exotic behaviour) whose cloned
 * properties (own, enumerable, string-keyed) are at most `max` data
 * properties holding primitives, no key an array index or starting with a
 * digit (some such strings are indices, which clones list first): stores their keys
 * (borrowed: valid while obj is unchanged) and values (new references) in
 * the order the clone lists them, and returns how many. Returns -1 for any
 * other object, holding nothing: the caller takes the general path. It runs
 * no JavaScript and throws nothing. */
int weft__engine_plain_data(JSContext *ctx, JSValueConst obj, JSAtom *atoms, JSValue *values, int max);

/* A new ordinary object with the shape of `model`, an ordinary object whose
 * n own properties are all writable, enumerable, configurable data
 * properties, and values[i] as the value of the i-th: what defining those
 * keys one by one would make, without a shape lookup per key. The values
 * are taken when it returns the object or JS_EXCEPTION (out of memory);
 * JS_UNDEFINED means model is not such an object, and leaves them to the
 * caller. */
JSValue weft__engine_object_like(JSContext *ctx, JSValueConst model, JSValue *values, int n);

/* Whether a and b are objects with the same shape: the same prototype and
 * the same keys with the same flags, in the same order. */
bool weft__engine_same_shape(JSValueConst a, JSValueConst b);

/* When obj is an ordinary object with the shape of `model` (an ordinary
 * object with n own properties) and every one of its n properties holds a
 * primitive: stores the values in shape order and returns true. They are
 * borrowed from obj: valid while obj lives and no JavaScript runs (a
 * primitive's clone runs none). Otherwise returns false. */
bool weft__engine_values_like(JSValueConst obj, JSValueConst model, JSValueConst *values, int n);

#endif
