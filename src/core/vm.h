/*
 * vm: one JavaScript thread's world. A vm owns a JSRuntime, its JSContext
 * and a uv_loop; all three are used only by the OS thread that runs the vm.
 * It drives Node's ordering of work: after every callback from the loop the
 * nextTick queue and the microtask queue are drained, then unhandled
 * rejections are reported.
 */
#ifndef WEFT_VM_H
#define WEFT_VM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <uv.h>

#include "core/port.h"
#include "core/thread.h"
#include "quickjs.h"

typedef struct weft_vm weft_vm;

/* A promise that was rejected with no handler during the current drain. */
typedef struct weft_rejection {
    JSValue promise;
    JSValue reason;
    struct weft_rejection *next;
} weft_rejection;

struct weft_vm {
    JSRuntime *rt;
    JSContext *ctx;
    uv_loop_t loop;        /* made on first use: see weft__vm_loop */
    bool loop_ready;

    /* Functions of weft:internal/bootstrap that the C side calls into. */
    JSValue hooks;

    char **argv; /* process.argv, owned */
    int argc;

    bool ticks_pending;   /* set by process.nextTick until the queue drains */
    bool exiting;         /* process.exit() or a fatal error: unwind and stop */
    bool main_loaded;
    int exit_code;
    weft_rejection *rejections;
    struct weft_immediates *immediates; /* setImmediate's handles, made on first use */
    uint64_t start_hrtime; /* uv_hrtime() at creation, for performance.now() */
    double time_origin;    /* Unix time in ms at creation */

    weft_thread *thread;   /* NULL on the main thread */
    weft_inbox *inbox;     /* where this thread's ports are told of mail */
    weft_stop_reason stop_reason; /* set when stopped from outside or by a limit */
    bool out_of_memory;    /* the allocator hit the memory limit */
    double cpu_limit_ms;
    void *steal;           /* ArrayBuffer bytes leaving the runtime (limits.c) */
    struct weft_heap *heap; /* the runtime's small blocks (heap.c) */
    atomic_size_t *heap_used; /* where the allocator publishes heap use, or NULL */
    JSValue parent_port;   /* the thread's MessagePort to its creator, once made */
    bool weft_loaded;      /* weft:lib/weft has given ports their methods */
    void *ports;           /* live MessagePort objects (src/modules/ports.c) */
    JSAtom atom_message;   /* "message" and "_events", for every delivery */
    JSAtom atom_events;
    /* An embedder's runtime configuration (src/core/embed.h), borrowed from
     * the thread or the runtime that outlives this vm; NULL for the weft
     * command. Threads started here inherit it. */
    struct weft_embed *embed;

    char error[512];       /* last error message for the C API */
};

typedef struct weft_vm_options {
    int argc;
    const char *const *argv;
    size_t memory_limit;
    size_t stack_size;
    double cpu_limit_ms;
    weft_thread *thread;   /* the thread this vm runs on; NULL for main */
} weft_vm_options;

/* Creates a vm on the calling thread, with globals installed. */
int weft__vm_new(weft_vm **out, const weft_vm_options *opts, char *err, size_t errlen);
void weft__vm_free(weft_vm *vm);

/* The vm that owns ctx. */
weft_vm *weft__vm_of(JSContext *ctx);

/* The vm's uv loop, made on first use: a thread that only exchanges messages
 * never needs one (and so holds no file descriptors). NULL with a JavaScript
 * exception pending when it cannot be made. */
uv_loop_t *weft__vm_loop(weft_vm *vm);

/* Loads and evaluates the main module (a file, or source when source != NULL),
 * then runs the loop until it empties or the thread exits. */
int weft__vm_run_main(weft_vm *vm, const char *path, const char *source, size_t len,
                      bool force_module, int *exit_code);

/* The pieces of weft__vm_run_main, for an embedder driving the main thread
 * (src/core/runtime.c). Evaluates source as the main module or, unless
 * module, as a CommonJS main script: its result, or JS_EXCEPTION. */
JSValue weft__vm_eval_main(weft_vm *vm, const char *path, const char *source, size_t len, bool module);
/* Runs the loop, then 'beforeExit', until nothing is left or the vm exits. */
void weft__vm_run_loop(weft_vm *vm);
/* Whether anything can still call into JavaScript. */
bool weft__vm_alive(weft_vm *vm);
/* Runs the 'exit' listeners (unless the vm was stopped): the exit code. */
int weft__vm_finish(weft_vm *vm);

/* Loads, ahead of need, the builtin modules that a thread's start would
 * otherwise load on its critical path (a spare thread does this while it
 * waits for work); the CommonJS loader only if commonjs. */
void weft__vm_prepare_spare(weft_vm *vm, bool commonjs);

/* A spare thread's vm given its work: its arguments, limits and clocks. */
void weft__vm_claim(weft_vm *vm, int argc, const char *const *argv, size_t memory_limit, double cpu_limit_ms);

/* Runs a thread's entry (its file or source) and loop; returns the exit code. */
int weft__vm_run_thread(weft_vm *vm, weft_thread *t);

/* Stops the vm from inside for a reason beyond its control (terminate, a
 * limit): JavaScript unwinds, the loop stops, 'exit' listeners do not run. */
void weft__vm_stop(weft_vm *vm, weft_stop_reason why);

/* Calls fn from a loop callback with Node's bookkeeping: an exception goes to
 * the uncaught-exception path, then ticks, microtasks and rejections drain.
 * Returns false when the call threw. Takes no ownership of its arguments. */
bool weft__vm_callback(weft_vm *vm, JSValueConst fn, JSValueConst this_val,
                       int argc, JSValueConst *argv);

/* Runs promise jobs until none is left (or the thread exits), reporting
 * what throws as uncaught. */
void weft__vm_run_microtasks(weft_vm *vm);

/* Drains nextTick callbacks and microtasks, then reports unhandled
 * rejections; repeats until all three are empty. */
void weft__vm_drain(weft_vm *vm);

/* Reports the pending exception of vm->ctx as uncaught: 'uncaughtException'
 * listeners get it, or it is printed and the thread exits with code 1. */
void weft__vm_report_exception(weft_vm *vm);

/* Removes promise from the rejections awaiting report: its rejection was
 * handled by C code. */
void weft__vm_forget_rejection(weft_vm *vm, JSValueConst promise);

/* Every uv handle a vm owns has one of these as its `data`, so that the vm
 * can release the handle's JavaScript values and close it at shutdown. */
typedef struct weft_handle {
    void (*dispose)(struct weft_handle *h);
} weft_handle;

/* Asks the thread to exit with code: the loop stops and the current JavaScript
 * unwinds. Returns the uncatchable exception to throw. */
JSValue weft__vm_exit(weft_vm *vm, int code);

#endif
