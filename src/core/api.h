/*
 * api: internals of the embedding API (include/weft.h), shared by
 * runtime.c, api_*.c and src/modules/embed.c.
 *
 * Handles. Every object the API hands out starts with an api_handle and is
 * entered in a process-wide registry of live handles. A call looks its
 * handle up (and takes a reference) under the registry's lock, so that a
 * freed or foreign pointer is an error instead of a crash, and a handle
 * freed by one thread while another uses it stays valid until that use
 * ends.
 */
#ifndef WEFT_API_H
#define WEFT_API_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/embed.h"
#include "core/message.h"
#include "weft.h"

typedef enum api_kind {
    API_RUNTIME = 1,
    API_PORT,
    API_MESSAGE,
    API_THREAD,
    API_CALL,
} api_kind;

typedef struct api_handle {
    api_kind kind;
    atomic_int refs;
    void (*destroy)(struct api_handle *h);
} api_handle;

/* Enters h (one reference, the owner's) in the registry. WEFT_ENOMEM when
 * the registry cannot grow. */
int weft__api_register(api_handle *h, api_kind kind, void (*destroy)(api_handle *h));

/* The live handle at ptr of that kind, with a reference for the caller; NULL
 * (and the calling thread's error set, naming `what`) when there is none. */
api_handle *weft__api_acquire(const void *ptr, api_kind kind, const char *what);

void weft__api_retain(api_handle *h);
void weft__api_release(api_handle *h);

/* Takes ptr out of the registry; true when it was there (the caller then
 * drops the owner's reference). */
bool weft__api_unregister(const void *ptr, api_kind kind);

/* Sets the calling thread's last error and returns err. */
int weft__api_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void weft__api_clear_error(void);

/* The code of the calling thread's last failure (for callers of
 * weft__api_acquire). */
int weft__api_last_code(void);

/* ---- the runtime's shared configuration ------------------------------------ */

typedef struct embed_function {
    char *name;
    weft_function_t fn;
    void *opaque;
    unsigned flags;
} embed_function;

/* One per runtime; each of its threads holds a reference (weft_thread's
 * embed). Immutable once frozen (the runtime ran something), so threads
 * read it without a lock; the thread list has its own lock. */
struct weft_embed {
    atomic_int refs;
    atomic_bool frozen;
    size_t memory_limit, stack_size, gc_threshold;
    weft_runtime_factory_t runtime_factory;
    void *runtime_opaque;
    weft_context_factory_t context_factory;
    void *context_opaque;
    embed_function *functions;
    size_t n_functions;

    uv_mutex_t lock;               /* guards the thread list */
    struct weft_thread **threads;  /* each holds a reference */
    size_t n_threads, cap_threads;
};

weft_embed *weft__embed_new(void);

/* A live thread of e by id, with a reference (weft__thread_release). */
struct weft_thread *weft__embed_find_thread(weft_embed *e, uint64_t id);

/* Drops the thread list (breaks the embed -> thread -> embed cycle). */
void weft__embed_clear_threads(weft_embed *e);

/* ---- wire format (api_wire.c): weft's messages from and to C ------------------ */

/* A growable byte buffer for writing messages. */
typedef struct wire_buf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} wire_buf;

void weft__wire_init(wire_buf *b);  /* starts with the version byte */
void weft__wire_free(wire_buf *b);
void weft__wire_byte(wire_buf *b, uint8_t v);
void weft__wire_varint(wire_buf *b, uint64_t v);
void weft__wire_double(wire_buf *b, double d);
void weft__wire_string(wire_buf *b, const char *s, size_t n);
void weft__wire_key(wire_buf *b, const char *s);   /* a new property key */
void weft__wire_end_props(wire_buf *b);

/* Tags of clone.c's wire format that C writes. */
enum {
    WIRE_UNDEFINED = 1, WIRE_NULL, WIRE_FALSE, WIRE_TRUE, WIRE_INT, WIRE_DOUBLE, WIRE_BIGINT,
    WIRE_STRING, WIRE_REF, WIRE_HOLE, WIRE_OBJECT, WIRE_ARRAY, WIRE_BOOLEAN_OBJECT,
    WIRE_NUMBER_OBJECT, WIRE_STRING_OBJECT, WIRE_BIGINT_OBJECT, WIRE_DATE, WIRE_REGEXP, WIRE_MAP,
    WIRE_SET, WIRE_ERROR, WIRE_ARRAY_BUFFER, WIRE_MOVED_BUFFER, WIRE_SHARED_BUFFER,
    WIRE_TYPED_ARRAY, WIRE_DATA_VIEW, WIRE_PORT,
};

/* Appends the value of JSON text; WEFT_EINVAL (error set) for bad JSON. */
int weft__wire_json(wire_buf *b, const char *json, size_t len);

/* A data message with b's bytes (b is left empty). NULL when out of memory. */
weft_message *weft__wire_message(wire_buf *b);

/* The JSON text of a message's value (malloc()ed, NUL-terminated). */
int weft__wire_to_json(const weft_message *msg, char **out, size_t *len);

/* The bytes of a message whose value is a buffer or a view: a pointer into
 * the message, and the index of its moved buffer (-1 when inline). */
int weft__wire_bytes(const weft_message *msg, const uint8_t **data, size_t *len, int *moved);

#endif
