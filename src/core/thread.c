#include "core/thread.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/embed.h"
#include "core/vm.h"

#define DEFAULT_STACK_SIZE (4u * 1024 * 1024)
#define MIN_STACK_SIZE (256u * 1024)

/* ThreadSanitizer keeps about 800 KB of per-thread state at the top of each
 * thread's stack; give it that on top of what the thread asked for. */
#if defined(__SANITIZE_THREAD__)
#define SANITIZER_STACK (1024u * 1024)
#else
#define SANITIZER_STACK 0u
#endif

struct weft_thread {
    atomic_int refs;
    uint64_t id;
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
    atomic_uint_fast64_t idle_ns;   /* waits without a loop */
    atomic_uint_fast64_t idle_since; /* uv_hrtime() a wait began, 0 when none */
    uv_loop_t *loop;              /* guarded by lock: for its idle time */
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
    weft_embed *embed;            /* the embedder's configuration, or NULL */
    weft_port *child_end;
    weft_port *parent_end;        /* where online/error/exit go */

    /* Spares: threads started ahead of need (see "spares" below). */
    bool spare;                   /* waiting in the pool, or was */
    bool prepared;                /* guarded by pool.lock: its vm is made */
    bool claimed;                 /* guarded by pool.lock */
    double cpu_ms_base;           /* CPU spent before the claim */
    struct weft_thread *next_spare;
    struct weft_thread *next_job;  /* guarded by pool.lock: see park() */
};

static _Thread_local weft_thread *current;
static atomic_bool last_entry_commonjs = true; /* see weft__thread_entry_ran */
static atomic_uint_fast64_t next_thread_id = 1;

weft_thread *weft__thread_current(void)
{
    return current;
}

void weft__thread_retain(weft_thread *t)
{
    atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
}

static void clear_options(weft_thread *t);

static void free_options(weft_thread *t)
{
    clear_options(t);
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

/* Only the thread itself counts its messages, so a plain load and store do
 * (no locked add on the hot path); others only read the counts. */
void weft__thread_count_out(weft_thread *t)
{
    uint64_t n = atomic_load_explicit(&t->messages_out, memory_order_relaxed);
    atomic_store_explicit(&t->messages_out, n + 1, memory_order_relaxed);
}

void weft__thread_count_in(weft_thread *t)
{
    uint64_t n = atomic_load_explicit(&t->messages_in, memory_order_relaxed);
    atomic_store_explicit(&t->messages_in, n + 1, memory_order_relaxed);
}

static void add_idle(weft_thread *t, uint64_t ns)
{
    atomic_fetch_add_explicit(&t->idle_ns, ns, memory_order_relaxed);
}

void weft__thread_idle_begin(weft_thread *t)
{
    atomic_store_explicit(&t->idle_since, uv_hrtime(), memory_order_relaxed);
}

void weft__thread_idle_end(weft_thread *t, uint64_t waited_ns)
{
    atomic_store_explicit(&t->idle_since, 0, memory_order_relaxed);
    add_idle(t, waited_ns);
}

void weft__thread_set_loop(weft_thread *t, uv_loop_t *loop)
{
    uv_mutex_lock(&t->lock);
    /* A loop going away leaves its idle time behind. */
    if (!loop && t->loop)
        add_idle(t, uv_metrics_idle_time(t->loop));
    t->loop = loop;
    uv_mutex_unlock(&t->lock);
}

atomic_size_t *weft__thread_heap_used(weft_thread *t)
{
    return &t->heap_used;
}

static double raw_cpu_ms(weft_thread *t)
{
    struct timespec ts;
    if (clock_gettime(t->cpu_clock, &ts) != 0)
        return t->cpu_ms_base;
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(weft_thread *t)
{
    if (!atomic_load(&t->cpu_clock_valid))
        return atomic_load(&t->cpu_ms_at_exit);
    return raw_cpu_ms(t) - t->cpu_ms_base;
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
    /* libuv keeps the loop's idle time under its own lock: readable here. */
    uint64_t idle = atomic_load_explicit(&t->idle_ns, memory_order_relaxed);
    uint64_t since = atomic_load_explicit(&t->idle_since, memory_order_relaxed);
    if (since)
        idle += uv_hrtime() - since; /* the wait going on now */
    if (t->loop)
        idle += uv_metrics_idle_time(t->loop);
    uv_mutex_unlock(&t->lock);
    out->idle_ms = (double)idle / 1e6;
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

static bool wait_for_claim(weft_thread *t);
static void apply_claim(weft_thread *t, weft_vm *vm);
static weft_thread *park(size_t stack_size);

/* One thread's life on the calling OS thread, which owns one reference. */
static void run(weft_thread *t)
{
    current = t;
    if (pthread_getcpuclockid(pthread_self(), &t->cpu_clock) == 0)
        atomic_store(&t->cpu_clock_valid, true);

    char err[512];
    weft_vm *vm = NULL;
    /* A spare's options are written when it is claimed, which may happen
     * while its vm is being made: it starts with none (apply_claim). */
    weft_vm_options vo = {
        .argc = t->spare ? 0 : t->argc,
        .argv = t->spare ? NULL : (const char *const *)t->argv,
        .memory_limit = t->spare ? 0 : t->heap_limit,
        .stack_size = t->stack_size,
        .cpu_limit_ms = t->spare ? 0 : t->cpu_limit_ms,
        .thread = t,
    };
    int code = 1;
    const char *why = NULL;
    int rc = weft__vm_new(&vm, &vo, err, sizeof err);
    if (t->spare && rc == 0)
        weft__vm_prepare_spare(vm, atomic_load_explicit(&last_entry_commonjs, memory_order_relaxed));
    if (t->spare && !wait_for_claim(t)) {
        /* The pool closed before anyone needed this thread. */
        weft__vm_free(vm);
        weft__thread_release(t);
        return;
    }
    if (rc != 0) {
        /* Stopped while starting is not a start-up failure. */
        if (!weft__thread_stop_requested(t))
            why = err;
    } else {
        if (t->spare)
            apply_claim(t, vm);
        /* An embedder's limits and factories, before the thread's own
         * JavaScript (src/core/embed.h); failing them is a start-up failure. */
        if (t->embed && weft__embed_prepare(t->embed, vm, err, sizeof err) != 0) {
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
    }
    atomic_store(&t->state, WEFT_THREAD_STOPPING);
    weft__thread_set_loop(t, NULL);
    /* Freeing the vm takes ~150 µs. The parent, woken by this thread's last
     * messages, is often queued on this CPU (the other one making the next
     * spare) and would wait behind the teardown: it goes first. Starts of
     * short threads, interleaved runs: medians 289 -> 221 µs. */
    sched_yield();
    weft__vm_free(vm);

    uv_mutex_lock(&t->lock);
    atomic_store(&t->cpu_ms_at_exit, cpu_ms(t));
    atomic_store(&t->cpu_clock_valid, false);
    uv_mutex_unlock(&t->lock);
    atomic_store(&t->state, WEFT_THREAD_EXITED);
    post_exit(t, code, why);
    weft__thread_release(t);
}

static void *thread_main(void *arg)
{
    weft_thread *t = arg;
    size_t stack_size = t->stack_size;
    do {
        run(t);
        current = NULL;
    } while ((t = park(stack_size)));
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
    return t->name ? t->name : ""; /* a spare has none yet */
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

static void clear_options(weft_thread *t)
{
    free(t->entry);
    free(t->name);
    free(t->filename);
    for (int i = 0; i < t->argc; i++)
        free(t->argv[i]);
    free(t->argv);
    t->entry = t->name = t->filename = NULL;
    t->argv = NULL;
    t->argc = 0;
    if (t->embed)
        weft__embed_release(t->embed);
    t->embed = NULL;
}

/* Copies the options' strings; on failure t holds none of them. */
static int copy_options(weft_thread *t, const weft_thread_options *o)
{
    int err = 0;
    t->kind = o->kind;
    t->module = o->module;
    t->entry = strdup(o->entry);
    t->name = strdup(o->name ? o->name : "");
    t->filename = o->filename ? strdup(o->filename) : NULL;
    t->argv = calloc((size_t)o->argc + 1, sizeof *t->argv);
    if (!t->entry || !t->name || (o->filename && !t->filename) || !t->argv)
        err = UV_ENOMEM;
    for (int i = 0; !err && i < o->argc; i++) {
        if (!(t->argv[i] = strdup(o->argv[i])))
            err = UV_ENOMEM;
        t->argc = i + 1;
    }
    if (err) {
        clear_options(t);
        return err;
    }
    t->heap_limit = o->memory_limit;
    t->cpu_limit_ms = o->cpu_limit_ms;
    t->embed = o->embed;
    if (t->embed)
        weft__embed_retain(t->embed);
    return 0;
}

/* A thread struct with its channel, not yet running. */
static weft_thread *thread_new(size_t stack_size)
{
    weft_thread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (uv_mutex_init(&t->lock) != 0) {
        free(t);
        return NULL;
    }
    atomic_init(&t->refs, 1);
    t->id = atomic_fetch_add(&next_thread_id, 1);
    t->stack_size = stack_size ? stack_size : DEFAULT_STACK_SIZE;
    if (t->stack_size < MIN_STACK_SIZE)
        t->stack_size = MIN_STACK_SIZE;
    if (weft__port_pair(&t->parent_end, &t->child_end) != 0) {
        weft__thread_release(t);
        return NULL;
    }
    return t;
}

/* Starts t's OS thread, which owns one reference. */
static int launch(weft_thread *t)
{
    pthread_attr_t attr;
    int err = -pthread_attr_init(&attr);
    if (err)
        return err;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, t->stack_size + SANITIZER_STACK);
    weft__thread_retain(t);
    pthread_t tid;
    err = -pthread_create(&tid, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    if (err)
        atomic_fetch_sub(&t->refs, 1);
    return err;
}

/* ---- spares ----------------------------------------------------------------
 *
 * Making a vm (a QuickJS context and weft's bootstrap) is most of what a
 * thread start costs. Once a process has started one thread, weft keeps a
 * spare: a thread that makes its vm ahead of need and then waits to be given
 * an entry. A start that fits a spare (default stack size, memory limit above
 * what the spare uses) takes it, even one still making its vm: the start then
 * waits for the rest of that work only, instead of making a second vm that
 * would compete with it for the CPU. WEFT_SPARE_THREADS sets how many are
 * kept (default 1; 0 turns them off).
 */

#define MAX_SPARES 64

static struct {
    uv_mutex_t lock;
    uv_cond_t changed;       /* a spare was made, claimed or left; a parked OS thread left */
    uv_cond_t work;          /* jobs has an entry, or the pool closed */
    weft_thread *spares;     /* not yet claimed, newest first */
    int live;                /* the length of that list */
    int target;
    int idle;                /* parked OS threads without a job */
    weft_thread *jobs;       /* spares handed to parked OS threads */
    size_t prepared_heap;    /* heap use of the last spare made */
    bool closed;
} pool;
static uv_once_t pool_once = UV_ONCE_INIT;

static void pool_init(void)
{
    if (uv_mutex_init(&pool.lock) != 0 || uv_cond_init(&pool.changed) != 0 || uv_cond_init(&pool.work) != 0)
        abort(); /* only fails without resources at start-up */
    /* A number from 0 to MAX_SPARES; anything else keeps the default. */
    pool.target = 1;
    const char *env = getenv("WEFT_SPARE_THREADS");
    char *end;
    long n = env ? strtol(env, &end, 10) : -1;
    if (env && *env && *end == '\0' && n >= 0 && n <= MAX_SPARES)
        pool.target = (int)n;
}

/* ---- parked OS threads -------------------------------------------------------
 *
 * When a thread with the default stack size ends, its OS thread parks to run
 * the next spare instead of exiting, up to one per spare kept. Besides saving
 * the OS thread's creation and exit, this lets the spare's making start
 * sooner: Linux queues a new thread on its creator's CPU (here the thread
 * that just ran its entry, which goes on running), where it often waited for
 * that thread to end with the other CPU idle; a woken thread goes to an idle
 * CPU when there is one at that moment.
 */

/* Gives spare t to a parked OS thread, which takes one reference, if one is
 * parked. Called with pool.lock. */
static bool hand_to_parked(weft_thread *t)
{
    if (pool.idle == 0)
        return false;
    pool.idle--;
    weft__thread_retain(t);
    t->next_job = pool.jobs;
    pool.jobs = t;
    uv_cond_signal(&pool.work);
    return true;
}

/* A parked thread's stack keeps the pages its last thread touched: give back
 * those more than STACK_KEPT below the current frame (deep recursion), as the
 * C library does with a stack it keeps after a thread exits. The top is kept
 * so that the next thread does not fault it in again. */
#define STACK_KEPT (256u * 1024)

static void release_stack(void)
{
    pthread_attr_t attr;
    void *base;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    int err = pthread_attr_getstack(&attr, &base, &size);
    pthread_attr_destroy(&attr);
    if (err)
        return;
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t low = ((uintptr_t)base + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t high = ((uintptr_t)&attr - STACK_KEPT) & ~((uintptr_t)page - 1);
    if (page > 0 && high > low)
        madvise((void *)low, high - low, MADV_DONTNEED); /* only advice: failing costs memory */
}

/* Waits, on an OS thread whose thread ended, for a spare to run; NULL when
 * the OS thread should exit instead. */
static weft_thread *park(size_t stack_size)
{
    if (stack_size != DEFAULT_STACK_SIZE)
        return NULL;
    uv_once(&pool_once, pool_init);
    uv_mutex_lock(&pool.lock);
    bool wanted = !pool.closed && pool.idle < pool.target;
    if (wanted)
        pool.idle++;
    uv_mutex_unlock(&pool.lock);
    if (!wanted)
        return NULL;
    release_stack();
    uv_mutex_lock(&pool.lock);
    while (!pool.jobs && !pool.closed)
        uv_cond_wait(&pool.work, &pool.lock);
    weft_thread *t = pool.jobs;
    if (t) {
        pool.jobs = t->next_job;
    } else {
        pool.idle--;
        uv_cond_broadcast(&pool.changed);
    }
    uv_mutex_unlock(&pool.lock);
    return t;
}

/* Starts spares until the pool holds its target. Called with pool.lock. */
static void pool_fill_locked(void)
{
    while (!pool.closed && pool.live < pool.target) {
        weft_thread *t = thread_new(0);
        if (!t)
            return;
        t->spare = true;
        t->next_spare = pool.spares;
        pool.spares = t;
        pool.live++;
        if (!hand_to_parked(t) && launch(t) != 0) {
            pool.spares = t->next_spare;
            pool.live--;
            weft__thread_release(t);
            return;
        }
        weft__thread_release(t); /* the spare's own reference remains */
    }
}

/* Called with pool.lock. */
static void pool_unlink_locked(weft_thread *t)
{
    for (weft_thread **p = &pool.spares; *p; p = &(*p)->next_spare) {
        if (*p == t) {
            *p = t->next_spare;
            pool.live--;
            return;
        }
    }
}

/* The spare has made its vm and waits for work, unless it was claimed while
 * making it; false when the pool closes first. */
static bool wait_for_claim(weft_thread *t)
{
    uv_mutex_lock(&pool.lock);
    t->prepared = true;
    pool.prepared_heap = atomic_load_explicit(&t->heap_used, memory_order_relaxed);
    while (!t->claimed && !pool.closed)
        uv_cond_wait(&pool.changed, &pool.lock);
    bool claimed = t->claimed;
    if (!claimed) {
        pool_unlink_locked(t);
        uv_cond_broadcast(&pool.changed);
    }
    uv_mutex_unlock(&pool.lock);
    return claimed;
}

/* On the spare's thread, once claimed: what the options say about the vm. */
static void apply_claim(weft_thread *t, weft_vm *vm)
{
    t->cpu_ms_base = raw_cpu_ms(t);
    weft__vm_claim(vm, t->argc, (const char *const *)t->argv, t->heap_limit, t->cpu_limit_ms);
}

/* Whether a start with these options can take spare t. A spare still making
 * its vm is judged by the heap of the last one made. Called with pool.lock. */
static bool fits_spare(const weft_thread_options *o, weft_thread *t)
{
    size_t used = t->prepared ? atomic_load_explicit(&t->heap_used, memory_order_relaxed) : pool.prepared_heap;
    if (o->stack_size != 0 && o->stack_size != DEFAULT_STACK_SIZE)
        return false;
    return o->memory_limit == 0 || (used > 0 && o->memory_limit > used * 2);
}

/* A spare given these options, or NULL: a made one if there is one, else the
 * one that has been making its vm longest. */
static weft_thread *claim_spare(const weft_thread_options *o)
{
    uv_once(&pool_once, pool_init);
    uv_mutex_lock(&pool.lock);
    weft_thread *t = NULL;
    for (weft_thread *s = pool.spares; s; s = s->next_spare) {
        if (!fits_spare(o, s))
            continue;
        t = s;
        if (s->prepared)
            break;
    }
    if (t && copy_options(t, o) == 0) {
        pool_unlink_locked(t);
        t->start = o->start;
        /* The caller's references, taken before the spare can run (and end). */
        weft__thread_retain(t);
        weft__port_retain(t->parent_end);
        t->claimed = true;
        uv_cond_broadcast(&pool.changed);
    } else {
        t = NULL;
    }
    uv_mutex_unlock(&pool.lock);
    return t;
}

/* A thread has run its entry's top level: time to make the spare that will
 * serve the next start. Not earlier: on a machine with few cores, making a
 * vm competes with the thread that is starting. The spare loads the CommonJS
 * loader only if this entry needed it: a process tends to start one kind. */
void weft__thread_entry_ran(bool commonjs)
{
    atomic_store_explicit(&last_entry_commonjs, commonjs, memory_order_relaxed);
    uv_once(&pool_once, pool_init);
    uv_mutex_lock(&pool.lock);
    pool_fill_locked();
    uv_mutex_unlock(&pool.lock);
}

void weft__thread_pool_close(void)
{
    uv_once(&pool_once, pool_init);
    uv_mutex_lock(&pool.lock);
    pool.closed = true;
    uv_cond_broadcast(&pool.changed);
    uv_cond_broadcast(&pool.work);
    /* Spares free their vms before they go, and parked OS threads leave:
     * wait, so that nothing is left running when an embedder tears down. */
    while (pool.live > 0 || pool.idle > 0)
        uv_cond_wait(&pool.changed, &pool.lock);
    uv_mutex_unlock(&pool.lock);
}

int weft__thread_start(const weft_thread_options *o, weft_thread **out, weft_port **parent_end)
{
    weft_thread *t = claim_spare(o);
    if (!t) {
        t = thread_new(o->stack_size);
        int err = !t ? UV_ENOMEM : copy_options(t, o);
        if (t && !err) {
            t->start = o->start;
            err = launch(t);
            if (!err) {
                weft__port_retain(t->parent_end);
                *parent_end = t->parent_end;
                *out = t;
                return 0;
            }
            t->start = NULL;
        }
        if (t)
            weft__thread_release(t);
        if (o->start)
            weft__message_free(o->start);
        return err ? err : UV_ENOMEM;
    }
    *parent_end = t->parent_end;
    *out = t;
    return 0;
}
