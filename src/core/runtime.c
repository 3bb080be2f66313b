/*
 * runtime: the public face of libweft (include/weft.h): runtimes, their
 * shared configuration (limits and factories every thread gets), and
 * running the main thread, to completion or driven by the embedder.
 * Ports, messages and threads are in api_port.c and api_thread.c; C
 * functions for JavaScript in src/modules/embed.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/api.h"
#include "core/loader.h"
#include "core/thread.h"
#include "core/vm.h"
#include "weft.h"

typedef enum runtime_state {
    RT_NEW = 0,   /* configurable: nothing ran yet */
    RT_EVAL,      /* driven by weft_runtime_eval / run_loop */
    RT_RAN,       /* ran its main script to the end (run_file, run_source) */
    RT_FINISHED,  /* weft_runtime_finish was called */
} runtime_state;

struct weft_runtime_s {
    api_handle h;
    weft_vm *main;
    weft_embed *embed;
    uv_thread_t owner;
    runtime_state state;
    bool prepared;      /* the main thread has had the embedder's factories */
    char error[512];
};

const char *weft_strerror(int err)
{
    switch (err) {
    case WEFT_OK: return "success";
    case WEFT_ENOMEM: return "out of memory";
    case WEFT_EINVAL: return "invalid argument";
    case WEFT_ESTATE: return "invalid state";
    case WEFT_ENOENT: return "not found";
    case WEFT_EIO: return "input/output error";
    case WEFT_EJS: return "JavaScript error";
    case WEFT_ESYS: return "system error";
    case WEFT_ETIMEDOUT: return "timed out";
    case WEFT_ECLOSED: return "closed";
    case WEFT_ETYPE: return "value of the wrong type";
    default: return "unknown error";
    }
}

const char *weft_version(void)
{
    return WEFT_VERSION;
}

/* ---- the shared configuration (core/embed.h) ------------------------------- */

weft_embed *weft__embed_new(void)
{
    weft_embed *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    if (uv_mutex_init(&e->lock) != 0) {
        free(e);
        return NULL;
    }
    atomic_init(&e->refs, 1);
    return e;
}

void weft__embed_retain(weft_embed *e)
{
    atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
}

void weft__embed_clear_threads(weft_embed *e)
{
    uv_mutex_lock(&e->lock);
    weft_thread **threads = e->threads;
    size_t n = e->n_threads;
    e->threads = NULL;
    e->n_threads = e->cap_threads = 0;
    uv_mutex_unlock(&e->lock);
    for (size_t i = 0; i < n; i++)
        weft__thread_release(threads[i]);
    free(threads);
}

void weft__embed_release(weft_embed *e)
{
    if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
        return;
    weft__embed_clear_threads(e);
    for (size_t i = 0; i < e->n_functions; i++)
        free(e->functions[i].name);
    free(e->functions);
    uv_mutex_destroy(&e->lock);
    free(e);
}

void weft__embed_thread_defaults(const weft_embed *e, size_t *memory_limit, size_t *stack_size)
{
    if (!*memory_limit)
        *memory_limit = e->memory_limit;
    if (!*stack_size)
        *stack_size = e->stack_size;
}

/* Drops the list's exited threads. Called with e->lock. */
static void prune_locked(weft_embed *e, weft_thread **dead, size_t *n_dead)
{
    size_t kept = 0;
    for (size_t i = 0; i < e->n_threads; i++) {
        weft_thread *t = e->threads[i];
        if (weft__thread_state(t) == WEFT_THREAD_EXITED)
            dead[(*n_dead)++] = t;
        else
            e->threads[kept++] = t;
    }
    e->n_threads = kept;
}

static void release_all(weft_thread **dead, size_t n)
{
    for (size_t i = 0; i < n; i++)
        weft__thread_release(dead[i]);
    free(dead);
}

/* Adds a running thread of e (with a reference). Best effort: a thread
 * that cannot be listed still runs. */
static void add_thread(weft_embed *e, weft_thread *t)
{
    uv_mutex_lock(&e->lock);
    weft_thread **dead = malloc((e->n_threads + 1) * sizeof *dead);
    size_t n_dead = 0;
    if (dead)
        prune_locked(e, dead, &n_dead);
    if (e->n_threads == e->cap_threads) {
        size_t cap = e->cap_threads ? e->cap_threads * 2 : 16;
        weft_thread **p = realloc(e->threads, cap * sizeof *p);
        if (p) {
            e->threads = p;
            e->cap_threads = cap;
        }
    }
    if (e->n_threads < e->cap_threads) {
        weft__thread_retain(t);
        e->threads[e->n_threads++] = t;
    }
    uv_mutex_unlock(&e->lock);
    release_all(dead, n_dead);
}

weft_thread *weft__embed_find_thread(weft_embed *e, uint64_t id)
{
    weft_thread *found = NULL;
    uv_mutex_lock(&e->lock);
    for (size_t i = 0; i < e->n_threads && !found; i++) {
        if (weft__thread_id(e->threads[i]) == id) {
            found = e->threads[i];
            weft__thread_retain(found);
        }
    }
    uv_mutex_unlock(&e->lock);
    return found;
}

int weft__embed_prepare(weft_embed *e, weft_vm *vm, char *err, size_t errlen)
{
    vm->embed = e;
    if (e->gc_threshold)
        JS_SetGCThreshold(vm->rt, e->gc_threshold);
    weft_thread_info_t info = {
        .thread_id = vm->thread ? weft__thread_id(vm->thread) : 0,
        .name = vm->thread ? weft__thread_name(vm->thread) : "main",
        .is_main = vm->thread == NULL,
    };
    if (e->runtime_factory && e->runtime_factory(vm->rt, &info, e->runtime_opaque) != 0) {
        snprintf(err, errlen, "the embedder's runtime factory failed for thread %llu",
                 (unsigned long long)info.thread_id);
        return -1;
    }
    if (e->context_factory && e->context_factory(vm->ctx, &info, e->context_opaque) != 0) {
        snprintf(err, errlen, "the embedder's context factory failed for thread %llu",
                 (unsigned long long)info.thread_id);
        return -1;
    }
    if (vm->thread)
        add_thread(e, vm->thread);
    return 0;
}

/* ---- handles ---------------------------------------------------------------- */

static int rt_fail(weft_runtime_t *rt, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int rt_fail(weft_runtime_t *rt, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rt->error, sizeof rt->error, fmt, ap);
    va_end(ap);
    return weft__api_fail(err, "%s", rt->error);
}

/* The last reference may be dropped by any thread (one that listed the
 * runtime's threads): the main thread's vm was freed by weft_runtime_free on
 * the owner thread already. */
static void runtime_destroy(api_handle *h)
{
    weft_runtime_t *rt = (weft_runtime_t *)h;
    weft__embed_clear_threads(rt->embed);
    weft__embed_release(rt->embed);
    free(rt);
}

/* The live runtime rt, used from its owner thread, with a reference; NULL
 * with the error set otherwise. */
static weft_runtime_t *acquire_owned(const weft_runtime_t *ptr, const char *what)
{
    weft_runtime_t *rt = (weft_runtime_t *)weft__api_acquire(ptr, API_RUNTIME, what);
    if (!rt)
        return NULL;
    uv_thread_t self = uv_thread_self();
    if (!uv_thread_equal(&self, &rt->owner)) {
        rt_fail(rt, WEFT_ESTATE, "%s: called from a thread other than the runtime's owner", what);
        weft__api_release(&rt->h);
        return NULL;
    }
    return rt;
}

/* For functions that may be called from any thread. */
static weft_runtime_t *acquire_any(const weft_runtime_t *ptr, const char *what)
{
    return (weft_runtime_t *)weft__api_acquire(ptr, API_RUNTIME, what);
}

int weft_runtime_new(weft_runtime_t **out, const weft_runtime_options_t *opts)
{
    static const char *const default_argv[] = { "weft" };
    if (!out)
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_new: out is NULL");
    *out = NULL;
    weft_runtime_options_t defaults = { .argc = 1, .argv = default_argv };
    if (!opts)
        opts = &defaults;
    if (opts->argc < 0 || (opts->argc > 0 && !opts->argv))
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_new: argc is negative or argv is NULL");
    for (int i = 0; i < opts->argc; i++) {
        if (!opts->argv[i])
            return weft__api_fail(WEFT_EINVAL, "weft_runtime_new: argv[%d] is NULL", i);
    }
    weft_runtime_t *rt = calloc(1, sizeof *rt);
    if (!rt)
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    rt->embed = weft__embed_new();
    if (!rt->embed) {
        free(rt);
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    }
    rt->embed->memory_limit = opts->memory_limit;
    rt->embed->stack_size = opts->stack_size;
    rt->embed->gc_threshold = opts->gc_threshold;
    rt->owner = uv_thread_self();
    weft_vm_options vo = {
        .argc = opts->argc,
        .argv = opts->argv,
        .memory_limit = opts->memory_limit,
        .stack_size = opts->stack_size,
    };
    if (weft__vm_new(&rt->main, &vo, rt->error, sizeof rt->error) != 0) {
        int err = weft__api_fail(WEFT_ENOMEM, "cannot make the main thread: %s", rt->error);
        weft__embed_release(rt->embed);
        free(rt);
        return err;
    }
    rt->main->embed = rt->embed; /* threads started from JavaScript inherit it */
    int err = weft__api_register(&rt->h, API_RUNTIME, runtime_destroy);
    if (err) {
        weft__vm_free(rt->main);
        weft__embed_release(rt->embed);
        free(rt);
        return err;
    }
    *out = rt;
    return WEFT_OK;
}

void weft_runtime_free(weft_runtime_t *ptr)
{
    if (!ptr)
        return;
    weft_runtime_t *rt = acquire_owned(ptr, "weft_runtime_free");
    if (!rt)
        return;
    if (!weft__api_unregister(rt, API_RUNTIME)) {
        weft__api_release(&rt->h); /* freed by another call meanwhile */
        return;
    }
    /* No new call can find the runtime now; calls from other threads in
     * progress use only its configuration. */
    weft__vm_free(rt->main);
    rt->main = NULL;
    weft__api_release(&rt->h); /* the owner's reference */
    weft__api_release(&rt->h); /* ours */
    /* Spare threads and parked OS threads are process-wide: end them so
     * that nothing of weft keeps running or holds memory once the embedder
     * is done. */
    weft__thread_pool_close();
}

const char *weft_runtime_last_error(const weft_runtime_t *ptr)
{
    weft_runtime_t *rt = acquire_any(ptr, "weft_runtime_last_error");
    if (!rt)
        return "invalid runtime";
    /* The buffer lives as long as the runtime: the owner's reference keeps
     * it after this one is dropped. */
    const char *msg = rt->error[0] ? rt->error : "no error";
    weft__api_release(&rt->h);
    return msg;
}

/* ---- configuration ------------------------------------------------------------ */

static int configurable(weft_runtime_t *rt, const char *what)
{
    if (rt->state != RT_NEW || atomic_load(&rt->embed->frozen))
        return rt_fail(rt, WEFT_ESTATE, "%s: the runtime already ran JavaScript", what);
    return WEFT_OK;
}

/* The runtime, acquired, while it can still be configured; NULL with the
 * error code in *err otherwise. */
static weft_runtime_t *acquire_configurable(weft_runtime_t *ptr, const char *what, int *err)
{
    weft_runtime_t *rt = acquire_owned(ptr, what);
    if (!rt) {
        *err = weft__api_last_code();
        return NULL;
    }
    *err = configurable(rt, what);
    if (*err) {
        weft__api_release(&rt->h);
        return NULL;
    }
    return rt;
}

int weft_runtime_set_runtime_factory(weft_runtime_t *ptr, weft_runtime_factory_t fn, void *opaque)
{
    int err;
    weft_runtime_t *rt = acquire_configurable(ptr, "weft_runtime_set_runtime_factory", &err);
    if (rt) {
        rt->embed->runtime_factory = fn;
        rt->embed->runtime_opaque = opaque;
        weft__api_release(&rt->h);
    }
    return err;
}

int weft_runtime_set_context_factory(weft_runtime_t *ptr, weft_context_factory_t fn, void *opaque)
{
    int err;
    weft_runtime_t *rt = acquire_configurable(ptr, "weft_runtime_set_context_factory", &err);
    if (rt) {
        rt->embed->context_factory = fn;
        rt->embed->context_opaque = opaque;
        weft__api_release(&rt->h);
    }
    return err;
}

/* A JavaScript identifier (what `import { name }` can name). */
static bool is_identifier(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'))
            return false;
    }
    return true;
}

int weft_runtime_expose(weft_runtime_t *ptr, const char *name, weft_function_t fn, void *opaque, unsigned flags)
{
    int err;
    weft_runtime_t *rt = acquire_configurable(ptr, "weft_runtime_expose", &err);
    if (!rt)
        return err;
    weft_embed *e = rt->embed;
    if (!err && (!name || !fn))
        err = rt_fail(rt, WEFT_EINVAL, "weft_runtime_expose: name or fn is NULL");
    if (!err && (!is_identifier(name) || strcmp(name, "default") == 0))
        err = rt_fail(rt, WEFT_EINVAL, "weft_runtime_expose: '%s' is not a name JavaScript can import", name);
    if (!err && (flags & ~WEFT_FUNCTION_ASYNC))
        err = rt_fail(rt, WEFT_EINVAL, "weft_runtime_expose: unknown flags %#x", flags);
    for (size_t i = 0; !err && i < e->n_functions; i++) {
        if (strcmp(e->functions[i].name, name) == 0)
            err = rt_fail(rt, WEFT_EINVAL, "weft_runtime_expose: '%s' is already exposed", name);
    }
    if (!err) {
        embed_function *fns = realloc(e->functions, (e->n_functions + 1) * sizeof *fns);
        char *copy = fns ? strdup(name) : NULL;
        if (fns)
            e->functions = fns;
        if (!copy) {
            err = rt_fail(rt, WEFT_ENOMEM, "out of memory");
        } else {
            fns[e->n_functions++] = (embed_function){ copy, fn, opaque, flags };
        }
    }
    weft__api_release(&rt->h);
    return err;
}

/* Freezes the configuration and gives the main thread its factories, once,
 * before its first JavaScript. */
static int prepare_main(weft_runtime_t *rt)
{
    atomic_store(&rt->embed->frozen, true);
    if (rt->prepared)
        return WEFT_OK;
    rt->prepared = true;
    char err[256];
    if (weft__embed_prepare(rt->embed, rt->main, err, sizeof err) != 0)
        return rt_fail(rt, WEFT_EJS, "%s", err);
    return WEFT_OK;
}

/* ---- running to completion ------------------------------------------------------ */

static int run(weft_runtime_t *ptr, const char *what, const char *path, const char *source, size_t len,
               int module, int *exit_code)
{
    weft_runtime_t *rt = acquire_owned(ptr, what);
    if (!rt)
        return weft__api_last_code();
    int err = WEFT_OK;
    if (!exit_code || (!path && !source))
        err = rt_fail(rt, WEFT_EINVAL, "%s: %s is NULL", what, !exit_code ? "exit_code" : "the script");
    else if (rt->state != RT_NEW)
        err = rt_fail(rt, WEFT_ESTATE, "%s: this runtime already ran JavaScript", what);
    if (!err)
        err = prepare_main(rt);
    if (!err) {
        rt->state = RT_RAN;
        int rc = weft__vm_run_main(rt->main, path, source, len, module != 0, exit_code);
        if (rc != 0)
            err = rt_fail(rt, rc == -1 ? WEFT_ENOENT : WEFT_EIO, "%s", rt->main->error);
    }
    weft__api_release(&rt->h);
    return err;
}

int weft_runtime_run_file(weft_runtime_t *rt, const char *path, int *exit_code)
{
    if (!path)
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_run_file: path is NULL");
    return run(rt, "weft_runtime_run_file", path, NULL, 0, 0, exit_code);
}

int weft_runtime_run_source(weft_runtime_t *rt, const char *source, size_t len, const char *name,
                            int module, int *exit_code)
{
    if (!source)
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_run_source: source is NULL");
    return run(rt, "weft_runtime_run_source", name ? name : "[eval]", source, len, module, exit_code);
}

/* ---- driving the main thread ------------------------------------------------------ */

/* The main thread can still run JavaScript. */
static int drivable(weft_runtime_t *rt, const char *what)
{
    if (rt->state == RT_RAN || rt->state == RT_FINISHED)
        return rt_fail(rt, WEFT_ESTATE, "%s: the runtime's main thread has finished", what);
    if (rt->main->exiting)
        return rt_fail(rt, WEFT_ESTATE, "%s: the main thread has exited (process.exit() or a fatal error)", what);
    return WEFT_OK;
}

int weft_runtime_eval(weft_runtime_t *ptr, const char *source, size_t len, const char *name, int module)
{
    weft_runtime_t *rt = acquire_owned(ptr, "weft_runtime_eval");
    if (!rt)
        return weft__api_last_code();
    int err = source ? drivable(rt, "weft_runtime_eval")
                     : rt_fail(rt, WEFT_EINVAL, "weft_runtime_eval: source is NULL");
    if (!err && len == (size_t)-1)
        len = strlen(source);
    if (!err)
        err = prepare_main(rt);
    if (err) {
        weft__api_release(&rt->h);
        return err;
    }
    rt->state = RT_EVAL;
    weft_vm *vm = rt->main;
    JSContext *ctx = vm->ctx;
    if (!name)
        name = "[eval]";
    vm->main_loaded = true;
    JSValue result = weft__vm_eval_main(vm, name, source, len, module);
    bool threw = JS_IsException(result);
    if (threw)
        weft__vm_report_exception(vm);
    else if (JS_IsObject(result) && JS_PromiseState(ctx, result) == JS_PROMISE_REJECTED)
        threw = true; /* reported as an unhandled rejection by the drain */
    JS_FreeValue(ctx, result);
    weft__vm_drain(vm);
    if (threw || vm->exiting)
        err = rt_fail(rt, WEFT_EJS, "weft_runtime_eval: %s", vm->exiting ? "the main thread exited"
                                                                      : "the script threw (reported on stderr)");
    weft__api_release(&rt->h);
    return err;
}

int weft_runtime_run_loop(weft_runtime_t *ptr, weft_run_mode_t mode, int *alive)
{
    weft_runtime_t *rt = acquire_owned(ptr, "weft_runtime_run_loop");
    if (!rt)
        return weft__api_last_code();
    if (alive)
        *alive = 0;
    int err = drivable(rt, "weft_runtime_run_loop");
    if (!err && mode != WEFT_RUN_DEFAULT && mode != WEFT_RUN_ONCE && mode != WEFT_RUN_NOWAIT)
        err = rt_fail(rt, WEFT_EINVAL, "weft_runtime_run_loop: unknown mode %d", (int)mode);
    if (!err)
        err = prepare_main(rt);
    if (err) {
        weft__api_release(&rt->h);
        return err;
    }
    rt->state = RT_EVAL;
    weft_vm *vm = rt->main;
    if (mode == WEFT_RUN_DEFAULT) {
        weft__vm_run_loop(vm);
    } else {
        /* A turn needs the uv loop: ports then wake it through its async
         * handle instead of a condition variable. */
        uv_loop_t *loop = weft__vm_loop(vm);
        if (!loop) {
            JS_FreeValue(vm->ctx, JS_GetException(vm->ctx));
            err = rt_fail(rt, WEFT_ESYS, "weft_runtime_run_loop: cannot make the event loop");
        } else {
            uv_run(loop, mode == WEFT_RUN_ONCE ? UV_RUN_ONCE : UV_RUN_NOWAIT);
        }
    }
    if (alive && !err)
        *alive = !vm->exiting && weft__vm_alive(vm);
    weft__api_release(&rt->h);
    return err;
}

int weft_runtime_finish(weft_runtime_t *ptr, int *exit_code)
{
    weft_runtime_t *rt = acquire_owned(ptr, "weft_runtime_finish");
    if (!rt)
        return weft__api_last_code();
    int err = WEFT_OK;
    if (!exit_code)
        err = rt_fail(rt, WEFT_EINVAL, "weft_runtime_finish: exit_code is NULL");
    else if (rt->state == RT_RAN || rt->state == RT_FINISHED)
        err = rt_fail(rt, WEFT_ESTATE, "weft_runtime_finish: the main thread has already finished");
    if (!err)
        err = prepare_main(rt);
    if (err) {
        weft__api_release(&rt->h);
        return err;
    }
    rt->state = RT_FINISHED;
    *exit_code = weft__vm_finish(rt->main);
    weft__api_release(&rt->h);
    return WEFT_OK;
}

/* ---- statistics and threads by id ---------------------------------------------- */

static void copy_stats(const weft_thread_stats *in, weft_thread_stats_t *out)
{
    out->state = (weft_thread_state_t)in->state;
    out->heap_used = in->heap_used;
    out->heap_limit = in->heap_limit;
    out->cpu_time_ms = in->cpu_ms;
    out->messages_in = in->messages_in;
    out->messages_out = in->messages_out;
}

int weft_runtime_stats(weft_runtime_t *ptr, weft_thread_stats_t *out)
{
    weft_runtime_t *rt = acquire_owned(ptr, "weft_runtime_stats");
    if (!rt)
        return weft__api_last_code();
    int err = WEFT_OK;
    if (!out) {
        err = rt_fail(rt, WEFT_EINVAL, "weft_runtime_stats: out is NULL");
    } else {
        JSMemoryUsage mu;
        JS_ComputeMemoryUsage(rt->main->rt, &mu);
        memset(out, 0, sizeof *out);
        out->state = rt->main->exiting ? WEFT_STATE_STOPPING : WEFT_STATE_ONLINE;
        out->heap_used = mu.malloc_size > 0 ? (size_t)mu.malloc_size : 0;
        out->heap_limit = mu.malloc_limit > 0 ? (size_t)mu.malloc_limit : 0;
        struct timespec ts;
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
            out->cpu_time_ms = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
    }
    weft__api_release(&rt->h);
    return err;
}

int weft_runtime_threads(weft_runtime_t *ptr, uint64_t *ids, size_t max, size_t *count)
{
    weft_runtime_t *rt = acquire_any(ptr, "weft_runtime_threads");
    if (!rt)
        return weft__api_last_code();
    if (!count || (max && !ids)) {
        weft__api_release(&rt->h);
        return weft__api_fail(WEFT_EINVAL, "weft_runtime_threads: count is NULL, or ids is NULL with max > 0");
    }
    weft_embed *e = rt->embed;
    uv_mutex_lock(&e->lock);
    size_t n = 0;
    for (size_t i = 0; i < e->n_threads; i++) {
        weft_thread *t = e->threads[i];
        if (weft__thread_state(t) == WEFT_THREAD_EXITED)
            continue;
        if (n < max)
            ids[n] = weft__thread_id(t);
        n++;
    }
    uv_mutex_unlock(&e->lock);
    *count = n;
    weft__api_release(&rt->h);
    return WEFT_OK;
}

int weft_runtime_thread_stats(weft_runtime_t *ptr, uint64_t id, weft_thread_stats_t *out)
{
    weft_runtime_t *rt = acquire_any(ptr, "weft_runtime_thread_stats");
    if (!rt)
        return weft__api_last_code();
    int err = WEFT_OK;
    weft_thread *t = out ? weft__embed_find_thread(rt->embed, id) : NULL;
    if (!out) {
        err = weft__api_fail(WEFT_EINVAL, "weft_runtime_thread_stats: out is NULL");
    } else if (!t) {
        err = weft__api_fail(WEFT_ENOENT, "weft_runtime_thread_stats: no thread %llu in this runtime",
                             (unsigned long long)id);
    } else {
        weft_thread_stats st;
        weft__thread_stats(t, &st);
        copy_stats(&st, out);
        weft__thread_release(t);
    }
    weft__api_release(&rt->h);
    return err;
}

int weft_runtime_terminate_thread(weft_runtime_t *ptr, uint64_t id)
{
    weft_runtime_t *rt = acquire_any(ptr, "weft_runtime_terminate_thread");
    if (!rt)
        return weft__api_last_code();
    int err = WEFT_OK;
    weft_thread *t = weft__embed_find_thread(rt->embed, id);
    if (!t) {
        err = weft__api_fail(WEFT_ENOENT, "weft_runtime_terminate_thread: no thread %llu in this runtime",
                             (unsigned long long)id);
    } else {
        weft__thread_terminate(t);
        weft__thread_release(t);
    }
    weft__api_release(&rt->h);
    return err;
}

/* ---- for api_thread.c ------------------------------------------------------------ */

void weft__runtime_copy_stats(const weft_thread_stats *in, weft_thread_stats_t *out);

void weft__runtime_copy_stats(const weft_thread_stats *in, weft_thread_stats_t *out)
{
    copy_stats(in, out);
}

weft_embed *weft__runtime_embed(weft_runtime_t *rt);

weft_embed *weft__runtime_embed(weft_runtime_t *rt)
{
    return rt->embed;
}

int weft__runtime_acquire_owned(weft_runtime_t *ptr, const char *what, weft_runtime_t **out);

int weft__runtime_acquire_owned(weft_runtime_t *ptr, const char *what, weft_runtime_t **out)
{
    *out = acquire_owned(ptr, what);
    if (!*out)
        return weft__api_last_code();
    atomic_store(&(*out)->embed->frozen, true);
    return WEFT_OK;
}
