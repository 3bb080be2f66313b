/* Unit tests for src/core/heap.c: a runtime's small-block allocator. Blocks
 * of every size class, reuse, chunks given back by a trim and never while a
 * block in them lives (under the asan preset a chunk freed too early is a
 * use after free here), and a random workload checked byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/heap.h"

enum { CHUNK = 64 * 1024, MANY = 20000 };

static void fill(void *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        ((unsigned char *)p)[i] = (unsigned char)(seed + i * 7);
}

static bool intact(const void *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (((const unsigned char *)p)[i] != (unsigned char)(seed + i * 7))
            return false;
    return true;
}

static void every_size_fits_and_is_told_apart(void **state)
{
    (void)state;
    weft_heap *h = weft__heap_new();
    assert_non_null(h);
    void *blocks[WEFT_HEAP_SMALL_MAX + 1];
    for (size_t n = 0; n <= WEFT_HEAP_SMALL_MAX; n++) {
        void *p = weft__heap_alloc(h, n);
        assert_non_null(p);
        assert_true(weft__heap_owns(p));
        assert_int_equal((uintptr_t)p % 8, 0);
        size_t usable = weft__heap_usable(p);
        assert_true(usable >= n && usable <= (n < 24 ? 24 : n + 15));
        fill(p, usable, (unsigned)n);
        blocks[n] = p;
    }
    for (size_t n = 0; n <= WEFT_HEAP_SMALL_MAX; n++)
        assert_true(intact(blocks[n], weft__heap_usable(blocks[n]), (unsigned)n));
    /* malloc's blocks are never mistaken for the heap's. */
    for (size_t n = 1; n < 4096; n += 37) {
        void *m = malloc(n);
        assert_non_null(m);
        assert_false(weft__heap_owns(m));
        free(m);
    }
    for (size_t n = 0; n <= WEFT_HEAP_SMALL_MAX; n++)
        weft__heap_free(h, blocks[n]);
    weft__heap_destroy(h);
}

static void a_freed_block_is_reused_by_its_class(void **state)
{
    (void)state;
    weft_heap *h = weft__heap_new();
    void *a = weft__heap_alloc(h, 40);
    void *b = weft__heap_alloc(h, 200);
    weft__heap_free(h, a);
    weft__heap_free(h, b);
    assert_ptr_equal(weft__heap_alloc(h, 33), a);
    assert_ptr_equal(weft__heap_alloc(h, 190), b);
    assert_int_equal(weft__heap_footprint(h), CHUNK);
    weft__heap_destroy(h);
}

static void trim_gives_back_empty_chunks_only(void **state)
{
    (void)state;
    weft_heap *h = weft__heap_new();
    void **p = calloc(MANY, sizeof *p);
    assert_non_null(p);
    for (int i = 0; i < MANY; i++) {
        p[i] = weft__heap_alloc(h, 100);
        assert_non_null(p[i]);
        fill(p[i], 100, (unsigned)i);
    }
    size_t full = weft__heap_footprint(h);
    assert_true(full >= (size_t)MANY * 112);
    assert_false(weft__heap_should_trim(h));
    /* Keep every 1000th block: the chunks holding them must stay. */
    for (int i = 0; i < MANY; i++)
        if (i % 1000 != 0)
            weft__heap_free(h, p[i]);
    assert_true(weft__heap_should_trim(h));
    size_t released = weft__heap_trim(h);
    assert_true(released > 0);
    assert_int_equal(weft__heap_footprint(h), full - released);
    assert_true(weft__heap_footprint(h) <= (size_t)(MANY / 1000 + 1) * CHUNK);
    for (int i = 0; i < MANY; i += 1000)
        assert_true(intact(p[i], 100, (unsigned)i));
    /* What is left is fragmentation: no walk again until it doubles. */
    assert_false(weft__heap_should_trim(h));
    /* The heap still works after a trim: blocks come from what was kept. */
    for (int i = 0; i < MANY; i++) {
        if (i % 1000 == 0)
            continue;
        p[i] = weft__heap_alloc(h, 100);
        assert_non_null(p[i]);
        fill(p[i], 100, (unsigned)i);
    }
    for (int i = 0; i < MANY; i++) {
        assert_true(intact(p[i], 100, (unsigned)i));
        weft__heap_free(h, p[i]);
    }
    free(p);
    weft__heap_destroy(h);
}

/* Random sizes allocated and freed in random order, with trims between
 * rounds: every live block keeps its bytes. */
static void random_workload_keeps_every_byte(void **state)
{
    (void)state;
    enum { SLOTS = 4096, ROUNDS = 40 };
    weft_heap *h = weft__heap_new();
    void **p = calloc(SLOTS, sizeof *p);
    size_t *len = calloc(SLOTS, sizeof *len);
    assert_true(p && len);
    unsigned rng = 12345;
    for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < SLOTS; k++) {
            rng = rng * 1103515245u + 12345u;
            int i = (int)((rng >> 8) % SLOTS);
            if (p[i]) {
                assert_true(intact(p[i], len[i], (unsigned)i));
                weft__heap_free(h, p[i]);
                p[i] = NULL;
            } else {
                len[i] = (rng >> 4) % (WEFT_HEAP_SMALL_MAX + 1);
                p[i] = weft__heap_alloc(h, len[i]);
                assert_non_null(p[i]);
                fill(p[i], len[i], (unsigned)i);
            }
        }
        /* Free most of them now and then, so that trims have work. */
        if (round % 8 == 7) {
            for (int i = 0; i < SLOTS; i++) {
                if (p[i] && i % 16 != 0) {
                    weft__heap_free(h, p[i]);
                    p[i] = NULL;
                }
            }
        }
        weft__heap_trim(h);
    }
    for (int i = 0; i < SLOTS; i++) {
        if (p[i]) {
            assert_true(intact(p[i], len[i], (unsigned)i));
            weft__heap_free(h, p[i]);
        }
    }
    weft__heap_trim(h);
    assert_int_equal(weft__heap_footprint(h), CHUNK);
    free(p);
    free(len);
    weft__heap_destroy(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_size_fits_and_is_told_apart),
        cmocka_unit_test(a_freed_block_is_reused_by_its_class),
        cmocka_unit_test(trim_gives_back_empty_chunks_only),
        cmocka_unit_test(random_workload_keeps_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
