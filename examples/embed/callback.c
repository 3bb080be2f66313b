/*
 * C functions called from JavaScript threads.
 *
 * The embedder exposes three functions to every thread, as exports of the
 * module 'weft:embed':
 *   checksum(text)  synchronous: returns a number computed in C;
 *   slowSquare(n)   asynchronous: JavaScript gets a promise, which a C
 *                   thread of the embedder settles later;
 *   refuse()        throws an Error from C.
 * The main script and two threads it starts call them.
 *
 * Build: cc callback.c $(pkg-config --cflags --libs weft) -lpthread
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <weft.h>

/* checksum(text): arguments arrive as JSON text. */
static void checksum(weft_call_t *call, void *opaque)
{
    (void)opaque;
    const char *arg = weft_call_argc(call) > 0 ? weft_call_arg_json(call, 0) : NULL;
    if (!arg || arg[0] != '"') {
        weft_call_throw(call, "checksum expects a string");
        return;
    }
    unsigned long sum = 0;
    for (const char *p = arg + 1; *p && *p != '"'; p++)
        sum = sum * 31 + (unsigned char)*p;
    char json[32];
    snprintf(json, sizeof json, "%lu", sum % 1000003);
    weft_call_return_json(call, json, (size_t)-1);
}

/* slowSquare(n): completed by another OS thread, 20 ms later. */
static void *complete_later(void *arg)
{
    weft_call_t *call = arg;
    struct timespec ts = { 0, 20 * 1000000 };
    nanosleep(&ts, NULL);
    double n = atof(weft_call_arg_json(call, 0));
    char json[64];
    snprintf(json, sizeof json, "{\"n\": %g, \"square\": %g}", n, n * n);
    weft_call_return_json(call, json, (size_t)-1); /* any thread may complete a call */
    return NULL;
}

static void slow_square(weft_call_t *call, void *opaque)
{
    (void)opaque;
    if (weft_call_argc(call) < 1 || !weft_call_arg_json(call, 0)) {
        weft_call_throw(call, "slowSquare expects a number");
        return;
    }
    pthread_t tid;
    if (pthread_create(&tid, NULL, complete_later, call) != 0) {
        weft_call_throw(call, "cannot start a thread");
        return;
    }
    pthread_detach(tid);
}

static void refuse(weft_call_t *call, void *opaque)
{
    (void)opaque;
    weft_call_throw(call, "refused by the host");
}

static const char script[] =
    "import { Thread } from 'weft';\n"
    "import { checksum, slowSquare, refuse } from 'weft:embed';\n"
    "console.log('main: checksum', checksum('hello'), (await slowSquare(7)).square);\n"
    "try { refuse(); } catch (err) { console.log('main:', err.message); }\n"
    "const results = await Promise.all([3, 4].map((n) => new Promise((resolve) => {\n"
    "  const t = new Thread(async (n) => {\n"
    "    const { checksum, slowSquare } = require('weft:embed');\n"
    "    const { parent, threadId } = require('weft');\n"
    "    const squares = await Promise.all([slowSquare(n), slowSquare(n + 10)]);\n"
    "    parent.postMessage(`thread ${n}: checksum ${checksum('thread')}, squares ${squares.map((s) => s.square)}`);\n"
    "  }, { data: n });\n"
    "  t.once('message', resolve);\n"
    "})));\n"
    "for (const line of results) console.log(line);\n";

int main(void)
{
    weft_runtime_t *rt;
    if (weft_runtime_new(&rt, NULL) != WEFT_OK) {
        fprintf(stderr, "%s\n", weft_last_error());
        return 1;
    }
    int exit_code = 1;
    if (weft_runtime_expose(rt, "checksum", checksum, NULL, 0) != WEFT_OK ||
        weft_runtime_expose(rt, "slowSquare", slow_square, NULL, WEFT_FUNCTION_ASYNC) != WEFT_OK ||
        weft_runtime_expose(rt, "refuse", refuse, NULL, 0) != WEFT_OK ||
        weft_runtime_run_source(rt, script, strlen(script), "callback.mjs", 1, &exit_code) != WEFT_OK)
        fprintf(stderr, "weft: %s\n", weft_last_error());
    weft_runtime_free(rt);
    return exit_code;
}
