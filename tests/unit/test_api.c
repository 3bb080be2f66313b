/* Unit and behaviour tests of the embedding API (include/weft.h): runtimes,
 * factories, driving the loop, ports and messages (JSON, bytes, buffers,
 * ports), threads started from C and from JavaScript, C functions called
 * from JavaScript, and misuse of every kind (NULL, wrong state, wrong
 * thread, freed and foreign handles), which must fail cleanly. Run under
 * ASan too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/api_port.h" /* a corrupt message, below */
#include "core/message.h"
#include "quickjs.h"
#include "weft.h"

#define OK(x) assert_int_equal((x), WEFT_OK)

static weft_runtime_t *new_runtime(void)
{
    weft_runtime_t *rt = NULL;
    OK(weft_runtime_new(&rt, NULL));
    assert_non_null(rt);
    return rt;
}

/* The next message on p that is not an online notice. */
static weft_message_t *next_message(weft_port_t *p)
{
    for (;;) {
        weft_message_t *m = NULL;
        int rc = weft_port_recv(p, 10000, &m);
        if (rc != WEFT_OK)
            fail_msg("weft_port_recv: %s", weft_last_error());
        if (weft_message_get_kind(m) != WEFT_MESSAGE_ONLINE)
            return m;
        weft_message_free(m);
    }
}

/* The next data message's JSON (caller frees). */
static char *next_json(weft_port_t *p)
{
    weft_message_t *m = next_message(p);
    if (weft_message_get_kind(m) != WEFT_MESSAGE_DATA) {
        char *json = NULL;
        size_t len;
        weft_message_json(m, &json, &len);
        fail_msg("expected data, got kind %d: %s", weft_message_get_kind(m), json ? json : "");
    }
    char *json = NULL;
    size_t len = 0;
    if (weft_message_json(m, &json, &len) != WEFT_OK)
        fail_msg("weft_message_json: %s", weft_last_error());
    assert_int_equal(strlen(json), len);
    weft_message_free(m);
    return json;
}

static void expect_json(weft_port_t *p, const char *expected)
{
    char *json = next_json(p);
    assert_string_equal(json, expected);
    weft_free(json);
}

/* Waits for the EXIT notice and returns its code. */
static int wait_exit(weft_port_t *p)
{
    for (;;) {
        weft_message_t *m = NULL;
        int rc = weft_port_recv(p, 10000, &m);
        if (rc == WEFT_ECLOSED)
            fail_msg("port closed before the exit notice");
        assert_int_equal(rc, WEFT_OK);
        if (weft_message_get_kind(m) == WEFT_MESSAGE_EXIT) {
            int code = -1;
            OK(weft_message_exit_code(m, &code));
            weft_message_free(m);
            return code;
        }
        weft_message_free(m);
    }
}

static weft_thread_t *start_source(weft_runtime_t *rt, const char *source)
{
    weft_thread_options_t o = { .source = source, .source_len = (size_t)-1 };
    weft_thread_t *t = NULL;
    if (weft_runtime_start_thread(rt, &o, &t) != WEFT_OK)
        fail_msg("weft_runtime_start_thread: %s", weft_last_error());
    return t;
}

/* ---- errors and misuse ------------------------------------------------------- */

static void test_strerror_version(void **state)
{
    for (int e = WEFT_ETYPE; e <= WEFT_OK; e++)
        assert_string_not_equal(weft_strerror(e), "unknown error");
    assert_string_equal(weft_strerror(12345), "unknown error");
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", WEFT_VERSION_MAJOR, WEFT_VERSION_MINOR, WEFT_VERSION_PATCH);
    assert_string_equal(weft_version(), expected);
    void *p = weft_malloc(0);
    assert_non_null(p);
    weft_free(p);
}

static void test_null_arguments(void **state)
{
    assert_int_equal(weft_runtime_new(NULL, NULL), WEFT_EINVAL);
    weft_runtime_t *rt = (weft_runtime_t *)1;
    weft_runtime_options_t bad = { .argc = -1 };
    assert_int_equal(weft_runtime_new(&rt, &bad), WEFT_EINVAL);
    assert_null(rt);
    const char *argv[] = { "prog", NULL };
    weft_runtime_options_t bad2 = { .argc = 2, .argv = argv };
    assert_int_equal(weft_runtime_new(&rt, &bad2), WEFT_EINVAL);
    assert_non_null(strstr(weft_last_error(), "argv[1]"));

    int code;
    assert_int_equal(weft_runtime_run_file(NULL, "x.js", &code), WEFT_EINVAL);
    assert_int_equal(weft_runtime_run_source(NULL, "1", 1, NULL, 0, &code), WEFT_EINVAL);
    assert_int_equal(weft_runtime_eval(NULL, "1", 1, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_runtime_run_loop(NULL, WEFT_RUN_NOWAIT, NULL), WEFT_EINVAL);
    assert_int_equal(weft_runtime_finish(NULL, &code), WEFT_EINVAL);
    assert_int_equal(weft_runtime_set_runtime_factory(NULL, NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_runtime_expose(NULL, "f", NULL, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_runtime_start_thread(NULL, NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_runtime_threads(NULL, NULL, 0, NULL), WEFT_EINVAL);
    assert_int_equal(weft_runtime_stats(NULL, NULL), WEFT_EINVAL);
    assert_string_equal(weft_runtime_last_error(NULL), "invalid runtime");
    weft_runtime_free(NULL);

    assert_int_equal(weft_channel_new(NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_port_send_json(NULL, "1", 1), WEFT_EINVAL);
    assert_int_equal(weft_port_send_bytes(NULL, "x", 1), WEFT_EINVAL);
    assert_int_equal(weft_port_send_buffer(NULL, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_port_send_port(NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_port_recv(NULL, 0, NULL), WEFT_EINVAL);
    weft_message_t *m = (weft_message_t *)1;
    assert_int_equal(weft_port_recv(NULL, 0, &m), WEFT_EINVAL);
    assert_null(m);
    assert_int_equal(weft_port_close(NULL), WEFT_EINVAL);
    weft_port_free(NULL);
    assert_int_equal(weft_message_get_kind(NULL), -1);
    assert_int_equal(weft_message_exit_code(NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_message_json(NULL, NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_message_bytes(NULL, NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_message_take_bytes(NULL, NULL, NULL), WEFT_EINVAL);
    weft_message_free(NULL);
    assert_null(weft_thread_port(NULL));
    assert_int_equal(weft_thread_id(NULL), 0);
    assert_int_equal(weft_thread_get_stats(NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_thread_terminate(NULL), WEFT_EINVAL);
    assert_int_equal(weft_thread_wait(NULL, 0), WEFT_EINVAL);
    weft_thread_free(NULL);
    assert_int_equal(weft_call_argc(NULL), WEFT_EINVAL);
    assert_null(weft_call_arg_json(NULL, 0));
    assert_int_equal(weft_call_arg_bytes(NULL, 0, NULL, NULL), WEFT_EINVAL);
    assert_int_equal(weft_call_thread_id(NULL), 0);
    assert_int_equal(weft_call_return_json(NULL, "1", 1), WEFT_EINVAL);
    assert_int_equal(weft_call_return_bytes(NULL, "", 0), WEFT_EINVAL);
    assert_int_equal(weft_call_throw(NULL, "x"), WEFT_EINVAL);
}

/* Pointers that are not live handles: freed ones, foreign memory, handles
 * of another kind. */
static void test_bad_handles(void **state)
{
    int not_a_handle[16] = { 0 };
    void *foreign = not_a_handle;
    assert_int_equal(weft_port_send_json(foreign, "1", 1), WEFT_EINVAL);
    assert_non_null(strstr(weft_last_error(), "not a live weft_port_t"));
    assert_int_equal(weft_runtime_eval(foreign, "1", 1, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_thread_terminate(foreign), WEFT_EINVAL);
    weft_port_free(foreign);
    weft_message_free(foreign);
    weft_thread_free(foreign);
    weft_runtime_free(foreign);

    weft_port_t *a, *b;
    OK(weft_channel_new(&a, &b));
    /* A port is not a runtime, a message or a thread. */
    assert_int_equal(weft_runtime_eval((weft_runtime_t *)a, "1", 1, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_message_get_kind((weft_message_t *)a), -1);
    assert_int_equal(weft_thread_terminate((weft_thread_t *)a), WEFT_EINVAL);
    weft_port_free(a);
    assert_int_equal(weft_port_send_json(a, "1", 1), WEFT_EINVAL);
    assert_int_equal(weft_port_close(a), WEFT_EINVAL);
    weft_port_free(a); /* twice: ignored */
    /* The peer sees the close, then nothing more. */
    weft_message_t *m;
    OK(weft_port_recv(b, 1000, &m));
    assert_int_equal(weft_message_get_kind(m), WEFT_MESSAGE_CLOSE);
    char *json;
    assert_int_equal(weft_message_json(m, &json, NULL), WEFT_ETYPE);
    int code;
    assert_int_equal(weft_message_exit_code(m, &code), WEFT_ETYPE);
    weft_message_free(m);
    assert_int_equal(weft_message_get_kind(m), -1); /* freed */
    weft_message_free(m);
    assert_int_equal(weft_port_recv(b, 0, &m), WEFT_ECLOSED);
    assert_int_equal(weft_port_send_json(b, "1", 1), WEFT_OK); /* dropped, as postMessage on a closed port */
    weft_port_free(b);

    weft_runtime_t *rt = new_runtime();
    weft_runtime_free(rt);
    assert_int_equal(weft_runtime_eval(rt, "1", 1, NULL, 0), WEFT_EINVAL);
    weft_runtime_free(rt);
}

static void test_bad_json(void **state)
{
    weft_port_t *a, *b;
    OK(weft_channel_new(&a, &b));
    static const char *const bad[] = {
        "", " ", "{", "}", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "'x'", "01", "1.", ".5", "1e", "-", "+1",
        "NaN", "Infinity", "undefined", "tru", "nul", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"",
        "\"tab\there\"", "1 2", "[] x", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (weft_port_send_json(a, bad[i], (size_t)-1) != WEFT_EINVAL)
            fail_msg("accepted invalid JSON: %s", bad[i]);
        assert_non_null(strstr(weft_last_error(), "invalid JSON"));
    }
    assert_int_equal(weft_port_send_json(a, NULL, 0), WEFT_EINVAL);
    /* Deeper than the clone allows. */
    size_t depth = 20000;
    char *deep = malloc(depth * 2 + 1);
    assert_non_null(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[depth * 2] = '\0';
    assert_int_equal(weft_port_send_json(a, deep, (size_t)-1), WEFT_EINVAL);
    free(deep);
    /* Nothing was sent. */
    weft_message_t *m;
    assert_int_equal(weft_port_recv(b, 0, &m), WEFT_ETIMEDOUT);
    /* A length that cuts the text short is honoured. */
    OK(weft_port_send_json(a, "[1, 2]garbage", 6));
    OK(weft_port_recv(b, 0, &m));
    char *json;
    OK(weft_message_json(m, &json, NULL));
    assert_string_equal(json, "[1,2]");
    weft_free(json);
    weft_message_free(m);
    weft_port_free(a);
    weft_port_free(b);
}

/* C to C through a channel: JSON, bytes and buffers without JavaScript. */
static void test_channel_in_c(void **state)
{
    weft_port_t *a, *b;
    OK(weft_channel_new(&a, &b));
    OK(weft_port_send_json(a, " {\"k\" : [true, false, null, -0, 1e3, 0.5, \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]} ", (size_t)-1));
    OK(weft_port_send_bytes(a, "hello", 5));
    char *buf = weft_malloc(3);
    memcpy(buf, "abc", 3);
    OK(weft_port_send_buffer(a, buf, 3));
    weft_message_t *m;
    char *json;
    OK(weft_port_recv(b, 0, &m));
    assert_int_equal(weft_message_get_kind(m), WEFT_MESSAGE_DATA);
    OK(weft_message_json(m, &json, NULL));
    assert_string_equal(json, "{\"k\":[true,false,null,0,1000,0.5,\"\\\"\\\\/\\b\\f\\n\\r\\t\"]}");
    weft_free(json);
    const void *data;
    size_t len;
    assert_int_equal(weft_message_bytes(m, &data, &len), WEFT_ETYPE);
    weft_message_free(m);

    OK(weft_port_recv(b, 0, &m));
    OK(weft_message_bytes(m, &data, &len));
    assert_int_equal(len, 5);
    assert_memory_equal(data, "hello", 5);
    OK(weft_message_json(m, &json, NULL));
    assert_string_equal(json, "{}"); /* as JSON.stringify(arrayBuffer) */
    weft_free(json);
    weft_message_free(m);

    OK(weft_port_recv(b, 0, &m));
    void *taken;
    OK(weft_message_take_bytes(m, &taken, &len));
    assert_ptr_equal(taken, buf); /* no copy */
    assert_int_equal(len, 3);
    weft_free(taken);
    weft_message_free(m);
    assert_int_equal(weft_port_recv(b, 10, &m), WEFT_ETIMEDOUT);
    assert_int_equal(weft_port_recv(b, 0.0 / 0.0, &m), WEFT_EINVAL);
    /* A port cannot travel over its own channel. */
    assert_int_equal(weft_port_send_port(a, a), WEFT_EINVAL);
    assert_int_equal(weft_port_send_port(a, b), WEFT_EINVAL);
    weft_port_free(a);
    weft_port_free(b);
}

/* ---- running the main thread ------------------------------------------------- */

static void test_run_source(void **state)
{
    weft_runtime_t *rt = new_runtime();
    int code = -1;
    OK(weft_runtime_run_source(rt, "process.exitCode = 3", (size_t)20, NULL, 0, &code));
    assert_int_equal(code, 3);
    assert_int_equal(weft_runtime_run_source(rt, "1", 1, NULL, 0, &code), WEFT_ESTATE);
    assert_int_equal(weft_runtime_eval(rt, "1", 1, NULL, 0), WEFT_ESTATE);
    assert_int_equal(weft_runtime_set_context_factory(rt, NULL, NULL), WEFT_ESTATE);
    assert_non_null(strstr(weft_runtime_last_error(rt), "already ran"));
    weft_runtime_free(rt);

    rt = new_runtime();
    assert_int_equal(weft_runtime_run_file(rt, "/no/such/script.js", &code), WEFT_ENOENT);
    weft_runtime_free(rt);
    rt = new_runtime();
    assert_int_equal(weft_runtime_run_source(rt, "1", 1, NULL, 0, NULL), WEFT_EINVAL);
    weft_runtime_free(rt);
}

static void test_eval_and_loop(void **state)
{
    weft_runtime_t *rt = new_runtime();
    const char *cjs = "globalThis.steps = ['eval']; setTimeout(() => steps.push('timer'), 20);";
    OK(weft_runtime_eval(rt, cjs, (size_t)-1, "setup.js", 0));
    int alive = 0;
    OK(weft_runtime_run_loop(rt, WEFT_RUN_NOWAIT, &alive));
    assert_int_equal(alive, 1);
    OK(weft_runtime_run_loop(rt, WEFT_RUN_DEFAULT, &alive));
    assert_int_equal(alive, 0);
    /* An ES module with top-level await, settled by the loop. */
    OK(weft_runtime_eval(rt, "await new Promise((r) => setTimeout(r, 5)); steps.push('module');", (size_t)-1,
                         "mod.mjs", 1));
    OK(weft_runtime_run_loop(rt, WEFT_RUN_DEFAULT, NULL));
    OK(weft_runtime_eval(rt, "if (steps.join() !== 'eval,timer,module') throw new Error(steps.join())",
                         (size_t)-1, NULL, 0));
    assert_int_equal(weft_runtime_run_loop(rt, (weft_run_mode_t)42, NULL), WEFT_EINVAL);
    /* A script that throws: reported, and the runtime goes on. */
    assert_int_equal(weft_runtime_eval(rt, "process.on('uncaughtException', () => {}); throw new Error('x')",
                                       (size_t)-1, NULL, 0), WEFT_EJS);
    OK(weft_runtime_eval(rt, "process.on('exit', (c) => { process.exitCode = c + 1; })", (size_t)-1, NULL, 0));
    int code = -1;
    assert_int_equal(weft_runtime_run_file(rt, "x.js", &code), WEFT_ESTATE); /* not mixed with eval */
    assert_int_equal(weft_runtime_eval(rt, "process.exit(4)", (size_t)-1, NULL, 0), WEFT_EJS);
    assert_int_equal(weft_runtime_eval(rt, "1", 1, NULL, 0), WEFT_ESTATE);
    assert_int_equal(weft_runtime_run_loop(rt, WEFT_RUN_ONCE, NULL), WEFT_ESTATE);
    assert_int_equal(weft_runtime_finish(rt, NULL), WEFT_EINVAL);
    OK(weft_runtime_finish(rt, &code));
    assert_int_equal(code, 5);
    assert_int_equal(weft_runtime_finish(rt, &code), WEFT_ESTATE);
    weft_runtime_free(rt);
}

static void *eval_elsewhere(void *arg)
{
    intptr_t rc = weft_runtime_eval(arg, "1", 1, NULL, 0);
    return (void *)rc;
}

static void test_wrong_thread(void **state)
{
    weft_runtime_t *rt = new_runtime();
    pthread_t tid;
    void *rc;
    assert_int_equal(pthread_create(&tid, NULL, eval_elsewhere, rt), 0);
    pthread_join(tid, &rc);
    assert_int_equal((intptr_t)rc, WEFT_ESTATE);
    OK(weft_runtime_eval(rt, "1", 1, NULL, 0));
    weft_runtime_free(rt);
}

/* ---- factories ------------------------------------------------------------------ */

static atomic_int runtime_calls, context_calls;

static int count_runtime(JSRuntime *rt, const weft_thread_info_t *info, void *opaque)
{
    atomic_fetch_add(&runtime_calls, 1);
    JS_SetGCThreshold(rt, 512 * 1024);
    return 0;
}

static int add_tag(JSContext *ctx, const weft_thread_info_t *info, void *opaque)
{
    atomic_fetch_add(&context_calls, 1);
    JSValue global = JS_GetGlobalObject(ctx);
    char tag[64];
    snprintf(tag, sizeof tag, "%s:%s:%s", (const char *)opaque, info->is_main ? "main" : "thread", info->name);
    JS_SetPropertyStr(ctx, global, "tag", JS_NewString(ctx, tag));
    JS_FreeValue(ctx, global);
    return 0;
}

static void test_factories(void **state)
{
    atomic_store(&runtime_calls, 0);
    atomic_store(&context_calls, 0);
    weft_runtime_t *rt = new_runtime();
    OK(weft_runtime_set_runtime_factory(rt, count_runtime, NULL));
    OK(weft_runtime_set_context_factory(rt, add_tag, "T"));
    /* A thread from C and one from JavaScript both get the factories. */
    weft_thread_options_t o = { .source = "require('weft').parent.postMessage(tag)", .source_len = (size_t)-1,
                                .name = "from-c" };
    weft_thread_t *t;
    OK(weft_runtime_start_thread(rt, &o, &t));
    expect_json(weft_thread_port(t), "\"T:thread:from-c\"");
    assert_int_equal(wait_exit(weft_thread_port(t)), 0);
    weft_thread_free(t);
    const char *js =
        "if (tag !== 'T:main:main') throw new Error(tag);\n"
        "const { Thread } = require('weft');\n"
        "new Thread(() => { if (tag !== 'T:thread:js') process.exit(9); }, { name: 'js' })\n"
        "  .on('exit', (c) => { if (c !== 0) throw new Error('thread saw ' + c); });\n";
    OK(weft_runtime_eval(rt, js, (size_t)-1, NULL, 0));
    OK(weft_runtime_run_loop(rt, WEFT_RUN_DEFAULT, NULL));
    assert_int_equal(atomic_load(&runtime_calls), 3);
    assert_int_equal(atomic_load(&context_calls), 3);
    assert_int_equal(weft_runtime_set_runtime_factory(rt, NULL, NULL), WEFT_ESTATE);
    weft_runtime_free(rt);
}

static int refuse_threads(JSContext *ctx, const weft_thread_info_t *info, void *opaque)
{
    return info->is_main ? 0 : -1;
}

static void test_failing_factory(void **state)
{
    weft_runtime_t *rt = new_runtime();
    OK(weft_runtime_set_context_factory(rt, refuse_threads, NULL));
    weft_thread_t *t = start_source(rt, "require('weft').parent.postMessage('ran')");
    /* No JavaScript runs: no online notice, no message, exit code 1. */
    weft_message_t *m;
    OK(weft_port_recv(weft_thread_port(t), 10000, &m));
    assert_int_equal(weft_message_get_kind(m), WEFT_MESSAGE_EXIT);
    int code;
    OK(weft_message_exit_code(m, &code));
    assert_int_equal(code, 1);
    weft_message_free(m);
    weft_thread_free(t);
    /* From JavaScript: the creator's 'error' names the factory. */
    const char *js =
        "const { Thread } = require('weft');\n"
        "new Thread(() => {}).on('error', (e) => { globalThis.failure = e.message; });\n";
    OK(weft_runtime_eval(rt, js, (size_t)-1, NULL, 0));
    OK(weft_runtime_run_loop(rt, WEFT_RUN_DEFAULT, NULL));
    OK(weft_runtime_eval(rt, "if (!/context factory failed/.test(failure)) throw new Error(failure)", (size_t)-1,
                         NULL, 0));
    weft_runtime_free(rt);
}

/* ---- threads and messages ----------------------------------------------------- */

static const char echo_js[] =
    "const { parent, data, capabilities } = require('weft');\n"
    "globalThis.parent = parent; /* for the evaluated code */\n"
    "parent.on('message', (m) => {\n"
    "  if (m === 'quit') return parent.close();\n"
    "  if (m && typeof m === 'object' && typeof m.eval === 'string') return parent.postMessage((0, eval)(m.eval));\n"
    "  parent.postMessage(JSON.stringify(m));\n"
    "  parent.postMessage(m);\n"
    "});\n";

/* s as a JSON string literal (enough for the test's ASCII inputs). */
static char *quote(const char *s)
{
    char *out = malloc(strlen(s) * 2 + 3);
    char *p = out;
    *p++ = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            *p++ = '\\';
        *p++ = *s;
    }
    *p++ = '"';
    *p = '\0';
    return out;
}

static void test_json_round_trip(void **state)
{
    weft_runtime_t *rt = new_runtime();
    weft_thread_t *t = start_source(rt, echo_js);
    weft_port_t *p = weft_thread_port(t);
    /* Canonical JSON: JavaScript must parse it to the value whose
     * JSON.stringify is the same text, and C must write the value back the
     * same way. */
    static const char *const values[] = {
        "{\"a\":1,\"b\":[1,2.5,-3,\"x\"],\"c\":{\"d\":null,\"e\":true,\"f\":false}}",
        "[]", "{}", "\"\"", "0", "-1", "2147483647", "2147483648", "-2147483649", "1.5e+300", "1e-7",
        "0.000001", "0.1", "123456789.123", "1e+21", "100000000000000000000", "-5e-324",
        "1.7976931348623157e+308", "[[[[[]]]]]", "{\"0\":\"index key\",\"\":\"empty key\"}",
        "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", "\"\\ud800 lone\"", "\"line\\nbreak\\u0001\"",
        "{\"repeated\":{\"k\":1},\"again\":{\"k\":2}}",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        OK(weft_port_send_json(p, values[i], (size_t)-1));
        char *text = next_json(p);
        char *quoted = quote(values[i]);
        if (strcmp(text, quoted) != 0)
            fail_msg("JSON.stringify in JavaScript gave %s for %s", text, values[i]);
        free(quoted);
        weft_free(text);
        expect_json(p, values[i]);
    }
    /* Input JSON that is not canonical comes back canonical. */
    OK(weft_port_send_json(p, "{\"a\": 1, \"a\": 2, \"n\": 1.0E2, \"s\": \"\\u0041\\/\"}", (size_t)-1));
    weft_free(next_json(p));
    expect_json(p, "{\"a\":2,\"n\":100,\"s\":\"A/\"}");
    OK(weft_port_send_json(p, "\"quit\"", (size_t)-1));
    weft_message_t *m = next_message(p);
    assert_int_equal(weft_message_get_kind(m), WEFT_MESSAGE_CLOSE);
    weft_message_free(m);
    assert_int_equal(wait_exit(p), 0);
    weft_thread_free(t);
    weft_runtime_free(rt);
}

/* Values JavaScript makes, seen from C. */
static void test_values_from_javascript(void **state)
{
    weft_runtime_t *rt = new_runtime();
    weft_thread_t *t = start_source(rt, echo_js);
    weft_port_t *p = weft_thread_port(t);
    static const struct {
        const char *js;
        const char *json; /* NULL: no JSON form (ETYPE) */
    } cases[] = {
        { "({ u: undefined, f: 1, a: [undefined, , 3] })", "{\"f\":1,\"a\":[null,null,3]}" },
        { "new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6))", "\"2020-01-02T03:04:05.006Z\"" },
        { "new Date(NaN)", "null" },
        { "[NaN, Infinity, -0]", "[null,null,0]" },
        { "new Map([[1, 2]])", "{}" },
        { "new Set([1])", "{}" },
        { "/x/g", "{}" },
        { "[new Number(3), new String('s'), new Boolean(true)]", "[3,\"s\",true]" },
        { "new RangeError('bad')", NULL }, /* checked below */
        { "new Uint8Array([1, 2, 255])", "{\"0\":1,\"1\":2,\"2\":255}" },
        { "new Float64Array([0.5, -2])", "{\"0\":0.5,\"1\":-2}" },
        { "Object.assign([1, 2], { extra: true })", "[1,2]" },
        { "(() => { const a = [1, 2]; a.length = 4; return a; })()", "[1,2,null,null]" },
        { "undefined", NULL },
        { "12n", NULL },
        { "(() => { const o = {}; o.self = o; return o; })()", NULL },
        { "(() => { const s = { x: 1 }; return [s, s]; })()", NULL },
        { "new BigInt64Array(2)", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char req[256];
        char *q = quote(cases[i].js);
        snprintf(req, sizeof req, "{\"eval\": %s}", q);
        free(q);
        OK(weft_port_send_json(p, req, (size_t)-1));
        weft_message_t *m = next_message(p);
        char *json = NULL;
        int rc = weft_message_json(m, &json, NULL);
        if (strstr(cases[i].js, "RangeError")) {
            OK(rc);
            assert_non_null(strstr(json, "{\"name\":\"RangeError\",\"message\":\"bad\",\"stack\":"));
        } else if (cases[i].json) {
            if (rc != WEFT_OK)
                fail_msg("%s: %s", cases[i].js, weft_last_error());
            assert_string_equal(json, cases[i].json);
        } else {
            if (rc != WEFT_ETYPE)
                fail_msg("%s gave %d (%s)", cases[i].js, rc, json ? json : weft_last_error());
        }
        weft_free(json);
        weft_message_free(m);
    }
    /* Bytes of views, shared memory and transferred buffers. */
    OK(weft_port_send_json(p, "{\"eval\": \"new Uint16Array([1, 2, 3]).subarray(1)\"}", (size_t)-1));
    weft_message_t *m = next_message(p);
    const void *data;
    size_t len;
    OK(weft_message_bytes(m, &data, &len));
    assert_int_equal(len, 4);
    uint16_t first; /* the bytes need not be aligned */
    memcpy(&first, data, sizeof first);
    assert_int_equal(first, 2);
    void *taken;
    OK(weft_message_take_bytes(m, &taken, &len)); /* part of a buffer: copied */
    assert_int_equal(len, 4);
    weft_free(taken);
    weft_message_free(m);
    OK(weft_port_send_json(p, "{\"eval\": \"const b = new Uint8Array(100000).fill(7).buffer; "
                              "parent.postMessage(b, [b]); 'sent'\"}",
                           (size_t)-1));
    m = next_message(p);
    OK(weft_message_take_bytes(m, &taken, &len));
    assert_int_equal(len, 100000);
    assert_int_equal(((uint8_t *)taken)[99999], 7);
    weft_free(taken);
    weft_message_free(m);
    expect_json(p, "\"sent\"");
    OK(weft_port_send_json(p, "{\"eval\": \"new Int32Array(new SharedArrayBuffer(8)).fill(-1)\"}", (size_t)-1));
    m = next_message(p);
    OK(weft_message_bytes(m, &data, &len));
    assert_int_equal(len, 8);
    int32_t second;
    memcpy(&second, (const uint8_t *)data + 4, sizeof second);
    assert_int_equal(second, -1);
    weft_message_free(m);
    OK(weft_thread_terminate(t));
    assert_int_equal(wait_exit(p), 1);
    weft_thread_free(t);
    weft_runtime_free(rt);
}

static void test_bytes_to_javascript(void **state)
{
    weft_runtime_t *rt = new_runtime();
    weft_thread_t *t = start_source(rt,
        "const { parent } = require('weft');\n"
        "parent.on('message', (b) => parent.postMessage([b instanceof ArrayBuffer, b.byteLength,\n"
        "  new Uint8Array(b).reduce((a, x) => a + x, 0)]));\n");
    weft_port_t *p = weft_thread_port(t);
    OK(weft_port_send_bytes(p, "\x01\x02\x03", 3));
    expect_json(p, "[true,3,6]");
    OK(weft_port_send_bytes(p, NULL, 0));
    expect_json(p, "[true,0,0]");
    size_t n = 1 << 20;
    uint8_t *big = weft_malloc(n);
    memset(big, 1, n);
    OK(weft_port_send_buffer(p, big, n));
    expect_json(p, "[true,1048576,1048576]");
    assert_int_equal(weft_port_send_buffer(p, NULL, 1), WEFT_EINVAL);
    assert_int_equal(weft_port_send_bytes(p, NULL, 1), WEFT_EINVAL);
    weft_thread_stats_t st;
    OK(weft_thread_get_stats(t, &st));
    assert_int_equal(st.messages_in, 3);
    assert_int_equal(st.messages_out, 3);
    assert_int_equal(st.state, WEFT_STATE_ONLINE);
    OK(weft_thread_terminate(t));
    OK(weft_thread_wait(t, -1));
    OK(weft_thread_get_stats(t, &st));
    assert_int_equal(st.state, WEFT_STATE_EXITED);
    weft_thread_free(t);
    weft_runtime_free(rt);
}

static void test_start_options(void **state)
{
    weft_runtime_t *rt = new_runtime();
    weft_thread_t *t = (weft_thread_t *)1;
    weft_thread_options_t none = { 0 };
    assert_int_equal(weft_runtime_start_thread(rt, &none, &t), WEFT_EINVAL);
    assert_null(t);
    weft_thread_options_t both = { .file = "x.js", .source = "1" };
    assert_int_equal(weft_runtime_start_thread(rt, &both, &t), WEFT_EINVAL);
    weft_thread_options_t missing = { .file = "/no/such/file.js" };
    assert_int_equal(weft_runtime_start_thread(rt, &missing, &t), WEFT_ENOENT);
    weft_thread_options_t bad_data = { .source = "1", .source_len = 1, .data_json = "{nope}" };
    assert_int_equal(weft_runtime_start_thread(rt, &bad_data, &t), WEFT_EINVAL);
    weft_thread_options_t bad_cpu = { .source = "1", .source_len = 1, .cpu_limit_ms = -1 };
    assert_int_equal(weft_runtime_start_thread(rt, &bad_cpu, &t), WEFT_EINVAL);
    weft_thread_options_t no_names = { .source = "1", .source_len = 1, .n_ports = 1 };
    assert_int_equal(weft_runtime_start_thread(rt, &no_names, &t), WEFT_EINVAL);
    assert_int_equal(weft_runtime_start_thread(rt, NULL, &t), WEFT_EINVAL);

    /* data, capabilities, and a port sent later. */
    weft_port_t *c_end, *js_end, *c2, *js2;
    OK(weft_channel_new(&c_end, &js_end));
    OK(weft_channel_new(&c2, &js2));
    const char *names[] = { "results" };
    weft_port_t *ports[] = { js_end };
    weft_thread_options_t dup = { .source = "1", .source_len = 1, .n_ports = 2,
                                  .port_names = (const char *[]){ "a", "b" },
                                  .ports = (weft_port_t *[]){ js_end, js_end } };
    assert_int_equal(weft_runtime_start_thread(rt, &dup, &t), WEFT_EINVAL);
    weft_thread_options_t o = {
        .source =
            "import { data, capabilities, parent, threadName } from 'weft';\n"
            "capabilities.results.postMessage({ data, threadName, argv: process.argv.length });\n"
            "parent.on('message', (port) => { port.postMessage('over the sent port'); parent.close(); });\n",
        .source_len = (size_t)-1,
        .module = 1,
        .name = "worker",
        .data_json = "{\"rows\": [1, 2]}",
        .n_ports = 1,
        .port_names = names,
        .ports = ports,
    };
    OK(weft_runtime_start_thread(rt, &o, &t));
    assert_true(weft_thread_id(t) > 0);
    /* The capability's handle was consumed. */
    assert_int_equal(weft_port_send_json(js_end, "1", 1), WEFT_EINVAL);
    weft_port_free(js_end);
    expect_json(c_end, "{\"data\":{\"rows\":[1,2]},\"threadName\":\"worker\",\"argv\":2}");
    OK(weft_port_send_port(weft_thread_port(t), js2));
    assert_int_equal(weft_port_send_json(js2, "1", 1), WEFT_EINVAL);
    expect_json(c2, "\"over the sent port\"");
    /* A thread's port is not the embedder's to free or to give away. */
    weft_port_free(weft_thread_port(t));
    assert_non_null(strstr(weft_last_error(), "thread"));
    assert_int_equal(weft_port_send_port(c_end, weft_thread_port(t)), WEFT_EINVAL);
    assert_int_equal(wait_exit(weft_thread_port(t)), 0);
    weft_thread_free(t);
    weft_port_free(c_end);
    weft_port_free(c2);
    weft_runtime_free(rt);
}

static void test_file_entry_and_limits(void **state)
{
    char path[] = "/tmp/weft-test-api-XXXXXX.mjs";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    const char *js =
        "import { parent, stats } from 'weft';\n"
        "parent.postMessage(stats().heapLimit);\n"
        "parent.on('message', () => { globalThis.big = new Uint8Array(64 << 20); });\n";
    assert_int_equal(write(fd, js, strlen(js)), (ssize_t)strlen(js));
    close(fd);
    weft_runtime_options_t opts = { .memory_limit = 16 << 20, .gc_threshold = 1 << 20 };
    weft_runtime_t *rt;
    OK(weft_runtime_new(&rt, &opts));
    weft_thread_options_t o = { .file = path };
    weft_thread_t *t;
    OK(weft_runtime_start_thread(rt, &o, &t));
    expect_json(weft_thread_port(t), "16777216");
    OK(weft_port_send_json(weft_thread_port(t), "0", 1));
    assert_int_equal(wait_exit(weft_thread_port(t)), 1); /* out of memory */
    weft_thread_free(t);
    /* The main thread has the limit too. */
    weft_thread_stats_t st;
    OK(weft_runtime_stats(rt, &st));
    assert_int_equal(st.heap_limit, 16 << 20);
    assert_true(st.heap_used > 0);
    assert_int_equal(weft_runtime_stats(rt, NULL), WEFT_EINVAL);
    weft_runtime_free(rt);
    unlink(path);
}

static void test_threads_by_id(void **state)
{
    weft_runtime_t *rt = new_runtime();
    const char *js =
        "const { Thread } = require('weft');\n"
        "globalThis.spinner = new Thread('for (;;);', { source: true });\n"
        "spinner.on('exit', (code) => { globalThis.spinnerExit = code; });\n"
        "globalThis.spinnerId = spinner.id;\n";
    OK(weft_runtime_eval(rt, js, (size_t)-1, NULL, 0));
    /* Wait until the thread is listed (it registers when it starts). */
    uint64_t ids[4];
    size_t count = 0;
    for (int i = 0; i < 1000 && count == 0; i++) {
        OK(weft_runtime_threads(rt, ids, 4, &count));
        if (!count) {
            struct timespec ts = { 0, 1000000 };
            nanosleep(&ts, NULL);
        }
    }
    assert_int_equal(count, 1);
    assert_int_equal(weft_runtime_threads(rt, NULL, 4, &count), WEFT_EINVAL);
    OK(weft_runtime_threads(rt, NULL, 0, &count));
    assert_int_equal(count, 1);
    weft_thread_stats_t st;
    OK(weft_runtime_thread_stats(rt, ids[0], &st));
    assert_true(st.state == WEFT_STATE_ONLINE || st.state == WEFT_STATE_STARTING);
    assert_int_equal(weft_runtime_thread_stats(rt, 999999, &st), WEFT_ENOENT);
    assert_int_equal(weft_runtime_thread_stats(rt, ids[0], NULL), WEFT_EINVAL);
    assert_int_equal(weft_runtime_terminate_thread(rt, 999999), WEFT_ENOENT);
    OK(weft_runtime_terminate_thread(rt, ids[0]));
    OK(weft_runtime_run_loop(rt, WEFT_RUN_DEFAULT, NULL));
    char check[128];
    snprintf(check, sizeof check, "if (spinnerExit !== 1 || spinnerId !== %llu) throw new Error('no')",
             (unsigned long long)ids[0]);
    OK(weft_runtime_eval(rt, check, (size_t)-1, NULL, 0));
    OK(weft_runtime_threads(rt, ids, 4, &count));
    assert_int_equal(count, 0);
    weft_runtime_free(rt);
}

static void test_terminate_and_wait(void **state)
{
    weft_runtime_t *rt = new_runtime();
    weft_thread_t *t = start_source(rt, "require('weft').parent.postMessage('spinning'); for (;;);");
    expect_json(weft_thread_port(t), "\"spinning\"");
    assert_int_equal(weft_thread_wait(t, 20), WEFT_ETIMEDOUT);
    assert_int_equal(weft_thread_wait(t, 0.0 / 0.0), WEFT_EINVAL);
    weft_thread_stats_t st;
    OK(weft_thread_get_stats(t, &st));
    assert_true(st.cpu_time_ms > 0);
    assert_int_equal(weft_thread_get_stats(t, NULL), WEFT_EINVAL);
    OK(weft_thread_terminate(t));
    OK(weft_thread_wait(t, -1));
    OK(weft_thread_terminate(t)); /* after exit: nothing to do */
    assert_int_equal(wait_exit(weft_thread_port(t)), 1);
    weft_thread_free(t);
    assert_int_equal(weft_thread_terminate(t), WEFT_EINVAL);
    weft_thread_free(t);
    /* An uncaught error arrives as an error message, then the exit. */
    t = start_source(rt, "throw new TypeError('thrown')");
    weft_message_t *m = next_message(weft_thread_port(t));
    assert_int_equal(weft_message_get_kind(m), WEFT_MESSAGE_ERROR);
    char *json;
    OK(weft_message_json(m, &json, NULL));
    assert_non_null(strstr(json, "\"name\":\"TypeError\",\"message\":\"thrown\""));
    weft_free(json);
    weft_message_free(m);
    assert_int_equal(wait_exit(weft_thread_port(t)), 1);
    weft_thread_free(t);
    weft_runtime_free(rt);
}

/* Sends from many C threads at once to one JavaScript thread. */
typedef struct sender_arg {
    weft_port_t *port;
    int base;
} sender_arg;

static void *sender(void *arg)
{
    sender_arg *a = arg;
    for (int i = 0; i < 250; i++) {
        char json[32];
        snprintf(json, sizeof json, "%d", a->base + i);
        if (weft_port_send_json(a->port, json, (size_t)-1) != WEFT_OK)
            return (void *)1;
    }
    return NULL;
}

static void test_concurrent_senders(void **state)
{
    weft_runtime_t *rt = new_runtime();
    weft_thread_t *t = start_source(rt,
        "const { parent } = require('weft');\n"
        "let n = 0, sum = 0;\n"
        "parent.on('message', (v) => { sum += v; if (++n === 1000) { parent.postMessage(sum); parent.close(); } });\n");
    pthread_t tids[4];
    sender_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (sender_arg){ weft_thread_port(t), i * 1000 };
        assert_int_equal(pthread_create(&tids[i], NULL, sender, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(tids[i], &rc);
        assert_null(rc);
    }
    /* sum of i*1000 + j for i < 4, j < 250 */
    expect_json(weft_thread_port(t), "1624500");
    assert_int_equal(wait_exit(weft_thread_port(t)), 0);
    weft_thread_free(t);
    weft_runtime_free(rt);
}

/* ---- C functions for JavaScript ------------------------------------------------ */

static void fn_add(weft_call_t *call, void *opaque)
{
    assert_int_equal(weft_call_argc(call), 2);
    double a = atof(weft_call_arg_json(call, 0)), b = atof(weft_call_arg_json(call, 1));
    char json[64];
    snprintf(json, sizeof json, "%g", a + b);
    OK(weft_call_return_json(call, json, (size_t)-1));
    /* Completed: a second completion is refused (and once the function
     * returned, the handle is gone: WEFT_EINVAL). */
    assert_int_equal(weft_call_return_json(call, "1", 1), WEFT_ESTATE);
}

static void fn_inspect(weft_call_t *call, void *opaque)
{
    /* Arguments: JSON text, NULL for undefined, bytes for buffers. */
    char out[256] = "";
    for (int i = 0; i < weft_call_argc(call); i++) {
        const void *data;
        size_t len;
        const char *json = weft_call_arg_json(call, i);
        char item[64];
        if (weft_call_arg_bytes(call, i, &data, &len) == WEFT_OK)
            snprintf(item, sizeof item, "bytes:%zu:%d", len, len ? ((const uint8_t *)data)[0] : -1);
        else
            snprintf(item, sizeof item, "%s", json ? json : "undefined");
        strcat(out, i ? "|" : "");
        strcat(out, item);
    }
    assert_null(weft_call_arg_json(call, 99));
    const void *d;
    size_t l;
    assert_int_equal(weft_call_arg_bytes(call, -1, &d, &l), WEFT_EINVAL);
    assert_int_equal(weft_call_arg_bytes(call, 0, NULL, &l), WEFT_EINVAL);
    char *q = quote(out);
    OK(weft_call_return_json(call, q, (size_t)-1));
    free(q);
}

static void fn_bytes(weft_call_t *call, void *opaque)
{
    OK(weft_call_return_bytes(call, "\x05\x06", 2));
}

static void fn_throw(weft_call_t *call, void *opaque)
{
    OK(weft_call_throw(call, "no from C"));
}

static void fn_nothing(weft_call_t *call, void *opaque)
{
    /* A synchronous function that does not complete: undefined. */
}

static void fn_bad_result(weft_call_t *call, void *opaque)
{
    assert_int_equal(weft_call_return_json(call, "{oops", (size_t)-1), WEFT_EINVAL);
    OK(weft_call_return_json(call, NULL, 0)); /* undefined */
}

static void *complete_later(void *arg)
{
    struct timespec ts = { 0, 10 * 1000000 };
    nanosleep(&ts, NULL);
    weft_call_t *call = arg;
    const char *json = weft_call_arg_json(call, 0);
    if (json && strcmp(json, "\"fail\"") == 0)
        weft_call_throw(call, "failed later");
    else
        weft_call_return_json(call, json ? json : "null", (size_t)-1);
    return NULL;
}

static void fn_async(weft_call_t *call, void *opaque)
{
    pthread_t tid;
    assert_int_equal(pthread_create(&tid, NULL, complete_later, call), 0);
    pthread_detach(tid);
}

static void fn_async_now(weft_call_t *call, void *opaque)
{
    OK(weft_call_return_json(call, "\"at once\"", (size_t)-1));
}

static void fn_thread_id(weft_call_t *call, void *opaque)
{
    char json[32];
    snprintf(json, sizeof json, "%llu", (unsigned long long)weft_call_thread_id(call));
    OK(weft_call_return_json(call, json, (size_t)-1));
}

static void test_expose(void **state)
{
    weft_runtime_t *rt = new_runtime();
    assert_int_equal(weft_runtime_expose(rt, "1bad", fn_add, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_runtime_expose(rt, "default", fn_add, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_runtime_expose(rt, "has space", fn_add, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_runtime_expose(rt, "ok", NULL, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_runtime_expose(rt, NULL, fn_add, NULL, 0), WEFT_EINVAL);
    assert_int_equal(weft_runtime_expose(rt, "f", fn_add, NULL, 0x10), WEFT_EINVAL);
    OK(weft_runtime_expose(rt, "add", fn_add, NULL, 0));
    assert_int_equal(weft_runtime_expose(rt, "add", fn_add, NULL, 0), WEFT_EINVAL);
    OK(weft_runtime_expose(rt, "inspect", fn_inspect, NULL, 0));
    OK(weft_runtime_expose(rt, "bytes", fn_bytes, NULL, 0));
    OK(weft_runtime_expose(rt, "fails", fn_throw, NULL, 0));
    OK(weft_runtime_expose(rt, "nothing", fn_nothing, NULL, 0));
    OK(weft_runtime_expose(rt, "badResult", fn_bad_result, NULL, 0));
    OK(weft_runtime_expose(rt, "later", fn_async, NULL, WEFT_FUNCTION_ASYNC));
    OK(weft_runtime_expose(rt, "now", fn_async_now, NULL, WEFT_FUNCTION_ASYNC));
    OK(weft_runtime_expose(rt, "failsAsync", fn_throw, NULL, WEFT_FUNCTION_ASYNC));
    OK(weft_runtime_expose(rt, "threadId", fn_thread_id, NULL, 0));
    const char *js =
        "import { add, inspect, bytes, fails, nothing, badResult, later, now, failsAsync, threadId } from 'weft:embed';\n"
        "import { Thread } from 'weft';\n"
        "const check = (what, got, want) => { if (JSON.stringify(got) !== JSON.stringify(want))\n"
        "  throw new Error(`${what}: ${JSON.stringify(got)} !== ${JSON.stringify(want)}`); };\n"
        "check('add', add(2, 3.5), 5.5);\n"
        "check('inspect', inspect(1, 'two', undefined, null, { a: [1] }, new Uint8Array([9, 8]), new ArrayBuffer(0)),\n"
        "  '1|\"two\"|undefined|null|{\"a\":[1]}|bytes:2:9|bytes:0:-1');\n"
        "const b = bytes(); check('bytes', [b instanceof ArrayBuffer, [...new Uint8Array(b)]], [true, [5, 6]]);\n"
        "try { fails(); throw new Error('fails() returned'); } catch (e) {\n"
        "  check('fails', [e.message, e.code], ['no from C', 'ERR_EMBED_CALL']); }\n"
        "check('nothing', nothing(), undefined);\n"
        "check('badResult', badResult(), undefined);\n"
        "try { inspect(1n); throw new Error('BigInt accepted'); } catch (e) { check('bigint', e.name, 'TypeError'); }\n"
        "check('later', await later({ x: 1 }), { x: 1 });\n"
        "check('now', await now(), 'at once');\n"
        "check('many', await Promise.all([later(1), later(2), later(3)]), [1, 2, 3]);\n"
        "await later('fail').then(() => { throw new Error('resolved'); }, (e) => check('rejects', e.message, 'failed later'));\n"
        "await failsAsync().then(() => { throw new Error('resolved'); }, (e) => check('failsAsync', e.message, 'no from C'));\n"
        "check('main id', threadId(), 0);\n"
        "const t = new Thread(async () => {\n"
        "  const { later, threadId } = require('weft:embed');\n"
        "  require('weft').parent.postMessage([await later('in a thread'), threadId() === require('weft').threadId]);\n"
        "});\n"
        "check('thread', await new Promise((r) => t.once('message', r)), ['in a thread', true]);\n"
        "globalThis.done = true;\n";
    OK(weft_runtime_eval(rt, js, (size_t)-1, "expose.mjs", 1));
    OK(weft_runtime_run_loop(rt, WEFT_RUN_DEFAULT, NULL));
    OK(weft_runtime_eval(rt, "if (globalThis.done !== true) throw new Error('not done')", (size_t)-1, NULL, 0));
    assert_int_equal(weft_runtime_expose(rt, "late", fn_add, NULL, 0), WEFT_ESTATE);
    weft_runtime_free(rt);
}

/* A runtime without exposed functions still has the module, empty; a
 * thread that ends while a call is pending drops its result safely. */
static void test_expose_edge_cases(void **state)
{
    weft_runtime_t *rt = new_runtime();
    OK(weft_runtime_eval(rt, "import * as embed from 'weft:embed'; if (Object.keys(embed).length) throw 1;",
                         (size_t)-1, "empty.mjs", 1));
    weft_runtime_free(rt);

    rt = new_runtime();
    OK(weft_runtime_expose(rt, "later", fn_async, NULL, WEFT_FUNCTION_ASYNC));
    weft_thread_t *t = start_source(rt, "require('weft:embed').later(1); process.exit(0);");
    assert_int_equal(wait_exit(weft_thread_port(t)), 0);
    weft_thread_free(t);
    /* Give the completer time to run against the ended thread. */
    struct timespec ts = { 0, 50 * 1000000 };
    nanosleep(&ts, NULL);
    weft_runtime_free(rt);
}

/* os.Worker.parent.onmessageerror (QuickJS's API on weft) gets a message
 * that cannot be deserialized; the worker goes on. Such a message cannot be
 * made from JavaScript: it is posted here below the API. */
static void test_qjs_onmessageerror(void **state)
{
    weft_runtime_t *rt = new_runtime();
    weft_thread_options_t o = {
        .source =
            "import * as os from 'os';\n"
            "const parent = os.Worker.parent;\n"
            "parent.onmessageerror = (e) => parent.postMessage(`messageerror: ${e.name}`);\n"
            "parent.onmessage = (e) => { parent.postMessage(`message: ${e.data}`); parent.onmessage = null; };\n",
        .source_len = (size_t)-1,
        .module = 1,
    };
    weft_thread_t *t;
    OK(weft_runtime_start_thread(rt, &o, &t));
    weft_port_t *p = weft_thread_port(t);
    static const uint8_t corrupt[] = { 1, 8 /* a string */, 100 /* of 100 bytes, missing */ };
    weft_message *m = weft__message_new(WEFT_MSG_DATA, corrupt, sizeof corrupt);
    assert_non_null(m);
    weft__port_post(p->port, m);
    OK(weft_port_send_json(p, "\"after\"", (size_t)-1));
    expect_json(p, "\"messageerror: TypeError\"");
    expect_json(p, "\"message: after\"");
    assert_int_equal(wait_exit(p), 0); /* no handler left: the worker ends */
    weft_thread_free(t);
    weft_runtime_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_version),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_bad_handles),
        cmocka_unit_test(test_bad_json),
        cmocka_unit_test(test_channel_in_c),
        cmocka_unit_test(test_run_source),
        cmocka_unit_test(test_eval_and_loop),
        cmocka_unit_test(test_wrong_thread),
        cmocka_unit_test(test_factories),
        cmocka_unit_test(test_failing_factory),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_values_from_javascript),
        cmocka_unit_test(test_bytes_to_javascript),
        cmocka_unit_test(test_start_options),
        cmocka_unit_test(test_file_entry_and_limits),
        cmocka_unit_test(test_threads_by_id),
        cmocka_unit_test(test_terminate_and_wait),
        cmocka_unit_test(test_concurrent_senders),
        cmocka_unit_test(test_expose),
        cmocka_unit_test(test_expose_edge_cases),
        cmocka_unit_test(test_qjs_onmessageerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
