/*
 * api_thread: JavaScript threads started from C (weft.h). A thread started
 * here is the same as one started by `new Thread()` in JavaScript: its
 * `parent` port's other end is a C port (weft_thread_port), its start data
 * and capabilities are written in weft's wire format by api_wire.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/api.h"
#include "core/api_port.h"
#include "core/thread.h"
#include "core/vm.h"

struct weft_thread_s {
    api_handle h;
    weft_thread *t;        /* one reference */
    weft_port_t *port;     /* the parent end, owned by this handle */
};

/* runtime.c */
weft_embed *weft__runtime_embed(weft_runtime_t *rt);
int weft__runtime_acquire_owned(weft_runtime_t *ptr, const char *what, weft_runtime_t **out);
void weft__runtime_copy_stats(const weft_thread_stats *in, weft_thread_stats_t *out);

static void thread_destroy(api_handle *h)
{
    weft_thread_t *th = (weft_thread_t *)h;
    if (th->port) {
        th->port->thread_owned = false;
        if (weft__api_unregister(th->port, API_PORT))
            weft__api_release(&th->port->h);
    }
    weft__thread_release(th->t);
    free(th);
}

/* The start payload, { data, capabilities }, as weft:lib/weft reads it. */
static int start_message(const weft_thread_options_t *o, weft_port_t **ports, weft_message **out)
{
    wire_buf b;
    weft__wire_init(&b);
    weft__wire_byte(&b, WIRE_OBJECT);
    weft__wire_key(&b, "data");
    if (o->data_json) {
        int err = weft__wire_json(&b, o->data_json, strlen(o->data_json));
        if (err) {
            weft__wire_free(&b);
            return weft__api_fail(err, "weft_runtime_start_thread: data_json: %s", weft_last_error());
        }
    } else {
        weft__wire_byte(&b, WIRE_UNDEFINED);
    }
    weft__wire_key(&b, "capabilities");
    weft__wire_byte(&b, WIRE_OBJECT);
    for (size_t i = 0; i < o->n_ports; i++) {
        weft__wire_key(&b, o->port_names[i]);
        weft__wire_byte(&b, WIRE_PORT);
        weft__wire_varint(&b, i);
    }
    weft__wire_end_props(&b);
    weft__wire_end_props(&b);
    weft_message *m = weft__wire_message(&b);
    weft_message_sides *sides = o->n_ports && m ? weft__message_sides(m) : NULL;
    weft_port **refs = sides ? calloc(o->n_ports, sizeof *refs) : NULL;
    if (!m || (o->n_ports && !refs)) {
        weft__message_free(m);
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    }
    /* The message holds references of its own until the thread adopts the
     * ports; the handles are consumed only once the thread started. */
    for (size_t i = 0; i < o->n_ports; i++) {
        weft__port_retain(ports[i]->port);
        refs[i] = ports[i]->port;
    }
    if (sides) {
        sides->ports = refs;
        sides->n_ports = (uint32_t)o->n_ports;
    }
    *out = m;
    return WEFT_OK;
}

static void release_ports(weft_port_t **ports, size_t n)
{
    if (!ports)
        return;
    for (size_t i = 0; i < n; i++) {
        if (ports[i])
            weft__api_release(&ports[i]->h);
    }
    free(ports);
}

/* Checks the options; takes a reference on each port handle. */
static int check_options(const weft_thread_options_t *o, weft_port_t ***ports_out)
{
    *ports_out = NULL;
    if (!o)
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: opts is NULL");
    if (!o->file == !o->source)
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: give exactly one of file and source");
    if (o->cpu_limit_ms < 0 || o->cpu_limit_ms != o->cpu_limit_ms)
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: cpu_limit_ms is negative");
    if (o->n_ports && (!o->port_names || !o->ports))
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: n_ports > 0 without port_names or ports");
    if (o->n_ports > 1024)
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: too many ports");
    weft_port_t **ports = o->n_ports ? calloc(o->n_ports, sizeof *ports) : NULL;
    if (o->n_ports && !ports)
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    for (size_t i = 0; i < o->n_ports; i++) {
        if (!o->port_names[i] || !o->port_names[i][0]) {
            release_ports(ports, o->n_ports);
            return weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: port_names[%zu] is empty", i);
        }
        ports[i] = weft__api_port_acquire(o->ports[i], "weft_runtime_start_thread");
        if (!ports[i] || ports[i]->thread_owned) {
            int err = ports[i] ? weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: ports[%zu] belongs to a thread", i)
                               : weft__api_last_code();
            release_ports(ports, o->n_ports);
            return err;
        }
        for (size_t j = 0; j < i; j++) {
            if (ports[j] == ports[i]) {
                release_ports(ports, o->n_ports);
                return weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: ports[%zu] is given twice", i);
            }
        }
    }
    *ports_out = ports;
    return WEFT_OK;
}

int weft_runtime_start_thread(weft_runtime_t *ptr, const weft_thread_options_t *o, weft_thread_t **out)
{
    if (!out)
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_start_thread: out is NULL");
    *out = NULL;
    weft_runtime_t *rt;
    int err = weft__runtime_acquire_owned(ptr, "weft_runtime_start_thread", &rt);
    if (err)
        return err;
    weft_port_t **ports = NULL;
    char *entry = NULL;
    weft_message *start = NULL;
    err = check_options(o, &ports);
    if (!err && o->file) {
        entry = realpath(o->file, NULL);
        if (!entry)
            err = weft__api_fail(WEFT_ENOENT, "weft_runtime_start_thread: cannot find '%s'", o->file);
    } else if (!err) {
        size_t len = o->source_len == (size_t)-1 ? strlen(o->source) : o->source_len;
        entry = malloc(len + 1);
        if (!entry) {
            err = weft__api_fail(WEFT_ENOMEM, "out of memory");
        } else {
            memcpy(entry, o->source, len);
            entry[len] = '\0';
        }
    }
    if (!err)
        err = start_message(o, ports, &start);
    weft_thread_t *th = NULL;
    if (!err && !(th = calloc(1, sizeof *th)))
        err = weft__api_fail(WEFT_ENOMEM, "out of memory");
    if (!err) {
        weft_embed *e = weft__runtime_embed(rt);
        const char *argv[2] = { "weft", o->file ? entry : (o->name ? o->name : "[thread]") };
        weft_thread_options topts = {
            .kind = o->file ? WEFT_ENTRY_FILE : WEFT_ENTRY_SOURCE,
            .entry = entry,
            .module = o->module != 0,
            .name = o->name ? o->name : "",
            .filename = o->file ? NULL : (o->name ? o->name : "[thread]"),
            .memory_limit = o->memory_limit,
            .stack_size = o->stack_size,
            .cpu_limit_ms = o->cpu_limit_ms,
            .argc = 2,
            .argv = argv,
            .start = start,
            .embed = e,
        };
        weft__embed_thread_defaults(e, &topts.memory_limit, &topts.stack_size);
        weft_port *parent_end;
        start = NULL; /* weft__thread_start takes it in every case */
        int uverr = weft__thread_start(&topts, &th->t, &parent_end);
        if (uverr) {
            err = weft__api_fail(WEFT_ESYS, "weft_runtime_start_thread: cannot start a thread: %s", uv_strerror(uverr));
        } else {
            err = weft__api_port_new(parent_end, NULL, true, &th->port);
            if (err) {
                weft__port_release(parent_end);
            } else {
                err = weft__api_register(&th->h, API_THREAD, thread_destroy);
                if (err) {
                    th->port->thread_owned = false;
                    weft_port_free(th->port);
                }
            }
            if (err) {
                weft__thread_terminate(th->t);
                weft__thread_release(th->t);
            }
        }
    }
    if (err) {
        free(th);
    } else {
        /* The thread took the ports (the start message has references of
         * its own): the handles are spent, and their references go. */
        for (size_t i = 0; i < (o ? o->n_ports : 0); i++) {
            weft_port *core = ports[i]->port;
            weft__api_port_consume(ports[i]);
            weft__port_release(core);
        }
        *out = th;
    }
    weft__message_free(start);
    release_ports(ports, o ? o->n_ports : 0);
    free(entry);
    weft__api_release((api_handle *)rt);
    return err;
}

static weft_thread_t *acquire_thread(weft_thread_t *ptr, const char *what)
{
    return (weft_thread_t *)weft__api_acquire(ptr, API_THREAD, what);
}

weft_port_t *weft_thread_port(weft_thread_t *ptr)
{
    weft_thread_t *th = acquire_thread(ptr, "weft_thread_port");
    if (!th)
        return NULL;
    weft_port_t *p = th->port;
    weft__api_release(&th->h); /* the port lives as long as the handle */
    return p;
}

uint64_t weft_thread_id(weft_thread_t *ptr)
{
    weft_thread_t *th = acquire_thread(ptr, "weft_thread_id");
    if (!th)
        return 0;
    uint64_t id = weft__thread_id(th->t);
    weft__api_release(&th->h);
    return id;
}

int weft_thread_get_stats(weft_thread_t *ptr, weft_thread_stats_t *out)
{
    weft_thread_t *th = acquire_thread(ptr, "weft_thread_get_stats");
    if (!th)
        return weft__api_last_code();
    int err = WEFT_OK;
    if (!out) {
        err = weft__api_fail(WEFT_EINVAL, "weft_thread_get_stats: out is NULL");
    } else {
        weft_thread_stats st;
        weft__thread_stats(th->t, &st);
        weft__runtime_copy_stats(&st, out);
    }
    weft__api_release(&th->h);
    return err;
}

int weft_thread_terminate(weft_thread_t *ptr)
{
    weft_thread_t *th = acquire_thread(ptr, "weft_thread_terminate");
    if (!th)
        return weft__api_last_code();
    weft__thread_terminate(th->t);
    weft__api_release(&th->h);
    return WEFT_OK;
}

int weft_thread_wait(weft_thread_t *ptr, double timeout_ms)
{
    if (timeout_ms != timeout_ms)
        return weft__api_fail(WEFT_EINVAL, "weft_thread_wait: timeout is NaN");
    weft_thread_t *th = acquire_thread(ptr, "weft_thread_wait");
    if (!th)
        return weft__api_last_code();
    /* The core has no exit condition to wait on (the exit notice goes to
     * the port, which belongs to the embedder): poll, backing off to 1 ms. */
    uint64_t start = uv_hrtime();
    long pause_ns = 10000;
    int err = WEFT_OK;
    while (weft__thread_state(th->t) != WEFT_THREAD_EXITED) {
        double waited = (double)(uv_hrtime() - start) / 1e6;
        if (timeout_ms >= 0 && waited >= timeout_ms) {
            err = weft__api_fail(WEFT_ETIMEDOUT, "weft_thread_wait: the thread is still running");
            break;
        }
        struct timespec ts = { 0, pause_ns };
        nanosleep(&ts, NULL);
        if (pause_ns < 1000000)
            pause_ns *= 2;
    }
    weft__api_release(&th->h);
    return err;
}

void weft_thread_free(weft_thread_t *ptr)
{
    if (!ptr)
        return;
    if (weft__api_unregister(ptr, API_THREAD))
        weft__api_release((api_handle *)ptr);
}
