/*
 * clone: the HTML structured clone algorithm between a JSContext and a
 * message, in weft's own wire format.
 *
 * Wire format, version WEFT_WIRE_VERSION: the version byte, one value, and
 * nothing after it. A "varint" is unsigned LEB128 (at most 10 bytes); a
 * "double" is 8 bytes, little-endian IEEE 754; a "string" is a varint byte
 * count then that many bytes of WTF-8 (UTF-8 that also keeps lone
 * surrogates). A value is a tag byte and its payload:
 *
 *   UNDEFINED NULL FALSE TRUE   -
 *   INT            varint: a zigzag-encoded int32
 *   DOUBLE         double
 *   BIGINT         varint n, then n bytes of two's complement, little-endian
 *   STRING         string
 *   REF            varint id: an object met earlier (repeated or circular)
 *   OBJECT         properties
 *   ARRAY          varint length, varint n, n element values for indices
 *                  0..n-1 (HOLE where one is missing), then properties
 *   BOOLEAN_OBJECT byte 0 or 1      NUMBER_OBJECT  double
 *   STRING_OBJECT  string           BIGINT_OBJECT  as BIGINT
 *   DATE           double (the time value)
 *   REGEXP         string source, string flags
 *   MAP            varint n, then n pairs of values (key, value)
 *   SET            varint n, then n values
 *   ERROR          byte name (an index in error_names), byte of the fields
 *                  present (1 message, 2 stack, 4 cause, 8 errors), then
 *                  message and stack as strings, cause and errors as values
 *   ARRAY_BUFFER   varint n, then n bytes
 *   MOVED_BUFFER   varint i: the bytes of msg->sides->moved[i] (transferred, or a
 *                  large ArrayBuffer copied out of line)
 *   SHARED_BUFFER  varint i: the SharedArrayBuffer store msg->sides->shared[i]
 *   TYPED_ARRAY    byte JSTypedArrayEnum, value (its buffer), varint
 *                  byteOffset, varint length in elements
 *   DATA_VIEW      value (its buffer), varint byteOffset, varint byteLength
 *   PORT           varint i: the MessagePort msg->sides->ports[i]
 *
 * Properties are (key, value) pairs ended by a key of 0. A key is a varint
 * k: odd k names key number k >> 1 of this message, even k is a new key
 * whose (k >> 1) - 1 bytes of WTF-8 follow; keys are numbered as they first
 * appear. Each object tag (OBJECT to PORT but HOLE) gives its object the next
 * object id; a view takes its id before its buffer does.
 */
#include "core/clone.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/jsutil.h"
#include "core/port.h"
#include "core/shm.h"
#include "core/transfer.h"
#include "engine/engine.h"

/* Objects nested deeper than this are refused on both sides: a bound on the
 * C recursion that holds even where the engine's stack check is off. A level
 * takes about 400 bytes of native stack when writing, 300 when reading. */
#define MAX_DEPTH 10000
/* Every this many levels the recursion calls a C function through the
 * engine: its stack check ("InternalError: stack overflow") then stops a
 * clone that reaches the thread's JavaScript stack limit, and its interrupt
 * check lets a thread being terminated stop in the middle of a huge clone. */
#define STACK_PROBE_INTERVAL 16
/* ArrayBuffers from this size travel beside the wire bytes, in msg->sides->moved:
 * their bytes are copied once instead of three times. */
#define OUT_OF_LINE_MIN 4096
/* Small messages are written into the writer's own stack buffer. */
#define SCRATCH_INLINE 512
#define TABLE_INLINE 16
#define READER_INLINE 16
/* Array elements written without their keys; tagged atoms stop below 2^31. */
#define DENSE_MAX (1u << 30)
#define UNWRITTEN UINT32_MAX
#define MAX_SAFE_INTEGER ((1ull << 53) - 1)

enum tag {
    TAG_UNDEFINED = 1,
    TAG_NULL,
    TAG_FALSE,
    TAG_TRUE,
    TAG_INT,
    TAG_DOUBLE,
    TAG_BIGINT,
    TAG_STRING,
    TAG_REF,
    TAG_HOLE,
    TAG_OBJECT,
    TAG_ARRAY,
    TAG_BOOLEAN_OBJECT,
    TAG_NUMBER_OBJECT,
    TAG_STRING_OBJECT,
    TAG_BIGINT_OBJECT,
    TAG_DATE,
    TAG_REGEXP,
    TAG_MAP,
    TAG_SET,
    TAG_ERROR,
    TAG_ARRAY_BUFFER,
    TAG_MOVED_BUFFER,
    TAG_SHARED_BUFFER,
    TAG_TYPED_ARRAY,
    TAG_DATA_VIEW,
    TAG_PORT,
};

/* ---- builtin classes ------------------------------------------------------ */

enum kind {
    KIND_OTHER = 0,
    KIND_OBJECT,
    KIND_ARRAY,
    KIND_BOOLEAN,
    KIND_NUMBER,
    KIND_STRING,
    KIND_BIGINT,
    KIND_DATE,
    KIND_REGEXP,
    KIND_MAP,
    KIND_SET,
    KIND_ERROR,
    KIND_ARRAY_BUFFER,
    KIND_SHARED_BUFFER,
    KIND_TYPED_ARRAY,
    KIND_DATA_VIEW,
    KIND_PROXY,
};

/* The public API cannot ask "is this a Date?", but builtin class ids are the
 * same in every runtime: one sample of each class tells them apart. */
static const char class_samples[] =
    "[{}, (function () { return arguments; })(), (function () { 'use strict'; return arguments; })(),"
    " [], new Boolean(false), new Number(0), new String(''), Object(0n), new Date(0), /x/,"
    " new Map, new Set, new Error, new ArrayBuffer(0), new SharedArrayBuffer(0),"
    " new DataView(new ArrayBuffer(0)), new Proxy({}, {}),"
    " new Uint8ClampedArray(0), new Int8Array(0), new Uint8Array(0), new Int16Array(0),"
    " new Uint16Array(0), new Int32Array(0), new Uint32Array(0), new BigInt64Array(0),"
    " new BigUint64Array(0), new Float32Array(0), new Float64Array(0)]";
static const uint8_t sample_kinds[] = {
    KIND_OBJECT, KIND_OBJECT, KIND_OBJECT, KIND_ARRAY, KIND_BOOLEAN, KIND_NUMBER, KIND_STRING,
    KIND_BIGINT, KIND_DATE, KIND_REGEXP, KIND_MAP, KIND_SET, KIND_ERROR, KIND_ARRAY_BUFFER,
    KIND_SHARED_BUFFER, KIND_DATA_VIEW, KIND_PROXY,
};
/* The typed arrays follow the samples above, in JSTypedArrayEnum order. */
#define N_TYPED_ARRAYS (JS_TYPED_ARRAY_FLOAT64 + 1)
#define CLASS_TABLE_SIZE 128

typedef struct class_table {
    uint8_t kind[CLASS_TABLE_SIZE];
    uint8_t typed[CLASS_TABLE_SIZE]; /* JSTypedArrayEnum of a typed array class */
    JSClassID error;
    JSClassID cache;                 /* the per-context cache's holder (below) */
} class_table;

/* Filled once for the process, then only read. */
static class_table classes;
static atomic_bool classes_known;
static uv_once_t classes_once = UV_ONCE_INIT;
static uv_mutex_t classes_lock;

static void classes_lock_init(void)
{
    if (uv_mutex_init(&classes_lock) != 0)
        abort();
}

static int learn_classes(JSContext *ctx, class_table *t)
{
    JSValue samples = JS_Eval(ctx, class_samples, sizeof class_samples - 1, "<weft:clone>",
                              JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(samples))
        return -1;
    memset(t, 0, sizeof *t);
    uint32_t n_kinds = WEFT_COUNTOF(sample_kinds);
    int ret = 0;
    for (uint32_t i = 0; i < n_kinds + N_TYPED_ARRAYS && ret == 0; i++) {
        JSValue sample = JS_GetPropertyUint32(ctx, samples, i);
        JSClassID id = JS_GetClassID(sample);
        JS_FreeValue(ctx, sample);
        if (id == JS_INVALID_CLASS_ID || id >= CLASS_TABLE_SIZE) {
            JS_ThrowInternalError(ctx, "structured clone: unexpected class id %u", id);
            ret = -1;
        } else if (i < n_kinds) {
            t->kind[id] = sample_kinds[i];
            if (sample_kinds[i] == KIND_ERROR)
                t->error = id;
        } else {
            t->kind[id] = KIND_TYPED_ARRAY;
            t->typed[id] = (uint8_t)(i - n_kinds);
        }
    }
    JS_FreeValue(ctx, samples);
    return ret;
}

static int ensure_classes(JSContext *ctx)
{
    if (atomic_load_explicit(&classes_known, memory_order_acquire))
        return 0;
    /* Learnt outside the lock: the samples run JavaScript. */
    class_table t;
    if (learn_classes(ctx, &t) < 0)
        return -1;
    uv_once(&classes_once, classes_lock_init);
    uv_mutex_lock(&classes_lock);
    if (!atomic_load_explicit(&classes_known, memory_order_relaxed)) {
        classes = t;
        weft__new_class_id(&classes.cache);
        atomic_store_explicit(&classes_known, true, memory_order_release);
    }
    uv_mutex_unlock(&classes_lock);
    return 0;
}

static enum kind kind_of(JSValueConst obj)
{
    JSClassID id = JS_GetClassID(obj);
    return id < CLASS_TABLE_SIZE ? (enum kind)classes.kind[id] : KIND_OTHER;
}

int weft__typed_array_type(JSValueConst v)
{
    return kind_of(v) == KIND_TYPED_ARRAY ? classes.typed[JS_GetClassID(v)] : -1;
}

bool weft__is_shared_array_buffer(JSValueConst v)
{
    return kind_of(v) == KIND_SHARED_BUFFER;
}

/* ---- per-context cache ---------------------------------------------------- */

/* The builtins the clone calls, taken when the context is set up, before
 * any script could replace them: internal slots are read through the
 * original methods (Date.prototype.getTime, ...), never through whatever
 * the prototypes hold later. */
static const char *const error_names[] = {
    "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError",
    "AggregateError",
};
#define N_ERROR_NAMES ((int)WEFT_COUNTOF(error_names))
#define AGGREGATE_ERROR 7
static const char regexp_flag_chars[] = "dgimsuvy";
#define N_REGEXP_FLAGS ((int)sizeof regexp_flag_chars - 1)

enum cache_slot {
    C_OBJECT,
    C_OBJECT_TO_STRING,
    C_ARRAY_FROM,
    C_STACK_PROBE,
    C_BOOLEAN_VALUE_OF,
    C_NUMBER_VALUE_OF,
    C_STRING_VALUE_OF,
    C_BIGINT_VALUE_OF,
    C_BIGINT,
    C_BIGINT_AS_INT_N,
    C_BIGINT_SHIFT,
    C_DATE_GET_TIME,
    C_REGEXP,
    C_REGEXP_SOURCE,
    C_REGEXP_FLAGS, /* one getter per regexp_flag_chars */
    C_MAP = C_REGEXP_FLAGS + N_REGEXP_FLAGS,
    C_MAP_FOR_EACH,
    C_MAP_SET,
    C_SET,
    C_SET_FOR_EACH,
    C_SET_ADD,
    C_DATA_VIEW,
    C_DATA_VIEW_BUFFER,
    C_DATA_VIEW_OFFSET,
    C_DATA_VIEW_LENGTH,
    C_ERROR_PROTOS, /* one prototype per error_names */
    C_COUNT = C_ERROR_PROTOS + N_ERROR_NAMES
};

/* Dotted paths from the global object; "get " takes the getter of the last
 * step. C_STACK_PROBE is made here, and C_BIGINT_SHIFT when first needed. */
static const char *const cache_paths[C_COUNT] = {
    [C_OBJECT] = "Object",
    [C_OBJECT_TO_STRING] = "Object.prototype.toString",
    [C_ARRAY_FROM] = "Array.from",
    [C_BOOLEAN_VALUE_OF] = "Boolean.prototype.valueOf",
    [C_NUMBER_VALUE_OF] = "Number.prototype.valueOf",
    [C_STRING_VALUE_OF] = "String.prototype.valueOf",
    [C_BIGINT_VALUE_OF] = "BigInt.prototype.valueOf",
    [C_BIGINT] = "BigInt",
    [C_BIGINT_AS_INT_N] = "BigInt.asIntN",
    [C_DATE_GET_TIME] = "Date.prototype.getTime",
    [C_REGEXP] = "RegExp",
    [C_REGEXP_SOURCE] = "get RegExp.prototype.source",
    [C_REGEXP_FLAGS + 0] = "get RegExp.prototype.hasIndices",
    [C_REGEXP_FLAGS + 1] = "get RegExp.prototype.global",
    [C_REGEXP_FLAGS + 2] = "get RegExp.prototype.ignoreCase",
    [C_REGEXP_FLAGS + 3] = "get RegExp.prototype.multiline",
    [C_REGEXP_FLAGS + 4] = "get RegExp.prototype.dotAll",
    [C_REGEXP_FLAGS + 5] = "get RegExp.prototype.unicode",
    [C_REGEXP_FLAGS + 6] = "get RegExp.prototype.unicodeSets",
    [C_REGEXP_FLAGS + 7] = "get RegExp.prototype.sticky",
    [C_MAP] = "Map",
    [C_MAP_FOR_EACH] = "Map.prototype.forEach",
    [C_MAP_SET] = "Map.prototype.set",
    [C_SET] = "Set",
    [C_SET_FOR_EACH] = "Set.prototype.forEach",
    [C_SET_ADD] = "Set.prototype.add",
    [C_DATA_VIEW] = "DataView",
    [C_DATA_VIEW_BUFFER] = "get DataView.prototype.buffer",
    [C_DATA_VIEW_OFFSET] = "get DataView.prototype.byteOffset",
    [C_DATA_VIEW_LENGTH] = "get DataView.prototype.byteLength",
    [C_ERROR_PROTOS + 0] = "Error.prototype",
    [C_ERROR_PROTOS + 1] = "EvalError.prototype",
    [C_ERROR_PROTOS + 2] = "RangeError.prototype",
    [C_ERROR_PROTOS + 3] = "ReferenceError.prototype",
    [C_ERROR_PROTOS + 4] = "SyntaxError.prototype",
    [C_ERROR_PROTOS + 5] = "TypeError.prototype",
    [C_ERROR_PROTOS + 6] = "URIError.prototype",
    [C_ERROR_PROTOS + 7] = "AggregateError.prototype",
};

/* ---- shape keepers ---------------------------------------------------------
 *
 * QuickJS gives objects with the same keys added in the same order one shared
 * "shape", found again through a hash table, but a shape lives only as long
 * as an object uses it. A stream of messages such as {i, s} is the worst
 * case: each object is freed before the next is made, so every message
 * builds its shapes again, one per key, on the sending side (the object
 * literal) and on the receiving side (the clone), with an allocation each.
 * A keeper holds, for a recent key sequence, one object per prefix of it
 * ({i}, {i, s}), so that those shapes stay alive and new objects only follow
 * them. The objects are internal to the clone cache; only memory (bounded by
 * KEEPER_SLOTS * KEEPER_KEYS small objects per context) and speed differ. */

#define KEEPER_KEYS 8
#define KEEPER_SLOTS 8

typedef struct shape_keeper {
    uint32_t n;                     /* 0: empty */
    uint32_t used;                  /* the cache's clock when last used */
    JSAtom keys[KEEPER_KEYS];       /* kept alive by the holders' shapes */
    JSValue holders[KEEPER_KEYS];   /* holders[i] has keys[0..i] */
} shape_keeper;

/* Text caches. A stream's messages carry the same keys, and often the same
 * short strings, message after message:
 * - the writer keeps the wire bytes (a one-byte length, then WTF-8) of keys
 *   and short strings it wrote, found by the atom or by the string itself;
 *   converting each to WTF-8 again costs an allocation;
 * - the reader keeps keys and short strings by their bytes; making each
 *   again costs a lookup in the engine's atom table (keys) or an allocation
 *   (strings).
 * Each entry holds a reference to its atom or string, so that the number or
 * the address cannot come to name another text. */
#define TEXT_CACHE_SLOTS 16
#define TEXT_CACHE_MAX 24

_Static_assert(((TEXT_CACHE_MAX + 1) << 1) < 0x80, "a cached text's length is one varint byte");

typedef struct text_entry {
    bool used;
    uint32_t len;
    char bytes[1 + TEXT_CACHE_MAX];
    JSAtom atom;  /* in key entries; JS_ATOM_NULL in string entries */
    JSValue str;  /* in string entries; undefined in key entries */
} text_entry;

/* A stream's objects share one shape. Each side remembers the last small
 * object of primitives it wrote as a whole message, or read, with its keys'
 * wire bytes: the next object of that shape then costs a memcpy (writer) or
 * a memcmp (reader) per key, instead of a cache lookup per key and a
 * keeper's search. The holder, a keeper's object of that shape, keeps the
 * shape, and so the keys' atoms, alive after its keeper moves on. */
#define SHAPE_WIRE_MAX 128

typedef struct shape_wire {
    uint32_t n;                     /* 0: nothing remembered */
    JSValue holder;
    JSAtom keys[KEEPER_KEYS];       /* borrowed from the holder's shape; the
                                     * reader's matched keys take these */
    uint8_t end[KEEPER_KEYS];       /* key i's bytes end at bytes[end[i]] */
    uint8_t bytes[SHAPE_WIRE_MAX];
} shape_wire;

_Static_assert(SHAPE_WIRE_MAX <= UINT8_MAX, "shape_wire.end holds offsets in bytes");

typedef struct clone_cache {
    JSValue v[C_COUNT];
    text_entry read_keys[TEXT_CACHE_SLOTS];
    text_entry read_strings[TEXT_CACHE_SLOTS];
    text_entry written_keys[TEXT_CACHE_SLOTS];
    text_entry written_strings[TEXT_CACHE_SLOTS];
    /* Two-way: shapes that alternate (a message and receive()'s result)
     * must not keep evicting each other. */
    shape_keeper keepers[KEEPER_SLOTS];
    uint32_t keeper_clock;
    shape_keeper *last_keeper; /* the one used last, or NULL */
    shape_wire written, read;
} clone_cache;

/* Drops what e holds. Entries start zeroed: no atom, the number 0. */
static void text_entry_clear(JSRuntime *rt, text_entry *e)
{
    if (!e->used)
        return;
    JS_FreeAtomRT(rt, e->atom);
    JS_FreeValueRT(rt, e->str);
    e->used = false;
}

/* Puts bytes b[0..n) in e, which takes a reference to atom or str (the
 * other one is JS_ATOM_NULL or JS_UNDEFINED). */
static void text_entry_set(JSContext *ctx, text_entry *e, const void *b, size_t n, JSAtom atom,
                           JSValueConst str)
{
    text_entry_clear(JS_GetRuntime(ctx), e);
    e->used = true;
    e->len = (uint32_t)n;
    memcpy(e->bytes, b, n);
    e->atom = JS_DupAtom(ctx, atom);
    e->str = JS_DupValue(ctx, str);
}

/* The writer's form: a one-byte varint `prefix`, then s[0..n). */
static void text_entry_set_wire(JSContext *ctx, text_entry *e, uint8_t prefix, const char *s, size_t n,
                                JSAtom atom, JSValueConst str)
{
    char wire[1 + TEXT_CACHE_MAX];
    wire[0] = (char)prefix;
    memcpy(wire + 1, s, n);
    text_entry_set(ctx, e, wire, n + 1, atom, str);
}

static void keeper_clear(JSRuntime *rt, shape_keeper *k)
{
    for (uint32_t i = 0; i < k->n; i++)
        JS_FreeValueRT(rt, k->holders[i]);
    k->n = 0;
}

static bool keeper_holds(const shape_keeper *k, const JSAtom *keys, uint32_t n)
{
    return k->n == n && memcmp(k->keys, keys, n * sizeof *keys) == 0;
}

/* Builds the holders of keys[0..n-1]; an empty keeper when memory runs out
 * (the exception is dropped: nothing depends on a keeper). */
static void keeper_fill(JSContext *ctx, shape_keeper *k, const JSAtom *keys, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        JSValue h = JS_NewObject(ctx);
        bool ok = !JS_IsException(h);
        for (uint32_t j = 0; ok && j <= i; j++)
            ok = JS_DefinePropertyValue(ctx, h, keys[j], JS_UNDEFINED, JS_PROP_C_W_E) >= 0;
        if (!ok) {
            JS_FreeValue(ctx, h);
            JS_FreeValue(ctx, JS_GetException(ctx));
            keeper_clear(JS_GetRuntime(ctx), k);
            return;
        }
        k->keys[i] = keys[i];
        k->holders[i] = h;
        k->n = i + 1;
    }
}

/* Keeps the shapes of a plain object whose own keys are keys[0..n-1], in
 * the order they were added. Returns (borrowed) an object with all n keys,
 * or JS_UNDEFINED. */
static JSValueConst keep_shapes(JSContext *ctx, clone_cache *c, const JSAtom *keys, uint32_t n)
{
    if (n == 0 || n > KEEPER_KEYS)
        return JS_UNDEFINED;
    uint32_t h = n;
    for (uint32_t i = 0; i < n; i++)
        h = h * 31 + keys[i];
    shape_keeper *pair = &c->keepers[(h % (KEEPER_SLOTS / 2)) * 2];
    shape_keeper *k = keeper_holds(&pair[0], keys, n) ? &pair[0] : keeper_holds(&pair[1], keys, n) ? &pair[1] : NULL;
    if (!k) {
        k = pair[0].used <= pair[1].used ? &pair[0] : &pair[1];
        keeper_clear(JS_GetRuntime(ctx), k);
        keeper_fill(ctx, k, keys, n);
    }
    k->used = ++c->keeper_clock;
    c->last_keeper = k;
    return k->n == n ? k->holders[n - 1] : JS_UNDEFINED;
}

static void shape_wire_forget(JSRuntime *rt, shape_wire *s)
{
    if (s->n)
        JS_FreeValueRT(rt, s->holder);
    s->n = 0;
}

/* Remembers holder's shape, whose keys[0..n) were written (or read) at
 * base[span[i][0]..span[i][1]); nothing when the keys are too long. */
static void shape_wire_remember(JSContext *ctx, shape_wire *s, JSValueConst holder, const JSAtom *keys,
                                uint32_t n, const uint8_t *base, const size_t (*span)[2])
{
    shape_wire_forget(JS_GetRuntime(ctx), s);
    if (!JS_IsObject(holder) || n == 0 || n > KEEPER_KEYS)
        return;
    size_t len = 0;
    for (uint32_t i = 0; i < n; i++) {
        size_t k = span[i][1] - span[i][0];
        if (k > SHAPE_WIRE_MAX - len)
            return;
        memcpy(s->bytes + len, base + span[i][0], k);
        len += k;
        s->end[i] = (uint8_t)len;
        s->keys[i] = keys[i];
    }
    s->holder = JS_DupValue(ctx, holder);
    s->n = n;
}

/* Key i's bytes in s, and how many. */
static const uint8_t *shape_wire_key(const shape_wire *s, uint32_t i, size_t *len)
{
    uint32_t from = i ? s->end[i - 1] : 0;
    *len = s->end[i] - from;
    return s->bytes + from;
}

/* Whether obj's shape is kept already: it is the shape of the holder with
 * all the keys of the keeper used last (a stream's objects share one). */
static bool shape_kept(clone_cache *c, JSValueConst obj)
{
    shape_keeper *k = c->last_keeper;
    return k && k->n > 0 && weft__engine_same_shape(obj, k->holders[k->n - 1]);
}

/* The last context this thread cloned in and its cache: a context lives on
 * one thread, and its cache's finalizer forgets it here before the context
 * (and the address) can go. */
static _Thread_local JSContext *last_ctx;
static _Thread_local clone_cache *last_cache;

/* The cache hangs off its context as the "prototype" of a class of our own:
 * a per-context slot that no script can reach, freed with the context. */
static void cache_finalizer(JSRuntime *rt, JSValue val)
{
    clone_cache *c = JS_GetOpaque(val, classes.cache);
    if (!c)
        return;
    if (last_cache == c) {
        last_ctx = NULL;
        last_cache = NULL;
    }
    for (int i = 0; i < C_COUNT; i++)
        JS_FreeValueRT(rt, c->v[i]);
    for (int i = 0; i < KEEPER_SLOTS; i++)
        keeper_clear(rt, &c->keepers[i]);
    shape_wire_forget(rt, &c->written);
    shape_wire_forget(rt, &c->read);
    for (int i = 0; i < TEXT_CACHE_SLOTS; i++) {
        text_entry_clear(rt, &c->read_keys[i]);
        text_entry_clear(rt, &c->read_strings[i]);
        text_entry_clear(rt, &c->written_keys[i]);
        text_entry_clear(rt, &c->written_strings[i]);
    }
    free(c);
}

static void cache_mark(JSRuntime *rt, JSValueConst val, JS_MarkFunc *mark)
{
    clone_cache *c = JS_GetOpaque(val, classes.cache);
    if (!c)
        return;
    for (int i = 0; i < C_COUNT; i++)
        JS_MarkValue(rt, c->v[i], mark);
    for (int i = 0; i < KEEPER_SLOTS; i++) {
        for (uint32_t j = 0; j < c->keepers[i].n; j++)
            JS_MarkValue(rt, c->keepers[i].holders[j], mark);
    }
    if (c->written.n)
        JS_MarkValue(rt, c->written.holder, mark);
    if (c->read.n)
        JS_MarkValue(rt, c->read.holder, mark);
}

static const JSClassDef cache_class = {
    "StructuredCloneCache",
    .finalizer = cache_finalizer,
    .gc_mark = cache_mark,
};

/* Does nothing: calling it makes the engine check the native stack. */
static JSValue stack_probe(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return JS_UNDEFINED;
}

static JSValue own_getter(JSContext *ctx, JSValueConst obj, JSAtom atom)
{
    JSPropertyDescriptor desc;
    int found = JS_GetOwnProperty(ctx, &desc, obj, atom);
    if (found <= 0)
        return found < 0 ? JS_EXCEPTION : JS_UNDEFINED;
    JS_FreeValue(ctx, desc.value);
    JS_FreeValue(ctx, desc.setter);
    return desc.getter;
}

/* Something missing resolves to undefined: only values that need it fail. */
static JSValue resolve_path(JSContext *ctx, JSValueConst global, const char *path)
{
    bool getter = strncmp(path, "get ", 4) == 0;
    if (getter)
        path += 4;
    JSValue cur = JS_DupValue(ctx, global);
    while (*path && JS_IsObject(cur)) {
        size_t n = strcspn(path, ".");
        JSAtom atom = JS_NewAtomLen(ctx, path, n);
        path += n + (path[n] == '.');
        JSValue next = JS_EXCEPTION;
        if (atom != JS_ATOM_NULL) {
            next = getter && !*path ? own_getter(ctx, cur, atom) : JS_GetProperty(ctx, cur, atom);
            JS_FreeAtom(ctx, atom);
        }
        JS_FreeValue(ctx, cur);
        if (JS_IsException(next))
            return next;
        cur = next;
    }
    if (*path) {
        JS_FreeValue(ctx, cur);
        return JS_UNDEFINED;
    }
    return cur;
}

static int fill_cache(JSContext *ctx, clone_cache *c)
{
    JSValue global = JS_GetGlobalObject(ctx);
    int ret = 0;
    for (int i = 0; i < C_COUNT && ret == 0; i++) {
        JSValue v = i == C_STACK_PROBE ? JS_NewCFunction(ctx, stack_probe, "", 0)
                    : cache_paths[i]  ? resolve_path(ctx, global, cache_paths[i])
                                      : JS_UNDEFINED;
        if (JS_IsException(v))
            ret = -1;
        else
            c->v[i] = v;
    }
    JS_FreeValue(ctx, global);
    return ret;
}

static clone_cache *make_cache(JSContext *ctx)
{
    JSRuntime *rt = JS_GetRuntime(ctx);
    if (!JS_IsRegisteredClass(rt, classes.cache) && JS_NewClass(rt, classes.cache, &cache_class) < 0) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    clone_cache *c = calloc(1, sizeof *c);
    if (!c) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    for (int i = 0; i < C_COUNT; i++)
        c->v[i] = JS_UNDEFINED;
    JSValue holder = JS_NewObjectClass(ctx, (int)classes.cache);
    if (JS_IsException(holder)) {
        free(c);
        return NULL;
    }
    JS_SetOpaque(holder, c);
    if (fill_cache(ctx, c) < 0) {
        JS_FreeValue(ctx, holder);
        return NULL;
    }
    JS_SetClassProto(ctx, classes.cache, holder);
    return c;
}

static clone_cache *cache_of(JSContext *ctx)
{
    if (ctx == last_ctx)
        return last_cache;
    if (ensure_classes(ctx) < 0)
        return NULL;
    if (JS_IsRegisteredClass(JS_GetRuntime(ctx), classes.cache)) {
        JSValue holder = JS_GetClassProto(ctx, classes.cache);
        clone_cache *c = JS_GetOpaque(holder, classes.cache);
        JS_FreeValue(ctx, holder);
        if (c) {
            last_ctx = ctx;
            last_cache = c;
            return c;
        }
    }
    return make_cache(ctx);
}

/* The cache, fetched the first time a clone needs it. */
static clone_cache *need_cache(JSContext *ctx, clone_cache **cache)
{
    if (!*cache)
        *cache = cache_of(ctx);
    return *cache;
}

/* Called before entering nesting level depth + 1. */
static int probe_stack(JSContext *ctx, clone_cache **cache, int depth)
{
    if (depth % STACK_PROBE_INTERVAL != STACK_PROBE_INTERVAL - 1)
        return 0;
    clone_cache *c = need_cache(ctx, cache);
    if (!c)
        return -1;
    JSValue r = JS_Call(ctx, c->v[C_STACK_PROBE], JS_UNDEFINED, 0, NULL);
    if (JS_IsException(r))
        return -1;
    JS_FreeValue(ctx, r);
    return 0;
}

/* ---- errors --------------------------------------------------------------- */

/* An Error that looks like a DOMException named DataCloneError. */
static JSValue error_like(JSContext *ctx, JSValueConst message, JSValueConst name)
{
    int hidden = JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE;
    JSValue err = JS_NewError(ctx);
    if (!JS_IsException(err) &&
        (JS_DefinePropertyValueStr(ctx, err, "message", JS_DupValue(ctx, message), hidden) < 0 ||
         JS_DefinePropertyValueStr(ctx, err, "name", JS_DupValue(ctx, name), hidden) < 0 ||
         JS_DefinePropertyValueStr(ctx, err, "code", JS_NewInt32(ctx, 25), hidden) < 0)) {
        JS_FreeValue(ctx, err);
        return JS_EXCEPTION;
    }
    return err;
}

/* A DOMException named DataCloneError when the global constructor exists
 * (weft defines one), else an Error dressed as one. */
static JSValue new_data_clone_error(JSContext *ctx, const char *text)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue ctor = JS_GetPropertyStr(ctx, global, "DOMException");
    JS_FreeValue(ctx, global);
    if (JS_IsException(ctor))
        return ctor;
    JSValue args[2] = { JS_NewString(ctx, text), JS_NewString(ctx, "DataCloneError") };
    JSValue err = JS_EXCEPTION;
    if (!JS_IsException(args[0]) && !JS_IsException(args[1]))
        err = JS_IsConstructor(ctx, ctor) ? JS_CallConstructor(ctx, ctor, 2, args)
                                          : error_like(ctx, args[0], args[1]);
    JS_FreeValue(ctx, args[0]);
    JS_FreeValue(ctx, args[1]);
    JS_FreeValue(ctx, ctor);
    return err;
}

static int __attribute__((format(printf, 2, 3)))
throw_data_clone_error(JSContext *ctx, const char *fmt, ...)
{
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    JSValue err = new_data_clone_error(ctx, message);
    if (!JS_IsException(err))
        JS_Throw(ctx, err);
    return -1;
}

/* ---- small helpers -------------------------------------------------------- */

static int array_length(JSContext *ctx, JSValueConst arr, uint32_t *n)
{
    JSValue len = JS_GetPropertyStr(ctx, arr, "length");
    if (JS_IsException(len))
        return -1;
    int ret = JS_ToUint32(ctx, n, len);
    JS_FreeValue(ctx, len);
    return ret;
}

/* An ArrayBuffer's bytes; returns 1 when it is detached. */
static int buffer_bytes(JSContext *ctx, JSValueConst buf, uint8_t **data, size_t *len)
{
    *data = JS_GetArrayBuffer(ctx, len, buf);
    if (*data || !JS_HasException(ctx))
        return 0;
    /* The TypeError of a detached buffer, which no script code raised. */
    JS_FreeValue(ctx, JS_GetException(ctx));
    return 1;
}

static bool buffer_is_detached(JSContext *ctx, JSValueConst buf)
{
    uint8_t *data;
    size_t len;
    return buffer_bytes(ctx, buf, &data, &len) != 0;
}

/* Doubles an array's capacity (4 at first); its first storage may be
 * inline_items, which is never freed. */
static void *grow_vec(JSContext *ctx, void *items, const void *inline_items, uint32_t *cap, size_t elem)
{
    if (*cap >= UINT32_MAX / 2) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    uint32_t new_cap = *cap ? *cap * 2 : 4;
    bool was_inline = inline_items && items == inline_items;
    void *p = was_inline ? malloc((size_t)new_cap * elem) : realloc(items, (size_t)new_cap * elem);
    if (!p) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    if (was_inline)
        memcpy(p, inline_items, (size_t)*cap * elem);
    *cap = new_cap;
    return p;
}

static uint32_t zigzag(int32_t i)
{
    uint32_t u = (uint32_t)i;
    return (u << 1) ^ (0u - (u >> 31));
}

static int32_t unzigzag(uint32_t z)
{
    uint32_t u = (z >> 1) ^ (0u - (z & 1));
    int32_t i;
    memcpy(&i, &u, sizeof i);
    return i;
}

/* A plain object with keys[i] = values[i], defined one by one. Takes the
 * values. */
static JSValue defined_object(JSContext *ctx, const JSAtom *keys, JSValue *values, uint32_t n)
{
    JSValue obj = JS_NewObject(ctx);
    for (uint32_t i = 0; i < n; i++) {
        if (JS_IsException(obj)) {
            JS_FreeValue(ctx, values[i]);
        } else if (JS_DefinePropertyValue(ctx, obj, keys[i], values[i], JS_PROP_C_W_E) < 0) {
            JS_FreeValue(ctx, obj);
            obj = JS_EXCEPTION;
        }
    }
    return obj;
}

/* The same, made in one step from holder's shape when it can be. */
static JSValue object_from(JSContext *ctx, JSValueConst holder, const JSAtom *keys, JSValue *values, uint32_t n)
{
    JSValue obj = weft__engine_object_like(ctx, holder, values, (int)n);
    return JS_IsUndefined(obj) ? defined_object(ctx, keys, values, n) : obj;
}

JSValue weft__clone_object_of(JSContext *ctx, const JSAtom *keys, JSValue *values, uint32_t n)
{
    clone_cache *c = cache_of(ctx);
    if (!c) {
        for (uint32_t i = 0; i < n; i++)
            JS_FreeValue(ctx, values[i]);
        return JS_EXCEPTION;
    }
    return object_from(ctx, keep_shapes(ctx, c, keys, n), keys, values, n);
}

/* ---- writer: hash tables ---------------------------------------------------- */

/* From a non-zero 64-bit key (an object's address, an atom) to an id. Most
 * messages meet a handful of objects and keys: up to TABLE_INLINE entries
 * sit unsorted in the table itself and are searched in order (nothing to
 * clear when a clone starts, nothing to scan when it ends); past that they
 * move to an open-addressing hash table kept at most half full. */
typedef struct slot {
    uint64_t key;
    uint32_t id;
    uint32_t extra;
} slot;

typedef struct table {
    slot *slots;    /* NULL while the entries are inline */
    uint32_t mask;
    uint32_t count;
    slot inline_slots[TABLE_INLINE];
} table;

static void table_init(table *t)
{
    t->slots = NULL;
    t->mask = 0;
    t->count = 0;
}

static uint32_t table_index(const table *t, uint64_t key)
{
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & t->mask;
}

static slot *table_find(table *t, uint64_t key)
{
    if (!t->slots) {
        for (uint32_t i = 0; i < t->count; i++) {
            if (t->inline_slots[i].key == key)
                return &t->inline_slots[i];
        }
        return NULL;
    }
    for (uint32_t i = table_index(t, key);; i = (i + 1) & t->mask) {
        if (t->slots[i].key == key)
            return &t->slots[i];
        if (!t->slots[i].key)
            return NULL;
    }
}

static void table_put(table *t, slot s)
{
    uint32_t i = table_index(t, s.key);
    while (t->slots[i].key)
        i = (i + 1) & t->mask;
    t->slots[i] = s;
}

/* Doubles the hash table, or makes the first one from the inline entries. */
static int table_grow(JSContext *ctx, table *t)
{
    uint32_t old_size = t->slots ? t->mask + 1 : 0;
    uint32_t size = old_size ? old_size * 2 : 4 * TABLE_INLINE;
    if (old_size >= UINT32_MAX / 2) {
        JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    slot *old = t->slots;
    slot *slots = calloc(size, sizeof *slots);
    if (!slots) {
        JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    t->slots = slots;
    t->mask = size - 1;
    if (!old) {
        for (uint32_t i = 0; i < t->count; i++)
            table_put(t, t->inline_slots[i]);
        return 0;
    }
    for (uint32_t i = 0; i < old_size; i++) {
        if (old[i].key)
            table_put(t, old[i]);
    }
    free(old);
    return 0;
}

/* Adds a key known to be absent. */
static int table_add(JSContext *ctx, table *t, uint64_t key, uint32_t id, uint32_t extra)
{
    if (!t->slots && t->count < TABLE_INLINE) {
        t->inline_slots[t->count++] = (slot){ key, id, extra };
        return 0;
    }
    if ((!t->slots || (t->count + 1) * 2 > t->mask + 1) && table_grow(ctx, t) < 0)
        return -1;
    table_put(t, (slot){ key, id, extra });
    t->count++;
    return 0;
}

/* Calls fn on each entry's key, to release what it holds, and frees the
 * table. */
static void table_release(table *t, void (*fn)(JSContext *, uint64_t), JSContext *ctx)
{
    if (!t->slots) {
        for (uint32_t i = 0; i < t->count; i++)
            fn(ctx, t->inline_slots[i].key);
        return;
    }
    for (uint32_t i = 0; i <= t->mask; i++) {
        if (t->slots[i].key)
            fn(ctx, t->slots[i].key);
    }
    free(t->slots);
}

static uint64_t object_key(JSValueConst obj)
{
    return (uint64_t)(uintptr_t)JS_VALUE_GET_PTR(obj);
}

/* ---- writer: bytes -------------------------------------------------------- */

typedef struct shared_store {
    void *data;
    size_t len;
} shared_store;

typedef struct writer {
    JSContext *ctx;
    clone_cache *cache;
    int depth;
    uint8_t *buf;
    size_t len, cap;
    /* Object address -> id (UNWRITTEN for a transfer-list entry not met yet,
     * extra its index among the moved buffers or ports). Each entry holds a
     * reference, so that no address is reused while the clone runs. */
    table memo;
    uint32_t n_objects;
    table keys; /* atom -> key id; each entry holds a reference */
    uint32_t n_keys;
    JSValue *transfer; /* the transfer list in order, borrowed from memo */
    uint32_t n_transfer, cap_transfer;
    uint32_t n_transfer_buffers, n_transfer_ports;
    weft_moved_buffer *copies; /* large ArrayBuffers copied out of line */
    uint32_t n_copies, cap_copies;
    shared_store *shared; /* SharedArrayBuffer stores, retained when sent */
    uint32_t n_shared, cap_shared;
    uint8_t scratch[SCRATCH_INLINE];
} writer;

static void writer_init(writer *w, JSContext *ctx, clone_cache *cache)
{
    w->ctx = ctx;
    w->cache = cache;
    w->depth = 0;
    w->buf = w->scratch;
    w->len = 0;
    w->cap = sizeof w->scratch;
    table_init(&w->memo);
    w->n_objects = 0;
    table_init(&w->keys);
    w->n_keys = 0;
    w->transfer = NULL;
    w->n_transfer = w->cap_transfer = w->n_transfer_buffers = w->n_transfer_ports = 0;
    w->copies = NULL;
    w->n_copies = w->cap_copies = 0;
    w->shared = NULL;
    w->n_shared = w->cap_shared = 0;
}

static void free_memo_key(JSContext *ctx, uint64_t key)
{
    JS_FreeValue(ctx, JS_MKPTR(JS_TAG_OBJECT, (void *)(uintptr_t)key));
}

static void free_key_atom(JSContext *ctx, uint64_t key)
{
    JS_FreeAtom(ctx, (JSAtom)key);
}

static void writer_free(writer *w)
{
    table_release(&w->memo, free_memo_key, w->ctx);
    table_release(&w->keys, free_key_atom, w->ctx);
    if (w->buf != w->scratch)
        free(w->buf);
    /* Most messages move and share nothing: no lists were made. */
    if (w->cap_transfer || w->cap_copies || w->cap_shared) {
        free(w->transfer);
        for (uint32_t i = 0; i < w->n_copies; i++)
            free(w->copies[i].data);
        free(w->copies);
        free(w->shared);
    }
}

static int grow_scratch(writer *w, size_t n)
{
    if (n > SIZE_MAX / 4 - w->len) {
        JS_ThrowRangeError(w->ctx, "structured clone: message too large");
        return -1;
    }
    size_t cap = w->cap * 2;
    while (cap < w->len + n)
        cap *= 2;
    bool was_inline = w->buf == w->scratch;
    uint8_t *buf = was_inline ? malloc(cap) : realloc(w->buf, cap);
    if (!buf) {
        JS_ThrowOutOfMemory(w->ctx);
        return -1;
    }
    if (was_inline)
        memcpy(buf, w->scratch, w->len);
    w->buf = buf;
    w->cap = cap;
    return 0;
}

static inline int reserve(writer *w, size_t n)
{
    return n <= w->cap - w->len ? 0 : grow_scratch(w, n);
}

static inline int put_u8(writer *w, uint8_t b)
{
    if (reserve(w, 1) < 0)
        return -1;
    w->buf[w->len++] = b;
    return 0;
}

static inline int put_varint(writer *w, uint64_t v)
{
    if (reserve(w, 10) < 0)
        return -1;
    while (v >= 0x80) {
        w->buf[w->len++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    w->buf[w->len++] = (uint8_t)v;
    return 0;
}

static inline int put_tagged(writer *w, uint8_t tag, uint64_t v)
{
    return put_u8(w, tag) < 0 ? -1 : put_varint(w, v);
}

static inline int put_bytes(writer *w, const void *p, size_t n)
{
    if (reserve(w, n) < 0)
        return -1;
    if (n)
        memcpy(w->buf + w->len, p, n);
    w->len += n;
    return 0;
}

static int put_f64(writer *w, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    if (reserve(w, 8) < 0)
        return -1;
    for (int i = 0; i < 8; i++)
        w->buf[w->len++] = (uint8_t)(bits >> (8 * i));
    return 0;
}

static int put_number(writer *w, double d)
{
    /* Integral doubles (QuickJS keeps some) are written as the INT they equal. */
    if (d >= INT32_MIN && d <= INT32_MAX && d == (double)(int32_t)d && !(d == 0 && signbit(d)))
        return put_tagged(w, TAG_INT, zigzag((int32_t)d));
    return put_u8(w, TAG_DOUBLE) < 0 ? -1 : put_f64(w, d);
}

/* JS_ToCStringLen keeps lone surrogates as 3-byte sequences, which
 * JS_NewStringLen decodes back: WTF-8 both ways. */
static int put_string(writer *w, JSValueConst str)
{
    text_entry *e = NULL;
    if (JS_VALUE_GET_TAG(str) == JS_TAG_STRING) {
        uintptr_t at = (uintptr_t)JS_VALUE_GET_PTR(str);
        e = &w->cache->written_strings[(at >> 4) % TEXT_CACHE_SLOTS];
        if (e->used && JS_VALUE_GET_PTR(e->str) == JS_VALUE_GET_PTR(str))
            return put_bytes(w, e->bytes, e->len);
    }
    size_t len;
    const char *s = JS_ToCStringLen(w->ctx, &len, str);
    if (!s)
        return -1;
    int ret = put_varint(w, len) < 0 ? -1 : put_bytes(w, s, len);
    if (ret == 0 && e && len <= TEXT_CACHE_MAX)
        text_entry_set_wire(w->ctx, e, (uint8_t)len, s, len, JS_ATOM_NULL, str);
    JS_FreeCString(w->ctx, s);
    return ret;
}

/* Drops the sign bytes that two's complement does not need. */
static size_t trim_twos_complement(const uint8_t *b, size_t n)
{
    while (n > 1 && ((b[n - 1] == 0x00 && !(b[n - 2] & 0x80)) || (b[n - 1] == 0xff && (b[n - 2] & 0x80))))
        n--;
    return n == 1 && b[0] == 0 ? 0 : n;
}

static int put_bigint_bytes(writer *w, const uint8_t *b, size_t n)
{
    n = trim_twos_complement(b, n);
    return put_varint(w, n) < 0 ? -1 : put_bytes(w, b, n);
}

/* (v) => v >> 64n, compiled the first time a wide BigInt is written. */
static JSValue bigint_shifter(JSContext *ctx, clone_cache *c)
{
    static const char src[] = "(v) => v >> 64n";
    if (JS_IsUndefined(c->v[C_BIGINT_SHIFT])) {
        JSValue fn = JS_Eval(ctx, src, sizeof src - 1, "<weft:clone>", JS_EVAL_TYPE_GLOBAL);
        if (JS_IsException(fn))
            return fn;
        c->v[C_BIGINT_SHIFT] = fn;
    }
    return c->v[C_BIGINT_SHIFT];
}

static int append_chunk(JSContext *ctx, uint8_t **b, uint32_t *n_chunks, uint32_t *cap, int64_t x)
{
    if (*n_chunks == *cap) {
        void *p = grow_vec(ctx, *b, NULL, cap, 8);
        if (!p)
            return -1;
        *b = p;
    }
    for (int i = 0; i < 8; i++)
        (*b)[8 * *n_chunks + i] = (uint8_t)((uint64_t)x >> (8 * i));
    (*n_chunks)++;
    return 0;
}

/* Wider than 64 bits: 64-bit chunks from the low end, each the value mod
 * 2^64 (JS_ToBigInt64), the value shifted right between them, until what
 * is left fits in 64 bits and carries the sign. (BigInt.prototype.toString
 * is not used: QuickJS 2025-04-26 takes clz(0) there for values such as
 * 2n ** 63n, which is undefined behaviour.) */
static int put_wide_bigint(writer *w, JSValueConst v)
{
    JSContext *ctx = w->ctx;
    clone_cache *c = need_cache(ctx, &w->cache);
    JSValue shift = c ? bigint_shifter(ctx, c) : JS_EXCEPTION;
    if (JS_IsException(shift))
        return -1;
    uint8_t *b = NULL;
    uint32_t n_chunks = 0, cap = 0;
    JSValue rest = JS_DupValue(ctx, v);
    int ret;
    for (;;) {
        int64_t x;
        ret = JS_ToBigInt64(ctx, &x, rest);
        if (ret == 0)
            ret = append_chunk(ctx, &b, &n_chunks, &cap, x);
        if (ret < 0 || JS_VALUE_GET_TAG(rest) == JS_TAG_SHORT_BIG_INT)
            break;
        /* QuickJS caps BigInts at 2^20 bits: more chunks mean a bug, not data. */
        if (n_chunks > (1u << 20) / 64) {
            JS_ThrowInternalError(ctx, "structured clone: BigInt does not shrink when shifted");
            ret = -1;
            break;
        }
        JSValue next = JS_Call(ctx, shift, JS_UNDEFINED, 1, &rest);
        JS_FreeValue(ctx, rest);
        rest = next;
        if (JS_IsException(rest)) {
            ret = -1;
            break;
        }
    }
    JS_FreeValue(ctx, rest);
    if (ret == 0)
        ret = put_bigint_bytes(w, b, 8 * (size_t)n_chunks);
    free(b);
    return ret;
}

static int put_bigint(writer *w, JSValueConst v)
{
    if (JS_VALUE_GET_TAG(v) != JS_TAG_SHORT_BIG_INT)
        return put_wide_bigint(w, v);
    int64_t x;
    if (JS_ToBigInt64(w->ctx, &x, v) < 0)
        return -1;
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)x >> (8 * i));
    return put_bigint_bytes(w, b, 8);
}

/* A key's first appearance in this message: its length and bytes. */
static int put_new_key(writer *w, JSAtom atom)
{
    text_entry *e = &w->cache->written_keys[atom % TEXT_CACHE_SLOTS];
    if (e->used && e->atom == atom)
        return put_bytes(w, e->bytes, e->len);
    JSValue str = JS_AtomToString(w->ctx, atom);
    if (JS_IsException(str))
        return -1;
    size_t len;
    const char *cs = JS_ToCStringLen(w->ctx, &len, str);
    JS_FreeValue(w->ctx, str);
    if (!cs)
        return -1;
    int ret = put_varint(w, ((uint64_t)len + 1) << 1);
    if (ret == 0)
        ret = put_bytes(w, cs, len);
    if (ret == 0 && len <= TEXT_CACHE_MAX)
        text_entry_set_wire(w->ctx, e, (uint8_t)((len + 1) << 1), cs, len, atom, JS_UNDEFINED);
    JS_FreeCString(w->ctx, cs);
    return ret;
}

/* A key that cannot come again in this message: it needs no entry in the
 * message's key table (the reader numbers it all the same). */
static int put_key_once(writer *w, JSAtom atom)
{
    int ret = put_new_key(w, atom);
    if (ret == 0)
        w->n_keys++;
    return ret;
}

static int put_key(writer *w, JSAtom atom)
{
    slot *s = table_find(&w->keys, atom);
    if (s)
        return put_varint(w, (uint64_t)s->id << 1 | 1);
    int ret = put_new_key(w, atom);
    if (ret == 0)
        ret = table_add(w->ctx, &w->keys, atom, w->n_keys, 0);
    if (ret == 0) {
        JS_DupAtom(w->ctx, atom);
        w->n_keys++;
    }
    return ret;
}

/* ---- writer: values ------------------------------------------------------- */

static int write_value(writer *w, JSValueConst v);

/* A cached builtin called on obj: an original method or getter. */
static JSValue call_cached(writer *w, int which, JSValueConst obj)
{
    clone_cache *c = need_cache(w->ctx, &w->cache);
    return c ? JS_Call(w->ctx, c->v[which], obj, 0, NULL) : JS_EXCEPTION;
}

/* An own property's value (a getter is called, when call_getter): 1 when
 * found, 0 when obj has no such own property (or only an accessor). */
static int own_value(JSContext *ctx, JSValueConst obj, JSAtom atom, bool call_getter, JSValue *out)
{
    JSPropertyDescriptor desc;
    int found = JS_GetOwnProperty(ctx, &desc, obj, atom);
    if (found <= 0)
        return found;
    JS_FreeValue(ctx, desc.setter);
    if (!(desc.flags & JS_PROP_GETSET)) {
        JS_FreeValue(ctx, desc.getter);
        *out = desc.value;
        return 1;
    }
    JS_FreeValue(ctx, desc.value);
    if (!call_getter) {
        JS_FreeValue(ctx, desc.getter);
        return 0;
    }
    *out = JS_IsUndefined(desc.getter) ? JS_UNDEFINED : JS_Call(ctx, desc.getter, obj, 0, NULL);
    JS_FreeValue(ctx, desc.getter);
    return JS_IsException(*out) ? -1 : 1;
}

static int own_data_value(JSContext *ctx, JSValueConst obj, const char *name, JSValue *out)
{
    JSAtom atom = JS_NewAtom(ctx, name);
    if (atom == JS_ATOM_NULL)
        return -1;
    int found = own_value(ctx, obj, atom, false, out);
    JS_FreeAtom(ctx, atom);
    return found;
}

/* Properties from props[from] on, then the end mark. A key that a getter
 * met earlier deleted is skipped, as HTML's HasOwnProperty check does. */
static int write_props(writer *w, JSValueConst obj, const JSPropertyEnum *props, uint32_t from,
                       uint32_t n)
{
    for (uint32_t i = from; i < n; i++) {
        JSValue v;
        int found = own_value(w->ctx, obj, props[i].atom, true, &v);
        if (found < 0)
            return -1;
        if (!found)
            continue;
        int ret = put_key(w, props[i].atom);
        if (ret == 0)
            ret = write_value(w, v);
        JS_FreeValue(w->ctx, v);
        if (ret < 0)
            return -1;
    }
    return put_u8(w, 0);
}

static int get_props(JSContext *ctx, JSValueConst obj, JSPropertyEnum **props, uint32_t *n)
{
    return JS_GetOwnPropertyNames(ctx, props, n, obj, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY);
}

/* The shapes of a small plain object's keys, for the next one like it. */
static void keep_shapes_of(writer *w, const JSPropertyEnum *props, uint32_t n)
{
    if (n == 0 || n > KEEPER_KEYS)
        return;
    JSAtom keys[KEEPER_KEYS];
    for (uint32_t i = 0; i < n; i++)
        keys[i] = props[i].atom;
    keep_shapes(w->ctx, w->cache, keys, n);
}

/* The end of a small object's writing: drops its values and, when all went
 * well, writes the end mark. */
static int end_object(writer *w, JSValue *values, uint32_t n, int ret)
{
    for (uint32_t i = 0; i < n; i++)
        JS_FreeValue(w->ctx, values[i]);
    return ret == 0 ? put_u8(w, 0) : ret;
}

/* A message that is one object with the shape written last: its keys'
 * bytes come from the record. 1 when written, 0 when obj is not such an
 * object. */
static int write_known_shape(writer *w, JSValueConst obj)
{
    const shape_wire *s = &w->cache->written;
    uint32_t n = s->n;
    JSValueConst values[KEEPER_KEYS];
    if (n == 0 || !weft__engine_values_like(obj, s->holder, values, (int)n))
        return 0;
    int ret = put_u8(w, TAG_OBJECT);
    for (uint32_t i = 0; i < n && ret == 0; i++) {
        size_t len;
        const uint8_t *key = shape_wire_key(s, i, &len);
        ret = put_bytes(w, key, len);
        if (ret == 0)
            ret = write_value(w, values[i]);
    }
    if (ret == 0)
        ret = put_u8(w, 0);
    w->n_keys += n;
    return ret < 0 ? -1 : 1;
}

/* A small object of primitives, from the engine's own view of it: no
 * property list to allocate and no descriptor per property. 1 when written,
 * 0 when the object needs the general path. When the object is the whole
 * message, no key can come again: they skip the message's key table, and
 * the object's shape and key bytes are remembered for the next message. */
static int write_plain_fast(writer *w, JSValueConst obj, bool whole_message)
{
    JSAtom keys[KEEPER_KEYS];
    JSValue values[KEEPER_KEYS];
    size_t span[KEEPER_KEYS][2];
    int n = weft__engine_plain_data(w->ctx, obj, keys, values, KEEPER_KEYS);
    if (n < 0)
        return 0;
    JSValueConst holder = JS_UNDEFINED;
    if (whole_message || !shape_kept(w->cache, obj))
        holder = keep_shapes(w->ctx, w->cache, keys, (uint32_t)n);
    int ret = put_u8(w, TAG_OBJECT);
    for (int i = 0; i < n; i++) {
        span[i][0] = w->len;
        if (ret == 0)
            ret = whole_message ? put_key_once(w, keys[i]) : put_key(w, keys[i]);
        span[i][1] = w->len;
        if (ret == 0)
            ret = write_value(w, values[i]);
    }
    ret = end_object(w, values, (uint32_t)n, ret);
    if (ret == 0 && whole_message)
        shape_wire_remember(w->ctx, &w->cache->written, holder, keys, (uint32_t)n, w->buf, span);
    return ret < 0 ? -1 : 1;
}

/* Any plain object: its own enumerable string keys, getters read. */
static int write_plain_general(writer *w, JSValueConst obj)
{
    JSPropertyEnum *props;
    uint32_t n;
    if (get_props(w->ctx, obj, &props, &n) < 0)
        return -1;
    keep_shapes_of(w, props, n);
    int ret = put_u8(w, TAG_OBJECT);
    if (ret == 0)
        ret = write_props(w, obj, props, 0, n);
    weft__free_property_enum(w->ctx, props, n);
    return ret;
}

static int write_plain(writer *w, JSValueConst obj)
{
    int fast = write_plain_fast(w, obj, false);
    if (fast != 0)
        return fast < 0 ? -1 : 0;
    return write_plain_general(w, obj);
}

static int write_element(writer *w, JSValueConst arr, JSAtom atom)
{
    JSValue v;
    int found = own_value(w->ctx, arr, atom, true, &v);
    if (found <= 0)
        return found < 0 ? -1 : put_u8(w, TAG_HOLE);
    int ret = write_value(w, v);
    JS_FreeValue(w->ctx, v);
    return ret;
}

/* The leading run of indices 0, 1, 2... is written without keys. */
static int write_array(writer *w, JSValueConst arr)
{
    JSContext *ctx = w->ctx;
    uint32_t length, n;
    JSPropertyEnum *props;
    if (array_length(ctx, arr, &length) < 0 || get_props(ctx, arr, &props, &n) < 0)
        return -1;
    uint32_t dense = 0;
    while (dense < n && dense < DENSE_MAX && props[dense].atom == JS_NewAtomUInt32(ctx, dense))
        dense++;
    int ret = put_tagged(w, TAG_ARRAY, length);
    if (ret == 0)
        ret = put_varint(w, dense);
    for (uint32_t i = 0; i < dense && ret == 0; i++)
        ret = write_element(w, arr, props[i].atom);
    if (ret == 0)
        ret = write_props(w, arr, props, dense, n);
    weft__free_property_enum(ctx, props, n);
    return ret;
}

static int write_wrapper(writer *w, JSValueConst obj, int which, uint8_t tag)
{
    JSValue prim = call_cached(w, which, obj);
    if (JS_IsException(prim))
        return -1;
    int ret = put_u8(w, tag);
    if (ret == 0) {
        switch (tag) {
        case TAG_BOOLEAN_OBJECT:
            ret = put_u8(w, (uint8_t)JS_ToBool(w->ctx, prim));
            break;
        case TAG_STRING_OBJECT:
            ret = put_string(w, prim);
            break;
        case TAG_BIGINT_OBJECT:
            ret = put_bigint(w, prim);
            break;
        default: { /* NUMBER_OBJECT, DATE: a double */
            double d;
            ret = JS_ToFloat64(w->ctx, &d, prim);
            if (ret == 0)
                ret = put_f64(w, d);
        }
        }
    }
    JS_FreeValue(w->ctx, prim);
    return ret;
}

static int write_regexp(writer *w, JSValueConst re)
{
    JSContext *ctx = w->ctx;
    clone_cache *c = need_cache(ctx, &w->cache);
    JSValue source = c ? JS_Call(ctx, c->v[C_REGEXP_SOURCE], re, 0, NULL) : JS_EXCEPTION;
    if (JS_IsException(source))
        return -1;
    char flags[N_REGEXP_FLAGS];
    size_t n_flags = 0;
    int ret = 0;
    for (int i = 0; i < N_REGEXP_FLAGS && ret == 0; i++) {
        if (JS_IsUndefined(c->v[C_REGEXP_FLAGS + i]))
            continue; /* a flag this engine lacks */
        JSValue on = JS_Call(ctx, c->v[C_REGEXP_FLAGS + i], re, 0, NULL);
        if (JS_IsException(on))
            ret = -1;
        else if (JS_ToBool(ctx, on))
            flags[n_flags++] = regexp_flag_chars[i];
        JS_FreeValue(ctx, on);
    }
    if (ret == 0)
        ret = put_u8(w, TAG_REGEXP);
    if (ret == 0)
        ret = put_string(w, source);
    if (ret == 0)
        ret = put_varint(w, n_flags);
    if (ret == 0)
        ret = put_bytes(w, flags, n_flags);
    JS_FreeValue(ctx, source);
    return ret;
}

/* forEach callback: appends (key and) value to the list in data[0]. */
static JSValue collect_entry(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv,
                             int is_map, JSValue *data)
{
    uint32_t n;
    if (array_length(ctx, data[0], &n) < 0)
        return JS_EXCEPTION;
    if (is_map && JS_DefinePropertyValueUint32(ctx, data[0], n++, JS_DupValue(ctx, argv[1]), JS_PROP_C_W_E) < 0)
        return JS_EXCEPTION;
    if (JS_DefinePropertyValueUint32(ctx, data[0], n, JS_DupValue(ctx, argv[0]), JS_PROP_C_W_E) < 0)
        return JS_EXCEPTION;
    return JS_UNDEFINED;
}

/* The entries are copied to a list first (as HTML does), then written: the
 * getters they run cannot change what is sent. */
static int write_collection(writer *w, JSValueConst obj, bool is_map)
{
    JSContext *ctx = w->ctx;
    clone_cache *c = need_cache(ctx, &w->cache);
    JSValue list = c ? JS_NewArray(ctx) : JS_EXCEPTION;
    if (JS_IsException(list))
        return -1;
    JSValue fn = JS_NewCFunctionData(ctx, collect_entry, 2, is_map, 1, &list);
    JSValue r = JS_IsException(fn) ? JS_EXCEPTION
                                   : JS_Call(ctx, c->v[is_map ? C_MAP_FOR_EACH : C_SET_FOR_EACH], obj, 1, &fn);
    JS_FreeValue(ctx, fn);
    uint32_t n = 0;
    int ret = JS_IsException(r) || array_length(ctx, list, &n) < 0 ? -1 : 0;
    JS_FreeValue(ctx, r);
    if (ret == 0)
        ret = put_tagged(w, is_map ? TAG_MAP : TAG_SET, is_map ? n / 2 : n);
    for (uint32_t i = 0; i < n && ret == 0; i++) {
        JSValue v = JS_GetPropertyUint32(ctx, list, i);
        ret = JS_IsException(v) ? -1 : write_value(w, v);
        JS_FreeValue(ctx, v);
    }
    JS_FreeValue(ctx, list);
    return ret;
}

static const char *const error_fields[] = { "message", "stack", "cause", "errors" };

/* HTML: a name outside the standard ones becomes "Error". */
static int error_name_index(JSContext *ctx, JSValueConst err)
{
    JSValue name = JS_GetPropertyStr(ctx, err, "name");
    if (JS_IsException(name))
        return -1;
    const char *s = JS_IsString(name) ? JS_ToCString(ctx, name) : NULL;
    JS_FreeValue(ctx, name);
    int index = 0;
    for (int i = 0; s && i < N_ERROR_NAMES; i++) {
        if (strcmp(s, error_names[i]) == 0)
            index = i;
    }
    JS_FreeCString(ctx, s);
    return index;
}

/* The fields of an error that are own data properties: the message (as a
 * string), the stack (when a string), the cause, and an AggregateError's
 * errors. Returns the bit set of those found. */
static int error_fields_of(JSContext *ctx, JSValueConst err, int name, JSValue fields[4])
{
    int present = 0;
    for (int i = 0; i < 4; i++) {
        fields[i] = JS_UNDEFINED;
        if (i == 3 && name != AGGREGATE_ERROR)
            break;
        JSValue v;
        int found = own_data_value(ctx, err, error_fields[i], &v);
        if (found < 0)
            return -1;
        if (found && i == 0) {
            JSValue str = JS_ToString(ctx, v);
            JS_FreeValue(ctx, v);
            if (JS_IsException(str))
                return -1;
            v = str;
        }
        if (found && i == 1 && !JS_IsString(v)) {
            JS_FreeValue(ctx, v);
            found = 0;
        }
        if (found) {
            fields[i] = v;
            present |= 1 << i;
        }
    }
    return present;
}

static int write_error(writer *w, JSValueConst err)
{
    JSContext *ctx = w->ctx;
    JSValue fields[4] = { JS_UNDEFINED, JS_UNDEFINED, JS_UNDEFINED, JS_UNDEFINED };
    int name = error_name_index(ctx, err);
    int present = name < 0 ? -1 : error_fields_of(ctx, err, name, fields);
    int ret = present < 0 ? -1 : put_u8(w, TAG_ERROR);
    if (ret == 0)
        ret = put_u8(w, (uint8_t)name);
    if (ret == 0)
        ret = put_u8(w, (uint8_t)present);
    for (int i = 0; i < 4 && ret == 0; i++) {
        if (present & (1 << i))
            ret = i < 2 ? put_string(w, fields[i]) : write_value(w, fields[i]);
    }
    for (int i = 0; i < 4; i++)
        JS_FreeValue(ctx, fields[i]);
    return ret;
}

static int refuse_detached(JSContext *ctx)
{
    return throw_data_clone_error(ctx, "An ArrayBuffer is detached and could not be cloned.");
}

static int write_array_buffer(writer *w, JSValueConst buf)
{
    uint8_t *data;
    size_t len;
    if (buffer_bytes(w->ctx, buf, &data, &len))
        return refuse_detached(w->ctx);
    if (len < OUT_OF_LINE_MIN)
        return put_tagged(w, TAG_ARRAY_BUFFER, len) < 0 ? -1 : put_bytes(w, data, len);
    if (w->n_copies == w->cap_copies) {
        void *p = grow_vec(w->ctx, w->copies, NULL, &w->cap_copies, sizeof *w->copies);
        if (!p)
            return -1;
        w->copies = p;
    }
    uint8_t *copy = malloc(len);
    if (!copy) {
        JS_ThrowOutOfMemory(w->ctx);
        return -1;
    }
    memcpy(copy, data, len);
    w->copies[w->n_copies++] = (weft_moved_buffer){ copy, len };
    return put_tagged(w, TAG_MOVED_BUFFER, w->n_transfer_buffers + w->n_copies - 1);
}

/* The store must come from weft's allocator (shm.h installed on the
 * runtime): the message takes a reference to it. */
static int write_shared_buffer(writer *w, JSValueConst sab)
{
    size_t len;
    uint8_t *data = JS_GetArrayBuffer(w->ctx, &len, sab);
    if (!data)
        return JS_HasException(w->ctx) ? -1 : throw_data_clone_error(w->ctx, "SharedArrayBuffer has no store");
    if (w->n_shared == w->cap_shared) {
        void *p = grow_vec(w->ctx, w->shared, NULL, &w->cap_shared, sizeof *w->shared);
        if (!p)
            return -1;
        w->shared = p;
    }
    w->shared[w->n_shared++] = (shared_store){ data, len };
    return put_tagged(w, TAG_SHARED_BUFFER, w->n_shared - 1);
}

static int write_typed_array(writer *w, JSValueConst ta)
{
    size_t offset, length, elem;
    JSValue buf = JS_GetTypedArrayBuffer(w->ctx, ta, &offset, &length, &elem);
    if (JS_IsException(buf)) {
        /* Its buffer is detached: a TypeError no script code raised. */
        JS_FreeValue(w->ctx, JS_GetException(w->ctx));
        return refuse_detached(w->ctx);
    }
    int ret = put_u8(w, TAG_TYPED_ARRAY);
    if (ret == 0)
        ret = put_u8(w, classes.typed[JS_GetClassID(ta)]);
    if (ret == 0)
        ret = write_value(w, buf);
    if (ret == 0)
        ret = put_varint(w, offset);
    if (ret == 0)
        ret = put_varint(w, length / elem);
    JS_FreeValue(w->ctx, buf);
    return ret;
}

static int view_field(writer *w, int which, JSValueConst dv, uint64_t *out)
{
    JSValue v = call_cached(w, which, dv);
    if (JS_IsException(v))
        return -1;
    int ret = JS_ToIndex(w->ctx, out, v);
    JS_FreeValue(w->ctx, v);
    return ret;
}

static int write_data_view(writer *w, JSValueConst dv)
{
    JSValue buf = call_cached(w, C_DATA_VIEW_BUFFER, dv);
    if (JS_IsException(buf))
        return -1;
    uint64_t offset = 0, length = 0;
    int ret;
    if (kind_of(buf) == KIND_ARRAY_BUFFER && buffer_is_detached(w->ctx, buf))
        ret = refuse_detached(w->ctx);
    else if (view_field(w, C_DATA_VIEW_OFFSET, dv, &offset) < 0 ||
             view_field(w, C_DATA_VIEW_LENGTH, dv, &length) < 0)
        ret = -1;
    else
        ret = put_u8(w, TAG_DATA_VIEW);
    if (ret == 0)
        ret = write_value(w, buf);
    if (ret == 0)
        ret = put_varint(w, offset);
    if (ret == 0)
        ret = put_varint(w, length);
    JS_FreeValue(w->ctx, buf);
    return ret;
}

/* What a refused object is called: its toStringTag ("Promise", "WeakMap"),
 * else its constructor's name. */
static int type_name(writer *w, JSValueConst obj, char *buf, size_t size)
{
    JSContext *ctx = w->ctx;
    JSValue tag = call_cached(w, C_OBJECT_TO_STRING, obj);
    const char *s = JS_IsException(tag) ? NULL : JS_ToCString(ctx, tag);
    JS_FreeValue(ctx, tag);
    if (!s)
        return -1;
    /* "[object Name]" */
    snprintf(buf, size, "%.*s", (int)(strlen(s) > 9 ? strlen(s) - 9 : 0), s + 8);
    JS_FreeCString(ctx, s);
    if (strcmp(buf, "Object") != 0)
        return 0;
    JSValue ctor = JS_GetPropertyStr(ctx, obj, "constructor");
    JSValue name = JS_IsObject(ctor) ? JS_GetPropertyStr(ctx, ctor, "name") : JS_UNDEFINED;
    JS_FreeValue(ctx, ctor);
    if (JS_IsException(ctor) || JS_IsException(name))
        return -1;
    s = JS_IsString(name) ? JS_ToCString(ctx, name) : NULL;
    if (s && *s)
        snprintf(buf, size, "%s", s);
    JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, name);
    return 0;
}

static int refuse_function(JSContext *ctx, JSValueConst fn)
{
    JSValue name = JS_GetPropertyStr(ctx, fn, "name");
    if (JS_IsException(name))
        return -1;
    const char *s = JS_IsString(name) ? JS_ToCString(ctx, name) : NULL;
    throw_data_clone_error(ctx, "function %.100s() could not be cloned", s ? s : "");
    JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, name);
    return -1;
}

static int refuse_symbol(JSContext *ctx, JSValueConst sym)
{
    JSValue desc = JS_GetPropertyStr(ctx, sym, "description");
    if (JS_IsException(desc))
        return -1;
    const char *s = JS_IsString(desc) ? JS_ToCString(ctx, desc) : NULL;
    throw_data_clone_error(ctx, "Symbol(%.100s) could not be cloned", s ? s : "");
    JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, desc);
    return -1;
}

static int refuse_object(writer *w, JSValueConst obj, enum kind kind)
{
    JSContext *ctx = w->ctx;
    /* Checked first: naming anything else would run the proxy's traps. */
    if (kind == KIND_PROXY)
        return throw_data_clone_error(ctx, "#<Proxy> could not be cloned");
    if (JS_IsFunction(ctx, obj))
        return refuse_function(ctx, obj);
    if (weft__port_unwrap(ctx, obj) || weft__port_object_is_unusable(ctx, obj))
        return throw_data_clone_error(ctx, "MessagePort was found in message but not listed in transferList");
    char name[64];
    if (type_name(w, obj, name, sizeof name) < 0)
        return -1;
    return throw_data_clone_error(ctx, "#<%s> could not be cloned", name);
}

static int write_kind(writer *w, JSValueConst obj, enum kind kind)
{
    switch (kind) {
    case KIND_OBJECT:
        return write_plain(w, obj);
    case KIND_ARRAY:
        return write_array(w, obj);
    case KIND_BOOLEAN:
        return write_wrapper(w, obj, C_BOOLEAN_VALUE_OF, TAG_BOOLEAN_OBJECT);
    case KIND_NUMBER:
        return write_wrapper(w, obj, C_NUMBER_VALUE_OF, TAG_NUMBER_OBJECT);
    case KIND_STRING:
        return write_wrapper(w, obj, C_STRING_VALUE_OF, TAG_STRING_OBJECT);
    case KIND_BIGINT:
        return write_wrapper(w, obj, C_BIGINT_VALUE_OF, TAG_BIGINT_OBJECT);
    case KIND_DATE:
        return write_wrapper(w, obj, C_DATE_GET_TIME, TAG_DATE);
    case KIND_REGEXP:
        return write_regexp(w, obj);
    case KIND_MAP:
        return write_collection(w, obj, true);
    case KIND_SET:
        return write_collection(w, obj, false);
    case KIND_ERROR:
        return write_error(w, obj);
    case KIND_ARRAY_BUFFER:
        return write_array_buffer(w, obj);
    case KIND_SHARED_BUFFER:
        return write_shared_buffer(w, obj);
    case KIND_TYPED_ARRAY:
        return write_typed_array(w, obj);
    case KIND_DATA_VIEW:
        return write_data_view(w, obj);
    default: /* functions, proxies, promises, weak collections, host objects... */
        return refuse_object(w, obj, kind);
    }
}

static int remember(writer *w, JSValueConst obj, uint32_t id, uint32_t extra)
{
    if (table_add(w->ctx, &w->memo, object_key(obj), id, extra) < 0)
        return -1;
    JS_DupValue(w->ctx, obj);
    return 0;
}

static int write_object(writer *w, JSValueConst obj)
{
    slot *s = table_find(&w->memo, object_key(obj));
    if (s && s->id != UNWRITTEN)
        return put_tagged(w, TAG_REF, s->id);
    if (s) {
        /* First meeting with a transfer-list entry. */
        s->id = w->n_objects++;
        uint8_t tag = kind_of(obj) == KIND_ARRAY_BUFFER ? TAG_MOVED_BUFFER : TAG_PORT;
        return put_tagged(w, tag, s->extra);
    }
    if (w->depth >= MAX_DEPTH) {
        JS_ThrowRangeError(w->ctx, "structured clone: objects nested deeper than %d levels", MAX_DEPTH);
        return -1;
    }
    /* A message that is one small object of primitives (most are) holds no
     * reference back to itself: it need not be remembered. */
    enum kind k = kind_of(obj);
    bool plain_root = w->depth == 0 && k == KIND_OBJECT;
    if (plain_root) {
        int fast = write_plain_fast(w, obj, true);
        if (fast != 0) {
            w->n_objects++;
            return fast < 0 ? -1 : 0;
        }
    }
    if (probe_stack(w->ctx, &w->cache, w->depth) < 0 || remember(w, obj, w->n_objects++, 0) < 0)
        return -1;
    w->depth++;
    int ret = plain_root ? write_plain_general(w, obj) : write_kind(w, obj, k);
    w->depth--;
    return ret;
}

static int write_value(writer *w, JSValueConst v)
{
    switch (JS_VALUE_GET_NORM_TAG(v)) {
    case JS_TAG_UNDEFINED:
        return put_u8(w, TAG_UNDEFINED);
    case JS_TAG_NULL:
        return put_u8(w, TAG_NULL);
    case JS_TAG_BOOL:
        return put_u8(w, JS_VALUE_GET_BOOL(v) ? TAG_TRUE : TAG_FALSE);
    case JS_TAG_INT:
        return put_tagged(w, TAG_INT, zigzag(JS_VALUE_GET_INT(v)));
    case JS_TAG_FLOAT64:
        return put_number(w, JS_VALUE_GET_FLOAT64(v));
    case JS_TAG_STRING:
    case JS_TAG_STRING_ROPE:
        return put_u8(w, TAG_STRING) < 0 ? -1 : put_string(w, v);
    case JS_TAG_BIG_INT:
    case JS_TAG_SHORT_BIG_INT:
        return put_u8(w, TAG_BIGINT) < 0 ? -1 : put_bigint(w, v);
    case JS_TAG_OBJECT:
        return write_object(w, v);
    case JS_TAG_SYMBOL:
        return refuse_symbol(w->ctx, v);
    default:
        return throw_data_clone_error(w->ctx, "value could not be cloned");
    }
}

/* A message's value: in a stream, an object of the shape written last. */
static int write_message_value(writer *w, JSValueConst v)
{
    int known = write_known_shape(w, v);
    return known == 0 ? write_value(w, v) : known < 0 ? -1 : 0;
}

/* ---- writer: the transfer list -------------------------------------------- */

static int check_transferable(writer *w, JSValueConst item, uint32_t index, weft_port *source,
                              uint32_t *extra)
{
    JSContext *ctx = w->ctx;
    if (!JS_IsObject(item)) {
        JS_ThrowTypeError(ctx, "transfer list item %u is not an object", index);
        return -1;
    }
    bool duplicate = table_find(&w->memo, object_key(item)) != NULL;
    enum kind kind = kind_of(item);
    if (kind == KIND_ARRAY_BUFFER) {
        if (duplicate)
            return throw_data_clone_error(ctx, "ArrayBuffer at index %u is a duplicate of an earlier "
                                          "ArrayBuffer. Duplicate ArrayBuffers cannot be transferred.", index);
        if (buffer_is_detached(ctx, item))
            return throw_data_clone_error(ctx, "ArrayBuffer at index %u is already detached.", index);
        *extra = w->n_transfer_buffers++;
        return 0;
    }
    if (kind == KIND_SHARED_BUFFER)
        return throw_data_clone_error(ctx, "SharedArrayBuffer at index %u could not be transferred "
                                      "(it is shared, not moved).", index);
    weft_port *port = weft__port_unwrap(ctx, item);
    if (port && port == source)
        return throw_data_clone_error(ctx, "Transfer list contains source port");
    if (port && duplicate)
        return throw_data_clone_error(ctx, "MessagePort at index %u is a duplicate of an earlier "
                                      "MessagePort. Duplicate MessagePorts cannot be transferred.", index);
    if (weft__port_object_is_unusable(ctx, item))
        return throw_data_clone_error(ctx, "MessagePort at index %u is closed or already transferred.", index);
    if (!port)
        return throw_data_clone_error(ctx, "Value at index %u does not have a transferable type.", index);
    *extra = w->n_transfer_ports++;
    return 0;
}

static int add_transfer(writer *w, JSValueConst item, uint32_t index, weft_port *source)
{
    uint32_t extra = 0;
    if (check_transferable(w, item, index, source, &extra) < 0)
        return -1;
    if (w->n_transfer == w->cap_transfer) {
        void *p = grow_vec(w->ctx, w->transfer, NULL, &w->cap_transfer, sizeof *w->transfer);
        if (!p)
            return -1;
        w->transfer = p;
    }
    if (remember(w, item, UNWRITTEN, extra) < 0)
        return -1;
    w->transfer[w->n_transfer++] = item;
    return 0;
}

/* Takes in the transfer list (any iterable or array-like of objects) before
 * the value is written: its entries are remembered unwritten, so that the
 * value refers to them instead of copying them. */
static int take_transfer_list(writer *w, JSValueConst transfer, weft_port *source)
{
    JSContext *ctx = w->ctx;
    if (JS_IsUndefined(transfer) || JS_IsNull(transfer))
        return 0;
    if (!JS_IsObject(transfer)) {
        JS_ThrowTypeError(ctx, "transfer list must be an iterable or array-like object");
        return -1;
    }
    JSValue list;
    if (kind_of(transfer) == KIND_ARRAY) {
        list = JS_DupValue(ctx, transfer);
    } else {
        clone_cache *c = need_cache(ctx, &w->cache);
        list = c ? JS_Call(ctx, c->v[C_ARRAY_FROM], JS_UNDEFINED, 1, &transfer) : JS_EXCEPTION;
    }
    uint32_t n = 0;
    int ret = JS_IsException(list) || array_length(ctx, list, &n) < 0 ? -1 : 0;
    for (uint32_t i = 0; i < n && ret == 0; i++) {
        JSValue item = JS_GetPropertyUint32(ctx, list, i);
        ret = JS_IsException(item) ? -1 : add_transfer(w, item, i, source);
        JS_FreeValue(ctx, item);
    }
    JS_FreeValue(ctx, list);
    return ret;
}

/* Moves a transferred ArrayBuffer's bytes into the message without copying
 * (transfer.c takes them out of the runtime as the buffer is detached). */
static int move_array_buffer(JSContext *ctx, JSValueConst obj, weft_moved_buffer *out)
{
    if (buffer_is_detached(ctx, obj))
        return throw_data_clone_error(ctx, "An ArrayBuffer is detached and could not be transferred.");
    size_t len;
    uint8_t *data = weft__transfer_steal(ctx, obj, &len);
    if (!data)
        return -1;
    out->data = data;
    out->len = len;
    return 0;
}

/* The last step: getters run by the serialization may have detached a
 * listed buffer or closed a listed port, so all are checked again before
 * any is moved. */
static int commit_transfer(writer *w, weft_message_sides *s)
{
    JSContext *ctx = w->ctx;
    for (uint32_t i = 0; i < w->n_transfer; i++) {
        JSValueConst item = w->transfer[i];
        bool buffer = kind_of(item) == KIND_ARRAY_BUFFER;
        if (buffer ? buffer_is_detached(ctx, item) : weft__port_object_is_unusable(ctx, item))
            return throw_data_clone_error(ctx, "%s at index %u was %s while the message was serialized.",
                                          buffer ? "ArrayBuffer" : "MessagePort", i,
                                          buffer ? "detached" : "closed or transferred");
    }
    uint32_t n_buffers = 0, n_ports = 0;
    for (uint32_t i = 0; i < w->n_transfer; i++) {
        if (kind_of(w->transfer[i]) == KIND_ARRAY_BUFFER &&
            move_array_buffer(ctx, w->transfer[i], &s->moved[n_buffers++]) < 0)
            return -1;
    }
    for (uint32_t i = 0; i < w->n_transfer; i++) {
        if (kind_of(w->transfer[i]) == KIND_ARRAY_BUFFER)
            continue;
        s->ports[n_ports] = weft__port_detach(ctx, w->transfer[i]);
        if (!s->ports[n_ports++])
            return throw_data_clone_error(ctx, "MessagePort at index %u could not be transferred.", i);
    }
    return 0;
}

/* Gives the message what the writer moved, copied out of line and shared. */
static int attach_side_tables(writer *w, weft_message *msg)
{
    weft_message_sides *s = weft__message_sides(msg);
    uint32_t n_moved = w->n_transfer_buffers + w->n_copies;
    if (!s || (n_moved && !(s->moved = calloc(n_moved, sizeof *s->moved))) ||
        (w->n_transfer_ports && !(s->ports = calloc(w->n_transfer_ports, sizeof *s->ports))) ||
        (w->n_shared && (!(s->shared = malloc(w->n_shared * sizeof *s->shared)) ||
                         !(s->shared_len = malloc(w->n_shared * sizeof *s->shared_len))))) {
        JS_ThrowOutOfMemory(w->ctx);
        return -1;
    }
    s->n_moved = n_moved;
    s->n_ports = w->n_transfer_ports;
    if (w->n_copies)
        memcpy(s->moved + w->n_transfer_buffers, w->copies, w->n_copies * sizeof *w->copies);
    w->n_copies = 0; /* the message owns them now */
    for (uint32_t i = 0; i < w->n_shared; i++) {
        weft__shm_retain(w->shared[i].data);
        s->shared[i] = w->shared[i].data;
        s->shared_len[i] = w->shared[i].len;
    }
    s->n_shared = w->n_shared;
    return commit_transfer(w, s);
}

static weft_message *build_message(writer *w)
{
    weft_message *msg = weft__message_new(WEFT_MSG_DATA, w->buf, w->len);
    if (!msg) {
        JS_ThrowOutOfMemory(w->ctx);
        return NULL;
    }
    bool side_tables = w->n_transfer || w->n_copies || w->n_shared;
    if (side_tables && attach_side_tables(w, msg) < 0) {
        weft__message_free(msg);
        return NULL;
    }
    return msg;
}

weft_message *weft__clone_write(JSContext *ctx, JSValueConst value, JSValueConst transfer,
                                struct weft_port *source_port)
{
    /* The cache first: keepers (and much else) use it, and only here can
     * failing to make it fail the clone cleanly. */
    clone_cache *cache = cache_of(ctx);
    if (!cache)
        return NULL;
    writer w;
    writer_init(&w, ctx, cache);
    weft_message *msg = NULL;
    if (take_transfer_list(&w, transfer, source_port) == 0 && put_u8(&w, WEFT_WIRE_VERSION) == 0 &&
        write_message_value(&w, value) == 0)
        msg = build_message(&w);
    writer_free(&w);
    return msg;
}

/* ---- reader --------------------------------------------------------------- */

typedef struct reader {
    JSContext *ctx;
    clone_cache *cache;
    int depth;
    weft_message_sides *sides; /* the message's, or weft__no_sides */
    const uint8_t *start, *p, *end;
    /* Objects by id, each a reference; JS_UNINITIALIZED while a view waits
     * for its buffer. */
    JSValue *objects;
    uint32_t n_objects, cap_objects;
    JSAtom *keys; /* by key id, each a reference */
    uint32_t n_keys, cap_keys;
    JSValue inline_objects[READER_INLINE];
    JSAtom inline_keys[READER_INLINE];
} reader;

static void reader_init(reader *r, JSContext *ctx, clone_cache *cache, weft_message *msg)
{
    r->ctx = ctx;
    r->cache = cache;
    r->depth = 0;
    r->sides = weft__message_sides_or_none(msg);
    r->start = r->p = msg->data;
    r->end = msg->data + msg->len;
    r->objects = r->inline_objects;
    r->n_objects = 0;
    r->cap_objects = READER_INLINE;
    r->keys = r->inline_keys;
    r->n_keys = 0;
    r->cap_keys = READER_INLINE;
}

static void reader_free(reader *r)
{
    for (uint32_t i = 0; i < r->n_objects; i++)
        JS_FreeValue(r->ctx, r->objects[i]);
    if (r->objects != r->inline_objects)
        free(r->objects);
    for (uint32_t i = 0; i < r->n_keys; i++)
        JS_FreeAtom(r->ctx, r->keys[i]);
    if (r->keys != r->inline_keys)
        free(r->keys);
}

static int __attribute__((format(printf, 2, 3))) corrupt(reader *r, const char *fmt, ...)
{
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    JS_ThrowTypeError(r->ctx, "Invalid message: %s (at byte %zu of %zu)", what, (size_t)(r->p - r->start),
                      (size_t)(r->end - r->start));
    return -1;
}

static inline int get_u8(reader *r, uint8_t *out)
{
    if (r->p == r->end)
        return corrupt(r, "truncated");
    *out = *r->p++;
    return 0;
}

static int get_long_varint(reader *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p == r->end)
            return corrupt(r, "truncated");
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            if (shift == 63 && b > 1)
                return corrupt(r, "integer overflows 64 bits");
            *out = v;
            return 0;
        }
    }
    return corrupt(r, "integer longer than 10 bytes");
}

/* Most varints (lengths, small integers, ids) are one byte. */
static inline int get_varint(reader *r, uint64_t *out)
{
    if (r->p != r->end && *r->p < 0x80) {
        *out = *r->p++;
        return 0;
    }
    return get_long_varint(r, out);
}

static inline int get_u32(reader *r, uint32_t *out)
{
    uint64_t v;
    if (get_varint(r, &v) < 0)
        return -1;
    if (v > UINT32_MAX)
        return corrupt(r, "%llu is out of range", (unsigned long long)v);
    *out = (uint32_t)v;
    return 0;
}

/* An index into one of the message's side tables. */
static int get_index(reader *r, uint32_t count, const char *what, uint32_t *out)
{
    if (get_u32(r, out) < 0)
        return -1;
    if (*out >= count)
        return corrupt(r, "%s %u does not exist (the message has %u)", what, *out, count);
    return 0;
}

/* n bytes, n read first as a varint. */
static inline const uint8_t *get_bytes(reader *r, size_t *n)
{
    uint64_t len;
    if (get_varint(r, &len) < 0)
        return NULL;
    if (len > (uint64_t)(r->end - r->p)) {
        corrupt(r, "length %llu runs past the end", (unsigned long long)len);
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += len;
    *n = (size_t)len;
    return p;
}

static int get_f64(reader *r, double *out)
{
    if (r->end - r->p < 8)
        return corrupt(r, "truncated");
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++)
        bits |= (uint64_t)r->p[i] << (8 * i);
    r->p += 8;
    memcpy(out, &bits, sizeof *out);
    return 0;
}

static int add_object(reader *r, JSValueConst obj)
{
    if (r->n_objects == r->cap_objects) {
        void *p = grow_vec(r->ctx, r->objects, r->inline_objects, &r->cap_objects, sizeof *r->objects);
        if (!p)
            return -1;
        r->objects = p;
    }
    r->objects[r->n_objects++] = JS_DupValue(r->ctx, obj);
    return 0;
}

/* Gives a new object its id; on failure frees it. */
static JSValue registered(reader *r, JSValue obj)
{
    if (!JS_IsException(obj) && add_object(r, obj) < 0) {
        JS_FreeValue(r->ctx, obj);
        return JS_EXCEPTION;
    }
    return obj;
}

static clone_cache *reader_cache(reader *r)
{
    return need_cache(r->ctx, &r->cache);
}

static JSValue read_value(reader *r);

/* memcmp(a, b, n) == 0 for the few bytes of a key or a short string, where
 * calling memcmp costs more than comparing. */
static inline bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

/* The entry of a read cache for these bytes, or NULL when they are too long
 * to cache. *hit says whether it holds them. */
static text_entry *text_entry_for(text_entry *entries, const uint8_t *b, size_t n, bool *hit)
{
    if (n > TEXT_CACHE_MAX)
        return NULL;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    text_entry *e = &entries[h % TEXT_CACHE_SLOTS];
    *hit = e->used && e->len == n && same_bytes((const uint8_t *)e->bytes, b, n);
    return e;
}

static JSValue read_string(reader *r)
{
    size_t n;
    const uint8_t *s = get_bytes(r, &n);
    if (!s)
        return JS_EXCEPTION;
    bool hit;
    text_entry *e = text_entry_for(r->cache->read_strings, s, n, &hit);
    if (e && hit)
        return JS_DupValue(r->ctx, e->str);
    JSValue str = JS_NewStringLen(r->ctx, (const char *)s, n);
    if (e && !JS_IsException(str))
        text_entry_set(r->ctx, e, s, n, JS_ATOM_NULL, str);
    return str;
}

static JSValue read_double(reader *r)
{
    double d = 0; /* get_f64 leaves it unset on failure, which GCC cannot always see */
    return get_f64(r, &d) < 0 ? JS_EXCEPTION : JS_NewFloat64(r->ctx, d);
}

static JSValue read_int(reader *r)
{
    uint32_t z = 0;
    return get_u32(r, &z) < 0 ? JS_EXCEPTION : JS_NewInt32(r->ctx, unzigzag(z));
}

/* Wider than 64 bits: the unsigned hex parsed by BigInt(), then made
 * negative by BigInt.asIntN when the top bit is set. */
static JSValue read_wide_bigint(reader *r, const uint8_t *b, size_t n)
{
    static const char hex_digits[] = "0123456789abcdef";
    JSContext *ctx = r->ctx;
    clone_cache *c = reader_cache(r);
    if (!c)
        return JS_EXCEPTION;
    char *hex = malloc(2 * n + 2);
    if (!hex)
        return JS_ThrowOutOfMemory(ctx);
    hex[0] = '0';
    hex[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        hex[2 + 2 * i] = hex_digits[b[n - 1 - i] >> 4];
        hex[3 + 2 * i] = hex_digits[b[n - 1 - i] & 15];
    }
    JSValue str = JS_NewStringLen(ctx, hex, 2 * n + 2);
    free(hex);
    JSValue v = JS_IsException(str) ? str : JS_Call(ctx, c->v[C_BIGINT], JS_UNDEFINED, 1, &str);
    JS_FreeValue(ctx, str);
    if (!JS_IsException(v) && (b[n - 1] & 0x80)) {
        JSValue args[2] = { JS_NewInt64(ctx, 8 * (int64_t)n), v };
        JSValue s = JS_Call(ctx, c->v[C_BIGINT_AS_INT_N], JS_UNDEFINED, 2, args);
        JS_FreeValue(ctx, v);
        v = s;
    }
    return v;
}

static JSValue read_bigint(reader *r)
{
    size_t n;
    const uint8_t *b = get_bytes(r, &n);
    if (!b)
        return JS_EXCEPTION;
    if (n > 8)
        return read_wide_bigint(r, b, n);
    uint64_t u = 0;
    for (size_t i = 0; i < n; i++)
        u |= (uint64_t)b[i] << (8 * i);
    if (n && n < 8 && (b[n - 1] & 0x80))
        u |= ~(uint64_t)0 << (8 * n);
    int64_t v;
    memcpy(&v, &u, sizeof v);
    return JS_NewBigInt64(r->ctx, v);
}

static JSValue read_ref(reader *r)
{
    uint64_t id;
    if (get_varint(r, &id) < 0)
        return JS_EXCEPTION;
    if (id >= r->n_objects || JS_IsUninitialized(r->objects[id])) {
        corrupt(r, "reference to object %llu, which is not created yet", (unsigned long long)id);
        return JS_EXCEPTION;
    }
    return JS_DupValue(r->ctx, r->objects[id]);
}

/* Gives the key `a` (a reference, taken) the message's next key id. */
static inline int add_key(reader *r, JSAtom a)
{
    if (r->n_keys == r->cap_keys) {
        void *p = grow_vec(r->ctx, r->keys, r->inline_keys, &r->cap_keys, sizeof *r->keys);
        if (!p) {
            JS_FreeAtom(r->ctx, a);
            return -1;
        }
        r->keys = p;
    }
    r->keys[r->n_keys++] = a;
    return 0;
}

/* Returns 1 with *atom (borrowed) for a key, 0 at the end mark. */
static int read_key(reader *r, JSAtom *atom)
{
    uint64_t k;
    if (get_varint(r, &k) < 0)
        return -1;
    if (k == 0)
        return 0;
    if (k & 1) {
        if ((k >> 1) >= r->n_keys)
            return corrupt(r, "key %llu is not defined yet", (unsigned long long)(k >> 1));
        *atom = r->keys[k >> 1];
        return 1;
    }
    uint64_t len = (k >> 1) - 1;
    if (len > (uint64_t)(r->end - r->p))
        return corrupt(r, "key length %llu runs past the end", (unsigned long long)len);
    bool hit;
    text_entry *e = text_entry_for(r->cache->read_keys, r->p, (size_t)len, &hit);
    JSAtom a = e && hit ? JS_DupAtom(r->ctx, e->atom) : JS_NewAtomLen(r->ctx, (const char *)r->p, (size_t)len);
    if (a == JS_ATOM_NULL || add_key(r, a) < 0)
        return -1;
    if (e && !hit)
        text_entry_set(r->ctx, e, r->p, (size_t)len, a, JS_UNDEFINED);
    r->p += len;
    *atom = a;
    return 1;
}

/* read_key for an object's i-th key: when the bytes ahead are those of key
 * i of the shape read last (the same length and text), its atom is the
 * record's. *known says whether it was. */
static int read_key_at(reader *r, uint32_t i, JSAtom *atom, bool *known)
{
    const shape_wire *s = &r->cache->read;
    *known = false;
    if (i < s->n) {
        size_t len;
        const uint8_t *key = shape_wire_key(s, i, &len);
        if (len <= (size_t)(r->end - r->p) && same_bytes(r->p, key, len)) {
            if (add_key(r, JS_DupAtom(r->ctx, s->keys[i])) < 0)
                return -1;
            r->p += len;
            *atom = s->keys[i];
            *known = true;
            return 1;
        }
    }
    return read_key(r, atom);
}

/* Reads properties into obj up to the end mark. The first KEEPER_KEYS + 1
 * keys are noted in `keys` (when not NULL), and *n counts them all. */
static int read_props_noting(reader *r, JSValueConst obj, JSAtom *keys, uint32_t *n)
{
    for (;;) {
        JSAtom atom = JS_ATOM_NULL;
        int found = read_key(r, &atom);
        if (found <= 0)
            return found;
        if (keys && *n < KEEPER_KEYS)
            keys[*n] = atom;
        ++*n;
        JSValue v = read_value(r);
        if (JS_IsException(v) || JS_DefinePropertyValue(r->ctx, obj, atom, v, JS_PROP_C_W_E) < 0)
            return -1;
    }
}

static int read_props(reader *r, JSValueConst obj)
{
    uint32_t n = 0;
    return read_props_noting(r, obj, NULL, &n);
}

/* What read_primitive_props saw of an object's keys: how many came from
 * the shape read last, and where each was in the message (all new keys, or
 * `fresh` is false). */
typedef struct key_trace {
    uint32_t known;
    bool fresh;
    size_t span[KEEPER_KEYS][2];
} key_trace;

/* Reads keys and primitive values into keys/values until the end mark (1),
 * a value that is not a primitive or one key too many (0: *pending is that
 * key, its value unread), or an error (-1). *n counts what it read. */
static int read_primitive_props(reader *r, JSAtom *keys, JSValue *values, uint32_t *n, JSAtom *pending,
                                key_trace *t)
{
    t->known = 0;
    t->fresh = true;
    for (;;) {
        JSAtom atom = JS_ATOM_NULL;
        size_t from = (size_t)(r->p - r->start);
        bool known;
        int found = read_key_at(r, *n, &atom, &known);
        if (found <= 0)
            return found < 0 ? -1 : 1;
        if (*n == KEEPER_KEYS || r->p >= r->end || *r->p > TAG_STRING) {
            *pending = atom;
            return 0;
        }
        t->known += known;
        t->fresh = t->fresh && (r->start[from] & 1) == 0;
        t->span[*n][0] = from;
        t->span[*n][1] = (size_t)(r->p - r->start);
        JSValue v = read_value(r);
        if (JS_IsException(v))
            return -1;
        keys[*n] = atom;
        values[(*n)++] = v;
    }
}

/* A small object of primitives whose keys[0..n) were all read: made from
 * the shape read last when they are its keys, else from a keeper's, which
 * is then remembered with the keys' bytes when they are all new keys. */
static JSValue object_read(reader *r, const JSAtom *keys, JSValue *values, uint32_t n, const key_trace *t)
{
    JSContext *ctx = r->ctx;
    shape_wire *s = &r->cache->read;
    if (n > 0 && t->known == n && n == s->n) {
        JSValue obj = weft__engine_object_like(ctx, s->holder, values, (int)n);
        if (!JS_IsUndefined(obj))
            return obj;
    }
    JSValueConst holder = keep_shapes(ctx, r->cache, keys, n);
    if (t->fresh)
        shape_wire_remember(ctx, s, holder, keys, n, r->start, t->span);
    return object_from(ctx, holder, keys, values, n);
}

/* An object is made once its first keys and values are read: in one step,
 * from a kept shape, when they are all it has (a small object of
 * primitives, most messages); otherwise by defining them before what
 * follows, which may refer back to it. */
static JSValue read_plain(reader *r)
{
    uint32_t id = r->n_objects;
    if (add_object(r, JS_UNINITIALIZED) < 0)
        return JS_EXCEPTION;
    JSAtom keys[KEEPER_KEYS];
    JSValue values[KEEPER_KEYS];
    uint32_t n = 0;
    JSAtom pending = JS_ATOM_NULL;
    key_trace trace;
    int all = read_primitive_props(r, keys, values, &n, &pending, &trace);
    if (all < 0) {
        for (uint32_t i = 0; i < n; i++)
            JS_FreeValue(r->ctx, values[i]);
        return JS_EXCEPTION;
    }
    JSValue obj = all ? object_read(r, keys, values, n, &trace) : defined_object(r->ctx, keys, values, n);
    if (JS_IsException(obj))
        return obj;
    r->objects[id] = JS_DupValue(r->ctx, obj);
    if (all)
        return obj;
    JSValue v = read_value(r);
    int ret = JS_IsException(v) ? -1 : JS_DefinePropertyValue(r->ctx, obj, pending, v, JS_PROP_C_W_E);
    if (ret >= 0) {
        if (n < KEEPER_KEYS)
            keys[n] = pending;
        n++;
        ret = read_props_noting(r, obj, keys, &n);
    }
    if (ret < 0) {
        JS_FreeValue(r->ctx, obj);
        return JS_EXCEPTION;
    }
    keep_shapes(r->ctx, r->cache, keys, n);
    return obj;
}

/* Elements come in index order, so the array stays a fast array. */
static int read_elements(reader *r, JSValueConst arr, uint32_t dense, uint32_t *next)
{
    for (uint32_t i = 0; i < dense; i++) {
        if (r->p < r->end && *r->p == TAG_HOLE) {
            r->p++;
            continue;
        }
        JSValue v = read_value(r);
        if (JS_IsException(v) || JS_DefinePropertyValueUint32(r->ctx, arr, i, v, JS_PROP_C_W_E) < 0)
            return -1;
        *next = i + 1;
    }
    return 0;
}

static JSValue read_array(reader *r)
{
    uint32_t length = 0, dense = 0, next = 0;
    if (get_u32(r, &length) < 0 || get_u32(r, &dense) < 0)
        return JS_EXCEPTION;
    if (dense > length) {
        corrupt(r, "array of length %u with %u elements", length, dense);
        return JS_EXCEPTION;
    }
    JSValue arr = registered(r, JS_NewArray(r->ctx));
    if (JS_IsException(arr))
        return arr;
    if (read_elements(r, arr, dense, &next) < 0 || read_props(r, arr) < 0 ||
        (length != next && JS_SetPropertyStr(r->ctx, arr, "length", JS_NewUint32(r->ctx, length)) < 0)) {
        JS_FreeValue(r->ctx, arr);
        return JS_EXCEPTION;
    }
    return arr;
}

/* Boolean, Number, String and BigInt objects: Object(primitive). */
static JSValue read_wrapper(reader *r, uint8_t tag)
{
    JSValue prim;
    uint8_t b = 0;
    if (tag == TAG_BOOLEAN_OBJECT) {
        if (get_u8(r, &b) < 0 || (b > 1 && corrupt(r, "boolean %u", b) < 0))
            return JS_EXCEPTION;
        prim = JS_NewBool(r->ctx, b);
    } else if (tag == TAG_NUMBER_OBJECT) {
        prim = read_double(r);
    } else if (tag == TAG_STRING_OBJECT) {
        prim = read_string(r);
    } else {
        prim = read_bigint(r);
    }
    clone_cache *c = JS_IsException(prim) ? NULL : reader_cache(r);
    JSValue obj = c ? JS_Call(r->ctx, c->v[C_OBJECT], JS_UNDEFINED, 1, &prim) : JS_EXCEPTION;
    JS_FreeValue(r->ctx, prim);
    return registered(r, obj);
}

static JSValue read_date(reader *r)
{
    double t;
    return get_f64(r, &t) < 0 ? JS_EXCEPTION : registered(r, JS_NewDate(r->ctx, t));
}

static JSValue read_regexp(reader *r)
{
    JSValue args[2] = { read_string(r), JS_UNDEFINED };
    if (!JS_IsException(args[0]))
        args[1] = read_string(r);
    clone_cache *c = JS_IsException(args[1]) ? NULL : reader_cache(r);
    JSValue re = c ? JS_CallConstructor(r->ctx, c->v[C_REGEXP], 2, args) : JS_EXCEPTION;
    JS_FreeValue(r->ctx, args[0]);
    JS_FreeValue(r->ctx, args[1]);
    return registered(r, re);
}

static int read_entries(reader *r, JSValueConst obj, bool is_map)
{
    JSContext *ctx = r->ctx;
    JSValueConst add = r->cache->v[is_map ? C_MAP_SET : C_SET_ADD];
    uint64_t n;
    if (get_varint(r, &n) < 0)
        return -1;
    /* n is not trusted: the loop stops when the bytes run out. */
    for (uint64_t i = 0; i < n; i++) {
        JSValue kv[2] = { read_value(r), JS_UNDEFINED };
        if (is_map && !JS_IsException(kv[0]))
            kv[1] = read_value(r);
        JSValue res = JS_IsException(kv[0]) || JS_IsException(kv[1])
                          ? JS_EXCEPTION
                          : JS_Call(ctx, add, obj, is_map ? 2 : 1, kv);
        JS_FreeValue(ctx, kv[0]);
        JS_FreeValue(ctx, kv[1]);
        if (JS_IsException(res))
            return -1;
        JS_FreeValue(ctx, res);
    }
    return 0;
}

static JSValue read_collection(reader *r, bool is_map)
{
    clone_cache *c = reader_cache(r);
    JSValue obj = c ? JS_CallConstructor(r->ctx, c->v[is_map ? C_MAP : C_SET], 0, NULL) : JS_EXCEPTION;
    obj = registered(r, obj);
    if (!JS_IsException(obj) && read_entries(r, obj, is_map) < 0) {
        JS_FreeValue(r->ctx, obj);
        return JS_EXCEPTION;
    }
    return obj;
}

static int read_error_fields(reader *r, JSValueConst err, uint8_t present)
{
    for (int i = 0; i < 4; i++) {
        if (!(present & (1 << i)))
            continue;
        JSValue v = i < 2 ? read_string(r) : read_value(r);
        if (JS_IsException(v) ||
            JS_DefinePropertyValueStr(r->ctx, err, error_fields[i], v, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) < 0)
            return -1;
    }
    return 0;
}

static JSValue read_error(reader *r)
{
    uint8_t name = 0, present = 0;
    if (get_u8(r, &name) < 0 || get_u8(r, &present) < 0)
        return JS_EXCEPTION;
    if (name >= N_ERROR_NAMES || present > 15) {
        corrupt(r, "error name %u with fields %#x", name, present);
        return JS_EXCEPTION;
    }
    clone_cache *c = reader_cache(r);
    if (!c)
        return JS_EXCEPTION;
    JSValueConst proto = c->v[C_ERROR_PROTOS + name];
    JSValue err = JS_IsObject(proto) ? JS_NewObjectProtoClass(r->ctx, proto, classes.error) : JS_NewError(r->ctx);
    err = registered(r, err);
    if (!JS_IsException(err) && read_error_fields(r, err, present) < 0) {
        JS_FreeValue(r->ctx, err);
        return JS_EXCEPTION;
    }
    return err;
}

static JSValue read_array_buffer(reader *r)
{
    size_t n;
    const uint8_t *b = get_bytes(r, &n);
    return b ? registered(r, JS_NewArrayBufferCopy(r->ctx, b, n)) : JS_EXCEPTION;
}

/* The new ArrayBuffer adopts the bytes: the message no longer owns them. */
static JSValue read_moved_buffer(reader *r)
{
    uint32_t i;
    if (get_index(r, r->sides->n_moved, "moved buffer", &i) < 0)
        return JS_EXCEPTION;
    weft_moved_buffer *m = &r->sides->moved[i];
    if (!m->data) {
        corrupt(r, "moved buffer %u is used twice", i);
        return JS_EXCEPTION;
    }
    JSValue buf = weft__transfer_adopt(r->ctx, m->data, m->len);
    if (!JS_IsException(buf))
        m->data = NULL;
    return registered(r, buf);
}

/* The new SharedArrayBuffer takes its own reference (the runtime's sab_dup);
 * the message keeps its own until it is freed. */
static JSValue read_shared_buffer(reader *r)
{
    uint32_t i;
    if (get_index(r, r->sides->n_shared, "shared buffer", &i) < 0)
        return JS_EXCEPTION;
    if (!r->sides->shared[i]) {
        corrupt(r, "shared buffer %u has no store", i);
        return JS_EXCEPTION;
    }
    return registered(r, JS_NewArrayBuffer(r->ctx, r->sides->shared[i], r->sides->shared_len[i], NULL, NULL, 1));
}

static JSValue read_port(reader *r)
{
    uint32_t i;
    if (get_index(r, r->sides->n_ports, "port", &i) < 0)
        return JS_EXCEPTION;
    weft_port *p = r->sides->ports[i];
    if (!p) {
        corrupt(r, "port %u is used twice", i);
        return JS_EXCEPTION;
    }
    r->sides->ports[i] = NULL; /* weft__port_wrap takes the reference */
    return registered(r, weft__port_wrap(r->ctx, p));
}

static JSValue make_view(reader *r, JSValueConst buf, bool typed, uint8_t type)
{
    uint64_t offset, length;
    clone_cache *c = reader_cache(r);
    if (!c || get_varint(r, &offset) < 0 || get_varint(r, &length) < 0)
        return JS_EXCEPTION;
    if (offset > MAX_SAFE_INTEGER || length > MAX_SAFE_INTEGER) {
        corrupt(r, "view offset %llu or length %llu out of range", (unsigned long long)offset,
                (unsigned long long)length);
        return JS_EXCEPTION;
    }
    JSValueConst args[3] = { buf, JS_NewInt64(r->ctx, (int64_t)offset), JS_NewInt64(r->ctx, (int64_t)length) };
    return typed ? JS_NewTypedArray(r->ctx, 3, args, (JSTypedArrayEnum)type)
                 : JS_CallConstructor(r->ctx, c->v[C_DATA_VIEW], 3, args);
}

/* The view takes its id first; its buffer (read next) takes the next. */
static JSValue read_view(reader *r, bool typed)
{
    uint8_t type = 0;
    if (typed && get_u8(r, &type) < 0)
        return JS_EXCEPTION;
    if (type > JS_TYPED_ARRAY_FLOAT64) {
        corrupt(r, "typed array type %u", type);
        return JS_EXCEPTION;
    }
    uint32_t id = r->n_objects;
    if (add_object(r, JS_UNINITIALIZED) < 0)
        return JS_EXCEPTION;
    JSValue buf = read_value(r);
    if (JS_IsException(buf))
        return buf;
    enum kind kind = kind_of(buf);
    JSValue view = JS_EXCEPTION;
    if (kind == KIND_ARRAY_BUFFER || kind == KIND_SHARED_BUFFER)
        view = make_view(r, buf, typed, type);
    else
        corrupt(r, "a view's buffer is not an ArrayBuffer");
    JS_FreeValue(r->ctx, buf);
    if (!JS_IsException(view))
        r->objects[id] = JS_DupValue(r->ctx, view);
    return view;
}

static JSValue read_object(reader *r, uint8_t tag)
{
    switch (tag) {
    case TAG_OBJECT:
        return read_plain(r);
    case TAG_ARRAY:
        return read_array(r);
    case TAG_BOOLEAN_OBJECT:
    case TAG_NUMBER_OBJECT:
    case TAG_STRING_OBJECT:
    case TAG_BIGINT_OBJECT:
        return read_wrapper(r, tag);
    case TAG_DATE:
        return read_date(r);
    case TAG_REGEXP:
        return read_regexp(r);
    case TAG_MAP:
        return read_collection(r, true);
    case TAG_SET:
        return read_collection(r, false);
    case TAG_ERROR:
        return read_error(r);
    case TAG_ARRAY_BUFFER:
        return read_array_buffer(r);
    case TAG_MOVED_BUFFER:
        return read_moved_buffer(r);
    case TAG_SHARED_BUFFER:
        return read_shared_buffer(r);
    case TAG_TYPED_ARRAY:
        return read_view(r, true);
    case TAG_DATA_VIEW:
        return read_view(r, false);
    case TAG_PORT:
        return read_port(r);
    default:
        corrupt(r, "unknown tag %u", tag);
        return JS_EXCEPTION;
    }
}

static JSValue read_nested(reader *r, uint8_t tag)
{
    if (r->depth >= MAX_DEPTH) {
        corrupt(r, "objects nested deeper than %d levels", MAX_DEPTH);
        return JS_EXCEPTION;
    }
    if (probe_stack(r->ctx, &r->cache, r->depth) < 0)
        return JS_EXCEPTION;
    r->depth++;
    JSValue v = read_object(r, tag);
    r->depth--;
    return v;
}

static JSValue read_value(reader *r)
{
    uint8_t tag = 0;
    if (get_u8(r, &tag) < 0)
        return JS_EXCEPTION;
    switch (tag) {
    case TAG_UNDEFINED:
        return JS_UNDEFINED;
    case TAG_NULL:
        return JS_NULL;
    case TAG_FALSE:
    case TAG_TRUE:
        return JS_NewBool(r->ctx, tag == TAG_TRUE);
    case TAG_INT:
        return read_int(r);
    case TAG_DOUBLE:
        return read_double(r);
    case TAG_BIGINT:
        return read_bigint(r);
    case TAG_STRING:
        return read_string(r);
    case TAG_REF:
        return read_ref(r);
    default:
        return read_nested(r, tag);
    }
}

JSValue weft__clone_read(JSContext *ctx, weft_message *msg)
{
    clone_cache *cache = cache_of(ctx);
    if (!cache)
        return JS_EXCEPTION;
    if (msg->len == 0 || msg->data[0] != WEFT_WIRE_VERSION)
        return JS_ThrowTypeError(ctx, "Invalid message: wire format version %d, expected %d",
                                 msg->len ? msg->data[0] : -1, WEFT_WIRE_VERSION);
    reader r;
    reader_init(&r, ctx, cache, msg);
    r.p++;
    JSValue v = read_value(&r);
    if (!JS_IsException(v) && r.p != r.end) {
        corrupt(&r, "%zu bytes after the value", (size_t)(r.end - r.p));
        JS_FreeValue(ctx, v);
        v = JS_EXCEPTION;
    }
    reader_free(&r);
    return v;
}

int weft__clone_init(JSContext *ctx)
{
    return cache_of(ctx) ? 0 : -1;
}
