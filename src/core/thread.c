#include "core/thread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/vm.h"

#define DEFAULT_STACK_SIZE (4u * 1024 * 1024)
/* Native stack kept free below the JavaScript stack limit for C frames
 * (libuv callbacks, the clone, printing an error). */
#define STACK_MARGIN (128u * 1024)
#define MIN_STACK_SIZE (256u * 1024)

struct weft_thread {
    atomic_int refs;
    uint64_t id;
    pthread_t tid;
    atomic_int state;
    atomic_bool stop;
    atomic_int stop_reason;

    uv_mutex_t lock;              /* guards the three fields below */
    uv_mutex_t *block_mutex;      /* what the thread blocks on, if anything */
    uv_cond_t *block_cond;
    weft_inbox *inbox;            /* the thread's inbox while its vm lives */

    clockid_t cpu_clock;
    atomic_bool cpu_clock_valid;
    _Atomic double cpu_ms_at_exit;
    atomic_size_t heap_used;
    size_t heap_limit;
    atomic_uint_fast64_t messages_in, messages_out;

    /* Start options, owned copies; read by the thread only. */
    weft_entry_kind kind;
    char *entry, *name, *filename;
    bool module;
    size_t stack_size;
    double cpu_limit_ms;
    int argc;
    char **argv;
    weft_message *start;
    weft_port *child_end;
    weft_port *parent_end;        /* where online/error/exit go */
};

static _Thread_local weft_thread *current;
static atomic_uint_fast64_t next_thread_id = 1;

weft_thread *weft__thread_current(void)
{
    return current;
}

void weft__thread_retain(weft_thread *t)
{
    atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
}

static void free_options(weft_thread *t)
{
    free(t->entry);
    free(t->name);
    free(t->filename);
    for (int i = 0; i < t->argc; i++)
        free(t->argv[i]);
    free(t->argv);
    if (t->start)
        weft__message_free(t->start);
}

void weft__thread_release(weft_thread *t)
{
    if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1)
        return;
    free_options(t);
    if (t->child_end)
        weft__port_release(t->child_end);
    if (t->parent_end)
        weft__port_release(t->parent_end);
    uv_mutex_destroy(&t->lock);
    free(t);
}

/* ---- state shared with the creator ---------------------------------------- */

weft_thread_state weft__thread_state(weft_thread *t)
{
    return (weft_thread_state)atomic_load(&t->state);
}

uint64_t weft__thread_id(weft_thread *t)
{
    return t->id;
}

bool weft__thread_stop_requested(weft_thread *t)
{
    return atomic_load(&t->stop);
}

weft_stop_reason weft__thread_stop_reason(weft_thread *t)
{
    return (weft_stop_reason)atomic_load(&t->stop_reason);
}

void weft__thread_request_stop(weft_thread *t, weft_stop_reason reason)
{
    int none = WEFT_STOP_NONE;
    atomic_compare_exchange_strong(&t->stop_reason, &none, (int)reason);
    atomic_store(&t->stop, true);
    /* Wake the thread wherever it sleeps: its loop, or a blocking wait. The
     * lock order is thread lock, then the wait's mutex. */
    uv_mutex_lock(&t->lock);
    if (t->inbox)
        weft__inbox_wake(t->inbox);
    if (t->block_mutex) {
        uv_mutex_lock(t->block_mutex);
        uv_cond_broadcast(t->block_cond);
        uv_mutex_unlock(t->block_mutex);
    }
    uv_mutex_unlock(&t->lock);
}

void weft__thread_terminate(weft_thread *t)
{
    weft__thread_request_stop(t, WEFT_STOP_TERMINATED);
}

void weft__thread_block_begin(weft_thread *t, uv_mutex_t *m, uv_cond_t *c)
{
    uv_mutex_lock(&t->lock);
    t->block_mutex = m;
    t->block_cond = c;
    uv_mutex_unlock(&t->lock);
}

void weft__thread_block_end(weft_thread *t)
{
    uv_mutex_lock(&t->lock);
    t->block_mutex = NULL;
    t->block_cond = NULL;
    uv_mutex_unlock(&t->lock);
}

void weft__thread_count_out(weft_thread *t)
{
    atomic_fetch_add_explicit(&t->messages_out, 1, memory_order_relaxed);
}

void weft__thread_count_in(weft_thread *t)
{
    atomic_fetch_add_explicit(&t->messages_in, 1, memory_order_relaxed);
}

void weft__thread_set_heap_used(weft_thread *t, size_t used)
{
    atomic_store_explicit(&t->heap_used, used, memory_order_relaxed);
}

static double cpu_ms(weft_thread *t)
{
    if (!atomic_load(&t->cpu_clock_valid))
        return atomic_load(&t->cpu_ms_at_exit);
    struct timespec ts;
    if (clock_gettime(t->cpu_clock, &ts) != 0)
        return atomic_load(&t->cpu_ms_at_exit);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

double weft__thread_cpu_ms(weft_thread *t)
{
    return cpu_ms(t);
}

void weft__thread_stats(weft_thread *t, weft_thread_stats *out)
{
    /* The clock id stays valid while the thread runs; the flag is cleared
     * under the lock before the thread ends. */
    uv_mutex_lock(&t->lock);
    out->cpu_ms = cpu_ms(t);
    uv_mutex_unlock(&t->lock);
    out->state = weft__thread_state(t);
    out->heap_used = atomic_load_explicit(&t->heap_used, memory_order_relaxed);
    out->heap_limit = t->heap_limit;
    out->messages_in = atomic_load_explicit(&t->messages_in, memory_order_relaxed);
    out->messages_out = atomic_load_explicit(&t->messages_out, memory_order_relaxed);
}

/* ---- the thread itself ---------------------------------------------------- */

/* EXIT carries the code and, in its data, the stop reason byte followed by
 * an optional message (a start-up failure). */
static void post_exit(weft_thread *t, int code, const char *why)
{
    size_t len = why ? strlen(why) : 0;
    uint8_t *buf = malloc(len + 1);
    weft_message *m = NULL;
    if (buf) {
        buf[0] = (uint8_t)weft__thread_stop_reason(t);
        if (len)
            memcpy(buf + 1, why, len);
        m = weft__message_new(WEFT_MSG_EXIT, buf, len + 1);
        free(buf);
    }
    if (!m)
        m = weft__message_new(WEFT_MSG_EXIT, NULL, 0);
    if (m) {
        m->code = code;
        weft__port_post(t->child_end, m);
    }
}

static void *thread_main(void *arg)
{
    weft_thread *t = arg;
    current = t;
    if (pthread_getcpuclockid(pthread_self(), &t->cpu_clock) == 0)
        atomic_store(&t->cpu_clock_valid, true);

    char err[512];
    weft_vm *vm = NULL;
    weft_vm_options vo = {
        .argc = t->argc,
        .argv = (const char *const *)t->argv,
        .memory_limit = t->heap_limit,
        .stack_size = t->stack_size - STACK_MARGIN,
        .cpu_limit_ms = t->cpu_limit_ms,
        .thread = t,
    };
    int code = 1;
    const char *why = NULL;
    if (weft__vm_new(&vm, &vo, err, sizeof err) != 0) {
        /* Stopped while starting is not a start-up failure. */
        if (!weft__thread_stop_requested(t))
            why = err;
    } else {
        uv_mutex_lock(&t->lock);
        t->inbox = vm->inbox;
        uv_mutex_unlock(&t->lock);
        code = weft__vm_run_thread(vm, t);
        uv_mutex_lock(&t->lock);
        t->inbox = NULL;
        uv_mutex_unlock(&t->lock);
    }
    atomic_store(&t->state, WEFT_THREAD_STOPPING);
    weft__vm_free(vm);

    uv_mutex_lock(&t->lock);
    atomic_store(&t->cpu_ms_at_exit, cpu_ms(t));
    atomic_store(&t->cpu_clock_valid, false);
    uv_mutex_unlock(&t->lock);
    atomic_store(&t->state, WEFT_THREAD_EXITED);
    post_exit(t, code, why);
    weft__thread_release(t);
    return NULL;
}

/* What the thread's vm needs from the start options. */
weft_entry_kind weft__thread_entry(weft_thread *t, const char **entry, const char **filename, bool *module)
{
    *entry = t->entry;
    *filename = t->filename;
    *module = t->module;
    return t->kind;
}

const char *weft__thread_name(weft_thread *t)
{
    return t->name;
}

weft_port *weft__thread_child_end(weft_thread *t)
{
    return t->child_end;
}

weft_message *weft__thread_take_start(weft_thread *t)
{
    weft_message *m = t->start;
    t->start = NULL;
    return m;
}

void weft__thread_post_online(weft_thread *t)
{
    atomic_store(&t->state, WEFT_THREAD_ONLINE);
    weft_message *m = weft__message_new(WEFT_MSG_ONLINE, NULL, 0);
    if (m)
        weft__port_post(t->child_end, m);
}

static int copy_options(weft_thread *t, const weft_thread_options *o)
{
    t->kind = o->kind;
    t->module = o->module;
    t->entry = strdup(o->entry);
    t->name = strdup(o->name ? o->name : "");
    t->filename = o->filename ? strdup(o->filename) : NULL;
    t->argv = calloc((size_t)o->argc + 1, sizeof *t->argv);
    if (!t->entry || !t->name || (o->filename && !t->filename) || !t->argv)
        return UV_ENOMEM;
    for (int i = 0; i < o->argc; i++) {
        if (!(t->argv[i] = strdup(o->argv[i])))
            return UV_ENOMEM;
        t->argc = i + 1;
    }
    return 0;
}

int weft__thread_start(const weft_thread_options *o, weft_thread **out, weft_port **parent_end)
{
    weft_thread *t = calloc(1, sizeof *t);
    if (!t) {
        if (o->start)
            weft__message_free(o->start);
        return UV_ENOMEM;
    }
    t->start = o->start;
    int err = uv_mutex_init(&t->lock);
    if (err) {
        if (t->start)
            weft__message_free(t->start);
        free(t);
        return err;
    }
    atomic_init(&t->refs, 1);
    t->id = atomic_fetch_add(&next_thread_id, 1);
    t->heap_limit = o->memory_limit;
    t->cpu_limit_ms = o->cpu_limit_ms;
    t->stack_size = o->stack_size ? o->stack_size : DEFAULT_STACK_SIZE;
    if (t->stack_size < MIN_STACK_SIZE)
        t->stack_size = MIN_STACK_SIZE;
    err = copy_options(t, o);
    if (!err)
        err = weft__port_pair(&t->parent_end, &t->child_end);
    pthread_attr_t attr;
    if (!err && (err = -pthread_attr_init(&attr)) == 0) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, t->stack_size);
        /* The new thread owns one reference; the caller gets another. */
        weft__thread_retain(t);
        err = -pthread_create(&t->tid, &attr, thread_main, t);
        pthread_attr_destroy(&attr);
        if (err)
            atomic_fetch_sub(&t->refs, 1);
    }
    if (err) {
        weft__thread_release(t);
        return err;
    }
    weft__port_retain(t->parent_end);
    *parent_end = t->parent_end;
    *out = t;
    return 0;
}
