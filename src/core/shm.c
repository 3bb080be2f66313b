#include "core/shm.h"

#include <stdatomic.h>
#include <stdlib.h>

/* The header keeps the data that follows it aligned for any Atomics view. */
typedef struct shm_header {
    atomic_size_t refs;
    size_t size;
    _Alignas(16) unsigned char data[];
} shm_header;

static atomic_size_t live_stores;

static shm_header *header_of(void *data)
{
    return (shm_header *)((unsigned char *)data - offsetof(shm_header, data));
}

static void *shm_alloc(void *opaque, size_t size)
{
    shm_header *h = calloc(1, sizeof *h + size);
    if (!h)
        return NULL;
    atomic_init(&h->refs, 1);
    h->size = size;
    atomic_fetch_add_explicit(&live_stores, 1, memory_order_relaxed);
    return h->data;
}

void weft__shm_retain(void *data)
{
    atomic_fetch_add_explicit(&header_of(data)->refs, 1, memory_order_relaxed);
}

void weft__shm_release(void *data)
{
    shm_header *h = header_of(data);
    /* acq_rel: the last holder must see every write before freeing. */
    if (atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) == 1) {
        free(h);
        atomic_fetch_sub_explicit(&live_stores, 1, memory_order_relaxed);
    }
}

static void shm_free(void *opaque, void *data)
{
    weft__shm_release(data);
}

static void shm_dup(void *opaque, void *data)
{
    weft__shm_retain(data);
}

void weft__shm_install(JSRuntime *rt)
{
    static const JSSharedArrayBufferFunctions fns = {
        .sab_alloc = shm_alloc,
        .sab_free = shm_free,
        .sab_dup = shm_dup,
    };
    JS_SetSharedArrayBufferFunctions(rt, &fns);
}

size_t weft__shm_live_count(void)
{
    return atomic_load_explicit(&live_stores, memory_order_relaxed);
}
