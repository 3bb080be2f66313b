#include "core/limits.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/heap.h"
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
    if (vm->heap_used)
        atomic_store_explicit(vm->heap_used, s->malloc_size, memory_order_relaxed);
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

/* Whether p is a block of vm's heap. Without a heap, nothing is: malloc's
 * blocks may then sit anywhere (a sanitizer's malloc among them). */
static inline bool in_heap(const weft_vm *vm, const void *p)
{
    return vm->heap && weft__heap_owns(p);
}

static size_t heap_usable_size(const void *p);
static size_t plain_usable_size(const void *p);

static size_t block_size(const weft_vm *vm, const void *p)
{
    return vm->heap ? heap_usable_size(p) : plain_usable_size(p);
}

static void *wf_malloc(JSMallocState *s, size_t size)
{
    weft_vm *vm = s->opaque;
    if (over_limit(s, vm, size))
        return NULL;
    void *p = vm->heap && size <= WEFT_HEAP_SMALL_MAX ? weft__heap_alloc(vm->heap, size) : malloc(size);
    if (!p)
        return NULL;
    s->malloc_count++;
    account(s, vm, (ptrdiff_t)(block_size(vm, p) + MALLOC_OVERHEAD));
    return p;
}

static void wf_free(JSMallocState *s, void *p)
{
    if (!p)
        return;
    weft_vm *vm = s->opaque;
    s->malloc_count--;
    account(s, vm, -(ptrdiff_t)(block_size(vm, p) + MALLOC_OVERHEAD));
    /* The bytes of an ArrayBuffer being transferred leave the runtime here
     * instead of being freed (never a heap block: transfer.c copies those). */
    if (in_heap(vm, p))
        weft__heap_free(vm->heap, p);
    else if (p == vm->steal)
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
    size_t old = block_size(vm, p);
    if (in_heap(vm, p)) {
        /* A heap block cannot grow in place: it moves, to the heap or to
         * malloc, whichever serves the new size. */
        if (size <= old)
            return p;
        void *q = wf_malloc(s, size);
        if (!q)
            return NULL;
        memcpy(q, p, old);
        wf_free(s, p);
        return q;
    }
    if (size > old && over_limit(s, vm, size - old))
        return NULL;
    void *q = realloc(p, size);
    if (!q)
        return NULL;
    account(s, vm, (ptrdiff_t)malloc_usable_size(q) - (ptrdiff_t)old);
    return q;
}

/* QuickJS asks for a block's size without saying whose it is: one table for
 * runtimes with a heap, one for runtimes without. */
static size_t heap_usable_size(const void *p)
{
    return weft__heap_owns(p) ? weft__heap_usable(p) : malloc_usable_size((void *)p);
}

static size_t plain_usable_size(const void *p)
{
    return malloc_usable_size((void *)p);
}

/* A heap hides each block from AddressSanitizer, which then could not catch
 * a use after free of a JavaScript object: its builds use malloc for every
 * block, as does WEFT_SYSTEM_MALLOC=1 (for valgrind and the like). */
#if defined(__SANITIZE_ADDRESS__)
#define HEAP_BY_DEFAULT false
#else
#define HEAP_BY_DEFAULT true
#endif

static bool use_heap(void)
{
    static atomic_int decided; /* 0 unknown, 1 yes, 2 no */
    int d = atomic_load_explicit(&decided, memory_order_relaxed);
    if (d == 0) {
        const char *env = getenv("WEFT_SYSTEM_MALLOC");
        d = HEAP_BY_DEFAULT && !(env && *env && strcmp(env, "0") != 0) ? 1 : 2;
        atomic_store_explicit(&decided, d, memory_order_relaxed);
    }
    return d == 1;
}

JSRuntime *weft__limits_new_runtime(weft_vm *vm)
{
    static const JSMallocFunctions with_heap = { wf_malloc, wf_free, wf_realloc, heap_usable_size };
    static const JSMallocFunctions without_heap = { wf_malloc, wf_free, wf_realloc, plain_usable_size };
    vm->heap_used = vm->thread ? weft__thread_heap_used(vm->thread) : NULL;
    if (use_heap() && !(vm->heap = weft__heap_new()))
        return NULL;
    JSRuntime *rt = JS_NewRuntime2(vm->heap ? &with_heap : &without_heap, vm);
    if (!rt) {
        weft__heap_destroy(vm->heap);
        vm->heap = NULL;
    }
    return rt;
}

void weft__limits_free_runtime(weft_vm *vm)
{
    JS_FreeRuntime(vm->rt);
    vm->rt = NULL;
    /* Blocks still in the heap are leaks of the runtime's, freed with it. */
    weft__heap_destroy(vm->heap);
    vm->heap = NULL;
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
