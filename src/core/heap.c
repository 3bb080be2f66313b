#include "core/heap.h"

#include <stdlib.h>

/* Block geometry is glibc's: an 8-byte header, then a payload of 16k + 8
 * bytes, so that the next header starts on a 16-byte boundary again and the
 * heap packs blocks as densely as malloc would. Class c serves payloads of
 * up to 24 + 16c bytes. The header holds the class and the block's distance
 * from the start of its chunk. */
#define HEADER 8
#define CLASSES ((WEFT_HEAP_SMALL_MAX - 24) / 16 + 1)
#define CHUNK_SIZE (64 * 1024)
/* Trimming walks every free block: only when at least this much is idle. */
#define TRIM_MIN (1024 * 1024)

_Static_assert(_Alignof(max_align_t) >= 16, "malloc's blocks must start on 16-byte boundaries");

typedef struct chunk {
    struct chunk *next;
    uint32_t live;      /* blocks handed out and not freed */
    uint32_t pad;       /* blocks start 16 bytes in */
} chunk;

typedef struct free_block {
    struct free_block *next;
} free_block;

struct weft_heap {
    free_block *free[CLASSES];
    char *bump, *end;   /* the unused rest of the newest chunk */
    chunk *chunks;      /* newest first */
    size_t footprint;   /* bytes in chunks */
    size_t used;        /* bytes in blocks handed out, headers included */
    size_t trim_at;     /* idle bytes that make weft__heap_should_trim true */
};

static inline size_t class_usable(unsigned c)
{
    return 24 + 16 * (size_t)c;
}

static inline unsigned class_of(size_t size)
{
    return size <= 24 ? 0 : (unsigned)((size - 24 + 15) / 16);
}

static inline uint64_t *header_of(const void *p)
{
    return (uint64_t *)((char *)p - HEADER);
}

static inline chunk *chunk_of(const void *p)
{
    return (chunk *)((char *)header_of(p) - (*header_of(p) >> 8));
}

static inline void *make_block(chunk *ch, char *at, unsigned c)
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
    for (chunk *c = h->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(h);
}

size_t weft__heap_usable(const void *p)
{
    return class_usable((unsigned)(*header_of(p) & 0xff));
}

static void push_free(weft_heap *h, unsigned c, void *p)
{
    free_block *b = p;
    b->next = h->free[c];
    h->free[c] = b;
}

/* What is left at the end of the newest chunk becomes the largest block it
 * holds, so that a new chunk wastes nothing of the old one. */
static void retire_rest(weft_heap *h)
{
    size_t left = (size_t)(h->end - h->bump);
    if (left < HEADER + class_usable(0))
        return;
    unsigned c = class_of(left - HEADER);
    if (class_usable(c) > left - HEADER)
        c--;
    push_free(h, c, make_block(h->chunks, h->bump, c));
    h->bump = h->end;
}

static void *carve(weft_heap *h, unsigned c)
{
    size_t need = HEADER + class_usable(c);
    if ((size_t)(h->end - h->bump) < need) {
        chunk *fresh = malloc(CHUNK_SIZE);
        if (!fresh)
            return NULL;
        if (h->chunks)
            retire_rest(h);
        fresh->next = h->chunks;
        fresh->live = 0;
        h->chunks = fresh;
        h->footprint += CHUNK_SIZE;
        h->bump = (char *)fresh + sizeof(chunk);
        h->end = (char *)fresh + CHUNK_SIZE;
    }
    void *p = make_block(h->chunks, h->bump, c);
    h->bump += need;
    return p;
}

void *weft__heap_alloc(weft_heap *h, size_t size)
{
    unsigned c = class_of(size);
    void *p = h->free[c];
    if (p) {
        /* Freed blocks are scattered: fetch the next one ahead of its use. */
        h->free[c] = ((free_block *)p)->next;
        __builtin_prefetch(h->free[c], 1);
    } else if (!(p = carve(h, c))) {
        return NULL;
    }
    chunk_of(p)->live++;
    h->used += HEADER + class_usable(c);
    return p;
}

void weft__heap_free(weft_heap *h, void *p)
{
    unsigned c = (unsigned)(*header_of(p) & 0xff);
    chunk_of(p)->live--;
    h->used -= HEADER + class_usable(c);
    push_free(h, c, p);
}

bool weft__heap_should_trim(const weft_heap *h)
{
    return h->footprint - h->used > h->trim_at;
}

/* Drops the free blocks of empty chunks from the lists, then the chunks. The
 * newest chunk stays: it is where the next blocks are carved. */
size_t weft__heap_trim(weft_heap *h)
{
    size_t released = 0;
    bool any = false;
    for (chunk *ch = h->chunks ? h->chunks->next : NULL; ch && !any; ch = ch->next)
        any = ch->live == 0;
    if (any) {
        for (unsigned c = 0; c < CLASSES; c++) {
            free_block **link = &h->free[c];
            while (*link) {
                if (chunk_of(*link)->live == 0 && chunk_of(*link) != h->chunks)
                    *link = (*link)->next;
                else
                    link = &(*link)->next;
            }
        }
        for (chunk **link = &h->chunks->next; *link;) {
            chunk *ch = *link;
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
