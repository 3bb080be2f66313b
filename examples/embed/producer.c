/*
 * A C producer feeding JavaScript workers.
 *
 * Four JavaScript threads are started from C; a C producer thread (a plain
 * pthread, no JavaScript) sends each of them jobs as JSON and, for the
 * bigger ones, a buffer handed over without a copy. The main C thread
 * collects the results from the workers' ports, then ends the workers.
 *
 * Build: cc producer.c $(pkg-config --cflags --libs weft) -lpthread
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <weft.h>

#define WORKERS 4
#define JOBS 100
#define BLOB 1000000 /* bytes in each buffer job */

/* The worker: squares numbers; sums the bytes of buffers. */
static const char worker_js[] =
    "const { parent, threadName } = require('weft');\n"
    "parent.on('message', (job) => {\n"
    "  if (job === 'done') process.exit(0); /* only this thread ends */\n"
    "  if (job instanceof ArrayBuffer) {\n"
    "    let sum = 0;\n"
    "    for (const b of new Uint8Array(job)) sum += b;\n"
    "    parent.postMessage({ bytes: job.byteLength, sum, by: threadName });\n"
    "  } else {\n"
    "    parent.postMessage({ id: job.id, square: job.n * job.n, by: threadName });\n"
    "  }\n"
    "});\n";

static weft_port_t *ports[WORKERS];

static void fail(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, weft_last_error());
    exit(1);
}

/* Runs on its own OS thread: weft's ports may be used from any thread. */
static void *producer(void *arg)
{
    (void)arg;
    char json[64];
    for (int i = 0; i < JOBS; i++) {
        snprintf(json, sizeof json, "{\"id\": %d, \"n\": %d}", i, i);
        if (weft_port_send_json(ports[i % WORKERS], json, (size_t)-1) != WEFT_OK)
            fail("weft_port_send_json");
    }
    for (int w = 0; w < WORKERS; w++) {
        uint8_t *blob = weft_malloc(BLOB);
        if (!blob)
            fail("weft_malloc");
        memset(blob, w + 1, BLOB);
        /* weft owns blob from here: the worker's ArrayBuffer uses it. */
        if (weft_port_send_buffer(ports[w], blob, BLOB) != WEFT_OK)
            fail("weft_port_send_buffer");
        if (weft_port_send_json(ports[w], "\"done\"", (size_t)-1) != WEFT_OK)
            fail("weft_port_send_json");
    }
    return NULL;
}

int main(void)
{
    weft_runtime_t *rt;
    if (weft_runtime_new(&rt, NULL) != WEFT_OK)
        fail("weft_runtime_new");
    weft_thread_t *workers[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        char name[16];
        snprintf(name, sizeof name, "worker-%d", w);
        weft_thread_options_t o = { .source = worker_js, .source_len = (size_t)-1, .name = name };
        if (weft_runtime_start_thread(rt, &o, &workers[w]) != WEFT_OK)
            fail("weft_runtime_start_thread");
        ports[w] = weft_thread_port(workers[w]);
    }
    pthread_t tid;
    if (pthread_create(&tid, NULL, producer, NULL) != 0)
        return 1;

    /* Each worker answers its jobs in order, then ends: its port reports
     * WEFT_ECLOSED after the exit notice. */
    long long squares = 0, bytes = 0, byte_sum = 0;
    int answers = 0;
    for (int w = 0; w < WORKERS; w++) {
        for (;;) {
            weft_message_t *m;
            int rc = weft_port_recv(ports[w], 10000, &m);
            if (rc == WEFT_ECLOSED)
                break;
            if (rc != WEFT_OK)
                fail("weft_port_recv");
            if (weft_message_get_kind(m) == WEFT_MESSAGE_DATA) {
                char *json;
                size_t len;
                if (weft_message_json(m, &json, &len) != WEFT_OK)
                    fail("weft_message_json");
                long long a, b;
                if (sscanf(json, "{\"id\":%*d,\"square\":%lld", &a) == 1) {
                    squares += a;
                    answers++;
                } else if (sscanf(json, "{\"bytes\":%lld,\"sum\":%lld", &a, &b) == 2) {
                    bytes += a;
                    byte_sum += b;
                }
                if (w == 0 && answers == 1)
                    printf("first answer: %s\n", json);
                weft_free(json);
            }
            weft_message_free(m);
        }
    }
    pthread_join(tid, NULL);
    printf("%d answers, sum of squares %lld\n", answers, squares);
    printf("%lld bytes in buffers, byte sum %lld\n", bytes, byte_sum);
    for (int w = 0; w < WORKERS; w++) {
        weft_thread_stats_t st;
        if (weft_thread_get_stats(workers[w], &st) != WEFT_OK)
            fail("weft_thread_get_stats");
        printf("worker-%d: %llu messages in, %llu out\n", w, (unsigned long long)st.messages_in,
               (unsigned long long)st.messages_out);
        if (weft_thread_wait(workers[w], 10000) != WEFT_OK)
            fail("weft_thread_wait");
        weft_thread_free(workers[w]);
    }
    weft_runtime_free(rt);
    return 0;
}
