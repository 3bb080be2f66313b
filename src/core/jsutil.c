#include "core/jsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

JSValue weft__throw(JSContext *ctx, const char *ctor, const char *code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    JSValue global = JS_GetGlobalObject(ctx);
    JSValue ctor_fn = JS_GetPropertyStr(ctx, global, ctor);
    JS_FreeValue(ctx, global);
    JSValue text = JS_NewString(ctx, msg);
    JSValue err = JS_IsException(text) ? JS_EXCEPTION
                                       : JS_CallConstructor(ctx, ctor_fn, 1, (JSValueConst *)&text);
    JS_FreeValue(ctx, text);
    JS_FreeValue(ctx, ctor_fn);
    if (JS_IsException(err))
        return JS_EXCEPTION; /* out of memory: that exception is pending */
    if (code) {
        JS_DefinePropertyValueStr(ctx, err, "code", JS_NewString(ctx, code),
                                  JS_PROP_CONFIGURABLE | JS_PROP_WRITABLE);
    }
    return JS_Throw(ctx, err);
}

void weft__describe_value(JSContext *ctx, JSValueConst v, char *buf, size_t len)
{
    if (JS_IsUndefined(v) || JS_IsNull(v)) {
        snprintf(buf, len, "%s", JS_IsNull(v) ? "null" : "undefined");
        return;
    }
    if (JS_IsFunction(ctx, v)) {
        JSValue name = JS_GetPropertyStr(ctx, v, "name");
        const char *s = JS_ToCString(ctx, name);
        if (s && *s)
            snprintf(buf, len, "function %s", s);
        else
            snprintf(buf, len, "function");
        JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, name);
        return;
    }
    if (JS_IsObject(v)) {
        JSValue ctor = JS_GetPropertyStr(ctx, v, "constructor");
        JSValue name = JS_IsObject(ctor) ? JS_GetPropertyStr(ctx, ctor, "name") : JS_UNDEFINED;
        const char *s = JS_IsString(name) ? JS_ToCString(ctx, name) : NULL;
        if (s && *s)
            snprintf(buf, len, "an instance of %s", s);
        else
            snprintf(buf, len, "an object");
        JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, name);
        JS_FreeValue(ctx, ctor);
        JS_FreeValue(ctx, JS_GetException(ctx)); /* a throwing getter is not our error */
        return;
    }
    const char *type = JS_IsString(v) ? "string" : JS_IsNumber(v) ? "number"
                     : JS_IsBool(v) ? "boolean" : JS_IsBigInt(ctx, v) ? "bigint"
                     : JS_IsSymbol(v) ? "symbol" : "unknown";
    if (JS_IsSymbol(v)) {
        snprintf(buf, len, "type symbol");
        return;
    }
    const char *s = JS_ToCString(ctx, v);
    if (JS_IsString(v))
        snprintf(buf, len, "type string ('%.28s%s')", s ? s : "", s && strlen(s) > 28 ? "..." : "");
    else
        snprintf(buf, len, "type %s (%s%s)", type, s ? s : "?", JS_IsBigInt(ctx, v) ? "n" : "");
    JS_FreeCString(ctx, s);
}

JSValue weft__throw_arg_type(JSContext *ctx, const char *name, const char *expected, JSValueConst got)
{
    char desc[128];
    weft__describe_value(ctx, got, desc, sizeof desc);
    return weft__throw(ctx, "TypeError", "ERR_INVALID_ARG_TYPE",
                       "The \"%s\" argument must be %s. Received %s", name, expected, desc);
}

JSValue weft__throw_syscall(JSContext *ctx, int uv_err, const char *syscall, const char *path)
{
    char msg[1200];
    if (path)
        snprintf(msg, sizeof msg, "%s: %s, %s '%s'", uv_err_name(uv_err), uv_strerror(uv_err), syscall, path);
    else
        snprintf(msg, sizeof msg, "%s: %s, %s", uv_err_name(uv_err), uv_strerror(uv_err), syscall);
    JSValue err = JS_NewError(ctx);
    if (JS_IsException(err))
        return err;
    JS_DefinePropertyValueStr(ctx, err, "message", JS_NewString(ctx, msg), JS_PROP_CONFIGURABLE | JS_PROP_WRITABLE);
    JS_DefinePropertyValueStr(ctx, err, "errno", JS_NewInt32(ctx, uv_err), JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(ctx, err, "code", JS_NewString(ctx, uv_err_name(uv_err)), JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(ctx, err, "syscall", JS_NewString(ctx, syscall), JS_PROP_C_W_E);
    if (path)
        JS_DefinePropertyValueStr(ctx, err, "path", JS_NewString(ctx, path), JS_PROP_C_W_E);
    return JS_Throw(ctx, err);
}

int weft__read_file(const char *path, char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return uv_translate_sys_error(errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return uv_translate_sys_error(e);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return UV_EISDIR;
    }
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    size_t n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return UV_ENOMEM;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                close(fd);
                return UV_ENOMEM;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return uv_translate_sys_error(e);
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int weft__write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd pfd = { .fd = fd, .events = POLLOUT };
                if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
                    return uv_translate_sys_error(errno);
                continue;
            }
            return uv_translate_sys_error(errno);
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

void weft__free_property_enum(JSContext *ctx, JSPropertyEnum *props, uint32_t count)
{
    if (!props)
        return;
    for (uint32_t i = 0; i < count; i++)
        JS_FreeAtom(ctx, props[i].atom);
    js_free(ctx, props);
}

static uv_mutex_t class_id_lock;
static uv_once_t class_id_once = UV_ONCE_INIT;

static void class_id_lock_init(void)
{
    if (uv_mutex_init(&class_id_lock) != 0)
        abort(); /* only fails without resources at start-up */
}

void weft__new_class_id(JSClassID *id)
{
    uv_once(&class_id_once, class_id_lock_init);
    uv_mutex_lock(&class_id_lock);
    JS_NewClassID(id);
    uv_mutex_unlock(&class_id_lock);
}
