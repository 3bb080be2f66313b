/* Unit tests for src/core/message.c: messages and the per-thread block
 * pools that small ones come from (blocks freed on other threads, pools
 * outliving their threads, the bound on what a pool makes). Leaks show
 * under the asan preset (LeakSanitizer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uv.h>

#include "core/message.h"

enum { MANY = 1000 };

static weft_message *small(uint32_t n)
{
    weft_message *m = weft__message_new(WEFT_MSG_DATA, (const uint8_t *)&n, sizeof n);
    assert_non_null(m);
    assert_int_equal(m->len, sizeof n);
    assert_int_equal(m->kind, WEFT_MSG_DATA);
    assert_null(m->next);
    return m;
}

static uint32_t payload(const weft_message *m)
{
    uint32_t n;
    memcpy(&n, m->data, sizeof n);
    return n;
}

static bool among(weft_message *const *set, size_t n, const weft_message *m)
{
    for (size_t i = 0; i < n; i++) {
        if (set[i] == m)
            return true;
    }
    return false;
}

/* A block freed on its own thread is the next one handed out there. */
static void test_reuse_on_one_thread(void **state)
{
    weft__message_pool_attach();
    weft_message *a = small(1);
    weft__message_free(a);
    weft_message *b = small(2);
    assert_ptr_equal(a, b);
    assert_int_equal(payload(b), 2);
    weft__message_free(b);
    weft__message_pool_detach();
}

/* Messages without a pool, and messages too big for a block, still work
 * and can be freed anywhere. */
static void test_unpooled_messages(void **state)
{
    weft_message *plain = small(7); /* no pool attached on this thread */
    uint8_t big[4096];
    memset(big, 0xab, sizeof big);
    weft__message_pool_attach();
    weft_message *large = weft__message_new(WEFT_MSG_DATA, big, sizeof big);
    assert_non_null(large);
    assert_memory_equal(large->data, big, sizeof big);
    weft__message_free(plain);
    weft__message_free(large);
    weft_message *empty = weft__message_new(WEFT_MSG_CLOSE, NULL, 0);
    assert_non_null(empty);
    assert_int_equal(empty->len, 0);
    weft__message_free(empty);
    weft__message_pool_detach();
}

/* A pool makes a bounded number of blocks; past it, messages still come
 * (from malloc), and all of them free cleanly. */
static void test_bound(void **state)
{
    weft__message_pool_attach();
    weft_message **all = calloc(MANY, sizeof *all);
    assert_non_null(all);
    for (uint32_t i = 0; i < MANY; i++)
        all[i] = small(i);
    for (uint32_t i = 0; i < MANY; i++) {
        assert_int_equal(payload(all[i]), i);
        weft__message_free(all[i]);
    }
    free(all);
    weft__message_pool_detach();
}

/* A queue taken whole is freed in one call, side tables and all: pooled
 * blocks, malloc'd messages and tables of their own (LeakSanitizer checks). */
static void test_free_list(void **state)
{
    weft__message_pool_attach();
    uint8_t big[1024] = { 0 };
    weft_message *a = small(1);
    weft_message *b = weft__message_new(WEFT_MSG_DATA, big, sizeof big);
    weft_message *c = small(3);
    assert_non_null(b);
    assert_null(a->sides);
    weft_message_sides *sides = weft__message_sides(c);
    assert_non_null(sides);
    sides->moved = calloc(1, sizeof *sides->moved);
    assert_non_null(sides->moved);
    sides->moved[0].data = malloc(16);
    sides->n_moved = 1;
    a->next = b;
    b->next = c;
    weft__message_free_list(a);
    weft__message_free_list(NULL);
    weft__message_pool_detach();
}

typedef struct handoff {
    weft_message **msgs;
    size_t n;
    weft_message **made; /* what the other thread allocated afterwards */
    size_t n_made;
} handoff;

/* On a thread with a pool of its own: frees what it was given, then makes
 * messages of its own. */
static void free_then_make(void *p)
{
    handoff *h = p;
    weft__message_pool_attach();
    for (size_t i = 0; i < h->n; i++)
        weft__message_free(h->msgs[i]);
    for (size_t i = 0; i < h->n_made; i++)
        h->made[i] = small((uint32_t)(1000 + i));
    for (size_t i = 0; i < h->n_made; i++)
        weft__message_free(h->made[i]);
    weft__message_pool_detach();
}

/* Blocks freed on another thread serve that thread's next messages first
 * (its short list) and the rest go home: the thread that made them gets
 * them back, and nothing is lost when the other thread ends. */
static void test_blocks_cross_threads(void **state)
{
    enum { N = 64, MADE = 4 };
    weft__message_pool_attach();
    weft_message *sent[N];
    for (uint32_t i = 0; i < N; i++)
        sent[i] = small(i);
    weft_message *made[MADE];
    handoff h = { sent, N, made, MADE };
    weft_message *copy[N];
    memcpy(copy, sent, sizeof copy);
    uv_thread_t t;
    assert_int_equal(uv_thread_create(&t, free_then_make, &h), 0);
    assert_int_equal(uv_thread_join(&t), 0);
    /* The other thread's messages reused the blocks it had freed. */
    for (size_t i = 0; i < MADE; i++)
        assert_true(among(copy, N, made[i]));
    /* Back here, the next messages come from the blocks that went home. */
    weft_message *again[N];
    size_t reused = 0;
    for (uint32_t i = 0; i < N; i++) {
        again[i] = small(i);
        reused += among(copy, N, again[i]);
    }
    assert_int_equal(reused, N);
    for (uint32_t i = 0; i < N; i++)
        weft__message_free(again[i]);
    weft__message_pool_detach();
}

static void make_and_leave(void *p)
{
    handoff *h = p;
    weft__message_pool_attach();
    for (size_t i = 0; i < h->n; i++)
        h->msgs[i] = small((uint32_t)i);
    weft__message_pool_detach(); /* its messages are still in flight */
}

static void adopt_and_make(void *p)
{
    handoff *h = p;
    weft__message_pool_attach();
    for (size_t i = 0; i < h->n_made; i++)
        h->made[i] = small((uint32_t)i);
    for (size_t i = 0; i < h->n_made; i++)
        weft__message_free(h->made[i]);
    weft__message_pool_detach();
}

/* A thread ends while its messages are in flight: they are freed later
 * elsewhere, go back to its pool, and the next thread that adopts the pool
 * reuses them. */
static void test_pool_outlives_thread(void **state)
{
    enum { N = 8 };
    weft_message *msgs[N];
    handoff h = { msgs, N, NULL, 0 };
    uv_thread_t t;
    assert_int_equal(uv_thread_create(&t, make_and_leave, &h), 0);
    assert_int_equal(uv_thread_join(&t), 0);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(payload(msgs[i]), i);
        weft__message_free(msgs[i]); /* this thread has no pool */
    }
    weft_message *made[N];
    handoff h2 = { NULL, 0, made, N };
    assert_int_equal(uv_thread_create(&t, adopt_and_make, &h2), 0);
    assert_int_equal(uv_thread_join(&t), 0);
    size_t reused = 0;
    for (size_t i = 0; i < N; i++)
        reused += among(msgs, N, made[i]);
    assert_int_equal(reused, N);
}

/* Blocks come home while their pool is being given up: a thread makes
 * messages, hands them over and detaches at once, while the other thread
 * frees them (each one pushed back onto the pool's stack). Every block must
 * end freed or kept by the orphaned pool: a block dropped on the way shows
 * under the asan preset as a leak. */
typedef struct race {
    weft_message *msgs[64];
    atomic_int ready;
} race;

static void make_and_detach(void *p)
{
    race *r = p;
    weft__message_pool_attach();
    for (size_t i = 0; i < 64; i++)
        r->msgs[i] = small((uint32_t)i);
    /* Some blocks come back before the detach, some during, some after. */
    for (size_t i = 0; i < 8; i++)
        weft__message_free(r->msgs[i]);
    atomic_store(&r->ready, 1);
    weft__message_pool_detach();
}

static void free_handed_over(void *p)
{
    race *r = p;
    while (!atomic_load(&r->ready))
        ;
    for (size_t i = 8; i < 64; i++)
        weft__message_free(r->msgs[i]); /* no pool here: every block goes home */
}

static void test_blocks_return_while_pool_detaches(void **state)
{
    for (int round = 0; round < 2000; round++) {
        race r = { .ready = 0 };
        uv_thread_t maker, freer;
        assert_int_equal(uv_thread_create(&freer, free_handed_over, &r), 0);
        assert_int_equal(uv_thread_create(&maker, make_and_detach, &r), 0);
        assert_int_equal(uv_thread_join(&maker), 0);
        assert_int_equal(uv_thread_join(&freer), 0);
    }
}

/* Pools nest: a second vm on a thread shares its pool, and the pool stays
 * until the last one detaches. */
static void test_nested_attach(void **state)
{
    weft__message_pool_attach();
    weft__message_pool_attach();
    weft_message *a = small(1);
    weft__message_pool_detach();
    weft__message_free(a);
    weft_message *b = small(2);
    assert_ptr_equal(a, b);
    weft__message_free(b);
    weft__message_pool_detach();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reuse_on_one_thread),
        cmocka_unit_test(test_unpooled_messages),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_free_list),
        cmocka_unit_test(test_blocks_cross_threads),
        cmocka_unit_test(test_pool_outlives_thread),
        cmocka_unit_test(test_nested_attach),
        cmocka_unit_test(test_blocks_return_while_pool_detaches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
