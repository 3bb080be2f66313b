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
 *
 * Taking and giving back a block are inline: they run for every allocation
 * of the engine.
 */
#ifndef WEFT_HEAP_H
#define WEFT_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest size a heap's block serves; larger requests are malloc's. */
#define WEFT_HEAP_SMALL_MAX 504

/* Block geometry is glibc's: an 8-byte header, then a payload of 16k + 8
 * bytes, so that the next header starts on a 16-byte boundary again and the
 * heap packs blocks as densely as malloc would. Class c serves payloads of
 * up to 24 + 16c bytes. The header holds the class and the block's distance
 * from the start of its chunk. */
#define WEFT_HEAP_HEADER 8
#define WEFT_HEAP_CLASSES ((WEFT_HEAP_SMALL_MAX - 24) / 16 + 1)

typedef struct weft_heap_chunk {
    struct weft_heap_chunk *next;
    uint32_t live;      /* blocks handed out and not freed */
    uint32_t pad;       /* blocks start 16 bytes in */
} weft_heap_chunk;

typedef struct weft_heap_free_block {
    struct weft_heap_free_block *next;
} weft_heap_free_block;

typedef struct weft_heap {
    weft_heap_free_block *free[WEFT_HEAP_CLASSES];
    char *bump, *end;         /* the unused rest of the newest chunk */
    weft_heap_chunk *chunks;  /* newest first */
    size_t footprint;         /* bytes in chunks */
    size_t used;              /* bytes in blocks handed out, headers included */
    size_t trim_at;           /* idle bytes that make weft__heap_should_trim true */
} weft_heap;

weft_heap *weft__heap_new(void);
/* Frees every chunk, whatever is still allocated in them. */
void weft__heap_destroy(weft_heap *h);

/* A block of class c carved from the newest chunk (or a new one); NULL
 * when malloc fails. The slow path of weft__heap_alloc. */
void *weft__heap_carve(weft_heap *h, unsigned c);

static inline size_t weft__heap_class_size(unsigned c)
{
    return 24 + 16 * (size_t)c;
}

static inline unsigned weft__heap_class_of(size_t size)
{
    return size <= 24 ? 0 : (unsigned)((size - 24 + 15) / 16);
}

static inline uint64_t *weft__heap_header(const void *p)
{
    return (uint64_t *)((char *)p - WEFT_HEAP_HEADER);
}

static inline weft_heap_chunk *weft__heap_chunk_of(const void *p)
{
    return (weft_heap_chunk *)((char *)weft__heap_header(p) - (*weft__heap_header(p) >> 8));
}

/* Whether p is a heap's block (and not malloc's). */
static inline bool weft__heap_owns(const void *p)
{
    return ((uintptr_t)p & 15) == 8;
}

/* The usable size of a heap's block. */
static inline size_t weft__heap_usable(const void *p)
{
    return weft__heap_class_size((unsigned)(*weft__heap_header(p) & 0xff));
}

/* A block of at least size bytes (size ≤ WEFT_HEAP_SMALL_MAX), or NULL. */
static inline void *weft__heap_alloc(weft_heap *h, size_t size)
{
    unsigned c = weft__heap_class_of(size);
    weft_heap_free_block *b = h->free[c];
    if (!b)
        return weft__heap_carve(h, c);
    /* Freed blocks are scattered: fetch the next one ahead of its use. */
    h->free[c] = b->next;
    __builtin_prefetch(b->next, 1);
    weft__heap_chunk_of(b)->live++;
    h->used += WEFT_HEAP_HEADER + weft__heap_class_size(c);
    return b;
}

static inline void weft__heap_push_free(weft_heap *h, unsigned c, void *p)
{
    weft_heap_free_block *b = p;
    b->next = h->free[c];
    h->free[c] = b;
}

static inline void weft__heap_free(weft_heap *h, void *p)
{
    unsigned c = (unsigned)(*weft__heap_header(p) & 0xff);
    weft__heap_chunk_of(p)->live--;
    h->used -= WEFT_HEAP_HEADER + weft__heap_class_size(c);
    weft__heap_push_free(h, c, p);
}

/* Whether enough of the heap is idle (in free blocks) to trim it: cheap
 * enough to ask after every task. */
static inline bool weft__heap_should_trim(const weft_heap *h)
{
    return h->footprint - h->used > h->trim_at;
}

/* Gives chunks whose blocks are all free back to malloc; returns how many
 * bytes went back. Costs a walk of every free block. */
size_t weft__heap_trim(weft_heap *h);

/* Bytes held in chunks, free blocks included. */
size_t weft__heap_footprint(const weft_heap *h);

#endif
