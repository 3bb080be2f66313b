/* Unit tests for src/core/shm.c: SharedArrayBuffer stores shared between
 * runtimes live exactly as long as their last holder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/shm.h"
#include "quickjs.h"

typedef struct world {
    JSRuntime *rt;
    JSContext *ctx;
} world;

static world make_world(void)
{
    world w;
    w.rt = JS_NewRuntime();
    assert_non_null(w.rt);
    weft__shm_install(w.rt);
    w.ctx = JS_NewContext(w.rt);
    assert_non_null(w.ctx);
    return w;
}

static void end_world(world *w)
{
    JS_FreeContext(w->ctx);
    JS_FreeRuntime(w->rt);
}

static JSValue eval(JSContext *ctx, const char *src)
{
    JSValue v = JS_Eval(ctx, src, strlen(src), "<test>", JS_EVAL_TYPE_GLOBAL);
    assert_false(JS_IsException(v));
    return v;
}

/* A store made in one runtime, shared into another, outlives the first and
 * is freed with the second; writes are seen on both sides. */
static void test_shared_between_runtimes(void **state)
{
    size_t before = weft__shm_live_count();
    world a = make_world(), b = make_world();
    JSValue sab = eval(a.ctx, "globalThis.s = new SharedArrayBuffer(16); new Int32Array(s)[0] = 42; s");
    assert_int_equal(weft__shm_live_count(), before + 1);
    size_t len;
    uint8_t *data = JS_GetArrayBuffer(a.ctx, &len, sab);
    assert_non_null(data);
    assert_int_equal(len, 16);

    /* What a message does: hold a reference while in flight. */
    weft__shm_retain(data);
    JSValue other = JS_NewArrayBuffer(b.ctx, data, len, NULL, NULL, 1);
    weft__shm_release(data);
    assert_false(JS_IsException(other));
    JSValue global = JS_GetGlobalObject(b.ctx);
    JS_SetPropertyStr(b.ctx, global, "s", other);
    JS_FreeValue(b.ctx, global);
    JSValue seen = eval(b.ctx, "new Int32Array(s)[0]");
    int32_t v;
    JS_ToInt32(b.ctx, &v, seen);
    assert_int_equal(v, 42);
    JS_FreeValue(b.ctx, eval(b.ctx, "new Int32Array(s)[1] = 7"));
    JS_FreeValue(a.ctx, sab);
    JSValue back = eval(a.ctx, "new Int32Array(s)[1]");
    JS_ToInt32(a.ctx, &v, back);
    assert_int_equal(v, 7);

    end_world(&a);
    assert_int_equal(weft__shm_live_count(), before + 1);
    end_world(&b);
    assert_int_equal(weft__shm_live_count(), before);
}

/* Stores dropped by garbage collection are freed. */
static void test_freed_by_gc(void **state)
{
    size_t before = weft__shm_live_count();
    world w = make_world();
    JS_FreeValue(w.ctx, eval(w.ctx, "for (let i = 0; i < 100; i++) new SharedArrayBuffer(1024); 0"));
    JS_RunGC(w.rt);
    assert_int_equal(weft__shm_live_count(), before);
    end_world(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_between_runtimes),
        cmocka_unit_test(test_freed_by_gc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
