/*
 * jsutil: small helpers shared by the C bindings: Node-style errors with a
 * `code`, argument checking, and file reading.
 */
#ifndef WEFT_JSUTIL_H
#define WEFT_JSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "quickjs.h"

#define WEFT_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* Throws a new error of the given constructor ("TypeError", "RangeError",
 * "Error", ...) with a message and, when code is not NULL, a `code` property
 * as Node sets it. Always returns JS_EXCEPTION. */
JSValue weft__throw(JSContext *ctx, const char *ctor, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ERR_INVALID_ARG_TYPE for argument `name`, which should be `expected`. */
JSValue weft__throw_arg_type(JSContext *ctx, const char *name, const char *expected, JSValueConst got);

/* Throws the error for a failed system call: message "<what>: <strerror>",
 * `code` the errno name (ENOENT ...), `errno` negative, `syscall` and `path`. */
JSValue weft__throw_syscall(JSContext *ctx, int uv_err, const char *syscall, const char *path);

/* Reads a whole file. On success *out is NUL-terminated, owned by the caller
 * (free()) and *len its length; on failure returns a negative uv error. */
int weft__read_file(const char *path, char **out, size_t *len);

/* Writes all of buf to fd, waiting when the fd is non-blocking. */
int weft__write_all(int fd, const void *buf, size_t len);

/* Describes a value the way Node's ERR_INVALID_ARG_TYPE does ("type number
 * (42)", "an instance of Array", "undefined") into buf. */
void weft__describe_value(JSContext *ctx, JSValueConst v, char *buf, size_t len);

/* Frees what JS_GetOwnPropertyNames returned (NULL is ignored). */
void weft__free_property_enum(JSContext *ctx, JSPropertyEnum *props, uint32_t count);

/* JS_NewClassID for class ids shared by every thread: QuickJS allocates
 * them from an unguarded global counter. */
void weft__new_class_id(JSClassID *id);

#endif
