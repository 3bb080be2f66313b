/*
 * weft: JavaScript with real threads, on QuickJS and libuv.
 *
 * This is the embedding API of libweft (docs/embedding.md is the guide).
 *
 * Conventions, for every function below:
 * - Functions return WEFT_OK (0) or a negative WEFT_E* code. The message for
 *   the last failure on the calling OS thread is weft_last_error(); calls on
 *   a runtime also keep it in weft_runtime_last_error().
 * - Misuse is an error, never a crash: NULL where an object is required,
 *   a call in the wrong state, and handles that were already freed (every
 *   handle is checked against a registry of live handles) give WEFT_EINVAL
 *   or WEFT_ESTATE.
 * - Thread-safety is stated per function. "Owner thread" means the OS
 *   thread that created the runtime: the main JavaScript thread runs there.
 *   Ports, messages, thread handles and calls may be used from any thread.
 * - Ownership is stated per function: what a function returns through an
 *   out-parameter belongs to the caller, who frees it with the matching
 *   *_free function (weft_free for bytes and strings).
 */
#ifndef WEFT_H
#define WEFT_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stddef.h>
#include <stdint.h>

#define WEFT_VERSION_MAJOR 0
#define WEFT_VERSION_MINOR 1
#define WEFT_VERSION_PATCH 0

/* Error codes. */
#define WEFT_OK         0
#define WEFT_ENOMEM    (-1)  /* out of memory */
#define WEFT_EINVAL    (-2)  /* invalid argument (NULL, out of range, freed handle) */
#define WEFT_ESTATE    (-3)  /* call not valid in the object's current state */
#define WEFT_ENOENT    (-4)  /* file or module not found */
#define WEFT_EIO       (-5)  /* a file could not be read */
#define WEFT_EJS       (-6)  /* JavaScript raised an error */
#define WEFT_ESYS      (-7)  /* a system call failed */
#define WEFT_ETIMEDOUT (-8)  /* a wait ran out of time */
#define WEFT_ECLOSED   (-9)  /* the port is closed and holds no more messages */
#define WEFT_ETYPE     (-10) /* the value has no representation in the form asked for */

/* A short, static description of an error code. Any thread. */
const char *weft_strerror(int err);

/* The message of the last failure on the calling OS thread; never NULL.
 * Valid until the next weft call on this thread. Any thread. */
const char *weft_last_error(void);

/* The library's version, "MAJOR.MINOR.PATCH". Any thread. */
const char *weft_version(void);

/* Bytes weft hands out (JSON text, received buffers) are freed with
 * weft_free; buffers given to weft_port_send_buffer are allocated with
 * weft_malloc (both are malloc and free). Any thread. */
void *weft_malloc(size_t size);
void weft_free(void *p);

struct JSRuntime; /* QuickJS's types: include <quickjs.h> to use them */
struct JSContext;

/* ======================================================================
 * Runtimes
 * ====================================================================== */

typedef struct weft_runtime_s weft_runtime_t;

typedef struct weft_runtime_options_s {
    /* The program path and the script's arguments, as JavaScript sees them
     * in process.argv (argv[0] is the program path). Copied. */
    int argc;
    const char *const *argv;
    /* Defaults for every thread, the main thread included; a thread started
     * with limits of its own uses those. 0 means none (memory) or weft's
     * default (stack, GC threshold). */
    size_t memory_limit;   /* heap limit in bytes */
    size_t stack_size;     /* native stack JavaScript may use, in bytes */
    size_t gc_threshold;   /* bytes allocated between automatic collections */
} weft_runtime_options_t;

/* Creates a runtime and its main JavaScript thread, which runs on the
 * calling OS thread (the owner thread). opts may be NULL. On success *out
 * owns the runtime (free it with weft_runtime_free). Any thread. */
int weft_runtime_new(weft_runtime_t **out, const weft_runtime_options_t *opts);

/* Destroys the runtime: the main thread's heap and everything it holds.
 * Threads still running go on until they end (terminate them first to stop
 * them). NULL and freed handles are ignored. Owner thread. */
void weft_runtime_free(weft_runtime_t *rt);

/* The message for the last failure of a call on rt; never NULL. Owner
 * thread. */
const char *weft_runtime_last_error(const weft_runtime_t *rt);

/* ---- factories: what every thread gets --------------------------------- */

/* What a factory is told about the thread it prepares. */
typedef struct weft_thread_info_s {
    uint64_t thread_id; /* 0 for the main thread */
    const char *name;   /* the thread's name ("main" for the main thread) */
    int is_main;
} weft_thread_info_t;

/* Called on each new thread, before any of its JavaScript runs. weft makes
 * the JSRuntime itself (its allocator enforces the memory limit and moves
 * transferred buffers without copying), so the runtime factory configures
 * it: JS_SetMemoryLimit, JS_SetGCThreshold, JS_SetMaxStackSize, ...; the
 * context factory adds globals to the thread's JSContext (weft's own
 * globals are already there). They play the part of QuickJS's
 * js_std_set_worker_new_runtime_func and js_std_set_worker_new_context_func.
 * A nonzero return fails the thread's start (the creator sees an 'error'
 * and the thread exits with code 1; for the main thread, the run call fails
 * with WEFT_EJS). They run on the new thread: concurrently with each other
 * when threads start together. */
typedef int (*weft_runtime_factory_t)(struct JSRuntime *rt, const weft_thread_info_t *info, void *opaque);
typedef int (*weft_context_factory_t)(struct JSContext *ctx, const weft_thread_info_t *info, void *opaque);

/* Sets the factories (NULL: none). Only before the runtime runs anything:
 * WEFT_ESTATE afterwards. The main thread gets them when it first runs.
 * Owner thread. */
int weft_runtime_set_runtime_factory(weft_runtime_t *rt, weft_runtime_factory_t fn, void *opaque);
int weft_runtime_set_context_factory(weft_runtime_t *rt, weft_context_factory_t fn, void *opaque);

/* ---- running the main thread -------------------------------------------- */

/* Runs the script at path (ES module or CommonJS, by the rules of
 * docs/modules.md) and then the event loop until nothing keeps it alive or
 * the script calls process.exit(). *exit_code receives the exit code
 * JavaScript asked for. Uncaught errors are printed to stderr and give exit
 * code 1; WEFT_EJS is not returned for them. Returns WEFT_ENOENT or WEFT_EIO
 * when the script cannot be found or read. A runtime runs one main script,
 * and these two functions cannot be mixed with weft_runtime_eval. Owner
 * thread. */
int weft_runtime_run_file(weft_runtime_t *rt, const char *path, int *exit_code);

/* Like weft_runtime_run_file, for source text; name is used in stack traces
 * and as the base for relative imports (a path in the current directory when
 * NULL). module nonzero evaluates the source as an ES module. Owner thread. */
int weft_runtime_run_source(weft_runtime_t *rt, const char *source, size_t len,
                            const char *name, int module, int *exit_code);

/* Evaluates source on the main thread without running the event loop (drive
 * it with weft_runtime_run_loop); may be called any number of times. name
 * as in weft_runtime_run_source; module nonzero: an ES module (top-level
 * await settles as the loop runs), else a CommonJS module. An uncaught
 * error is printed and returns WEFT_EJS; after process.exit() or a fatal
 * error the runtime is finished (WEFT_ESTATE). Owner thread. */
int weft_runtime_eval(weft_runtime_t *rt, const char *source, size_t len, const char *name, int module);

typedef enum weft_run_mode_e {
    WEFT_RUN_DEFAULT = 0, /* until nothing keeps the loop alive */
    WEFT_RUN_ONCE,        /* one turn, waiting for events if there are none */
    WEFT_RUN_NOWAIT,      /* one turn, without waiting */
} weft_run_mode_t;

/* Runs the main thread's event loop. *alive (may be NULL) is set to 1 while
 * work remains. WEFT_RUN_DEFAULT also runs 'beforeExit' listeners, as the
 * weft command does. Returns WEFT_ESTATE once the thread has exited
 * (process.exit() or a fatal error; see weft_runtime_finish). Owner thread. */
int weft_runtime_run_loop(weft_runtime_t *rt, weft_run_mode_t mode, int *alive);

/* Ends the main thread as the weft command does: 'exit' listeners run, and
 * *exit_code receives the process exit code. Owner thread. */
int weft_runtime_finish(weft_runtime_t *rt, int *exit_code);

/* ======================================================================
 * Ports and messages: talking to JavaScript threads from C
 * ====================================================================== */

/* One end of a channel. JavaScript sees the other end as an ordinary
 * MessagePort. Any thread may send on a port; receiving is serialized (one
 * receiver at a time). */
typedef struct weft_port_s weft_port_t;

/* A message received from JavaScript. Owned by the receiver. */
typedef struct weft_message_s weft_message_t;

/* Creates an entangled pair of C-side ports; the caller owns both. Pass one
 * to a thread (weft_thread_options_t.ports) or through another port
 * (weft_port_send_port) so that JavaScript holds it. Any thread. */
int weft_channel_new(weft_port_t **a, weft_port_t **b);

/* Sends a value given as JSON text (len (size_t)-1: NUL-terminated); the
 * receiver gets the parsed value. WEFT_EINVAL for text that is not JSON (or
 * not UTF-8). Sending on a closed channel does nothing (as postMessage).
 * Any thread. */
int weft_port_send_json(weft_port_t *port, const char *json, size_t len);

/* Sends bytes, copied: the receiver gets an ArrayBuffer. Any thread. */
int weft_port_send_bytes(weft_port_t *port, const void *data, size_t len);

/* Sends a buffer without copying: on success weft owns data (allocated with
 * weft_malloc or malloc) and the receiver's ArrayBuffer uses that memory.
 * On failure the caller still owns it. Any thread. */
int weft_port_send_buffer(weft_port_t *port, void *data, size_t len);

/* Moves the port `transfer` to the receiver, which gets it as a
 * MessagePort. On success the handle `transfer` is consumed (do not free
 * it). It may not be `port` itself nor its peer. Any thread. */
int weft_port_send_port(weft_port_t *port, weft_port_t *transfer);

/* Waits up to timeout_ms (negative: without limit; 0: only looks) for a
 * message and gives it to the caller in *out. Returns WEFT_ETIMEDOUT when
 * none came, WEFT_ECLOSED when the channel is closed and nothing is left.
 * Any thread; concurrent receivers take turns. */
int weft_port_recv(weft_port_t *port, double timeout_ms, weft_message_t **out);

/* Closes the channel: the peer gets a 'close' event after what is already
 * queued for it. Idempotent. Any thread. */
int weft_port_close(weft_port_t *port);

/* Closes the port if it is open and frees the handle. NULL and freed handles
 * are ignored. Any thread (not while another thread receives on it). */
void weft_port_free(weft_port_t *port);

typedef enum weft_message_kind_e {
    WEFT_MESSAGE_DATA = 0, /* a value posted by JavaScript */
    WEFT_MESSAGE_ERROR,    /* a thread's uncaught error (a thread's port) */
    WEFT_MESSAGE_EXIT,     /* a thread ended (a thread's port): see exit_code */
    WEFT_MESSAGE_CLOSE,    /* the other end closed the channel */
    WEFT_MESSAGE_ONLINE,   /* a thread started running JavaScript */
} weft_message_kind_t;

/* The kind of a message, or -1 for an invalid handle. Any thread. */
int weft_message_get_kind(const weft_message_t *msg);

/* A WEFT_MESSAGE_EXIT's exit code. Any thread. */
int weft_message_exit_code(const weft_message_t *msg, int *code);

/* The value as JSON text (as JSON.stringify, except that an Error becomes
 * {"name", "message", "stack"}): *json is NUL-terminated and owned by the
 * caller (weft_free). WEFT_ETYPE when the value has no JSON form (undefined,
 * a function-free but BigInt or cyclic value). Any thread. */
int weft_message_json(const weft_message_t *msg, char **json, size_t *len);

/* The bytes of a value that is an ArrayBuffer, SharedArrayBuffer, typed
 * array or DataView: borrowed, valid until the message is freed, and not
 * necessarily aligned (copy them out to read wider types).
 * WEFT_ETYPE for other values. Any thread. */
int weft_message_bytes(const weft_message_t *msg, const void **data, size_t *len);

/* Like weft_message_bytes, but the caller takes the bytes (weft_free),
 * without a copy when JavaScript transferred the buffer or it was large.
 * Any thread. */
int weft_message_take_bytes(weft_message_t *msg, void **data, size_t *len);

/* Frees a message and what it still holds (ports, shared memory). NULL and
 * freed handles are ignored. Any thread. */
void weft_message_free(weft_message_t *msg);

/* ======================================================================
 * Threads
 * ====================================================================== */

typedef struct weft_thread_s weft_thread_t;

typedef struct weft_thread_options_s {
    /* The entry: a module file (ES module or CommonJS by the usual rules;
     * relative paths from the current directory), or source text. */
    const char *file;
    const char *source;
    size_t source_len;      /* (size_t)-1: NUL-terminated */
    int module;             /* source: an ES module rather than CommonJS */
    const char *name;       /* threadName inside; may be NULL */
    const char *data_json;  /* require('weft').data, as JSON text; NULL: undefined */
    /* Capabilities: require('weft').capabilities[port_names[i]] is a
     * MessagePort for ports[i]. On success the port handles are consumed. */
    size_t n_ports;
    const char *const *port_names;
    weft_port_t *const *ports;
    /* Limits; 0: the runtime's defaults. */
    size_t memory_limit;
    size_t stack_size;
    double cpu_limit_ms;
} weft_thread_options_t;

/* Starts a JavaScript thread of rt. The thread's `parent` port is, in C,
 * weft_thread_port(*out): what the thread posts arrives there, with its
 * online, error and exit notices. The caller owns *out (weft_thread_free).
 * Owner thread (the thread itself runs on its own OS thread). */
int weft_runtime_start_thread(weft_runtime_t *rt, const weft_thread_options_t *opts, weft_thread_t **out);

/* The C side of the thread's parent port; borrowed, valid until the handle
 * is freed. NULL for an invalid handle. Any thread. */
weft_port_t *weft_thread_port(weft_thread_t *thread);

/* The thread's id (threadId in JavaScript), 0 for an invalid handle. */
uint64_t weft_thread_id(weft_thread_t *thread);

typedef enum weft_thread_state_e {
    WEFT_STATE_STARTING = 0,
    WEFT_STATE_ONLINE,
    WEFT_STATE_STOPPING,
    WEFT_STATE_EXITED,
} weft_thread_state_t;

typedef struct weft_thread_stats_s {
    weft_thread_state_t state;
    size_t heap_used;       /* bytes */
    size_t heap_limit;      /* bytes; 0: none */
    double cpu_time_ms;
    uint64_t messages_in;   /* messages delivered to the thread */
    uint64_t messages_out;  /* messages the thread posted */
} weft_thread_stats_t;

/* Statistics, readable at any time (also after exit). Any thread. */
int weft_thread_get_stats(weft_thread_t *thread, weft_thread_stats_t *out);

/* Asks the thread to stop wherever it is (a loop, a blocking wait); its
 * port then gets WEFT_MESSAGE_EXIT with code 1. Any thread. */
int weft_thread_terminate(weft_thread_t *thread);

/* Waits up to timeout_ms (negative: without limit) for the thread to end.
 * WEFT_ETIMEDOUT if it is still running. Any thread. */
int weft_thread_wait(weft_thread_t *thread, double timeout_ms);

/* Frees the handle (and its port); the thread itself goes on. NULL and
 * freed handles are ignored. Any thread. */
void weft_thread_free(weft_thread_t *thread);

/* Every thread of the runtime, however it was started (JavaScript or C),
 * by id: up to max ids of live threads into ids; *count gets how many
 * there are. Any thread. */
int weft_runtime_threads(weft_runtime_t *rt, uint64_t *ids, size_t max, size_t *count);

/* Statistics and termination by id, for threads that JavaScript started.
 * WEFT_ENOENT when no thread of rt has that id. Any thread. */
int weft_runtime_thread_stats(weft_runtime_t *rt, uint64_t id, weft_thread_stats_t *out);
int weft_runtime_terminate_thread(weft_runtime_t *rt, uint64_t id);

/* The main thread's statistics (state is ONLINE; heap from the engine).
 * Owner thread. */
int weft_runtime_stats(weft_runtime_t *rt, weft_thread_stats_t *out);

/* ======================================================================
 * C functions for JavaScript
 * ====================================================================== */

/* A call from JavaScript into a C function. */
typedef struct weft_call_s weft_call_t;

typedef void (*weft_function_t)(weft_call_t *call, void *opaque);

#define WEFT_FUNCTION_ASYNC 1u /* JavaScript gets a promise */

/* Exposes fn to every thread of rt as an export of the module 'weft:embed'
 * (import { name } from 'weft:embed', or require('weft:embed').name).
 * fn runs on the calling JavaScript thread. It completes the call with
 * weft_call_return_* or weft_call_throw; a synchronous function must do so
 * before it returns (else JavaScript gets undefined). With
 * WEFT_FUNCTION_ASYNC, JavaScript gets a promise that settles when the call
 * completes, which may happen later and from any OS thread. Only before the
 * runtime runs anything (WEFT_ESTATE afterwards). Owner thread. */
int weft_runtime_expose(weft_runtime_t *rt, const char *name, weft_function_t fn, void *opaque, unsigned flags);

/* The arguments: how many, and each as JSON text (NULL for undefined and
 * values without a JSON form) or as bytes (ArrayBuffers and their views,
 * copied). Borrowed, valid until the call completes. Any thread. */
int weft_call_argc(const weft_call_t *call);
const char *weft_call_arg_json(const weft_call_t *call, int i);
int weft_call_arg_bytes(const weft_call_t *call, int i, const void **data, size_t *len);

/* The id of the JavaScript thread that called (0: the main thread). */
uint64_t weft_call_thread_id(const weft_call_t *call);

/* Complete the call: its value from JSON text (len (size_t)-1:
 * NUL-terminated; NULL: undefined), from bytes (copied: an ArrayBuffer), or
 * an Error with message. After completion the handle is invalid. Any
 * thread (an async call's thread may have ended: the result is dropped). */
int weft_call_return_json(weft_call_t *call, const char *json, size_t len);
int weft_call_return_bytes(weft_call_t *call, const void *data, size_t len);
int weft_call_throw(weft_call_t *call, const char *message);

#ifdef __cplusplus
}
#endif
#endif /* WEFT_H */
