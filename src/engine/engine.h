/*
 * engine: what weft adds to QuickJS inside the engine's own translation unit
 * (src/engine/quickjs_weft.c), for hot paths the public API makes slow.
 */
#ifndef WEFT_ENGINE_H
#define WEFT_ENGINE_H

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

#endif
