/*
 * clone: the HTML structured clone algorithm between a JSContext and a
 * message (message.h), in weft's own versioned, bounds-checked wire format.
 * Used by ports, thread start data, and the global structuredClone().
 */
#ifndef WEFT_CLONE_H
#define WEFT_CLONE_H

#include <stdbool.h>

#include "core/message.h"
#include "quickjs.h"

/* The wire format's version, the first byte of every message. */
#define WEFT_WIRE_VERSION 1

/* Serializes value into a new message. transfer is undefined or an array of
 * ArrayBuffers and ports to move (ArrayBuffers are detached in the sender).
 * source_port, when not NULL, is the port the message is posted on (it may
 * not be in the transfer list). On failure returns NULL with an exception
 * pending (DataCloneError naming the type, TypeError for a bad transfer list)
 * and nothing is detached or moved. */
weft_message *weft__clone_write(JSContext *ctx, JSValueConst value, JSValueConst transfer,
                                struct weft_port *source_port);

/* Builds the value a message carries in ctx. Ownership of moved buffers,
 * shared stores and ports passes to the new objects; the message itself stays
 * the caller's to free. Returns JS_EXCEPTION (a TypeError naming the defect)
 * for corrupt or truncated data, never reading outside the message. */
JSValue weft__clone_read(JSContext *ctx, weft_message *msg);

/* A plain object with keys[i] = values[i], made as the clone makes the
 * objects it reads (see "shape keepers" in clone.c): in one step from a kept
 * shape, for other objects made on a hot path. Takes the values; JS_EXCEPTION
 * when out of memory. */
JSValue weft__clone_object_of(JSContext *ctx, const JSAtom *keys, JSValue *values, uint32_t n);

/* Per-runtime set-up: class ids of the builtin classes the clone tells apart. */
int weft__clone_init(JSContext *ctx);

/* Brand checks from the same class table (valid once any context ran
 * weft__clone_init): the JSTypedArrayEnum of a typed array, else -1; and
 * whether v is a SharedArrayBuffer. */
int weft__typed_array_type(JSValueConst v);
bool weft__is_shared_array_buffer(JSValueConst v);

#endif
