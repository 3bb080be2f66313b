/* Unit tests for src/core/port.c: channel queues under concurrent senders,
 * close semantics, blocking receive with timeouts, inboxes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uv.h>

#include "core/message.h"
#include "core/port.h"

static weft_message *numbered(uint32_t sender, uint32_t seq)
{
    uint32_t data[2] = { sender, seq };
    weft_message *m = weft__message_new(WEFT_MSG_DATA, (const uint8_t *)data, sizeof data);
    assert_non_null(m);
    return m;
}

static void decode(const weft_message *m, uint32_t *sender, uint32_t *seq)
{
    uint32_t data[2];
    assert_int_equal(m->len, sizeof data);
    memcpy(data, m->data, sizeof data);
    *sender = data[0];
    *seq = data[1];
}

enum { SENDERS = 6, EACH = 20000 };

typedef struct sender_arg {
    weft_port *port;
    uint32_t id;
} sender_arg;

static void send_many(void *p)
{
    sender_arg *a = p;
    for (uint32_t i = 0; i < EACH; i++)
        weft__port_post(a->port, numbered(a->id, i));
}

/* Many OS threads post through the same end at once: every message arrives
 * once, and each sender's messages keep their order. */
static void test_concurrent_senders(void **state)
{
    weft_port *a, *b;
    assert_int_equal(weft__port_pair(&a, &b), 0);
    uv_thread_t threads[SENDERS];
    sender_arg args[SENDERS];
    for (uint32_t s = 0; s < SENDERS; s++) {
        args[s] = (sender_arg){ a, s };
        assert_int_equal(uv_thread_create(&threads[s], send_many, &args[s]), 0);
    }
    uint32_t next[SENDERS] = { 0 };
    uint32_t total = 0;
    while (total < SENDERS * EACH) {
        weft_message *m = weft__port_receive(b, 5000);
        assert_non_null(m);
        uint32_t s, seq;
        decode(m, &s, &seq);
        assert_true(s < SENDERS);
        assert_int_equal(seq, next[s]);
        next[s]++;
        total++;
        weft__message_free(m);
    }
    for (uint32_t s = 0; s < SENDERS; s++)
        assert_int_equal(uv_thread_join(&threads[s]), 0);
    assert_null(weft__port_receive(b, 0));
    assert_int_equal(weft__port_messages_in(b), SENDERS * EACH);
    weft__port_release(a);
    weft__port_release(b);
}

/* The peer sees what was queued, then CLOSE; posting after close drops the
 * message; the closing side's own queue is dropped. */
static void test_close(void **state)
{
    weft_port *a, *b;
    assert_int_equal(weft__port_pair(&a, &b), 0);
    weft__port_post(a, numbered(0, 1));
    weft__port_post(b, numbered(1, 1)); /* queued for a, dropped by a's close */
    weft__port_close(a);
    weft__port_close(a);
    weft__port_post(a, numbered(0, 2));
    weft__port_post(b, numbered(1, 2));
    assert_true(weft__port_is_closed(b));

    weft_message *m = weft__port_receive(b, 0);
    assert_non_null(m);
    assert_int_equal(m->kind, WEFT_MSG_DATA);
    weft__message_free(m);
    m = weft__port_receive(b, 0);
    assert_non_null(m);
    assert_int_equal(m->kind, WEFT_MSG_CLOSE);
    weft__message_free(m);
    /* A closed, drained channel answers at once even without a timeout. */
    assert_null(weft__port_receive(b, -1));
    assert_null(weft__port_receive(a, -1));

    /* Control notices still pass a closed channel. */
    weft_message *exit = weft__message_new(WEFT_MSG_EXIT, NULL, 0);
    weft__port_post(a, exit);
    m = weft__port_receive(b, 0);
    assert_non_null(m);
    assert_int_equal(m->kind, WEFT_MSG_EXIT);
    weft__message_free(m);
    weft__port_release(a);
    weft__port_release(b);
}

static void test_receive_timeout(void **state)
{
    weft_port *a, *b;
    assert_int_equal(weft__port_pair(&a, &b), 0);
    uint64_t t0 = uv_hrtime();
    assert_null(weft__port_receive(b, 30));
    assert_true(uv_hrtime() - t0 >= 29 * 1000000ull);
    weft__port_release(a);
    weft__port_release(b);
}

static void post_later(void *p)
{
    uv_sleep(20);
    weft__port_post(p, numbered(9, 9));
}

/* A blocked receive is woken by a post from another thread. */
static void test_receive_wakes(void **state)
{
    weft_port *a, *b;
    assert_int_equal(weft__port_pair(&a, &b), 0);
    uv_thread_t t;
    assert_int_equal(uv_thread_create(&t, post_later, a), 0);
    weft_message *m = weft__port_receive(b, -1);
    assert_non_null(m);
    uint32_t s, seq;
    decode(m, &s, &seq);
    assert_int_equal(s, 9);
    weft__message_free(m);
    assert_int_equal(uv_thread_join(&t), 0);
    weft__port_release(a);
    weft__port_release(b);
}

/* Requeued messages come back first, in order. */
static void test_requeue(void **state)
{
    weft_port *a, *b;
    assert_int_equal(weft__port_pair(&a, &b), 0);
    for (uint32_t i = 0; i < 4; i++)
        weft__port_post(a, numbered(0, i));
    weft_message *last;
    weft_message *all = weft__port_take_all(b, &last);
    assert_non_null(all);
    weft_message *rest = all->next;
    all->next = NULL;
    weft__message_free(all);
    weft__port_post(a, numbered(0, 4));
    weft__port_requeue(b, rest, last);
    for (uint32_t i = 1; i <= 4; i++) {
        weft_message *m = weft__port_receive(b, 0);
        uint32_t s, seq;
        decode(m, &s, &seq);
        assert_int_equal(seq, i);
        weft__message_free(m);
    }
    weft__port_release(a);
    weft__port_release(b);
}

static int delivered;

static void count_mail(weft_port *p, void *arg)
{
    if (!p)
        return;
    for (weft_message *m = weft__port_take_all(p, NULL); m;) {
        weft_message *next = m->next;
        delivered++;
        weft__message_free(m);
        m = next;
    }
}

/* An inbox without a loop wakes its thread through its condition; after
 * use_loop, through the loop. Mail that came before is not lost. */
static void test_inbox_modes(void **state)
{
    weft_port *a, *b;
    assert_int_equal(weft__port_pair(&a, &b), 0);
    weft_inbox *in = weft__inbox_new(count_mail, NULL);
    assert_non_null(in);
    weft__port_set_owner(b, in);
    weft__port_listen(b, true);
    delivered = 0;
    weft__port_post(a, numbered(0, 0));
    weft__port_post(a, numbered(0, 1));
    weft__inbox_wait(in);
    weft__inbox_process(in);
    assert_int_equal(delivered, 2);

    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    weft__inbox_ref(in); /* a started port keeps the loop polling */
    weft__port_post(a, numbered(0, 2)); /* before the loop exists */
    assert_int_equal(weft__inbox_use_loop(in, &loop), 0);
    weft__port_post(a, numbered(0, 3));
    uv_run(&loop, UV_RUN_NOWAIT);
    assert_int_equal(delivered, 4);

    weft__inbox_unref(in);
    weft__port_set_owner(b, NULL);
    weft__inbox_close(in);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    weft__port_release(a);
    weft__port_release(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_senders),
        cmocka_unit_test(test_close),
        cmocka_unit_test(test_receive_timeout),
        cmocka_unit_test(test_receive_wakes),
        cmocka_unit_test(test_requeue),
        cmocka_unit_test(test_inbox_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
