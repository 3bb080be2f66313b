/*
 * thread: an OS thread running its own vm. The weft_thread struct is shared
 * by the thread and its creator (reference counted): the creator's handle
 * reads its state and statistics and asks it to stop; the thread reports
 * online/error/exit through the channel between them.
 */
#ifndef WEFT_THREAD_H
#define WEFT_THREAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "core/message.h"
#include "core/port.h"

typedef enum weft_thread_state {
    WEFT_THREAD_STARTING = 0,
    WEFT_THREAD_ONLINE,
    WEFT_THREAD_STOPPING,
    WEFT_THREAD_EXITED,
} weft_thread_state;

/* Why a thread stopped, when not by its own choice. */
typedef enum weft_stop_reason {
    WEFT_STOP_NONE = 0,
    WEFT_STOP_TERMINATED,   /* terminate() */
    WEFT_STOP_OUT_OF_MEMORY,/* memory limit reached */
    WEFT_STOP_CPU_LIMIT,    /* CPU time limit reached */
} weft_stop_reason;

typedef enum weft_entry_kind {
    WEFT_ENTRY_FILE,        /* entry: absolute path of a module file */
    WEFT_ENTRY_SOURCE,      /* entry: source text (CommonJS unless module) */
} weft_entry_kind;

typedef struct weft_thread_options {
    weft_entry_kind kind;
    const char *entry;
    bool module;            /* WEFT_ENTRY_SOURCE: evaluate as an ES module */
    const char *name;
    const char *filename;   /* name of source entries in stack traces */
    size_t memory_limit;    /* bytes; 0: none */
    size_t stack_size;      /* bytes of native stack; 0: default */
    double cpu_limit_ms;    /* 0: none */
    int argc;               /* process.argv of the thread */
    const char *const *argv;
    weft_message *start;    /* data, capabilities: taken by the thread */
    struct weft_embed *embed; /* the embedder's configuration, or NULL (retained) */
} weft_thread_options;

typedef struct weft_thread weft_thread;

/* Starts a thread. *child_port receives the creator's end of the channel
 * (one reference). On failure returns a uv error code and takes nothing
 * except opts->start, which is freed. */
int weft__thread_start(const weft_thread_options *opts, weft_thread **out, weft_port **parent_end);

/* Ends the spare threads and stops keeping any (embedders' teardown). */
void weft__thread_pool_close(void);

void weft__thread_retain(weft_thread *t);
void weft__thread_release(weft_thread *t);

/* Asks the thread to stop wherever it is (any thread may call this). */
void weft__thread_terminate(weft_thread *t);

weft_thread_state weft__thread_state(weft_thread *t);
uint64_t weft__thread_id(weft_thread *t);

typedef struct weft_thread_stats {
    weft_thread_state state;
    size_t heap_used;
    double idle_ms;         /* time its event loop waited with nothing to do */
    size_t heap_limit;
    double cpu_ms;
    uint64_t messages_in;
    uint64_t messages_out;
} weft_thread_stats;

void weft__thread_stats(weft_thread *t, weft_thread_stats *out);

/* ---- for code running on a thread ---- */

/* The weft_thread the calling OS thread runs, or NULL on the main thread. */
weft_thread *weft__thread_current(void);

bool weft__thread_stop_requested(weft_thread *t);

/* Brackets a blocking wait on (mutex, cond) so that terminate() can wake it.
 * Call begin before locking the mutex; re-check stop_requested under the
 * mutex before each wait. */
void weft__thread_block_begin(weft_thread *t, uv_mutex_t *m, uv_cond_t *c);
void weft__thread_block_end(weft_thread *t);

/* Called by the thread's vm once its entry's top level has run; commonjs
 * says whether the entry was a CommonJS module. */
void weft__thread_entry_ran(bool commonjs);

/* Counts a message posted by the thread (statistics). */
void weft__thread_count_out(weft_thread *t);
void weft__thread_count_in(weft_thread *t);

/* Stops the thread for a reason of its own (limits), like terminate(). */
void weft__thread_request_stop(weft_thread *t, weft_stop_reason reason);
weft_stop_reason weft__thread_stop_reason(weft_thread *t);

/* Where the thread's vm publishes its heap use (statistics, spares): the
 * allocator stores to it on every allocation, so it is written directly. */
atomic_size_t *weft__thread_heap_used(weft_thread *t);

/* Idle-time accounting for stats(): time spent waiting without a loop, and
 * the thread's loop once it has one (NULL when it goes away). */
void weft__thread_idle_begin(weft_thread *t);
void weft__thread_idle_end(weft_thread *t, uint64_t waited_ns);
void weft__thread_set_loop(weft_thread *t, uv_loop_t *loop);
double weft__thread_cpu_ms(weft_thread *t);

/* The start options, for the thread's vm. */
weft_entry_kind weft__thread_entry(weft_thread *t, const char **entry, const char **filename, bool *module);
const char *weft__thread_name(weft_thread *t);
weft_port *weft__thread_child_end(weft_thread *t);
weft_message *weft__thread_take_start(weft_thread *t);
void weft__thread_post_online(weft_thread *t);

#endif
