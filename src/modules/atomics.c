/*
 * Atomics.wait and Atomics.notify, replacing QuickJS's own so that a waiting
 * thread can be woken by terminate(): QuickJS keeps its waiters private,
 * these register each wait with the thread (core/thread.h). Semantics follow
 * the specification: wait needs an Int32Array or BigInt64Array over a
 * SharedArrayBuffer and returns "ok", "not-equal" or "timed-out"; notify
 * wakes up to `count` waiters on the same element, in arrival order.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/clone.h"
#include "core/jsutil.h"
#include "core/thread.h"
#include "core/vm.h"
#include "modules/native.h"

typedef struct waiter {
    void *ptr;
    uv_cond_t cond;
    bool notified;
    struct waiter *prev, *next;
} waiter;

static uv_mutex_t lock;
static waiter *head, *tail; /* guarded by lock, FIFO */
static uv_once_t once = UV_ONCE_INIT;

static void init_once(void)
{
    if (uv_mutex_init(&lock) != 0)
        abort(); /* only fails without resources at start-up */
}

static void link_waiter(waiter *w)
{
    w->prev = tail;
    w->next = NULL;
    if (tail)
        tail->next = w;
    else
        head = w;
    tail = w;
}

static void unlink_waiter(waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        tail = w->prev;
}

/* The element argv[0][argv[1]] points at; *size is 4 or 8. */
static void *element(JSContext *ctx, JSValueConst *argv, bool need_shared, int *size)
{
    int type = weft__typed_array_type(argv[0]);
    if (type != JS_TYPED_ARRAY_INT32 && type != JS_TYPED_ARRAY_BIG_INT64) {
        weft__throw(ctx, "TypeError", NULL, "Atomics.%s needs an Int32Array or BigInt64Array",
                    need_shared ? "wait" : "notify");
        return NULL;
    }
    size_t offset, length, per;
    JSValue buffer = JS_GetTypedArrayBuffer(ctx, argv[0], &offset, &length, &per);
    if (JS_IsException(buffer))
        return NULL;
    bool shared = weft__is_shared_array_buffer(buffer);
    size_t bytes;
    uint8_t *base = JS_GetArrayBuffer(ctx, &bytes, buffer);
    JS_FreeValue(ctx, buffer);
    if (need_shared && !shared) {
        weft__throw(ctx, "TypeError", NULL, "Atomics.wait needs a typed array over a SharedArrayBuffer");
        return NULL;
    }
    if (!base) {
        weft__throw(ctx, "TypeError", NULL, "the typed array's buffer is detached");
        return NULL;
    }
    uint64_t index;
    if (JS_ToIndex(ctx, &index, argv[1]) < 0)
        return NULL;
    if (index >= length / per) {
        weft__throw(ctx, "RangeError", NULL, "index %llu out of range", (unsigned long long)index);
        return NULL;
    }
    *size = (int)per;
    return base + offset + index * per;
}

static int64_t load(void *ptr, int size)
{
    return size == 8 ? atomic_load((_Atomic int64_t *)ptr) : atomic_load((_Atomic int32_t *)ptr);
}

/* Atomics.wait(typedArray, index, value, timeout) */
static JSValue atomics_wait(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    uv_once(&once, init_once);
    int size;
    void *ptr = element(ctx, argv, true, &size);
    if (!ptr)
        return JS_EXCEPTION;
    int64_t expected;
    int32_t e32;
    double timeout;
    if (size == 8 ? JS_ToBigInt64(ctx, &expected, argv[2]) < 0 : JS_ToInt32(ctx, &e32, argv[2]) < 0)
        return JS_EXCEPTION;
    if (size == 4)
        expected = e32;
    if (JS_IsUndefined(argv[3]))
        timeout = INFINITY;
    else if (JS_ToFloat64(ctx, &timeout, argv[3]) < 0)
        return JS_EXCEPTION;
    if (isnan(timeout))
        timeout = INFINITY;

    weft_vm *vm = weft__vm_of(ctx);
    weft_thread *self = vm->thread;
    waiter w = { .ptr = ptr };
    if (uv_cond_init(&w.cond) != 0)
        return JS_ThrowOutOfMemory(ctx);
    uint64_t deadline = isinf(timeout) ? 0 : uv_hrtime() + (uint64_t)(fmax(timeout, 0) * 1e6);
    const char *result = "ok";
    if (self)
        weft__thread_block_begin(self, &lock, &w.cond);
    uv_mutex_lock(&lock);
    if (load(ptr, size) != expected) {
        result = "not-equal";
    } else {
        link_waiter(&w);
        while (!w.notified && !(self && weft__thread_stop_requested(self))) {
            if (isinf(timeout)) {
                uv_cond_wait(&w.cond, &lock);
                continue;
            }
            uint64_t now = uv_hrtime();
            if (now >= deadline || uv_cond_timedwait(&w.cond, &lock, deadline - now) == UV_ETIMEDOUT) {
                if (!w.notified)
                    result = "timed-out";
                break;
            }
        }
        if (!w.notified)
            unlink_waiter(&w);
    }
    uv_mutex_unlock(&lock);
    if (self)
        weft__thread_block_end(self);
    uv_cond_destroy(&w.cond);
    if (self && weft__thread_stop_requested(self) && !w.notified) {
        weft__vm_stop(vm, weft__thread_stop_reason(self));
        return weft__vm_exit(vm, vm->exit_code);
    }
    return JS_NewString(ctx, result);
}

/* Atomics.notify(typedArray, index, count) */
static JSValue atomics_notify(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    uv_once(&once, init_once);
    int size;
    void *ptr = element(ctx, argv, false, &size);
    if (!ptr)
        return JS_EXCEPTION;
    double count = INFINITY;
    if (!JS_IsUndefined(argv[2])) {
        if (JS_ToFloat64(ctx, &count, argv[2]) < 0)
            return JS_EXCEPTION;
        count = isnan(count) || count < 0 ? 0 : floor(count);
    }
    int64_t woken = 0;
    uv_mutex_lock(&lock);
    for (waiter *w = head; w && woken < count;) {
        waiter *next = w->next;
        if (w->ptr == ptr) {
            unlink_waiter(w);
            w->notified = true;
            uv_cond_signal(&w->cond);
            woken++;
        }
        w = next;
    }
    uv_mutex_unlock(&lock);
    return JS_NewInt64(ctx, woken);
}

int weft__atomics_install(JSContext *ctx)
{
    uv_once(&once, init_once);
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue atomics = JS_GetPropertyStr(ctx, global, "Atomics");
    JS_FreeValue(ctx, global);
    if (!JS_IsObject(atomics)) {
        JS_FreeValue(ctx, atomics);
        return -1;
    }
    /* Plain assignments: the engine's own functions are already there. */
    int rc = JS_SetPropertyStr(ctx, atomics, "wait", JS_NewCFunction(ctx, atomics_wait, "wait", 4));
    if (rc >= 0)
        rc = JS_SetPropertyStr(ctx, atomics, "notify", JS_NewCFunction(ctx, atomics_notify, "notify", 3));
    JS_FreeValue(ctx, atomics);
    return rc < 0 ? -1 : 0;
}
