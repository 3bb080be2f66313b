#include "core/limits.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/thread.h"
#include "core/vm.h"

/* glibc's per-chunk overhead, counted as QuickJS's own allocator does. */
#define MALLOC_OVERHEAD 8

static void account(JSMallocState *s, weft_vm *vm, ptrdiff_t delta)
{
    s->malloc_size += (size_t)delta;
    if (vm->thread)
        weft__thread_set_heap_used(vm->thread, s->malloc_size);
}

/* Reaching the limit fails this allocation (QuickJS throws "out of memory")
 * and stops the thread at the next interrupt check: a thread must not go on
 * by catching the error. */
static void *limit_reached(weft_vm *vm)
{
    vm->out_of_memory = true;
    return NULL;
}

static void *wf_malloc(JSMallocState *s, size_t size)
{
    weft_vm *vm = s->opaque;
    if (s->malloc_size + size > s->malloc_limit)
        return limit_reached(vm);
    void *p = malloc(size);
    if (!p)
        return NULL;
    s->malloc_count++;
    account(s, vm, (ptrdiff_t)(malloc_usable_size(p) + MALLOC_OVERHEAD));
    return p;
}

static void wf_free(JSMallocState *s, void *p)
{
    if (!p)
        return;
    weft_vm *vm = s->opaque;
    s->malloc_count--;
    account(s, vm, -(ptrdiff_t)(malloc_usable_size(p) + MALLOC_OVERHEAD));
    /* The bytes of an ArrayBuffer being transferred leave the runtime here
     * instead of being freed. */
    if (p == vm->steal)
        vm->steal = NULL;
    else
        free(p);
}

static void *wf_realloc(JSMallocState *s, void *p, size_t size)
{
    if (!p)
        return size ? wf_malloc(s, size) : NULL;
    if (size == 0) {
        wf_free(s, p);
        return NULL;
    }
    weft_vm *vm = s->opaque;
    size_t old = malloc_usable_size(p);
    if (s->malloc_size + size - old > s->malloc_limit)
        return limit_reached(vm);
    void *q = realloc(p, size);
    if (!q)
        return NULL;
    account(s, vm, (ptrdiff_t)malloc_usable_size(q) - (ptrdiff_t)old);
    return q;
}

static size_t wf_usable_size(const void *p)
{
    return malloc_usable_size((void *)p);
}

JSRuntime *weft__limits_new_runtime(weft_vm *vm)
{
    static const JSMallocFunctions fns = { wf_malloc, wf_free, wf_realloc, wf_usable_size };
    return JS_NewRuntime2(&fns, vm);
}

/* ---- the interrupt handler ------------------------------------------------ */

static weft_stop_reason stop_reason(weft_vm *vm)
{
    if (vm->out_of_memory)
        return WEFT_STOP_OUT_OF_MEMORY;
    weft_thread *t = vm->thread;
    if (!t)
        return WEFT_STOP_NONE;
    if (vm->cpu_limit_ms > 0 && weft__thread_cpu_ms(t) > vm->cpu_limit_ms)
        return WEFT_STOP_CPU_LIMIT;
    return weft__thread_stop_requested(t) ? WEFT_STOP_TERMINATED : WEFT_STOP_NONE;
}

/* QuickJS calls this every few thousand operations; a non-zero result
 * throws an uncatchable error that unwinds all JavaScript. */
static int interrupt(JSRuntime *rt, void *opaque)
{
    weft_vm *vm = opaque;
    if (vm->exiting)
        return 1;
    weft_stop_reason why = stop_reason(vm);
    if (why == WEFT_STOP_NONE)
        return 0;
    weft__vm_stop(vm, why);
    return 1;
}

void weft__limits_install(weft_vm *vm, double cpu_limit_ms)
{
    vm->cpu_limit_ms = cpu_limit_ms;
    JS_SetInterruptHandler(vm->rt, interrupt, vm);
}

/* ---- zero-copy ArrayBuffer transfer ---------------------------------------- */

static void adopted_free(JSRuntime *rt, void *opaque, void *p)
{
    weft_vm *vm = JS_GetRuntimeOpaque(rt);
    if (p == vm->steal)
        vm->steal = NULL;
    else
        free(p);
}

unsigned char *weft__limits_steal_array_buffer(JSContext *ctx, JSValueConst buffer, size_t *len)
{
    weft_vm *vm = weft__vm_of(ctx);
    size_t n;
    unsigned char *data = JS_GetArrayBuffer(ctx, &n, buffer);
    if (!data)
        return NULL;
    vm->steal = data;
    JS_DetachArrayBuffer(ctx, buffer);
    if (vm->steal == data) {
        /* Not freed on detach: the bytes belong to someone else (an
         * ArrayBuffer over external memory), so the message gets a copy. */
        vm->steal = NULL;
        unsigned char *copy = malloc(n ? n : 1);
        if (!copy) {
            JS_ThrowOutOfMemory(ctx);
            return NULL;
        }
        memcpy(copy, data, n);
        data = copy;
    }
    *len = n;
    return data;
}

JSValue weft__limits_adopt_array_buffer(JSContext *ctx, unsigned char *data, size_t len)
{
    return JS_NewArrayBuffer(ctx, data, len, adopted_free, NULL, 0);
}
