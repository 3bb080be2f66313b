/*
 * limits: a vm's hard limits. Memory goes through weft's own allocator
 * functions for QuickJS, which enforce the limit, publish heap use for
 * statistics, take small blocks from the runtime's own heap (heap.c), and
 * can hand an ArrayBuffer's bytes to another thread instead of freeing them
 * (transfer.c). CPU time and termination are checked
 * from QuickJS's interrupt handler.
 */
#ifndef WEFT_LIMITS_H
#define WEFT_LIMITS_H

#include <stdbool.h>
#include <stddef.h>

#include "quickjs.h"

struct weft_vm;

/* A runtime whose allocations are accounted to vm, with its small blocks in
 * a heap of its own (vm->heap, src/core/heap.h) unless malloc is asked for. */
JSRuntime *weft__limits_new_runtime(struct weft_vm *vm);
/* Frees vm->rt and its heap. */
void weft__limits_free_runtime(struct weft_vm *vm);

/* Installs the interrupt handler that stops the vm on terminate() or a
 * limit; cpu_limit_ms 0 means no CPU limit. */
void weft__limits_install(struct weft_vm *vm, double cpu_limit_ms);

#endif
