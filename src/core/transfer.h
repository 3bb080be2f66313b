/*
 * transfer: zero-copy hand-over of ArrayBuffer bytes between runtimes.
 */
#ifndef WEFT_TRANSFER_H
#define WEFT_TRANSFER_H

#include <stddef.h>

#include "quickjs.h"

/* Takes the bytes of an ArrayBuffer object out of its runtime, without
 * copying when the runtime is a vm's: the object is detached and the caller
 * owns the bytes (release them with free()). Returns NULL with an exception
 * pending on failure. */
unsigned char *weft__transfer_steal(JSContext *ctx, JSValueConst buffer, size_t *len);

/* An ArrayBuffer object adopting bytes from weft__transfer_steal. */
JSValue weft__transfer_adopt(JSContext *ctx, unsigned char *data, size_t len);

#endif
