/*
 * embed: the module 'weft:embed', through which JavaScript threads call the
 * C functions an embedder exposed (weft_runtime_expose, include/weft.h),
 * and the weft_call_* functions those C functions use.
 *
 * A call is a handle (api.h) shared by the calling JavaScript thread and
 * whoever completes it. A synchronous completion, or one that happens while
 * the C function still runs, leaves the result in the call; a later one
 * (an async function's, from any OS thread) posts it, in weft's wire
 * format, on a channel whose other end is a MessagePort of the calling
 * thread: the port's listener settles the promise. So completing never
 * touches the JavaScript thread's engine from another thread.
 */
#include <stdlib.h>
#include <string.h>

#include "core/api.h"
#include "core/clone.h"
#include "core/jsutil.h"
#include "core/port.h"
#include "core/vm.h"
#include "modules/embed.h"

#define EMBED_ID "weft:embed"

typedef enum call_state {
    CALL_RUNNING = 0, /* the C function runs; a completion is kept */
    CALL_PENDING,     /* an async call awaits completion: it is posted */
    CALL_DONE,        /* completed (or a sync call left without a result) */
} call_state;

typedef struct call_arg {
    char *json;       /* NULL: undefined or no JSON form */
    uint8_t *bytes;   /* an ArrayBuffer or view's bytes (copied) */
    size_t len;
    bool is_bytes;
} call_arg;

struct weft_call_s {
    api_handle h;
    uv_mutex_t lock;
    call_state state;
    weft_message *result;    /* kept while RUNNING */
    weft_port *completions;  /* PENDING: where the result goes (a reference) */
    double id;               /* the promise's id in the calling thread */
    uint64_t thread_id;
    int argc;
    call_arg *args;
};

/* ---- per-thread state ----------------------------------------------------- */

typedef struct embed_state {
    JSContext *ctx;
    weft_port *completions; /* the C end; calls post here */
    JSValue port;           /* the JavaScript end (a MessagePort), once made */
    JSValue pending;        /* Map: id -> [resolve, reject] */
    double next_id;
    uint32_t n_pending;
} embed_state;

static JSClassID state_class_id;

static void state_finalizer(JSRuntime *rt, JSValue val)
{
    embed_state *s = JS_GetOpaque(val, state_class_id);
    if (!s)
        return;
    JS_FreeValueRT(rt, s->port);
    JS_FreeValueRT(rt, s->pending);
    if (s->completions) {
        weft__port_close(s->completions);
        weft__port_release(s->completions);
    }
    free(s);
}

static void state_mark(JSRuntime *rt, JSValueConst val, JS_MarkFunc *mark)
{
    embed_state *s = JS_GetOpaque(val, state_class_id);
    if (s) {
        JS_MarkValue(rt, s->port, mark);
        JS_MarkValue(rt, s->pending, mark);
    }
}

static JSClassDef state_class = {
    "WeftEmbedState",
    .finalizer = state_finalizer,
    .gc_mark = state_mark,
};

/* ---- results -------------------------------------------------------------- */

/* The wire message of a completion: { id, ok, value } or { id, ok, message }. */
static weft_message *result_message(double id, bool ok, const char *json, size_t json_len, const void *bytes,
                                    size_t n_bytes, bool is_bytes, const char *error)
{
    wire_buf b;
    weft__wire_init(&b);
    weft__wire_byte(&b, WIRE_OBJECT);
    weft__wire_key(&b, "id");
    weft__wire_byte(&b, WIRE_DOUBLE);
    weft__wire_double(&b, id);
    weft__wire_key(&b, "ok");
    weft__wire_byte(&b, ok ? WIRE_TRUE : WIRE_FALSE);
    if (!ok) {
        weft__wire_key(&b, "message");
        weft__wire_byte(&b, WIRE_STRING);
        weft__wire_string(&b, error, strlen(error));
    } else if (is_bytes) {
        weft__wire_key(&b, "value");
        weft__wire_byte(&b, WIRE_ARRAY_BUFFER);
        weft__wire_string(&b, bytes, n_bytes);
    } else if (json) {
        weft__wire_key(&b, "value");
        if (weft__wire_json(&b, json, json_len) != WEFT_OK) {
            weft__wire_free(&b);
            return NULL; /* the error is set */
        }
    }
    weft__wire_end_props(&b);
    weft_message *m = weft__wire_message(&b);
    if (!m)
        weft__api_fail(WEFT_ENOMEM, "out of memory");
    return m;
}

/* Settles a call with its result message (taken). */
static int complete(weft_call_t *ptr, const char *what, weft_message *(*make)(weft_call_t *c, void *arg), void *arg)
{
    weft_call_t *c = (weft_call_t *)weft__api_acquire(ptr, API_CALL, what);
    if (!c)
        return weft__api_last_code();
    weft_message *m = make(c, arg);
    if (!m) {
        weft__api_release(&c->h);
        return weft__api_last_code();
    }
    int err = WEFT_OK;
    weft_port *post_to = NULL;
    bool done = false;
    uv_mutex_lock(&c->lock);
    if (c->state == CALL_DONE || c->result) {
        err = weft__api_fail(WEFT_ESTATE, "%s: the call was already completed", what);
    } else if (c->state == CALL_RUNNING) {
        c->result = m; /* the calling thread takes it when the function returns */
        m = NULL;
    } else {
        post_to = c->completions;
        c->completions = NULL;
        c->state = CALL_DONE;
        done = true;
    }
    uv_mutex_unlock(&c->lock);
    if (post_to) {
        /* If the thread ended, its channel is closed and this is dropped. */
        weft__port_post(post_to, m);
        weft__port_release(post_to);
        m = NULL;
    }
    weft__message_free(m);
    weft__api_release(&c->h);
    if (done && weft__api_unregister(ptr, API_CALL))
        weft__api_release((api_handle *)ptr); /* the handle is spent */
    return err;
}

typedef struct json_arg {
    const char *json;
    size_t len;
} json_arg;

static weft_message *make_json(weft_call_t *c, void *arg)
{
    json_arg *a = arg;
    return result_message(c->id, true, a->json, a->len, NULL, 0, false, NULL);
}

static weft_message *make_bytes(weft_call_t *c, void *arg)
{
    json_arg *a = arg;
    return result_message(c->id, true, NULL, 0, a->json, a->len, true, NULL);
}

static weft_message *make_error(weft_call_t *c, void *arg)
{
    return result_message(c->id, false, NULL, 0, NULL, 0, false, arg);
}

int weft_call_return_json(weft_call_t *call, const char *json, size_t len)
{
    if (json && len == (size_t)-1)
        len = strlen(json);
    json_arg a = { json, json ? len : 0 };
    return complete(call, "weft_call_return_json", make_json, &a);
}

int weft_call_return_bytes(weft_call_t *call, const void *data, size_t len)
{
    if (!data && len)
        return weft__api_fail(WEFT_EINVAL, "weft_call_return_bytes: data is NULL");
    json_arg a = { data ? data : "", len };
    return complete(call, "weft_call_return_bytes", make_bytes, &a);
}

int weft_call_throw(weft_call_t *call, const char *message)
{
    return complete(call, "weft_call_throw", make_error, (void *)(message ? message : "error in a C function"));
}

/* ---- arguments ------------------------------------------------------------ */

int weft_call_argc(const weft_call_t *ptr)
{
    weft_call_t *c = (weft_call_t *)weft__api_acquire(ptr, API_CALL, "weft_call_argc");
    if (!c)
        return weft__api_last_code();
    int n = c->argc;
    weft__api_release(&c->h);
    return n;
}

/* The borrowed pointers stay valid while the call is live (the caller's
 * duty, as documented), not only while our reference is held. */
const char *weft_call_arg_json(const weft_call_t *ptr, int i)
{
    weft_call_t *c = (weft_call_t *)weft__api_acquire(ptr, API_CALL, "weft_call_arg_json");
    if (!c)
        return NULL;
    const char *json = NULL;
    if (i < 0 || i >= c->argc)
        weft__api_fail(WEFT_EINVAL, "weft_call_arg_json: no argument %d", i);
    else
        json = c->args[i].json;
    weft__api_release(&c->h);
    return json;
}

int weft_call_arg_bytes(const weft_call_t *ptr, int i, const void **data, size_t *len)
{
    weft_call_t *c = (weft_call_t *)weft__api_acquire(ptr, API_CALL, "weft_call_arg_bytes");
    if (!c)
        return weft__api_last_code();
    int err = WEFT_OK;
    if (!data || !len)
        err = weft__api_fail(WEFT_EINVAL, "weft_call_arg_bytes: an out-parameter is NULL");
    else if (i < 0 || i >= c->argc)
        err = weft__api_fail(WEFT_EINVAL, "weft_call_arg_bytes: no argument %d", i);
    else if (!c->args[i].is_bytes)
        err = weft__api_fail(WEFT_ETYPE, "weft_call_arg_bytes: argument %d is not an ArrayBuffer or a view", i);
    else {
        *data = c->args[i].bytes;
        *len = c->args[i].len;
    }
    weft__api_release(&c->h);
    return err;
}

uint64_t weft_call_thread_id(const weft_call_t *ptr)
{
    weft_call_t *c = (weft_call_t *)weft__api_acquire(ptr, API_CALL, "weft_call_thread_id");
    if (!c)
        return 0;
    uint64_t id = c->thread_id;
    weft__api_release(&c->h);
    return id;
}

static void call_destroy(api_handle *h)
{
    weft_call_t *c = (weft_call_t *)h;
    for (int i = 0; i < c->argc; i++) {
        free(c->args[i].json);
        free(c->args[i].bytes);
    }
    free(c->args);
    weft__message_free(c->result);
    if (c->completions)
        weft__port_release(c->completions);
    uv_mutex_destroy(&c->lock);
    free(c);
}

/* The bytes of an ArrayBuffer, SharedArrayBuffer or typed array (copied);
 * 0 when v is none of them, -1 on an exception. */
static int arg_bytes(JSContext *ctx, JSValueConst v, call_arg *a)
{
    if (!JS_IsObject(v))
        return 0;
    size_t len, offset = 0, size;
    uint8_t *p = JS_GetArrayBuffer(ctx, &len, v);
    if (!p) {
        JS_FreeValue(ctx, JS_GetException(ctx)); /* not an ArrayBuffer */
        size_t bpe;
        JSValue buf = JS_GetTypedArrayBuffer(ctx, v, &offset, &len, &bpe);
        if (JS_IsException(buf)) {
            JS_FreeValue(ctx, JS_GetException(ctx)); /* not a typed array */
            return 0;
        }
        p = JS_GetArrayBuffer(ctx, &size, buf);
        JS_FreeValue(ctx, buf);
        if (!p) {
            JS_FreeValue(ctx, JS_GetException(ctx)); /* detached */
            return 0;
        }
        if (offset > size || len > size - offset)
            return 0;
        p += offset;
    }
    a->bytes = malloc(len ? len : 1);
    if (!a->bytes) {
        JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    memcpy(a->bytes, p, len);
    a->len = len;
    a->is_bytes = true;
    return 1;
}

/* Each argument as bytes or JSON text. -1 with an exception pending (a
 * value JSON.stringify rejects: a BigInt, a cycle). */
static int collect_args(JSContext *ctx, weft_call_t *c, int argc, JSValueConst *argv)
{
    c->args = argc ? calloc((size_t)argc, sizeof *c->args) : NULL;
    if (argc && !c->args) {
        JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    c->argc = argc;
    for (int i = 0; i < argc; i++) {
        int r = arg_bytes(ctx, argv[i], &c->args[i]);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        JSValue text = JS_JSONStringify(ctx, argv[i], JS_UNDEFINED, JS_UNDEFINED);
        if (JS_IsException(text))
            return -1;
        if (JS_IsString(text)) {
            size_t n;
            const char *s = JS_ToCStringLen(ctx, &n, text);
            if (s)
                c->args[i].json = strndup(s, n);
            JS_FreeCString(ctx, s);
            if (!c->args[i].json) {
                JS_FreeValue(ctx, text);
                if (s)
                    JS_ThrowOutOfMemory(ctx);
                return -1;
            }
        }
        JS_FreeValue(ctx, text);
    }
    return 0;
}

/* ---- the JavaScript side -------------------------------------------------- */

/* Reads a completion message into [ok, value-or-message]. */
static JSValue read_result(JSContext *ctx, weft_message *m, bool *ok)
{
    JSValue obj = weft__clone_read(ctx, m);
    if (JS_IsException(obj))
        return obj;
    JSValue okv = JS_GetPropertyStr(ctx, obj, "ok");
    *ok = JS_ToBool(ctx, okv);
    JS_FreeValue(ctx, okv);
    JSValue v;
    if (*ok) {
        v = JS_GetPropertyStr(ctx, obj, "value");
    } else {
        JSValue msg = JS_GetPropertyStr(ctx, obj, "message");
        const char *s = JS_ToCString(ctx, msg);
        v = weft__throw(ctx, "Error", "ERR_EMBED_CALL", "%s", s ? s : "error in a C function");
        v = JS_GetException(ctx);
        JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, msg);
    }
    JS_FreeValue(ctx, obj);
    return v;
}

static double result_id(JSContext *ctx, JSValueConst obj)
{
    JSValue idv = JS_GetPropertyStr(ctx, obj, "id");
    double id = -1;
    if (JS_ToFloat64(ctx, &id, idv) < 0)
        JS_FreeValue(ctx, JS_GetException(ctx));
    JS_FreeValue(ctx, idv);
    return id;
}

static JSValue call_method(JSContext *ctx, JSValueConst obj, const char *name, int argc, JSValueConst *argv)
{
    JSValue fn = JS_GetPropertyStr(ctx, obj, name);
    JSValue r = JS_IsException(fn) ? fn : JS_Call(ctx, fn, obj, argc, argv);
    JS_FreeValue(ctx, fn);
    return r;
}

/* The port keeps its thread alive only while calls are pending. */
static void update_ref(embed_state *s)
{
    JSValue r = call_method(s->ctx, s->port, s->n_pending ? "ref" : "unref", 0, NULL);
    if (JS_IsException(r))
        JS_FreeValue(s->ctx, JS_GetException(s->ctx));
    JS_FreeValue(s->ctx, r);
}

/* The completions port's listener: settles the promise of a completion. */
static JSValue on_completion(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                             JSValue *data)
{
    embed_state *s = JS_GetOpaque(data[0], state_class_id);
    if (!s || argc < 1 || !JS_IsObject(argv[0]))
        return JS_UNDEFINED;
    JSValueConst obj = argv[0];
    JSValue key = JS_NewFloat64(ctx, result_id(ctx, obj));
    JSValue fns = call_method(ctx, s->pending, "get", 1, (JSValueConst *)&key);
    JSValue r = call_method(ctx, s->pending, "delete", 1, (JSValueConst *)&key);
    JS_FreeValue(ctx, r);
    JS_FreeValue(ctx, key);
    if (JS_IsException(fns))
        return fns;
    if (!JS_IsObject(fns))
        return JS_UNDEFINED;
    s->n_pending--;
    if (s->n_pending == 0)
        update_ref(s);
    JSValue okv = JS_GetPropertyStr(ctx, obj, "ok");
    bool ok = JS_ToBool(ctx, okv);
    JS_FreeValue(ctx, okv);
    JSValue v;
    if (ok) {
        v = JS_GetPropertyStr(ctx, obj, "value");
    } else {
        JSValue msg = JS_GetPropertyStr(ctx, obj, "message");
        const char *str = JS_ToCString(ctx, msg);
        weft__throw(ctx, "Error", "ERR_EMBED_CALL", "%s", str ? str : "error in a C function");
        v = JS_GetException(ctx);
        JS_FreeCString(ctx, str);
        JS_FreeValue(ctx, msg);
    }
    JSValue settle = JS_GetPropertyUint32(ctx, fns, ok ? 0 : 1);
    r = JS_Call(ctx, settle, JS_UNDEFINED, 1, (JSValueConst *)&v);
    JS_FreeValue(ctx, settle);
    JS_FreeValue(ctx, v);
    JS_FreeValue(ctx, fns);
    return r;
}

/* Makes the completions channel the first time a call has to wait. */
static int ensure_channel(JSContext *ctx, JSValueConst state_obj, embed_state *s)
{
    if (s->completions)
        return 0;
    weft_port *c_end, *js_end;
    if (weft__port_pair(&c_end, &js_end) != 0) {
        JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    JSValue port = weft__port_wrap(ctx, js_end);
    if (JS_IsException(port)) {
        weft__port_release(c_end);
        return -1;
    }
    JSValue listener = JS_NewCFunctionData(ctx, on_completion, 1, 0, 1, &state_obj);
    JSValue args[2] = { JS_NewString(ctx, "message"), listener };
    JSValue r = JS_IsException(listener) ? JS_EXCEPTION : call_method(ctx, port, "on", 2, (JSValueConst *)args);
    JS_FreeValue(ctx, args[0]);
    JS_FreeValue(ctx, listener);
    if (JS_IsException(r)) {
        JS_FreeValue(ctx, port);
        weft__port_release(c_end);
        return -1;
    }
    JS_FreeValue(ctx, r);
    s->completions = c_end;
    s->port = port;
    return 0;
}

/* An exposed function: fn(...args). magic is its index in the runtime's
 * list; data[0] the thread's state. */
static JSValue js_call(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                       JSValue *data)
{
    weft_vm *vm = weft__vm_of(ctx);
    embed_state *s = JS_GetOpaque(data[0], state_class_id);
    if (!s || !vm->embed || (size_t)magic >= vm->embed->n_functions)
        return JS_ThrowInternalError(ctx, "weft:embed: no such function");
    const embed_function *f = &vm->embed->functions[magic];
    weft_call_t *c = calloc(1, sizeof *c);
    if (!c)
        return JS_ThrowOutOfMemory(ctx);
    if (uv_mutex_init(&c->lock) != 0) {
        free(c);
        return JS_ThrowOutOfMemory(ctx);
    }
    c->id = s->next_id++;
    c->thread_id = vm->thread ? weft__thread_id(vm->thread) : 0;
    if (collect_args(ctx, c, argc, argv) < 0) {
        call_destroy(&c->h);
        return JS_EXCEPTION;
    }
    if (weft__api_register(&c->h, API_CALL, call_destroy) != WEFT_OK) {
        call_destroy(&c->h);
        return JS_ThrowOutOfMemory(ctx);
    }
    bool async = f->flags & WEFT_FUNCTION_ASYNC;
    JSValue promise = JS_UNDEFINED, funcs[2] = { JS_UNDEFINED, JS_UNDEFINED };
    if (async) {
        promise = JS_NewPromiseCapability(ctx, funcs);
        if (JS_IsException(promise) || ensure_channel(ctx, data[0], s) < 0) {
            JS_FreeValue(ctx, promise);
            JS_FreeValue(ctx, funcs[0]);
            JS_FreeValue(ctx, funcs[1]);
            if (weft__api_unregister(c, API_CALL))
                weft__api_release(&c->h);
            return JS_EXCEPTION;
        }
    }
    weft__api_retain(&c->h); /* ours, through the function's run */
    f->fn(c, f->opaque);

    uv_mutex_lock(&c->lock);
    weft_message *result = c->result;
    c->result = NULL;
    if (result || !async) {
        c->state = CALL_DONE;
    } else {
        c->state = CALL_PENDING;
        weft__port_retain(s->completions);
        c->completions = s->completions;
    }
    uv_mutex_unlock(&c->lock);
    bool spent = result || !async;
    if (spent && weft__api_unregister(c, API_CALL))
        weft__api_release(&c->h);
    double id = c->id;
    weft__api_release(&c->h);

    if (!async) {
        if (!result)
            return JS_UNDEFINED;
        bool ok;
        JSValue v = read_result(ctx, result, &ok);
        weft__message_free(result);
        if (JS_IsException(v))
            return v;
        return ok ? v : JS_Throw(ctx, v);
    }
    if (result) {
        bool ok;
        JSValue v = read_result(ctx, result, &ok);
        weft__message_free(result);
        if (JS_IsException(v)) {
            ok = false;
            v = JS_GetException(ctx);
        }
        JSValue r = JS_Call(ctx, funcs[ok ? 0 : 1], JS_UNDEFINED, 1, (JSValueConst *)&v);
        JS_FreeValue(ctx, r);
        JS_FreeValue(ctx, v);
    } else {
        /* Wait for the completion: remember the promise's functions. */
        JSValue pair = JS_NewArray(ctx);
        JSValue key = JS_NewFloat64(ctx, id);
        if (!JS_IsException(pair)) {
            JS_SetPropertyUint32(ctx, pair, 0, JS_DupValue(ctx, funcs[0]));
            JS_SetPropertyUint32(ctx, pair, 1, JS_DupValue(ctx, funcs[1]));
        }
        JSValue args[2] = { key, pair };
        JSValue r = JS_IsException(pair) ? pair : call_method(ctx, s->pending, "set", 2, (JSValueConst *)args);
        JS_FreeValue(ctx, pair);
        if (JS_IsException(r)) {
            JS_FreeValue(ctx, promise);
            JS_FreeValue(ctx, funcs[0]);
            JS_FreeValue(ctx, funcs[1]);
            return JS_EXCEPTION;
        }
        JS_FreeValue(ctx, r);
        if (s->n_pending++ == 0)
            update_ref(s);
    }
    JS_FreeValue(ctx, funcs[0]);
    JS_FreeValue(ctx, funcs[1]);
    return promise;
}

/* ---- the module ------------------------------------------------------------ */

bool weft__embed_is_module(const char *id)
{
    return strcmp(id, EMBED_ID) == 0;
}

static int embed_init(JSContext *ctx, JSModuleDef *m)
{
    weft_vm *vm = weft__vm_of(ctx);
    weft__new_class_id(&state_class_id);
    JSRuntime *rt = JS_GetRuntime(ctx);
    if (!JS_IsRegisteredClass(rt, state_class_id) && JS_NewClass(rt, state_class_id, &state_class) < 0)
        return -1;
    JSValue state = JS_NewObjectClass(ctx, (int)state_class_id);
    if (JS_IsException(state))
        return -1;
    embed_state *s = calloc(1, sizeof *s);
    if (!s) {
        JS_FreeValue(ctx, state);
        JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    s->ctx = ctx;
    s->port = JS_UNDEFINED;
    s->pending = JS_UNDEFINED;
    JS_SetOpaque(state, s);
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue map_ctor = JS_GetPropertyStr(ctx, global, "Map");
    JS_FreeValue(ctx, global);
    s->pending = JS_CallConstructor(ctx, map_ctor, 0, NULL);
    JS_FreeValue(ctx, map_ctor);
    if (JS_IsException(s->pending)) {
        s->pending = JS_UNDEFINED;
        JS_FreeValue(ctx, state);
        return -1;
    }
    size_t n = vm->embed ? vm->embed->n_functions : 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const embed_function *f = &vm->embed->functions[i];
        JSValue fn = JS_NewCFunctionData(ctx, js_call, 0, (int)i, 1, (JSValueConst *)&state);
        if (JS_IsException(fn)) {
            rc = -1;
            break;
        }
        JS_DefinePropertyValueStr(ctx, fn, "name", JS_NewString(ctx, f->name), JS_PROP_CONFIGURABLE);
        rc = JS_SetModuleExport(ctx, m, f->name, fn);
    }
    JS_FreeValue(ctx, state);
    return rc;
}

JSModuleDef *weft__embed_module(JSContext *ctx, const char *id)
{
    weft_vm *vm = weft__vm_of(ctx);
    JSModuleDef *m = JS_NewCModule(ctx, id, embed_init);
    if (!m)
        return NULL;
    size_t n = vm->embed ? vm->embed->n_functions : 0;
    for (size_t i = 0; i < n; i++) {
        if (JS_AddModuleExport(ctx, m, vm->embed->functions[i].name) < 0)
            return NULL;
    }
    return m;
}
