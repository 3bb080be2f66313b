/*
 * The "fs" binding: the file system operations under weft:node/fs, and the
 * string encodings (utf8, latin1, ascii, utf16le, hex, base64, base64url)
 * that fs needs to turn strings into bytes and back, since weft has no Buffer.
 *
 * Every operation is written once, as a "work" function over a plain C
 * request (no JavaScript values), and runs in one of two ways, chosen by its
 * last argument:
 *   - not a function: synchronously, on the calling thread; the result is
 *     returned or the error thrown;
 *   - a function: on libuv's threadpool (uv_queue_work on the thread's
 *     loop); the function is called as cb(err) or cb(null, result) from the
 *     loop, with weft__vm_callback's bookkeeping.
 * The work functions use libuv's uv_fs_* calls in synchronous mode (NULL
 * loop and callback: libuv then performs the system call in place) or plain
 * POSIX calls. A compound operation (readFile, writeFile, mkdir -p, rm -r,
 * copyFile) is one threadpool job, not a chain of round trips to the loop.
 *
 * Lifetime of asynchronous requests: both patterns, each for its part.
 *   - The C part lives until libuv completes the work: work that has started
 *     on the threadpool cannot be called back, and a worker thread may be
 *     writing into the request's buffers. weft__vm_free runs the loop until
 *     no request is left, so completions always come before the loop and the
 *     runtime are gone.
 *   - The JavaScript part (the callback, the buffer a read fills, the
 *     context) is released at completion, or earlier by the vm's shutdown:
 *     each pending request owns an idle handle (never started, unref'd) whose
 *     `dispose` (the weft_handle pattern of timers.c) releases the values
 *     and marks the request, so a completion during shutdown calls no
 *     JavaScript. This does not rest on vm->exiting, which is cleared again
 *     while 'exit' listeners run; a callback after 'exit' must not run.
 * The price: an operation that blocks (a read from a FIFO nobody writes)
 * holds up the end of its thread until it returns, as the vm waits for it.
 *
 * Bytes handed to the threadpool are C copies, never an ArrayBuffer's own
 * memory: JavaScript keeps running while the job does, and could detach or
 * transfer the buffer. Synchronous reads and writes use the caller's bytes
 * directly, since nothing else runs meanwhile.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "core/jsutil.h"
#include "core/transfer.h"
#include "core/vm.h"
#include "modules/native.h"

/* Node refuses to read a file into memory past this (kIoMaxLength). */
#define IO_MAX_LENGTH ((int64_t)2147483647)
#define READ_CHUNK (64 * 1024)

/* Fields of a stat result, in the order weft:node/fs reads them. */
enum {
    ST_DEV, ST_MODE, ST_NLINK, ST_UID, ST_GID, ST_RDEV, ST_BLKSIZE, ST_INO, ST_SIZE, ST_BLOCKS,
    ST_ATIME_S, ST_ATIME_NS, ST_MTIME_S, ST_MTIME_NS, ST_CTIME_S, ST_CTIME_NS,
    ST_BIRTHTIME_S, ST_BIRTHTIME_NS, ST_FIELDS
};

typedef struct fs_req fs_req;

struct fs_req {
    weft_handle base;    /* handle.data points here: the vm's shutdown finds us */
    uv_idle_t handle;    /* asynchronous requests only; never started */
    uv_work_t work;
    int refs;            /* asynchronous: the work and the handle */
    bool released;       /* the JavaScript values are gone */
    JSContext *ctx;      /* held (JS_DupContext) until released */
    JSValue callback;    /* asynchronous: cb(err, result) */
    JSValue buffer;      /* asynchronous read: the Uint8Array to fill */
    int (*run)(fs_req *r);                   /* the blocking part */
    JSValue (*done)(JSContext *ctx, fs_req *r); /* the result; NULL: none */

    /* inputs */
    char *path, *dest;   /* owned */
    uv_file fd;
    int flags, mode;
    int64_t pos;         /* file position; -1: the current one */
    double atime, mtime;
    bool opt;            /* bigint stats, file types, recursive, ... */
    unsigned char *data; /* owned bytes: what to write, or where a read goes */
    size_t len;
    unsigned char *target; /* synchronous read/write: the caller's bytes */
    size_t offset;       /* asynchronous read: where in `buffer` the bytes go */

    /* outcome */
    int err;             /* 0 or a negative uv error */
    const char *syscall; /* the call that failed */
    char *err_path;      /* owned: the path to name when not `path` */
    bool err_no_path;    /* the failure names no path (read, write, close) */
    bool err_dest;       /* the failure names `dest` too (rename, copyfile) */
    int64_t n;           /* fd or byte count */
    char *str;           /* owned: realpath, readlink, mkdtemp, mkdir -p */
    uv_stat_t st;
    char **names;        /* readdir, owned */
    unsigned char *types;
    size_t count, cap;
};

/* ---- requests ------------------------------------------------------------ */

static fs_req *req_new(JSContext *ctx)
{
    fs_req *r = calloc(1, sizeof *r);
    if (!r) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    r->ctx = JS_DupContext(ctx);
    r->callback = JS_UNDEFINED;
    r->buffer = JS_UNDEFINED;
    r->fd = -1;
    r->pos = -1;
    return r;
}

/* Releases the request's JavaScript values, while the runtime lives. */
static void req_release(fs_req *r)
{
    if (r->released)
        return;
    r->released = true;
    JSContext *ctx = r->ctx;
    JS_FreeValue(ctx, r->callback);
    JS_FreeValue(ctx, r->buffer);
    r->callback = JS_UNDEFINED;
    r->buffer = JS_UNDEFINED;
    r->ctx = NULL;
    JS_FreeContext(ctx);
}

/* Frees the C part. */
static void req_destroy(fs_req *r)
{
    free(r->path);
    free(r->dest);
    free(r->data);
    free(r->err_path);
    free(r->str);
    for (size_t i = 0; i < r->count; i++)
        free(r->names[i]);
    free(r->names);
    free(r->types);
    free(r);
}

/* A request that never went to the threadpool. */
static void req_free(fs_req *r)
{
    if (!r)
        return;
    req_release(r);
    req_destroy(r);
}

static void req_unref(fs_req *r)
{
    if (--r->refs == 0)
        req_destroy(r);
}

static void req_on_close(uv_handle_t *handle)
{
    req_unref(handle->data);
}

/* The vm is shutting down with the request still on the threadpool. */
static void req_dispose(weft_handle *h)
{
    fs_req *r = (fs_req *)h;
    req_release(r);
    uv_close((uv_handle_t *)&r->handle, req_on_close);
}

/* A failed argument conversion: frees the request, leaves the exception. */
static JSValue req_abort(fs_req *r)
{
    req_free(r);
    return JS_EXCEPTION;
}

static int fail(fs_req *r, int err, const char *syscall)
{
    r->syscall = syscall;
    return err;
}

/* ---- strings ------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * the bytes there are not one (WHATWG: a maximal subpart is replaced). On
 * failure *bad is the length of the maximal subpart to replace (>= 1). */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        *bad = 1;
        return 0;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xbf;
    }
    return need + 1;
}

/* A string from bytes that should be UTF-8: invalid sequences become U+FFFD
 * (one per maximal subpart, as Node and TextDecoder do). */
static JSValue new_string_utf8(JSContext *ctx, const unsigned char *s, size_t n)
{
    size_t i = 0, bad = 0;
    while (i < n) {
        size_t k = utf8_seq(s + i, n - i, &bad);
        if (!k)
            break;
        i += k;
    }
    if (i == n)
        return JS_NewStringLen(ctx, (const char *)s, n);
    /* Each replaced byte grows to at most three. */
    if (n > SIZE_MAX / 3)
        return JS_ThrowRangeError(ctx, "string too long");
    unsigned char *out = malloc(n * 3);
    if (!out)
        return JS_ThrowOutOfMemory(ctx);
    memcpy(out, s, i);
    size_t o = i;
    while (i < n) {
        size_t k = utf8_seq(s + i, n - i, &bad);
        if (k) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i += bad;
        }
    }
    JSValue v = JS_NewStringLen(ctx, (const char *)out, o);
    free(out);
    return v;
}

static JSValue new_string(JSContext *ctx, const char *s)
{
    return new_string_utf8(ctx, (const unsigned char *)s, strlen(s));
}

/* Copies a JavaScript string argument (already checked to be a string by
 * weft:node/fs) into *out. */
static int string_arg(JSContext *ctx, char **out, JSValueConst v, const char *name)
{
    if (!JS_IsString(v)) {
        weft__throw_arg_type(ctx, name, "of type string", v);
        return -1;
    }
    size_t len;
    const char *s = JS_ToCStringLen(ctx, &len, v);
    if (!s)
        return -1;
    if (memchr(s, '\0', len)) {
        JS_FreeCString(ctx, s);
        weft__throw(ctx, "TypeError", "ERR_INVALID_ARG_VALUE",
                    "The argument '%s' must be a string, Uint8Array, or URL without null bytes.", name);
        return -1;
    }
    *out = strdup(s);
    JS_FreeCString(ctx, s);
    if (!*out) {
        JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    return 0;
}

static int int_arg(JSContext *ctx, int *out, JSValueConst v, const char *name)
{
    if (!JS_IsNumber(v)) {
        weft__throw_arg_type(ctx, name, "of type number", v);
        return -1;
    }
    return JS_ToInt32(ctx, out, v);
}

/* A file position: a number, a BigInt, or null/undefined/-1 for the current
 * position. */
static int pos_arg(JSContext *ctx, int64_t *out, JSValueConst v)
{
    if (JS_IsNull(v) || JS_IsUndefined(v)) {
        *out = -1;
        return 0;
    }
    if (JS_IsBigInt(ctx, v))
        return JS_ToBigInt64(ctx, out, v);
    double d;
    if (JS_ToFloat64(ctx, &d, v) < 0)
        return -1;
    *out = d < 0 ? -1 : (int64_t)d;
    return 0;
}

/* The bytes of a Uint8Array (weft:node/fs passes every binary argument as
 * one). *len is its length. A zero-length view may have no memory: the
 * pointer is then a valid dummy. */
static unsigned char *u8_bytes(JSContext *ctx, JSValueConst v, size_t *len)
{
    static unsigned char empty[1];
    size_t offset, length, bpe, total;
    JSValue ab = JS_GetTypedArrayBuffer(ctx, v, &offset, &length, &bpe);
    if (JS_IsException(ab))
        return NULL;
    unsigned char *p = JS_GetArrayBuffer(ctx, &total, ab);
    JS_FreeValue(ctx, ab);
    if (!p && length == 0) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        *len = 0;
        return empty;
    }
    if (!p)
        return NULL;
    if (offset > total || length > total - offset) {
        JS_ThrowRangeError(ctx, "typed array out of its buffer's bounds");
        return NULL;
    }
    *len = length;
    return p + offset;
}

/* A typed array over a whole ArrayBuffer; takes ab. The constructor reads
 * all three of its arguments, so all three are given. */
static JSValue new_typed(JSContext *ctx, JSValue ab, JSTypedArrayEnum type)
{
    if (JS_IsException(ab))
        return ab;
    JSValueConst args[3] = { ab, JS_NewInt32(ctx, 0), JS_UNDEFINED };
    JSValue ta = JS_NewTypedArray(ctx, 3, args, type);
    JS_FreeValue(ctx, ab);
    return ta;
}

static JSValue new_u8(JSContext *ctx, JSValue ab)
{
    return new_typed(ctx, ab, JS_TYPED_ARRAY_UINT8);
}

/* ---- errors -------------------------------------------------------------- */

/* Node's error for a failed system call, not thrown: message
 * "ENOENT: no such file or directory, open '/x'" (or "... rename 'a' -> 'b'"),
 * with errno (negative), code, syscall, path and dest. */
static JSValue uv_error(JSContext *ctx, int err, const char *syscall, const char *path, const char *dest)
{
    char *msg = NULL;
    int rc;
    if (path && dest)
        rc = asprintf(&msg, "%s: %s, %s '%s' -> '%s'", uv_err_name(err), uv_strerror(err), syscall, path, dest);
    else if (path)
        rc = asprintf(&msg, "%s: %s, %s '%s'", uv_err_name(err), uv_strerror(err), syscall, path);
    else
        rc = asprintf(&msg, "%s: %s, %s", uv_err_name(err), uv_strerror(err), syscall);
    if (rc < 0)
        return JS_ThrowOutOfMemory(ctx);
    JSValue e = JS_NewError(ctx);
    if (JS_IsException(e)) {
        free(msg);
        return e;
    }
    int ok = JS_DefinePropertyValueStr(ctx, e, "message", new_string(ctx, msg),
                                       JS_PROP_CONFIGURABLE | JS_PROP_WRITABLE) >= 0 &&
             JS_DefinePropertyValueStr(ctx, e, "errno", JS_NewInt32(ctx, err), JS_PROP_C_W_E) >= 0 &&
             JS_DefinePropertyValueStr(ctx, e, "code", JS_NewString(ctx, uv_err_name(err)), JS_PROP_C_W_E) >= 0 &&
             JS_DefinePropertyValueStr(ctx, e, "syscall", JS_NewString(ctx, syscall), JS_PROP_C_W_E) >= 0 &&
             (!path || JS_DefinePropertyValueStr(ctx, e, "path", new_string(ctx, path), JS_PROP_C_W_E) >= 0) &&
             (!dest || JS_DefinePropertyValueStr(ctx, e, "dest", new_string(ctx, dest), JS_PROP_C_W_E) >= 0);
    if (ok) {
        /* Made from the loop (an asynchronous call) the error has no frames
         * and QuickJS gives it no stack; Node's is then its first line. */
        JSValue stack = JS_GetPropertyStr(ctx, e, "stack");
        size_t len = 0;
        const char *text = JS_IsString(stack) ? JS_ToCStringLen(ctx, &len, stack) : NULL;
        JS_FreeCString(ctx, text);
        JS_FreeValue(ctx, stack);
        if (len == 0) {
            char *line;
            if (asprintf(&line, "Error: %s", msg) < 0) {
                JS_ThrowOutOfMemory(ctx);
                ok = 0;
            } else {
                ok = JS_DefinePropertyValueStr(ctx, e, "stack", new_string(ctx, line),
                                               JS_PROP_CONFIGURABLE | JS_PROP_WRITABLE) >= 0;
                free(line);
            }
        }
    }
    free(msg);
    if (!ok) {
        JS_FreeValue(ctx, e);
        return JS_EXCEPTION;
    }
    return e;
}

/* The error of a failed request (JS_EXCEPTION if even that failed). */
static JSValue req_error(JSContext *ctx, fs_req *r)
{
    if (r->err == UV_EFBIG && r->syscall && strcmp(r->syscall, "size") == 0) {
        weft__throw(ctx, "RangeError", "ERR_FS_FILE_TOO_LARGE",
                    "File size (%lld) is greater than 2 GiB", (long long)r->n);
        return JS_GetException(ctx);
    }
    const char *path = r->err_no_path ? NULL : r->err_path ? r->err_path : r->path;
    return uv_error(ctx, r->err, r->syscall ? r->syscall : "unknown", path, r->err_dest ? r->dest : NULL);
}

/* ---- running a request --------------------------------------------------- */

static void work_cb(uv_work_t *w)
{
    fs_req *r = w->data;
    r->err = r->run(r);
}

static void after_cb(uv_work_t *w, int status)
{
    fs_req *r = w->data;
    if (r->released) {
        /* Disposed by the vm's shutdown: nothing to call. */
        req_unref(r);
        return;
    }
    JSContext *ctx = r->ctx;
    weft_vm *vm = weft__vm_of(ctx);
    if (status != 0 && r->err == 0) {
        r->err = status; /* UV_ECANCELED: weft never cancels, but be exact */
        r->syscall = "uv_queue_work";
        r->err_no_path = true;
    }
    if (!vm->exiting) {
        JSValue args[2] = { JS_NULL, JS_UNDEFINED };
        int argc = 1;
        if (r->err) {
            args[0] = req_error(ctx, r);
        } else if (r->done) {
            args[1] = r->done(ctx, r);
            argc = 2;
        }
        if (JS_IsException(args[0]) || JS_IsException(args[1])) {
            /* Out of memory building the result: hand that error over. */
            JS_FreeValue(ctx, args[1]);
            args[0] = JS_GetException(ctx);
            args[1] = JS_UNDEFINED;
            argc = 1;
        }
        /* The handle closes first: whatever the callback does (exit), the
         * vm's shutdown must not dispose this request again. */
        uv_close((uv_handle_t *)&r->handle, req_on_close);
        JSValue cb = r->callback;
        r->callback = JS_UNDEFINED;
        weft__vm_callback(vm, cb, JS_UNDEFINED, argc, args);
        JS_FreeValue(ctx, cb);
        JS_FreeValue(ctx, args[0]);
        JS_FreeValue(ctx, args[1]);
    } else {
        uv_close((uv_handle_t *)&r->handle, req_on_close);
    }
    req_release(r);
    req_unref(r);
}

/* Runs r now (cb not a function) or on the threadpool. Takes r. */
static JSValue req_dispatch(JSContext *ctx, fs_req *r, JSValueConst cb)
{
    if (JS_IsFunction(ctx, cb)) {
        uv_loop_t *loop = weft__vm_loop(weft__vm_of(ctx));
        if (!loop)
            return req_abort(r);
        if (r->target) {
            /* The threadpool works on a copy (see the top of this file). */
            if (!r->data) {
                r->data = malloc(r->len ? r->len : 1);
                if (!r->data) {
                    req_free(r);
                    return JS_ThrowOutOfMemory(ctx);
                }
                memcpy(r->data, r->target, r->len);
            }
            r->target = NULL;
        }
        int err = uv_idle_init(loop, &r->handle);
        if (err) {
            req_free(r);
            return weft__throw_syscall(ctx, err, "uv_idle_init", NULL);
        }
        /* Only the work keeps the loop alive. */
        uv_unref((uv_handle_t *)&r->handle);
        r->base.dispose = req_dispose;
        r->handle.data = r;
        r->callback = JS_DupValue(ctx, cb);
        r->work.data = r;
        r->refs = 2;
        err = uv_queue_work(loop, &r->work, work_cb, after_cb);
        if (err) {
            r->refs = 1; /* the handle's */
            req_release(r);
            uv_close((uv_handle_t *)&r->handle, req_on_close);
            return weft__throw_syscall(ctx, err, "uv_queue_work", NULL);
        }
        return JS_UNDEFINED;
    }
    r->err = r->run(r);
    JSValue result;
    if (r->err) {
        JSValue e = req_error(ctx, r);
        result = JS_IsException(e) ? e : JS_Throw(ctx, e);
    } else {
        result = r->done ? r->done(ctx, r) : JS_UNDEFINED;
    }
    req_free(r);
    return result;
}

/* ---- result makers ------------------------------------------------------- */

static JSValue done_n(JSContext *ctx, fs_req *r)
{
    return JS_NewInt64(ctx, r->n);
}

static JSValue done_str(JSContext *ctx, fs_req *r)
{
    return r->str ? new_string(ctx, r->str) : JS_UNDEFINED;
}

/* The bytes read, as a Uint8Array that adopts the request's buffer. */
static JSValue done_bytes(JSContext *ctx, fs_req *r)
{
    unsigned char *data = r->data;
    size_t n = (size_t)r->n;
    if (!data) {
        data = malloc(1);
        if (!data)
            return JS_ThrowOutOfMemory(ctx);
    }
    r->data = NULL;
    JSValue ab = weft__transfer_adopt(ctx, data, n);
    if (JS_IsException(ab))
        free(data);
    return new_u8(ctx, ab);
}

/* An asynchronous read: the bytes go into the caller's buffer now. */
static JSValue done_read_copy(JSContext *ctx, fs_req *r)
{
    size_t len;
    unsigned char *p = u8_bytes(ctx, r->buffer, &len);
    if (!p)
        return JS_EXCEPTION;
    if (r->offset > len || (size_t)r->n > len - r->offset)
        return weft__throw(ctx, "Error", "ERR_INVALID_STATE",
                           "The buffer was detached or shrunk while the read was in progress");
    memcpy(p + r->offset, r->data, (size_t)r->n);
    return JS_NewInt64(ctx, r->n);
}

static JSValue done_stat(JSContext *ctx, fs_req *r)
{
    const uv_stat_t *s = &r->st;
    uint64_t f[ST_FIELDS] = {
        [ST_DEV] = s->st_dev, [ST_MODE] = s->st_mode, [ST_NLINK] = s->st_nlink,
        [ST_UID] = s->st_uid, [ST_GID] = s->st_gid, [ST_RDEV] = s->st_rdev,
        [ST_BLKSIZE] = s->st_blksize, [ST_INO] = s->st_ino, [ST_SIZE] = s->st_size,
        [ST_BLOCKS] = s->st_blocks,
        [ST_ATIME_S] = (uint64_t)s->st_atim.tv_sec, [ST_ATIME_NS] = (uint64_t)s->st_atim.tv_nsec,
        [ST_MTIME_S] = (uint64_t)s->st_mtim.tv_sec, [ST_MTIME_NS] = (uint64_t)s->st_mtim.tv_nsec,
        [ST_CTIME_S] = (uint64_t)s->st_ctim.tv_sec, [ST_CTIME_NS] = (uint64_t)s->st_ctim.tv_nsec,
        [ST_BIRTHTIME_S] = (uint64_t)s->st_birthtim.tv_sec,
        [ST_BIRTHTIME_NS] = (uint64_t)s->st_birthtim.tv_nsec,
    };
    JSValue ab;
    JSTypedArrayEnum type;
    if (r->opt) {
        int64_t v[ST_FIELDS];
        for (int i = 0; i < ST_FIELDS; i++)
            v[i] = (int64_t)f[i];
        ab = JS_NewArrayBufferCopy(ctx, (const uint8_t *)v, sizeof v);
        type = JS_TYPED_ARRAY_BIG_INT64;
    } else {
        double v[ST_FIELDS];
        for (int i = 0; i < ST_FIELDS; i++)
            v[i] = (double)(int64_t)f[i];
        ab = JS_NewArrayBufferCopy(ctx, (const uint8_t *)v, sizeof v);
        type = JS_TYPED_ARRAY_FLOAT64;
    }
    return new_typed(ctx, ab, type);
}

/* readdir: names, or [names, types] with file types. */
static JSValue done_readdir(JSContext *ctx, fs_req *r)
{
    JSValue names = JS_NewArray(ctx);
    if (JS_IsException(names))
        return names;
    for (size_t i = 0; i < r->count; i++) {
        if (JS_SetPropertyUint32(ctx, names, (uint32_t)i, new_string(ctx, r->names[i])) < 0) {
            JS_FreeValue(ctx, names);
            return JS_EXCEPTION;
        }
    }
    if (!r->opt)
        return names;
    JSValue types = JS_NewArray(ctx);
    JSValue pair = JS_NewArray(ctx);
    if (JS_IsException(types) || JS_IsException(pair)) {
        JS_FreeValue(ctx, names);
        JS_FreeValue(ctx, types);
        JS_FreeValue(ctx, pair);
        return JS_EXCEPTION;
    }
    for (size_t i = 0; i < r->count; i++) {
        if (JS_SetPropertyUint32(ctx, types, (uint32_t)i, JS_NewInt32(ctx, r->types[i])) < 0) {
            JS_FreeValue(ctx, names);
            JS_FreeValue(ctx, types);
            JS_FreeValue(ctx, pair);
            return JS_EXCEPTION;
        }
    }
    if (JS_SetPropertyUint32(ctx, pair, 0, names) < 0 || JS_SetPropertyUint32(ctx, pair, 1, types) < 0) {
        JS_FreeValue(ctx, pair);
        return JS_EXCEPTION;
    }
    return pair;
}

/* ---- work functions ------------------------------------------------------ */

/* uv_fs_* in synchronous mode (no loop, no callback: libuv runs the call in
 * place and returns its result); this releases the request afterwards:
 * uv_done(&q, uv_fs_x(NULL, &q, ..., NULL)). */
static int uv_done(uv_fs_t *q, int rc)
{
    uv_fs_req_cleanup(q);
    return rc;
}

#define UV_SYNC(call, ...) uv_done(&q, call(NULL, &q, __VA_ARGS__, NULL))

static int work_open(fs_req *r)
{
    uv_fs_t q;
    int fd = UV_SYNC(uv_fs_open, r->path, r->flags, r->mode);
    if (fd < 0)
        return fail(r, fd, "open");
    r->n = fd;
    return 0;
}

static int work_close(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_close, r->fd);
    r->err_no_path = true;
    return err < 0 ? fail(r, err, "close") : 0;
}

static int work_read(fs_req *r)
{
    uv_fs_t q;
    uv_buf_t buf = uv_buf_init((char *)(r->target ? r->target : r->data), (unsigned)r->len);
    int n = UV_SYNC(uv_fs_read, r->fd, &buf, 1, r->pos);
    r->err_no_path = true;
    if (n < 0)
        return fail(r, n, "read");
    r->n = n;
    return 0;
}

static int work_write(fs_req *r)
{
    uv_fs_t q;
    uv_buf_t buf = uv_buf_init((char *)(r->target ? r->target : r->data), (unsigned)r->len);
    int n = UV_SYNC(uv_fs_write, r->fd, &buf, 1, r->pos);
    r->err_no_path = true;
    if (n < 0)
        return fail(r, n, "write");
    r->n = n;
    return 0;
}

/* Reads fd to its end into r->data / r->n. */
static int read_to_end(fs_req *r, int fd)
{
    struct stat st;
    size_t cap = READ_CHUNK;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        if ((int64_t)st.st_size > IO_MAX_LENGTH) {
            r->n = (int64_t)st.st_size;
            return fail(r, UV_EFBIG, "size");
        }
        cap = (size_t)st.st_size + 1; /* +1: see the end of a file that grew */
    }
    size_t n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return fail(r, UV_ENOMEM, "read");
    for (;;) {
        if (n == cap) {
            if ((int64_t)cap * 2 > IO_MAX_LENGTH + 1) {
                free(buf);
                r->n = (int64_t)n;
                return fail(r, UV_EFBIG, "size");
            }
            unsigned char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return fail(r, UV_ENOMEM, "read");
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = uv_translate_sys_error(errno);
            free(buf);
            r->err_no_path = true;
            return fail(r, e, "read");
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    r->data = buf;
    r->n = (int64_t)n;
    return 0;
}

/* readFile(pathOrFd, flags): the whole file. */
static int work_read_file(fs_req *r)
{
    uv_fs_t q;
    if (!r->path)
        return read_to_end(r, r->fd);
    int fd = UV_SYNC(uv_fs_open, r->path, r->flags, 0666);
    if (fd < 0)
        return fail(r, fd, "open");
    int err = read_to_end(r, fd);
    UV_SYNC(uv_fs_close, fd);
    return err;
}

static int write_all(fs_req *r, int fd)
{
    const unsigned char *p = r->target ? r->target : r->data;
    size_t left = r->len;
    int64_t pos = r->pos;
    while (left > 0) {
        ssize_t w = pos >= 0 ? pwrite(fd, p, left, pos) : write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            r->err_no_path = true;
            return fail(r, uv_translate_sys_error(errno), "write");
        }
        p += w;
        left -= (size_t)w;
        if (pos >= 0)
            pos += w;
    }
    return 0;
}

/* writeFile(pathOrFd, bytes, flags, mode) */
static int work_write_file(fs_req *r)
{
    uv_fs_t q;
    if (!r->path)
        return write_all(r, r->fd);
    int fd = UV_SYNC(uv_fs_open, r->path, r->flags, r->mode);
    if (fd < 0)
        return fail(r, fd, "open");
    int err = write_all(r, fd);
    int cerr = UV_SYNC(uv_fs_close, fd);
    if (!err && cerr < 0) {
        r->err_no_path = true;
        return fail(r, cerr, "close");
    }
    return err;
}

static int work_stat(fs_req *r)
{
    uv_fs_t req;
    int err = uv_fs_stat(NULL, &req, r->path, NULL);
    if (!err)
        r->st = req.statbuf;
    uv_fs_req_cleanup(&req);
    return err < 0 ? fail(r, err, "stat") : 0;
}

static int work_lstat(fs_req *r)
{
    uv_fs_t req;
    int err = uv_fs_lstat(NULL, &req, r->path, NULL);
    if (!err)
        r->st = req.statbuf;
    uv_fs_req_cleanup(&req);
    return err < 0 ? fail(r, err, "lstat") : 0;
}

static int work_fstat(fs_req *r)
{
    uv_fs_t req;
    int err = uv_fs_fstat(NULL, &req, r->fd, NULL);
    if (!err)
        r->st = req.statbuf;
    uv_fs_req_cleanup(&req);
    r->err_no_path = true;
    return err < 0 ? fail(r, err, "fstat") : 0;
}

static int add_entry(fs_req *r, const char *name, int type)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **names = realloc(r->names, cap * sizeof *names);
        if (!names)
            return UV_ENOMEM;
        r->names = names;
        unsigned char *types = realloc(r->types, cap);
        if (!types)
            return UV_ENOMEM;
        r->types = types;
        r->cap = cap;
    }
    r->names[r->count] = strdup(name);
    if (!r->names[r->count])
        return UV_ENOMEM;
    r->types[r->count++] = (unsigned char)type;
    return 0;
}

/* The file type of an entry whose type the directory did not say. */
static int lstat_type(const char *dir, const char *name)
{
    char *full;
    if (asprintf(&full, "%s/%s", dir, name) < 0)
        return UV_DIRENT_UNKNOWN;
    struct stat st;
    int rc = lstat(full, &st);
    free(full);
    if (rc != 0)
        return UV_DIRENT_UNKNOWN;
    switch (st.st_mode & S_IFMT) {
    case S_IFREG: return UV_DIRENT_FILE;
    case S_IFDIR: return UV_DIRENT_DIR;
    case S_IFLNK: return UV_DIRENT_LINK;
    case S_IFIFO: return UV_DIRENT_FIFO;
    case S_IFSOCK: return UV_DIRENT_SOCKET;
    case S_IFCHR: return UV_DIRENT_CHAR;
    case S_IFBLK: return UV_DIRENT_BLOCK;
    default: return UV_DIRENT_UNKNOWN;
    }
}

/* readdir(path, withFileTypes): sorted by name, as libuv's scandir sorts. */
static int work_readdir(fs_req *r)
{
    uv_fs_t req;
    int n = uv_fs_scandir(NULL, &req, r->path, 0, NULL);
    if (n < 0) {
        uv_fs_req_cleanup(&req);
        return fail(r, n, "scandir");
    }
    uv_dirent_t ent;
    int err = 0;
    while (!err && uv_fs_scandir_next(&req, &ent) != UV_EOF) {
        int type = ent.type;
        if (r->opt && type == UV_DIRENT_UNKNOWN)
            type = lstat_type(r->path, ent.name);
        err = add_entry(r, ent.name, type);
    }
    uv_fs_req_cleanup(&req);
    return err ? fail(r, err, "scandir") : 0;
}

/* The parent of path (a new string), or NULL at the root or without memory. */
static char *parent_of(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    if (n == 0)
        return strdup(".");
    while (n > 1 && path[n - 1] == '/')
        n--;
    char *p = strndup(path, n);
    return p;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p, as Node's MKDirpSync: a file where the directory should be is
 * EEXIST, a file on the way to it ENOTDIR. *first: the top directory made. */
static int mkdirp(const char *path, int mode, char **first)
{
    if (mkdir(path, (mode_t)mode) == 0) {
        if (!*first)
            *first = strdup(path);
        return 0;
    }
    int e = errno;
    if (e == EEXIST)
        return is_dir(path) ? 0 : UV_EEXIST;
    if (e != ENOENT)
        return uv_translate_sys_error(e);
    char *parent = parent_of(path);
    if (!parent)
        return UV_ENOMEM;
    if (strcmp(parent, path) == 0 || strcmp(parent, ".") == 0 || strcmp(parent, "/") == 0) {
        free(parent);
        return UV_ENOENT;
    }
    int err = mkdirp(parent, mode, first);
    free(parent);
    if (err == UV_EEXIST)
        return UV_ENOTDIR;
    if (err)
        return err;
    if (mkdir(path, (mode_t)mode) == 0) {
        if (!*first)
            *first = strdup(path);
        return 0;
    }
    e = errno;
    if (e == EEXIST)
        return is_dir(path) ? 0 : UV_EEXIST;
    return uv_translate_sys_error(e);
}

/* mkdir(path, mode, recursive) */
static int work_mkdir(fs_req *r)
{
    uv_fs_t q;
    if (!r->opt) {
        int err = UV_SYNC(uv_fs_mkdir, r->path, r->mode);
        return err < 0 ? fail(r, err, "mkdir") : 0;
    }
    int err = mkdirp(r->path, r->mode, &r->str);
    return err ? fail(r, err, "mkdir") : 0;
}

static int work_mkdtemp(fs_req *r)
{
    uv_fs_t req;
    int err = uv_fs_mkdtemp(NULL, &req, r->path, NULL);
    if (err >= 0) {
        r->str = strdup(req.path);
        if (!r->str)
            err = UV_ENOMEM;
    }
    uv_fs_req_cleanup(&req);
    return err < 0 ? fail(r, err, "mkdtemp") : 0;
}

static int work_rmdir(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_rmdir, r->path);
    return err < 0 ? fail(r, err, "rmdir") : 0;
}

static int work_unlink(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_unlink, r->path);
    return err < 0 ? fail(r, err, "unlink") : 0;
}

/* Removes the entry `name` of directory dirfd, a directory tree or not.
 * `full` names it in errors. Symbolic links are removed, never followed. */
static int rm_at(fs_req *r, int parent, const char *name, const char *full)
{
    if (unlinkat(parent, name, 0) == 0)
        return 0;
    int e = errno;
    if (e == ENOENT)
        return 0; /* gone meanwhile: what rm wants */
    if (e != EISDIR && e != EPERM) {
        r->err_path = strdup(full); /* e is saved: strdup may change errno */
        return fail(r, uv_translate_sys_error(e), "unlink");
    }
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int oe = errno;
        r->err_path = strdup(full);
        /* Not a directory after all: the unlink's error stands. */
        if (oe == ENOTDIR || oe == ELOOP)
            return fail(r, uv_translate_sys_error(e), "unlink");
        return fail(r, uv_translate_sys_error(oe), "opendir");
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        int oe = errno;
        close(fd);
        r->err_path = strdup(full);
        return fail(r, uv_translate_sys_error(oe), "opendir");
    }
    int err = 0;
    struct dirent *ent;
    while (!err) {
        errno = 0;
        ent = readdir(d);
        if (!ent) {
            int de = errno;
            if (de) {
                r->err_path = strdup(full);
                err = fail(r, uv_translate_sys_error(de), "scandir");
            }
            break;
        }
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        char *child;
        if (asprintf(&child, "%s/%s", full, ent->d_name) < 0)
            err = fail(r, UV_ENOMEM, "rm");
        else {
            err = rm_at(r, dirfd(d), ent->d_name, child);
            free(child);
        }
    }
    closedir(d);
    if (err)
        return err;
    if (unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT) {
        int re = errno;
        r->err_path = strdup(full);
        return fail(r, uv_translate_sys_error(re), "rmdir");
    }
    return 0;
}

/* rm(path): removes a file or a whole tree (weft:node/fs checks the
 * options first, as Node does). */
static int work_rm(fs_req *r)
{
    return rm_at(r, AT_FDCWD, r->path, r->path);
}

static int work_rename(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_rename, r->path, r->dest);
    r->err_dest = true;
    return err < 0 ? fail(r, err, "rename") : 0;
}

static int work_link(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_link, r->path, r->dest);
    r->err_dest = true;
    return err < 0 ? fail(r, err, "link") : 0;
}

/* symlink(target, path): path is the link made. */
static int work_symlink(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_symlink, r->path, r->dest, r->flags);
    r->err_dest = true;
    return err < 0 ? fail(r, err, "symlink") : 0;
}

static int work_copy_file(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_copyfile, r->path, r->dest, r->flags);
    r->err_dest = true;
    return err < 0 ? fail(r, err, "copyfile") : 0;
}

/* Node's realpathSync (not .native) walks the path with lstat; its error
 * names the first part that fails. Rebuilds that from the failed realpath:
 * the first prefix of the (absolute) path that lstat refuses. */
static void realpath_error(fs_req *r)
{
    const char *p = r->path;
    size_t n = strlen(p);
    char *prefix = malloc(n + 1);
    if (!prefix)
        return;
    for (size_t i = 1; i <= n; i++) {
        if (i < n && p[i] != '/')
            continue;
        memcpy(prefix, p, i);
        prefix[i] = '\0';
        struct stat st;
        if (lstat(prefix, &st) != 0) {
            r->err_path = prefix;
            r->syscall = "lstat";
            return;
        }
    }
    free(prefix);
}

/* realpath(path, native) */
static int work_realpath(fs_req *r)
{
    uv_fs_t req;
    int err = uv_fs_realpath(NULL, &req, r->path, NULL);
    if (!err) {
        r->str = strdup(req.ptr);
        if (!r->str)
            err = UV_ENOMEM;
    }
    uv_fs_req_cleanup(&req);
    if (err < 0) {
        fail(r, err, "realpath");
        if (!r->opt && r->path[0] == '/')
            realpath_error(r);
    }
    return err < 0 ? err : 0;
}

static int work_readlink(fs_req *r)
{
    uv_fs_t req;
    int err = uv_fs_readlink(NULL, &req, r->path, NULL);
    if (!err) {
        r->str = strdup(req.ptr);
        if (!r->str)
            err = UV_ENOMEM;
    }
    uv_fs_req_cleanup(&req);
    return err < 0 ? fail(r, err, "readlink") : 0;
}

static int work_access(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_access, r->path, r->mode);
    return err < 0 ? fail(r, err, "access") : 0;
}

static int work_chmod(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_chmod, r->path, r->mode);
    return err < 0 ? fail(r, err, "chmod") : 0;
}

static int work_fchmod(fs_req *r)
{
    uv_fs_t q;
    int err = UV_SYNC(uv_fs_fchmod, r->fd, r->mode);
    r->err_no_path = true;
    return err < 0 ? fail(r, err, "fchmod") : 0;
}

/* truncate(path, len): Node opens the file and truncates the descriptor. */
static int work_truncate(fs_req *r)
{
    uv_fs_t q;
    int fd = r->fd;
    if (r->path) {
        fd = UV_SYNC(uv_fs_open, r->path, O_RDWR, 0);
        if (fd < 0)
            return fail(r, fd, "open");
    }
    int err = UV_SYNC(uv_fs_ftruncate, fd, r->pos);
    if (r->path)
        UV_SYNC(uv_fs_close, fd);
    r->err_no_path = true;
    return err < 0 ? fail(r, err, "ftruncate") : 0;
}

static int work_fsync(fs_req *r)
{
    uv_fs_t q;
    int err = r->opt ? UV_SYNC(uv_fs_fdatasync, r->fd) : UV_SYNC(uv_fs_fsync, r->fd);
    r->err_no_path = true;
    return err < 0 ? fail(r, err, r->opt ? "fdatasync" : "fsync") : 0;
}

/* utimes(path | fd, atime, mtime), times in seconds; opt: lutimes. */
static int work_utimes(fs_req *r)
{
    uv_fs_t q;
    int err;
    if (!r->path) {
        err = UV_SYNC(uv_fs_futime, r->fd, r->atime, r->mtime);
        r->err_no_path = true;
        return err < 0 ? fail(r, err, "futime") : 0;
    }
    if (r->opt)
        err = UV_SYNC(uv_fs_lutime, r->path, r->atime, r->mtime);
    else
        err = UV_SYNC(uv_fs_utime, r->path, r->atime, r->mtime);
    return err < 0 ? fail(r, err, r->opt ? "lutime" : "utime") : 0;
}

/* ---- bindings ------------------------------------------------------------ */

/* Every binding takes its inputs, then the callback (or nothing). */

#define REQ_OR_FAIL(r) \
    fs_req *r = req_new(ctx); \
    if (!r) \
        return JS_EXCEPTION

/* open(path, flags, mode, cb) -> fd */
static JSValue js_open(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (string_arg(ctx, &r->path, argv[0], "path") < 0 || int_arg(ctx, &r->flags, argv[1], "flags") < 0 ||
        int_arg(ctx, &r->mode, argv[2], "mode") < 0)
        return req_abort(r);
    r->run = work_open;
    r->done = done_n;
    return req_dispatch(ctx, r, argv[3]);
}

/* close(fd, cb) */
static JSValue js_close(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (int_arg(ctx, &r->fd, argv[0], "fd") < 0)
        return req_abort(r);
    r->run = work_close;
    return req_dispatch(ctx, r, argv[1]);
}

/* The bytes [offset, offset + length) of a Uint8Array argument. */
static int range_arg(JSContext *ctx, fs_req *r, JSValueConst buf, JSValueConst off, JSValueConst len)
{
    size_t total;
    unsigned char *p = u8_bytes(ctx, buf, &total);
    if (!p)
        return -1;
    int64_t o, n;
    if (JS_ToInt64(ctx, &o, off) < 0 || JS_ToInt64(ctx, &n, len) < 0)
        return -1;
    if (o < 0 || n < 0 || (uint64_t)o > total || (uint64_t)n > total - (size_t)o || n > INT32_MAX) {
        weft__throw(ctx, "RangeError", "ERR_OUT_OF_RANGE", "The value of \"length\" is out of range.");
        return -1;
    }
    r->target = p + o;
    r->offset = (size_t)o;
    r->len = (size_t)n;
    return 0;
}

/* read(fd, u8, offset, length, position, cb) -> bytesRead */
static JSValue js_read(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (int_arg(ctx, &r->fd, argv[0], "fd") < 0 || range_arg(ctx, r, argv[1], argv[2], argv[3]) < 0 ||
        pos_arg(ctx, &r->pos, argv[4]) < 0)
        return req_abort(r);
    r->run = work_read;
    r->done = done_n;
    if (JS_IsFunction(ctx, argv[5])) {
        /* Read into a private buffer; the bytes are copied on completion. */
        r->data = malloc(r->len ? r->len : 1);
        if (!r->data) {
            req_free(r);
            return JS_ThrowOutOfMemory(ctx);
        }
        r->target = NULL;
        r->buffer = JS_DupValue(ctx, argv[1]);
        r->done = done_read_copy;
    }
    return req_dispatch(ctx, r, argv[5]);
}

/* write(fd, u8, offset, length, position, cb) -> bytesWritten */
static JSValue js_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (int_arg(ctx, &r->fd, argv[0], "fd") < 0 || range_arg(ctx, r, argv[1], argv[2], argv[3]) < 0 ||
        pos_arg(ctx, &r->pos, argv[4]) < 0)
        return req_abort(r);
    r->run = work_write;
    r->done = done_n;
    return req_dispatch(ctx, r, argv[5]);
}

/* A path (string) or a file descriptor (number). */
static int path_or_fd_arg(JSContext *ctx, fs_req *r, JSValueConst v)
{
    if (JS_IsNumber(v))
        return JS_ToInt32(ctx, &r->fd, v);
    return string_arg(ctx, &r->path, v, "path");
}

/* readFile(pathOrFd, flags, cb) -> Uint8Array */
static JSValue js_read_file(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (path_or_fd_arg(ctx, r, argv[0]) < 0 || int_arg(ctx, &r->flags, argv[1], "flags") < 0)
        return req_abort(r);
    r->run = work_read_file;
    r->done = done_bytes;
    return req_dispatch(ctx, r, argv[2]);
}

/* writeFile(pathOrFd, u8, flags, mode, position, cb) */
static JSValue js_write_file(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    size_t len;
    unsigned char *p;
    if (path_or_fd_arg(ctx, r, argv[0]) < 0 || !(p = u8_bytes(ctx, argv[1], &len)) ||
        int_arg(ctx, &r->flags, argv[2], "flags") < 0 || int_arg(ctx, &r->mode, argv[3], "mode") < 0 ||
        pos_arg(ctx, &r->pos, argv[4]) < 0)
        return req_abort(r);
    r->target = p;
    r->len = len;
    r->run = work_write_file;
    return req_dispatch(ctx, r, argv[5]);
}

/* stat(path, bigint, cb), lstat(...), fstat(fd, bigint, cb) -> Float64Array
 * or BigInt64Array of the ST_* fields */
static JSValue js_stat(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic)
{
    REQ_OR_FAIL(r);
    int rc = magic == 2 ? int_arg(ctx, &r->fd, argv[0], "fd") : string_arg(ctx, &r->path, argv[0], "path");
    if (rc < 0)
        return req_abort(r);
    r->opt = JS_ToBool(ctx, argv[1]);
    r->run = magic == 0 ? work_stat : magic == 1 ? work_lstat : work_fstat;
    r->done = done_stat;
    return req_dispatch(ctx, r, argv[2]);
}

/* readdir(path, withFileTypes, cb) -> names | [names, types] */
static JSValue js_readdir(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (string_arg(ctx, &r->path, argv[0], "path") < 0)
        return req_abort(r);
    r->opt = JS_ToBool(ctx, argv[1]);
    r->run = work_readdir;
    r->done = done_readdir;
    return req_dispatch(ctx, r, argv[2]);
}

/* mkdir(path, mode, recursive, cb) -> undefined | first directory made */
static JSValue js_mkdir(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (string_arg(ctx, &r->path, argv[0], "path") < 0 || int_arg(ctx, &r->mode, argv[1], "mode") < 0)
        return req_abort(r);
    r->opt = JS_ToBool(ctx, argv[2]);
    r->run = work_mkdir;
    r->done = done_str;
    return req_dispatch(ctx, r, argv[3]);
}

/* mkdtemp(prefix, cb) -> path */
static JSValue js_mkdtemp(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    char *prefix;
    if (string_arg(ctx, &prefix, argv[0], "prefix") < 0)
        return req_abort(r);
    int rc = asprintf(&r->path, "%sXXXXXX", prefix);
    free(prefix);
    if (rc < 0) {
        r->path = NULL;
        req_free(r);
        return JS_ThrowOutOfMemory(ctx);
    }
    r->run = work_mkdtemp;
    r->done = done_str;
    return req_dispatch(ctx, r, argv[1]);
}

/* One-path operations: rmdir, unlink, rm, readlink. */
static JSValue js_path_op(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic)
{
    static int (*const runs[])(fs_req *) = { work_rmdir, work_unlink, work_rm, work_readlink };
    REQ_OR_FAIL(r);
    if (string_arg(ctx, &r->path, argv[0], "path") < 0)
        return req_abort(r);
    r->run = runs[magic];
    r->done = magic == 3 ? done_str : NULL;
    return req_dispatch(ctx, r, argv[1]);
}

/* Two-path operations: rename(old, new), link(existing, new),
 * symlink(target, path, type), copyFile(src, dest, mode). */
static JSValue js_two_paths(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic)
{
    static int (*const runs[])(fs_req *) = { work_rename, work_link, work_symlink, work_copy_file };
    static const char *const names[][2] = {
        { "oldPath", "newPath" }, { "existingPath", "newPath" }, { "target", "path" }, { "src", "dest" },
    };
    REQ_OR_FAIL(r);
    if (string_arg(ctx, &r->path, argv[0], names[magic][0]) < 0 ||
        string_arg(ctx, &r->dest, argv[1], names[magic][1]) < 0 ||
        (!JS_IsUndefined(argv[2]) && int_arg(ctx, &r->flags, argv[2], "mode") < 0))
        return req_abort(r);
    r->run = runs[magic];
    return req_dispatch(ctx, r, argv[3]);
}

/* realpath(path, native, cb) -> path */
static JSValue js_realpath(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (string_arg(ctx, &r->path, argv[0], "path") < 0)
        return req_abort(r);
    r->opt = JS_ToBool(ctx, argv[1]);
    r->run = work_realpath;
    r->done = done_str;
    return req_dispatch(ctx, r, argv[2]);
}

/* access(path, mode, cb), chmod(path, mode, cb), fchmod(fd, mode, cb) */
static JSValue js_mode_op(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic)
{
    REQ_OR_FAIL(r);
    int rc = magic == 2 ? int_arg(ctx, &r->fd, argv[0], "fd") : string_arg(ctx, &r->path, argv[0], "path");
    if (rc < 0 || int_arg(ctx, &r->mode, argv[1], "mode") < 0)
        return req_abort(r);
    r->run = magic == 0 ? work_access : magic == 1 ? work_chmod : work_fchmod;
    return req_dispatch(ctx, r, argv[2]);
}

/* truncate(pathOrFd, len, cb) */
static JSValue js_truncate(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (path_or_fd_arg(ctx, r, argv[0]) < 0 || pos_arg(ctx, &r->pos, argv[1]) < 0)
        return req_abort(r);
    if (r->pos < 0)
        r->pos = 0;
    r->run = work_truncate;
    return req_dispatch(ctx, r, argv[2]);
}

/* fsync(fd, datasync, cb) */
static JSValue js_fsync(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (int_arg(ctx, &r->fd, argv[0], "fd") < 0)
        return req_abort(r);
    r->opt = JS_ToBool(ctx, argv[1]);
    r->run = work_fsync;
    return req_dispatch(ctx, r, argv[2]);
}

/* utimes(pathOrFd, atime, mtime, lutimes, cb): times in seconds */
static JSValue js_utimes(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    REQ_OR_FAIL(r);
    if (path_or_fd_arg(ctx, r, argv[0]) < 0 || JS_ToFloat64(ctx, &r->atime, argv[1]) < 0 ||
        JS_ToFloat64(ctx, &r->mtime, argv[2]) < 0)
        return req_abort(r);
    r->opt = JS_ToBool(ctx, argv[3]);
    r->run = work_utimes;
    return req_dispatch(ctx, r, argv[4]);
}

/* ---- encodings ----------------------------------------------------------- */

enum { ENC_UTF8, ENC_LATIN1, ENC_ASCII, ENC_UTF16LE, ENC_HEX, ENC_BASE64, ENC_BASE64URL };

static int encoding_arg(JSContext *ctx, JSValueConst v)
{
    static const char *const names[] = {
        [ENC_UTF8] = "utf8", [ENC_LATIN1] = "latin1", [ENC_ASCII] = "ascii", [ENC_UTF16LE] = "utf16le",
        [ENC_HEX] = "hex", [ENC_BASE64] = "base64", [ENC_BASE64URL] = "base64url",
    };
    const char *s = JS_IsString(v) ? JS_ToCString(ctx, v) : NULL;
    int found = -1;
    for (size_t i = 0; s && i < WEFT_COUNTOF(names); i++) {
        if (strcmp(s, names[i]) == 0)
            found = (int)i;
    }
    JS_FreeCString(ctx, s);
    if (found < 0)
        weft__throw(ctx, "TypeError", "ERR_UNKNOWN_ENCODING", "Unknown encoding");
    return found;
}

/* Decodes one code point of (WTF-8) s at *i; lone surrogates come back as
 * themselves, as QuickJS encodes them. */
static uint32_t wtf8_next(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[*i];
    uint32_t cp;
    size_t k;
    if (c < 0x80) {
        cp = c;
        k = 1;
    } else if (c < 0xe0) {
        cp = c & 0x1f;
        k = 2;
    } else if (c < 0xf0) {
        cp = c & 0x0f;
        k = 3;
    } else {
        cp = c & 0x07;
        k = 4;
    }
    if (*i + k > n) {
        *i = n;
        return 0xfffd;
    }
    for (size_t j = 1; j < k; j++)
        cp = (cp << 6) | (s[*i + j] & 0x3f);
    *i += k;
    return cp;
}

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* encode(string, encoding) -> Uint8Array, as Buffer.from(string, encoding) */
static JSValue js_encode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    if (!JS_IsString(argv[0]))
        return weft__throw_arg_type(ctx, "string", "of type string", argv[0]);
    int enc = encoding_arg(ctx, argv[1]);
    if (enc < 0)
        return JS_EXCEPTION;
    size_t n;
    const char *cs = JS_ToCStringLen(ctx, &n, argv[0]);
    if (!cs)
        return JS_EXCEPTION;
    const unsigned char *s = (const unsigned char *)cs;
    /* No encoding makes more bytes than UTF-8 does, save UTF-16 (at most
     * two bytes per UTF-8 byte). */
    unsigned char *out = malloc(n * 2 + 1);
    size_t o = 0;
    if (!out) {
        JS_FreeCString(ctx, cs);
        return JS_ThrowOutOfMemory(ctx);
    }
    switch (enc) {
    case ENC_UTF8:
        memcpy(out, s, n);
        o = n;
        /* A lone surrogate (ED A0..BF xx) becomes U+FFFD, as in Node. */
        for (size_t i = 0; i + 2 < n; i++) {
            if (out[i] == 0xed && out[i + 1] >= 0xa0) {
                memcpy(out + i, "\xef\xbf\xbd", 3);
                i += 2;
            }
        }
        break;
    case ENC_LATIN1:
    case ENC_ASCII:
    case ENC_UTF16LE:
        for (size_t i = 0; i < n;) {
            uint32_t cp = wtf8_next(s, n, &i);
            uint32_t units[2] = { cp, 0 };
            int count = 1;
            if (cp >= 0x10000) {
                units[0] = 0xd800 + ((cp - 0x10000) >> 10);
                units[1] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
                count = 2;
            }
            for (int u = 0; u < count; u++) {
                if (enc == ENC_UTF16LE) {
                    out[o++] = (unsigned char)(units[u] & 0xff);
                    out[o++] = (unsigned char)(units[u] >> 8);
                } else {
                    out[o++] = (unsigned char)(units[u] & 0xff);
                }
            }
        }
        break;
    case ENC_HEX:
        for (size_t i = 0; i + 1 < n; i += 2) {
            int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
            if (hi < 0 || lo < 0)
                break; /* Node stops at the first pair that is not hex */
            out[o++] = (unsigned char)(hi * 16 + lo);
        }
        break;
    default: { /* base64, base64url: either alphabet, other characters skipped */
        uint32_t acc = 0;
        int bits = 0;
        for (size_t i = 0; i < n && s[i] != '='; i++) {
            int v = b64_value(s[i]);
            if (v < 0)
                continue;
            acc = (acc << 6) | (uint32_t)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (unsigned char)(acc >> bits);
                acc &= (1u << bits) - 1;
            }
        }
        break;
    }
    }
    JS_FreeCString(ctx, cs);
    JSValue ab = JS_NewArrayBufferCopy(ctx, out, o);
    free(out);
    return new_u8(ctx, ab);
}

/* decode(u8, encoding) -> string, as buffer.toString(encoding) */
static JSValue js_decode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    size_t n;
    const unsigned char *s = u8_bytes(ctx, argv[0], &n);
    if (!s)
        return JS_EXCEPTION;
    int enc = encoding_arg(ctx, argv[1]);
    if (enc < 0)
        return JS_EXCEPTION;
    if (enc == ENC_UTF8)
        return new_string_utf8(ctx, s, n);
    if (n > SIZE_MAX / 4 - 4)
        return JS_ThrowRangeError(ctx, "string too long");
    /* The text is built as (WTF-8) UTF-8: at most 4/3 bytes per input byte
     * for base64, 3 per byte for latin1/utf16, 2 for hex. */
    unsigned char *out = malloc(n * 3 + 4);
    size_t o = 0;
    if (!out)
        return JS_ThrowOutOfMemory(ctx);
    switch (enc) {
    case ENC_LATIN1:
    case ENC_ASCII:
        for (size_t i = 0; i < n; i++) {
            unsigned c = enc == ENC_ASCII ? (s[i] & 0x7f) : s[i];
            if (c < 0x80) {
                out[o++] = (unsigned char)c;
            } else {
                out[o++] = (unsigned char)(0xc0 | (c >> 6));
                out[o++] = (unsigned char)(0x80 | (c & 0x3f));
            }
        }
        break;
    case ENC_UTF16LE:
        for (size_t i = 0; i + 1 < n; i += 2) {
            uint32_t cp = (uint32_t)s[i] | ((uint32_t)s[i + 1] << 8);
            if (cp >= 0xd800 && cp <= 0xdbff && i + 3 < n) {
                uint32_t lo = (uint32_t)s[i + 2] | ((uint32_t)s[i + 3] << 8);
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    i += 2;
                }
            }
            if (cp < 0x80) {
                out[o++] = (unsigned char)cp;
            } else if (cp < 0x800) {
                out[o++] = (unsigned char)(0xc0 | (cp >> 6));
                out[o++] = (unsigned char)(0x80 | (cp & 0x3f));
            } else if (cp < 0x10000) {
                /* Lone surrogates too: QuickJS reads them back as such. */
                out[o++] = (unsigned char)(0xe0 | (cp >> 12));
                out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
                out[o++] = (unsigned char)(0x80 | (cp & 0x3f));
            } else {
                out[o++] = (unsigned char)(0xf0 | (cp >> 18));
                out[o++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
                out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
                out[o++] = (unsigned char)(0x80 | (cp & 0x3f));
            }
        }
        break;
    case ENC_HEX:
        for (size_t i = 0; i < n; i++) {
            out[o++] = "0123456789abcdef"[s[i] >> 4];
            out[o++] = "0123456789abcdef"[s[i] & 15];
        }
        break;
    default: { /* base64 (padded), base64url (not padded) */
        const char *abc = enc == ENC_BASE64 ? b64_std : b64_url;
        size_t i = 0;
        for (; i + 2 < n; i += 3) {
            uint32_t v = ((uint32_t)s[i] << 16) | ((uint32_t)s[i + 1] << 8) | s[i + 2];
            out[o++] = (unsigned char)abc[v >> 18];
            out[o++] = (unsigned char)abc[(v >> 12) & 63];
            out[o++] = (unsigned char)abc[(v >> 6) & 63];
            out[o++] = (unsigned char)abc[v & 63];
        }
        if (i < n) {
            uint32_t v = (uint32_t)s[i] << 16;
            if (i + 1 < n)
                v |= (uint32_t)s[i + 1] << 8;
            out[o++] = (unsigned char)abc[v >> 18];
            out[o++] = (unsigned char)abc[(v >> 12) & 63];
            if (i + 1 < n)
                out[o++] = (unsigned char)abc[(v >> 6) & 63];
            else if (enc == ENC_BASE64)
                out[o++] = '=';
            if (enc == ENC_BASE64)
                out[o++] = '=';
        }
        break;
    }
    }
    JSValue str = JS_NewStringLen(ctx, (const char *)out, o);
    free(out);
    return str;
}

/* ---- the binding --------------------------------------------------------- */

/* fs.constants, in Node's order, with this system's values. Function lists
 * are instantiated lazily by QuickJS, so a thread that never uses fs pays
 * almost nothing for this binding. */
#define C(name) JS_PROP_INT32_DEF(#name, name, JS_PROP_C_W_E)
static const JSCFunctionListEntry fs_constants[] = {
    JS_PROP_INT32_DEF("UV_FS_SYMLINK_DIR", UV_FS_SYMLINK_DIR, JS_PROP_C_W_E),
    JS_PROP_INT32_DEF("UV_FS_SYMLINK_JUNCTION", UV_FS_SYMLINK_JUNCTION, JS_PROP_C_W_E),
    C(O_RDONLY), C(O_WRONLY), C(O_RDWR),
    C(UV_DIRENT_UNKNOWN), C(UV_DIRENT_FILE), C(UV_DIRENT_DIR), C(UV_DIRENT_LINK),
    C(UV_DIRENT_FIFO), C(UV_DIRENT_SOCKET), C(UV_DIRENT_CHAR), C(UV_DIRENT_BLOCK),
    C(S_IFMT), C(S_IFREG), C(S_IFDIR), C(S_IFCHR), C(S_IFBLK), C(S_IFIFO), C(S_IFLNK), C(S_IFSOCK),
    C(O_CREAT), C(O_EXCL), JS_PROP_INT32_DEF("UV_FS_O_FILEMAP", 0, JS_PROP_C_W_E), C(O_NOCTTY),
    C(O_TRUNC), C(O_APPEND), C(O_DIRECTORY), C(O_NOATIME), C(O_NOFOLLOW), C(O_SYNC), C(O_DSYNC),
    C(O_DIRECT), C(O_NONBLOCK),
    C(S_IRWXU), C(S_IRUSR), C(S_IWUSR), C(S_IXUSR), C(S_IRWXG), C(S_IRGRP), C(S_IWGRP), C(S_IXGRP),
    C(S_IRWXO), C(S_IROTH), C(S_IWOTH), C(S_IXOTH),
    C(F_OK), C(R_OK), C(W_OK), C(X_OK),
    JS_PROP_INT32_DEF("UV_FS_COPYFILE_EXCL", UV_FS_COPYFILE_EXCL, JS_PROP_C_W_E),
    JS_PROP_INT32_DEF("COPYFILE_EXCL", UV_FS_COPYFILE_EXCL, JS_PROP_C_W_E),
    JS_PROP_INT32_DEF("UV_FS_COPYFILE_FICLONE", UV_FS_COPYFILE_FICLONE, JS_PROP_C_W_E),
    JS_PROP_INT32_DEF("COPYFILE_FICLONE", UV_FS_COPYFILE_FICLONE, JS_PROP_C_W_E),
    JS_PROP_INT32_DEF("UV_FS_COPYFILE_FICLONE_FORCE", UV_FS_COPYFILE_FICLONE_FORCE, JS_PROP_C_W_E),
    JS_PROP_INT32_DEF("COPYFILE_FICLONE_FORCE", UV_FS_COPYFILE_FICLONE_FORCE, JS_PROP_C_W_E),
};
#undef C

static const JSCFunctionListEntry fs_funcs[] = {
    JS_CFUNC_DEF("open", 4, js_open),
    JS_CFUNC_DEF("close", 2, js_close),
    JS_CFUNC_DEF("read", 6, js_read),
    JS_CFUNC_DEF("write", 6, js_write),
    JS_CFUNC_DEF("readFile", 3, js_read_file),
    JS_CFUNC_DEF("writeFile", 6, js_write_file),
    JS_CFUNC_MAGIC_DEF("stat", 3, js_stat, 0),
    JS_CFUNC_MAGIC_DEF("lstat", 3, js_stat, 1),
    JS_CFUNC_MAGIC_DEF("fstat", 3, js_stat, 2),
    JS_CFUNC_DEF("readdir", 3, js_readdir),
    JS_CFUNC_DEF("mkdir", 4, js_mkdir),
    JS_CFUNC_DEF("mkdtemp", 2, js_mkdtemp),
    JS_CFUNC_MAGIC_DEF("rmdir", 2, js_path_op, 0),
    JS_CFUNC_MAGIC_DEF("unlink", 2, js_path_op, 1),
    JS_CFUNC_MAGIC_DEF("rm", 2, js_path_op, 2),
    JS_CFUNC_MAGIC_DEF("readlink", 2, js_path_op, 3),
    JS_CFUNC_MAGIC_DEF("rename", 4, js_two_paths, 0),
    JS_CFUNC_MAGIC_DEF("link", 4, js_two_paths, 1),
    JS_CFUNC_MAGIC_DEF("symlink", 4, js_two_paths, 2),
    JS_CFUNC_MAGIC_DEF("copyFile", 4, js_two_paths, 3),
    JS_CFUNC_DEF("realpath", 3, js_realpath),
    JS_CFUNC_MAGIC_DEF("access", 3, js_mode_op, 0),
    JS_CFUNC_MAGIC_DEF("chmod", 3, js_mode_op, 1),
    JS_CFUNC_MAGIC_DEF("fchmod", 3, js_mode_op, 2),
    JS_CFUNC_DEF("truncate", 3, js_truncate),
    JS_CFUNC_DEF("fsync", 3, js_fsync),
    JS_CFUNC_DEF("utimes", 5, js_utimes),
    JS_CFUNC_DEF("encode", 2, js_encode),
    JS_CFUNC_DEF("decode", 2, js_decode),
    JS_OBJECT_DEF("constants", fs_constants, WEFT_COUNTOF(fs_constants), JS_PROP_C_W_E),
};

JSValue weft__binding_fs(JSContext *ctx)
{
    JSValue obj = JS_NewObject(ctx);
    if (!JS_IsException(obj))
        JS_SetPropertyFunctionList(ctx, obj, fs_funcs, WEFT_COUNTOF(fs_funcs));
    return obj;
}
