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
 * Small messages (up to SMALL_MAX wire bytes) live in fixed-size blocks from
 * per-thread pools. A block is allocated by one thread and freed by another,
 * and both what malloc() does then and what a naive pool would do cost a
 * cache miss or a lock per message:
 *
 * - A thread that frees a block keeps it in its own short list (LOCAL_MAX
 *   blocks, like glibc's tcache) and allocates from there first: in a
 *   ping-pong the reply goes out in the block the request came in, still in
 *   this core's cache.
 * - Past that, a block goes back to the pool that made it, pushed onto its
 *   `returned` stack with one compare-and-swap (a stack only ever pushed to
 *   or emptied whole, so it has no ABA problem). The sender of a stream
 *   takes its blocks back in one exchange when its list runs dry, instead of
 *   taking glibc's arena lock for each.
 * - A pool makes at most POOL_BLOCKS blocks (free or in flight, wherever
 *   they are); past that, messages use malloc() alone, so a burst (a million
 *   messages queued) does not stay with the thread, and a returned stack can
 *   be taken whole without counting it. The bound is sized for a receiver's
 *   pause (a garbage collection takes ~0.1 ms, 300 messages of a stream):
 *   past it, a stream's messages come from malloc(), which the receiver
 *   then reads cold and frees across threads, so that it may not catch up
 *   again. 128 blocks measured 3-17% slower streams than 512 on two cores;
 *   512 blocks are at most 128 KB, made only by a thread that has that many
 *   messages in flight.
 * - Pools outlive their threads: a thread that ends hands the blocks it
 *   holds back to their pools and leaves its own pool in a list for the next
 *   thread to adopt; blocks still in flight come back to it there.
 */

/* `returned` is written by other threads and the rest by the owner on every
 * message: apart, on lines of their own, or each push would take the line
 * the owner is writing away from it. Blocks start on a line, so that a
 * small message's header and bytes share one (see weft_message_sides). */
#define CACHE_LINE 64

#define BLOCK_SIZE 256
#define SMALL_MAX (BLOCK_SIZE - sizeof(weft_message))
#define POOL_BLOCKS 512
#define LOCAL_MAX 16

_Static_assert(sizeof(weft_message) + 24 <= CACHE_LINE, "a stream's message fits one cache line");

typedef struct weft_message_pool {
    _Alignas(CACHE_LINE) _Atomic(weft_message *) returned; /* this pool's blocks, pushed by any thread */
    _Alignas(CACHE_LINE) weft_message *local; /* owner only: blocks of any pool */
    unsigned n_local;                 /* owner only: about how many */
    unsigned blocks;                  /* owner only: blocks it made, not freed */
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

static void push_returned(weft_message_pool *home, weft_message *m)
{
    m->next = atomic_load_explicit(&home->returned, memory_order_relaxed);
    while (!atomic_compare_exchange_weak_explicit(&home->returned, &m->next, m, memory_order_release,
                                                  memory_order_relaxed))
        ;
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
        pool = aligned_alloc(CACHE_LINE, sizeof *pool);
        if (!pool)
            return; /* messages from this thread use malloc() alone */
        memset(pool, 0, sizeof *pool);
        atomic_init(&pool->returned, NULL);
    }
    pool->users = 1;
    thread_pool = pool;
}

/* Frees the blocks of `list` that pool made and sends the others home. */
static void give_back(weft_message_pool *pool, weft_message *list)
{
    while (list) {
        weft_message *next = list->next;
        if (list->home == pool) {
            free(list);
            pool->blocks--;
        } else {
            push_returned(list->home, list);
        }
        list = next;
    }
}

void weft__message_pool_detach(void)
{
    weft_message_pool *pool = thread_pool;
    if (!pool || --pool->users > 0)
        return;
    thread_pool = NULL;
    weft_message *local = pool->local;
    pool->local = NULL;
    pool->n_local = 0;
    give_back(pool, local);
    /* Blocks other threads push from now on stay on the stack, for the
     * thread that adopts the pool. */
    give_back(pool, atomic_exchange_explicit(&pool->returned, NULL, memory_order_acquire));
    uv_mutex_lock(&pools.lock);
    pool->next_orphan = pools.orphans;
    pools.orphans = pool;
    uv_mutex_unlock(&pools.lock);
}

static weft_message *alloc_message(size_t len)
{
    weft_message_pool *pool = thread_pool;
    if (pool && len <= SMALL_MAX) {
        if (!pool->local) {
            pool->local = atomic_exchange_explicit(&pool->returned, NULL, memory_order_acquire);
            pool->n_local = LOCAL_MAX; /* unknown: let frees go home */
        }
        weft_message *m = pool->local;
        if (m) {
            pool->local = m->next;
            if (pool->n_local > 0)
                pool->n_local--;
            /* A block that came back from another thread is in that core's
             * cache: fetch the next one now, while this message is made. */
            if (pool->local)
                __builtin_prefetch(pool->local, 1);
            return m;
        }
        if (pool->blocks < POOL_BLOCKS && (m = aligned_alloc(CACHE_LINE, BLOCK_SIZE)) != NULL) {
            pool->blocks++;
            m->home = pool;
            return m;
        }
    }
    weft_message *m = malloc(sizeof *m + len);
    if (m)
        m->home = NULL;
    return m;
}

static void release_block(weft_message *m)
{
    weft_message_pool *pool = thread_pool;
    if (!m->home) {
        free(m);
    } else if (pool && pool->n_local < LOCAL_MAX) {
        m->next = pool->local;
        pool->local = m;
        pool->n_local++;
    } else {
        push_returned(m->home, m);
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
    msg->next = NULL;
    msg->sides = NULL;
    msg->len = len;
    msg->kind = kind;
    msg->code = 0;
    if (len)
        memcpy(msg->data, data, len);
    return msg;
}

void weft__message_free_list(weft_message *list)
{
    while (list) {
        weft_message *next = list->next;
        weft__message_free(list);
        list = next;
    }
}

weft_message_sides weft__no_sides;

weft_message_sides *weft__message_sides(weft_message *msg)
{
    if (!msg->sides)
        msg->sides = calloc(1, sizeof *msg->sides);
    return msg->sides;
}

/* Entries a receiver took over are NULL; everything else is still owned. */
static void free_sides(weft_message_sides *s)
{
    for (uint32_t i = 0; i < s->n_shared; i++) {
        if (s->shared[i])
            weft__shm_release(s->shared[i]);
    }
    free(s->shared);
    free(s->shared_len);
    for (uint32_t i = 0; i < s->n_moved; i++)
        free(s->moved[i].data);
    free(s->moved);
    for (uint32_t i = 0; i < s->n_ports; i++) {
        if (s->ports[i])
            weft__port_release(s->ports[i]);
    }
    free(s->ports);
    free(s);
}

void weft__message_free(weft_message *msg)
{
    if (!msg)
        return;
    if (msg->sides)
        free_sides(msg->sides);
    release_block(msg);
}
