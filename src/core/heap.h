/*
 * heap: a runtime's small-block allocator. QuickJS allocates and frees
 * millions of small blocks (objects, shapes, property arrays, strings); a
 * runtime lives on one thread, so these need no locks, no arenas shared with
 * other threads and no coalescing. A heap carves blocks of a few size
 * classes out of chunks and keeps what is freed on a list per class; the
 * chunks go back in one pass when the heap is destroyed, and chunks left
 * wholly free go back when the heap is trimmed (weft__heap_trim).
 *
 * A block's payload is 8 bytes past a 16-byte boundary, where malloc's
 * blocks start on one: that tells a heap's block from malloc's without a
 * lookup. Blocks are therefore 8-byte aligned, which is what QuickJS's
 * values and every JavaScript type need.
 */
#ifndef WEFT_HEAP_H
#define WEFT_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest size a heap's block serves; larger requests are malloc's. */
#define WEFT_HEAP_SMALL_MAX 504

typedef struct weft_heap weft_heap;

weft_heap *weft__heap_new(void);
/* Frees every chunk, whatever is still allocated in them. */
void weft__heap_destroy(weft_heap *h);

/* A block of at least size bytes (size ≤ WEFT_HEAP_SMALL_MAX), or NULL. */
void *weft__heap_alloc(weft_heap *h, size_t size);
void weft__heap_free(weft_heap *h, void *p);

/* Whether p is a heap's block (and not malloc's). */
static inline bool weft__heap_owns(const void *p)
{
    return ((uintptr_t)p & 15) == 8;
}

/* The usable size of a heap's block. */
size_t weft__heap_usable(const void *p);

/* Whether enough of the heap is idle (in free blocks) to trim it: cheap
 * enough to ask after every task. */
bool weft__heap_should_trim(const weft_heap *h);

/* Gives chunks whose blocks are all free back to malloc; returns how many
 * bytes went back. Costs a walk of every free block. */
size_t weft__heap_trim(weft_heap *h);

/* Bytes held in chunks, free blocks included. */
size_t weft__heap_footprint(const weft_heap *h);

#endif
