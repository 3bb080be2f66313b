#include "core/heap.h"

#include <stdlib.h>

#define HEADER WEFT_HEAP_HEADER
#define CHUNK_SIZE (64 * 1024)
/* Trimming walks every free block: only when at least this much is idle. */
#define TRIM_MIN (1024 * 1024)

_Static_assert(_Alignof(max_align_t) >= 16, "malloc's blocks must start on 16-byte boundaries");

static inline void *make_block(weft_heap_chunk *ch, char *at, unsigned c)
{
    *(uint64_t *)at = (uint64_t)(at - (char *)ch) << 8 | c;
    return at + HEADER;
}

weft_heap *weft__heap_new(void)
{
    weft_heap *h = calloc(1, sizeof *h);
    if (h)
        h->trim_at = TRIM_MIN;
    return h;
}

void weft__heap_destroy(weft_heap *h)
{
    if (!h)
        return;
    for (weft_heap_chunk *c = h->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(h);
}

/* What is left at the end of the newest chunk becomes the largest block it
 * holds, so that a new chunk wastes nothing of the old one. */
static void retire_rest(weft_heap *h)
{
    size_t left = (size_t)(h->end - h->bump);
    if (left < HEADER + weft__heap_class_size(0))
        return;
    unsigned c = weft__heap_class_of(left - HEADER);
    if (weft__heap_class_size(c) > left - HEADER)
        c--;
    weft__heap_push_free(h, c, make_block(h->chunks, h->bump, c));
    h->bump = h->end;
}

void *weft__heap_carve(weft_heap *h, unsigned c)
{
    size_t need = HEADER + weft__heap_class_size(c);
    if ((size_t)(h->end - h->bump) < need) {
        weft_heap_chunk *fresh = malloc(CHUNK_SIZE);
        if (!fresh)
            return NULL;
        if (h->chunks)
            retire_rest(h);
        fresh->next = h->chunks;
        fresh->live = 0;
        h->chunks = fresh;
        h->footprint += CHUNK_SIZE;
        h->bump = (char *)fresh + sizeof(weft_heap_chunk);
        h->end = (char *)fresh + CHUNK_SIZE;
    }
    void *p = make_block(h->chunks, h->bump, c);
    h->bump += need;
    h->chunks->live++;
    h->used += need;
    return p;
}

/* Drops the free blocks of empty chunks from the lists, then the chunks. The
 * newest chunk stays: it is where the next blocks are carved. */
size_t weft__heap_trim(weft_heap *h)
{
    size_t released = 0;
    bool any = false;
    for (weft_heap_chunk *ch = h->chunks ? h->chunks->next : NULL; ch && !any; ch = ch->next)
        any = ch->live == 0;
    if (any) {
        for (unsigned c = 0; c < WEFT_HEAP_CLASSES; c++) {
            weft_heap_free_block **link = &h->free[c];
            while (*link) {
                weft_heap_chunk *ch = weft__heap_chunk_of(*link);
                if (ch->live == 0 && ch != h->chunks)
                    *link = (*link)->next;
                else
                    link = &(*link)->next;
            }
        }
        for (weft_heap_chunk **link = &h->chunks->next; *link;) {
            weft_heap_chunk *ch = *link;
            if (ch->live == 0) {
                *link = ch->next;
                free(ch);
                released += CHUNK_SIZE;
            } else {
                link = &ch->next;
            }
        }
        h->footprint -= released;
    }
    /* What stays idle is fragmentation: trim again only once it doubled. */
    size_t idle = h->footprint - h->used;
    h->trim_at = idle > TRIM_MIN / 2 ? 2 * idle : TRIM_MIN;
    return released;
}

size_t weft__heap_footprint(const weft_heap *h)
{
    return h->footprint;
}
