/*
 * api_handle: the registry of live API handles and the per-thread error
 * message (see api.h).
 *
 * The registry is an open-addressing hash set of pointers under one mutex.
 * A lookup takes a reference before the lock is released, so a handle
 * cannot be destroyed while a call uses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/api.h"

#define TOMBSTONE ((api_handle *)1)

static struct {
    uv_mutex_t lock;
    api_handle **slots; /* NULL: empty; TOMBSTONE: deleted */
    size_t cap;         /* a power of two, or 0 */
    size_t used;        /* live entries and tombstones */
    size_t live;
} registry;
static uv_once_t registry_once = UV_ONCE_INIT;

static _Thread_local char last_error[512];
static _Thread_local int last_code;

static void registry_init(void)
{
    if (uv_mutex_init(&registry.lock) != 0)
        abort(); /* only fails without resources at start-up */
}

static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

/* The slot holding p, or NULL. Called with the lock. */
static api_handle **find_slot(const void *p)
{
    if (!registry.cap)
        return NULL;
    size_t mask = registry.cap - 1;
    for (size_t i = hash_ptr(p) & mask, n = 0; n < registry.cap; i = (i + 1) & mask, n++) {
        api_handle *h = registry.slots[i];
        if (!h)
            return NULL;
        if (h == p)
            return &registry.slots[i];
    }
    return NULL;
}

static void insert_locked(api_handle *h)
{
    size_t mask = registry.cap - 1;
    for (size_t i = hash_ptr(h) & mask;; i = (i + 1) & mask) {
        if (!registry.slots[i] || registry.slots[i] == TOMBSTONE) {
            if (!registry.slots[i])
                registry.used++;
            registry.slots[i] = h;
            registry.live++;
            return;
        }
    }
}

/* Keeps the table at most half full, tombstones included. */
static int grow_locked(void)
{
    if ((registry.used + 1) * 2 <= registry.cap)
        return 0;
    size_t cap = registry.cap ? registry.cap : 64;
    while ((registry.live + 1) * 2 > cap / 2)
        cap *= 2;
    api_handle **old = registry.slots;
    size_t old_cap = registry.cap;
    registry.slots = calloc(cap, sizeof *registry.slots);
    if (!registry.slots) {
        registry.slots = old;
        return -1;
    }
    registry.cap = cap;
    registry.used = registry.live = 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i] && old[i] != TOMBSTONE)
            insert_locked(old[i]);
    }
    free(old);
    return 0;
}

int weft__api_register(api_handle *h, api_kind kind, void (*destroy)(api_handle *h))
{
    uv_once(&registry_once, registry_init);
    h->kind = kind;
    atomic_init(&h->refs, 1);
    h->destroy = destroy;
    uv_mutex_lock(&registry.lock);
    int rc = grow_locked();
    if (rc == 0)
        insert_locked(h);
    uv_mutex_unlock(&registry.lock);
    return rc == 0 ? WEFT_OK : weft__api_fail(WEFT_ENOMEM, "out of memory");
}

static const char *kind_name(api_kind kind)
{
    switch (kind) {
    case API_RUNTIME: return "weft_runtime_t";
    case API_PORT: return "weft_port_t";
    case API_MESSAGE: return "weft_message_t";
    case API_THREAD: return "weft_thread_t";
    case API_CALL: return "weft_call_t";
    }
    return "handle";
}

api_handle *weft__api_acquire(const void *ptr, api_kind kind, const char *what)
{
    if (!ptr) {
        weft__api_fail(WEFT_EINVAL, "%s: %s is NULL", what, kind_name(kind));
        return NULL;
    }
    uv_once(&registry_once, registry_init);
    uv_mutex_lock(&registry.lock);
    api_handle **slot = find_slot(ptr);
    api_handle *h = slot && (*slot)->kind == kind ? *slot : NULL;
    if (h)
        atomic_fetch_add_explicit(&h->refs, 1, memory_order_relaxed);
    uv_mutex_unlock(&registry.lock);
    if (!h)
        weft__api_fail(WEFT_EINVAL, "%s: not a live %s (freed, or never one)", what, kind_name(kind));
    return h;
}

void weft__api_retain(api_handle *h)
{
    atomic_fetch_add_explicit(&h->refs, 1, memory_order_relaxed);
}

void weft__api_release(api_handle *h)
{
    if (atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) == 1)
        h->destroy(h);
}

bool weft__api_unregister(const void *ptr, api_kind kind)
{
    if (!ptr)
        return false;
    uv_once(&registry_once, registry_init);
    uv_mutex_lock(&registry.lock);
    api_handle **slot = find_slot(ptr);
    bool found = slot && (*slot)->kind == kind;
    if (found) {
        *slot = TOMBSTONE;
        registry.live--;
    }
    uv_mutex_unlock(&registry.lock);
    return found;
}

int weft__api_fail(int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    last_code = err;
    return err;
}

int weft__api_last_code(void)
{
    return last_code ? last_code : WEFT_EINVAL;
}

void weft__api_clear_error(void)
{
    last_error[0] = '\0';
}

const char *weft_last_error(void)
{
    return last_error[0] ? last_error : "no error";
}

void *weft_malloc(size_t size)
{
    return malloc(size ? size : 1);
}

void weft_free(void *p)
{
    free(p);
}
