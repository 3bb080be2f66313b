/*
 * transfer: moving an ArrayBuffer's bytes between runtimes without copying.
 * QuickJS frees a buffer's bytes when it is detached; weft's allocator
 * (limits.c) skips the free of the one pointer marked in vm->steal, so the
 * bytes leave the runtime instead. This file depends on nothing but the vm
 * struct, so that the clone can be tested on bare contexts.
 */
#include "core/transfer.h"

#include <stdlib.h>
#include <string.h>

#include "core/heap.h"
#include "core/vm.h"

static void adopted_free(JSRuntime *rt, void *opaque, void *p)
{
    weft_vm *vm = JS_GetRuntimeOpaque(rt);
    if (vm && p == vm->steal)
        vm->steal = NULL;
    else
        free(p);
}

static unsigned char *copy_bytes(JSContext *ctx, const unsigned char *data, size_t n)
{
    unsigned char *copy = malloc(n ? n : 1);
    if (!copy) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    memcpy(copy, data, n);
    return copy;
}

unsigned char *weft__transfer_steal(JSContext *ctx, JSValueConst buffer, size_t *len)
{
    size_t n;
    unsigned char *data = JS_GetArrayBuffer(ctx, &n, buffer);
    if (!data)
        return NULL;
    weft_vm *vm = JS_GetContextOpaque(ctx);
    unsigned char *out;
    if (!vm || (vm->heap && weft__heap_owns(data))) {
        /* A context without a vm (an embedder's, a unit test's) frees through
         * QuickJS's own allocator, which cannot be intercepted, and a small
         * buffer in the vm's heap (heap.c) cannot leave it: copy. */
        out = copy_bytes(ctx, data, n);
        if (out)
            JS_DetachArrayBuffer(ctx, buffer);
    } else {
        vm->steal = data;
        JS_DetachArrayBuffer(ctx, buffer);
        out = data;
        if (vm->steal == data) {
            /* Not freed on detach: the bytes belong to someone else (an
             * ArrayBuffer over external memory) and stay valid; copy them. */
            vm->steal = NULL;
            out = copy_bytes(ctx, data, n);
        }
    }
    if (out)
        *len = n;
    return out;
}

JSValue weft__transfer_adopt(JSContext *ctx, unsigned char *data, size_t len)
{
    return JS_NewArrayBuffer(ctx, data, len, adopted_free, NULL, 0);
}
