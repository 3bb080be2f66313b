#include "core/limits.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/thread.h"
#include "core/vm.h"

/* glibc's per-chunk overhead, counted as QuickJS's own allocator does. */
#define MALLOC_OVERHEAD 8

/* Past the memory limit the thread is doomed, but QuickJS still has to build
 * and throw its "out of memory" error, and an allocation failing inside that
 * recurses without end (JS_ThrowError2 on a NULL error object). So only the
 * first allocation past the limit fails; the vm may then overdraw by this
 * much, in small allocations only (errors, not arrays: big work must fail
 * fast) until the interrupt check stops it. */
#define OVERDRAFT (512 * 1024)
#define OVERDRAFT_MAX_ALLOCATION 4096

static void account(JSMallocState *s, weft_vm *vm, ptrdiff_t delta)
{
    s->malloc_size += (size_t)delta;
    if (vm->thread)
        weft__thread_set_heap_used(vm->thread, s->malloc_size);
}

/* Whether an allocation growing the heap by `grow` must fail. Reaching the
 * limit fails one allocation (QuickJS throws "out of memory") and stops the
 * thread at the next interrupt check: a thread must not go on by catching
 * the error. */
static bool over_limit(JSMallocState *s, weft_vm *vm, size_t grow)
{
    if (s->malloc_size + grow <= s->malloc_limit)
        return false;
    if (!vm->out_of_memory) {
        vm->out_of_memory = true;
        return true;
    }
    return grow > OVERDRAFT_MAX_ALLOCATION || s->malloc_size + grow > s->malloc_limit + OVERDRAFT;
}

static void *wf_malloc(JSMallocState *s, size_t size)
{
    weft_vm *vm = s->opaque;
    if (over_limit(s, vm, size))
        return NULL;
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
    if (size > old && over_limit(s, vm, size - old))
        return NULL;
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
