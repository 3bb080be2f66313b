#include "core/message.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/port.h"
#include "core/shm.h"

/* ---- pools -----------------------------------------------------------------
 *
 * A stream of small messages would otherwise cost a malloc() on the sending
 * thread and a free() on the receiving one for each, and glibc takes the
 * sender's arena lock for every block that another thread frees. So each thread that runs a vm has a pool of
 * fixed-size blocks for messages up to SMALL_MAX wire bytes. The receiver
 * hands a block back to its home pool with one compare-and-swap (`returned`,
 * a stack only ever pushed to or emptied whole, so it has no ABA problem);
 * the owner allocates from its private list and refills it from `returned`
 * when it runs dry. Pools outlive their threads: a thread that ends leaves
 * its pool in a list for the next thread to adopt, and blocks still in flight
 * come back to it there.
 */

#define SMALL_MAX 192
#define BLOCK_SIZE (sizeof(weft_message) + SMALL_MAX)
/* Blocks one pool may own in all (free or in flight); past this, messages
 * use malloc() alone, so that a burst (a million messages queued) does not
 * stay with the thread. The bound also spares the pool from counting what
 * comes back: a returned list is taken whole, without walking its blocks. */
#define POOL_BLOCKS 128

typedef struct weft_message_pool {
    _Atomic(weft_message *) returned; /* pushed by any thread */
    weft_message *free_list;          /* owner only */
    unsigned blocks;                  /* owner only: blocks it owns in all */
    unsigned users;                   /* owner only: vms on its thread */
    struct weft_message_pool *next_orphan;
} weft_message_pool;

static _Thread_local weft_message_pool *thread_pool;

static struct {
    uv_mutex_t lock;
    weft_message_pool *orphans;
} pools;
static uv_once_t pools_once = UV_ONCE_INIT;

static void pools_init(void)
{
    if (uv_mutex_init(&pools.lock) != 0)
        abort(); /* only fails without resources at start-up */
}

void weft__message_pool_attach(void)
{
    if (thread_pool) {
        thread_pool->users++;
        return;
    }
    uv_once(&pools_once, pools_init);
    uv_mutex_lock(&pools.lock);
    weft_message_pool *pool = pools.orphans;
    if (pool)
        pools.orphans = pool->next_orphan;
    uv_mutex_unlock(&pools.lock);
    if (!pool) {
        pool = calloc(1, sizeof *pool);
        if (!pool)
            return; /* messages from this thread use malloc() alone */
        atomic_init(&pool->returned, NULL);
    }
    pool->users = 1;
    thread_pool = pool;
}

void weft__message_pool_detach(void)
{
    weft_message_pool *pool = thread_pool;
    if (!pool || --pool->users > 0)
        return;
    thread_pool = NULL;
    weft_message *m = atomic_exchange_explicit(&pool->returned, NULL, memory_order_acquire);
    for (int pass = 0; pass < 2; pass++) {
        while (m) {
            weft_message *next = m->next;
            free(m);
            pool->blocks--;
            m = next;
        }
        m = pool->free_list;
    }
    pool->free_list = NULL;
    /* Blocks still in flight come back to the pool in the orphan list; the
     * thread that adopts it reuses them. */
    uv_mutex_lock(&pools.lock);
    pool->next_orphan = pools.orphans;
    pools.orphans = pool;
    uv_mutex_unlock(&pools.lock);
}

static weft_message *alloc_message(size_t len)
{
    weft_message_pool *pool = thread_pool;
    weft_message *m = NULL;
    if (pool && len <= SMALL_MAX) {
        if (!pool->free_list)
            pool->free_list = atomic_exchange_explicit(&pool->returned, NULL, memory_order_acquire);
        m = pool->free_list;
        if (m) {
            pool->free_list = m->next;
        } else if (pool->blocks < POOL_BLOCKS && (m = malloc(BLOCK_SIZE)) != NULL) {
            pool->blocks++;
        }
        if (m) {
            m->home = pool;
            return m;
        }
    }
    m = malloc(sizeof *m + len);
    if (m)
        m->home = NULL;
    return m;
}

static void release_block(weft_message *m)
{
    weft_message_pool *pool = m->home;
    if (!pool) {
        free(m);
    } else if (pool == thread_pool) {
        m->next = pool->free_list;
        pool->free_list = m;
    } else {
        m->next = atomic_load_explicit(&pool->returned, memory_order_relaxed);
        while (!atomic_compare_exchange_weak_explicit(&pool->returned, &m->next, m, memory_order_release,
                                                      memory_order_relaxed))
            ;
    }
}

/* ---- messages -------------------------------------------------------------- */

/* The wire bytes share the message's allocation. The side tables are
 * separate malloc() blocks that whoever fills them attaches (clone.c), so a
 * message carrying only bytes, the common case, is a single allocation. */
weft_message *weft__message_new(weft_message_kind kind, const uint8_t *data, size_t len)
{
    if (len > SIZE_MAX - sizeof(weft_message))
        return NULL;
    weft_message *msg = alloc_message(len);
    if (!msg)
        return NULL;
    weft_message_pool *home = msg->home;
    memset(msg, 0, sizeof *msg);
    msg->home = home;
    msg->kind = kind;
    msg->len = len;
    if (len)
        memcpy(msg->data, data, len);
    return msg;
}

/* Entries a receiver took over are NULL; everything else is still owned. */
void weft__message_free(weft_message *msg)
{
    if (!msg)
        return;
    for (uint32_t i = 0; i < msg->n_shared; i++) {
        if (msg->shared[i])
            weft__shm_release(msg->shared[i]);
    }
    free(msg->shared);
    free(msg->shared_len);
    for (uint32_t i = 0; i < msg->n_moved; i++)
        free(msg->moved[i].data);
    free(msg->moved);
    for (uint32_t i = 0; i < msg->n_ports; i++) {
        if (msg->ports[i])
            weft__port_release(msg->ports[i]);
    }
    free(msg->ports);
    release_block(msg);
}
