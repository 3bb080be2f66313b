/*
 * The "timers" binding: a Timer class over uv_timer_t, and the check/idle
 * handle pair that runs setImmediate callbacks once per loop iteration.
 * weft:internal/timers builds Node's Timeout objects and queues on these.
 *
 * Lifetime: a started timer holds a reference to its own JavaScript object,
 * so an active timer is never collected; a stopped one is, and its finalizer
 * closes the uv handle. The C struct lives until both the object is gone and
 * the handle is closed.
 */
#include <stdlib.h>

#include "core/jsutil.h"
#include "core/vm.h"
#include "modules/native.h"

typedef struct weft_timer {
    weft_handle base; /* handle.data points here */
    uv_timer_t handle;
    JSContext *ctx;
    JSValue self;     /* JS_UNDEFINED unless started */
    JSValue callback;
    bool object_gone;
    bool handle_gone;
} weft_timer;

static JSClassID timer_class_id;

static void timer_release(weft_timer *t)
{
    JSValue self = t->self;
    t->self = JS_UNDEFINED;
    JS_FreeValue(t->ctx, self); /* may finalize the object: nothing after this */
}

static void timer_on_close(uv_handle_t *handle)
{
    weft_timer *t = handle->data;
    t->handle_gone = true;
    if (t->object_gone)
        free(t);
}

/* Loop shutdown: the handle goes first, the object with the runtime. */
static void timer_dispose(weft_handle *h)
{
    weft_timer *t = (weft_timer *)h;
    JSValue cb = t->callback;
    t->callback = JS_UNDEFINED;
    uv_close((uv_handle_t *)&t->handle, timer_on_close);
    JS_FreeValue(t->ctx, cb);
    timer_release(t);
}

static void timer_finalizer(JSRuntime *rt, JSValue val)
{
    weft_timer *t = JS_GetOpaque(val, timer_class_id);
    if (!t)
        return;
    JS_FreeValueRT(rt, t->callback);
    t->callback = JS_UNDEFINED;
    t->object_gone = true;
    if (t->handle_gone)
        free(t);
    else if (!uv_is_closing((uv_handle_t *)&t->handle))
        uv_close((uv_handle_t *)&t->handle, timer_on_close);
}

static void timer_mark(JSRuntime *rt, JSValueConst val, JS_MarkFunc *mark)
{
    weft_timer *t = JS_GetOpaque(val, timer_class_id);
    if (t)
        JS_MarkValue(rt, t->callback, mark);
}

static JSClassDef timer_class = {
    "Timer",
    .finalizer = timer_finalizer,
    .gc_mark = timer_mark,
};

static void timer_fire(uv_timer_t *handle)
{
    weft_timer *t = handle->data;
    weft_vm *vm = weft__vm_of(t->ctx);
    /* Keep the object alive through the callback even if it stops itself. */
    JSValue self = JS_DupValue(t->ctx, t->self);
    JSValue cb = JS_DupValue(t->ctx, t->callback);
    if (uv_timer_get_repeat(handle) == 0)
        timer_release(t);
    weft__vm_callback(vm, cb, self, 0, NULL);
    JS_FreeValue(t->ctx, cb);
    JS_FreeValue(t->ctx, self);
}

static weft_timer *timer_get(JSContext *ctx, JSValueConst this_val)
{
    weft_timer *t = JS_GetOpaque2(ctx, this_val, timer_class_id);
    if (t && t->handle_gone) {
        weft__throw(ctx, "Error", "ERR_INVALID_STATE", "timer is closed");
        return NULL;
    }
    return t;
}

static JSValue timer_ctor(JSContext *ctx, JSValueConst new_target, int argc, JSValueConst *argv)
{
    if (!JS_IsFunction(ctx, argv[0]))
        return weft__throw_arg_type(ctx, "callback", "of type function", argv[0]);
    uv_loop_t *loop = weft__vm_loop(weft__vm_of(ctx));
    if (!loop)
        return JS_EXCEPTION;
    JSValue obj = JS_NewObjectClass(ctx, (int)timer_class_id);
    if (JS_IsException(obj))
        return obj;
    weft_timer *t = calloc(1, sizeof *t);
    if (!t) {
        JS_FreeValue(ctx, obj);
        return JS_ThrowOutOfMemory(ctx);
    }
    int err = uv_timer_init(loop, &t->handle);
    if (err) {
        free(t);
        JS_FreeValue(ctx, obj);
        return weft__throw_syscall(ctx, err, "uv_timer_init", NULL);
    }
    t->base.dispose = timer_dispose;
    t->handle.data = t;
    t->ctx = ctx;
    t->self = JS_UNDEFINED;
    t->callback = JS_DupValue(ctx, argv[0]);
    JS_SetOpaque(obj, t);
    return obj;
}

/* start(delayMs, repeatMs) */
static JSValue timer_start(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_timer *t = timer_get(ctx, this_val);
    double delay, repeat;
    if (!t || JS_ToFloat64(ctx, &delay, argv[0]) < 0 || JS_ToFloat64(ctx, &repeat, argv[1]) < 0)
        return JS_EXCEPTION;
    int err = uv_timer_start(&t->handle, timer_fire, (uint64_t)delay, (uint64_t)repeat);
    if (err)
        return weft__throw_syscall(ctx, err, "uv_timer_start", NULL);
    if (JS_IsUndefined(t->self))
        t->self = JS_DupValue(ctx, this_val);
    return JS_UNDEFINED;
}

static JSValue timer_stop(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_timer *t = JS_GetOpaque2(ctx, this_val, timer_class_id);
    if (!t)
        return JS_EXCEPTION;
    if (!t->handle_gone) {
        uv_timer_stop(&t->handle);
        timer_release(t);
    }
    return JS_UNDEFINED;
}

/* setRef(bool): whether this timer keeps the loop alive. */
static JSValue timer_set_ref(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_timer *t = timer_get(ctx, this_val);
    if (!t)
        return JS_EXCEPTION;
    if (JS_ToBool(ctx, argv[0]))
        uv_ref((uv_handle_t *)&t->handle);
    else
        uv_unref((uv_handle_t *)&t->handle);
    return JS_UNDEFINED;
}

static JSValue timer_has_ref(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_timer *t = timer_get(ctx, this_val);
    if (!t)
        return JS_EXCEPTION;
    return JS_NewBool(ctx, uv_has_ref((uv_handle_t *)&t->handle));
}

static const JSCFunctionListEntry timer_proto_funcs[] = {
    JS_CFUNC_DEF("start", 2, timer_start),
    JS_CFUNC_DEF("stop", 0, timer_stop),
    JS_CFUNC_DEF("setRef", 1, timer_set_ref),
    JS_CFUNC_DEF("hasRef", 0, timer_has_ref),
};

/* ---- immediates --------------------------------------------------------- */

/* One per vm: `check` runs the queue after I/O; `idle` keeps the loop from
 * blocking in poll while immediates wait. */
typedef struct weft_immediates {
    weft_handle base;
    uv_check_t check;
    uv_idle_t idle;
    JSContext *ctx;
    JSValue run; /* weft:internal/timers' queue runner */
    int closing;
} weft_immediates;

static void immediates_on_close(uv_handle_t *handle)
{
    weft_immediates *im = handle->data;
    if (--im->closing == 0)
        free(im);
}

static void immediates_dispose(weft_handle *h)
{
    weft_immediates *im = (weft_immediates *)h;
    JS_FreeValue(im->ctx, im->run);
    im->run = JS_UNDEFINED;
    im->closing = 2;
    uv_close((uv_handle_t *)&im->check, immediates_on_close);
    uv_close((uv_handle_t *)&im->idle, immediates_on_close);
}

static void immediates_fire(uv_check_t *handle)
{
    weft_immediates *im = handle->data;
    weft__vm_callback(weft__vm_of(im->ctx), im->run, JS_UNDEFINED, 0, NULL);
}

static void idle_noop(uv_idle_t *handle)
{
}

/* setImmediateCallback(run): the function called when immediates are due. */
static JSValue js_set_immediate_callback(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_vm *vm = weft__vm_of(ctx);
    if (!JS_IsFunction(ctx, argv[0]))
        return weft__throw_arg_type(ctx, "callback", "of type function", argv[0]);
    if (vm->immediates)
        return weft__throw(ctx, "Error", "ERR_INVALID_STATE", "immediate callback already set");
    uv_loop_t *loop = weft__vm_loop(vm);
    if (!loop)
        return JS_EXCEPTION;
    weft_immediates *im = calloc(1, sizeof *im);
    if (!im)
        return JS_ThrowOutOfMemory(ctx);
    uv_check_init(loop, &im->check);
    uv_idle_init(loop, &im->idle);
    im->base.dispose = immediates_dispose;
    im->check.data = im;
    im->idle.data = im;
    im->ctx = ctx;
    im->run = JS_DupValue(ctx, argv[0]);
    vm->immediates = im;
    return JS_UNDEFINED;
}

/* toggleImmediates(pending, refed): pending starts the check handle; refed
 * says whether any pending immediate keeps the loop alive. */
static JSValue js_toggle_immediates(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_immediates *im = weft__vm_of(ctx)->immediates;
    if (!im)
        return weft__throw(ctx, "Error", "ERR_INVALID_STATE", "no immediate callback");
    bool pending = JS_ToBool(ctx, argv[0]), refed = JS_ToBool(ctx, argv[1]);
    if (pending) {
        uv_check_start(&im->check, immediates_fire);
        uv_idle_start(&im->idle, idle_noop);
    } else {
        uv_check_stop(&im->check);
        uv_idle_stop(&im->idle);
    }
    if (refed) {
        uv_ref((uv_handle_t *)&im->check);
        uv_ref((uv_handle_t *)&im->idle);
    } else {
        uv_unref((uv_handle_t *)&im->check);
        uv_unref((uv_handle_t *)&im->idle);
    }
    return JS_UNDEFINED;
}

/* The loop's cached time in ms, the base of timer due times. */
static JSValue js_loop_now(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    uv_loop_t *loop = weft__vm_loop(weft__vm_of(ctx));
    return loop ? JS_NewFloat64(ctx, (double)uv_now(loop)) : JS_EXCEPTION;
}

static const JSCFunctionListEntry timers_funcs[] = {
    JS_CFUNC_DEF("setImmediateCallback", 1, js_set_immediate_callback),
    JS_CFUNC_DEF("toggleImmediates", 2, js_toggle_immediates),
    JS_CFUNC_DEF("now", 0, js_loop_now),
};

JSValue weft__binding_timers(JSContext *ctx)
{
    JSRuntime *rt = JS_GetRuntime(ctx);
    weft__new_class_id(&timer_class_id);
    if (!JS_IsRegisteredClass(rt, timer_class_id) && JS_NewClass(rt, timer_class_id, &timer_class) < 0)
        return JS_EXCEPTION;
    JSValue proto = JS_NewObject(ctx);
    if (JS_IsException(proto))
        return proto;
    JS_SetPropertyFunctionList(ctx, proto, timer_proto_funcs, WEFT_COUNTOF(timer_proto_funcs));
    JSValue ctor = JS_NewCFunction2(ctx, timer_ctor, "Timer", 1, JS_CFUNC_constructor, 0);
    if (JS_IsException(ctor)) {
        JS_FreeValue(ctx, proto);
        return ctor;
    }
    JS_SetConstructor(ctx, ctor, proto);
    JS_SetClassProto(ctx, timer_class_id, proto);

    JSValue obj = JS_NewObject(ctx);
    if (JS_IsException(obj)) {
        JS_FreeValue(ctx, ctor);
        return obj;
    }
    JS_SetPropertyFunctionList(ctx, obj, timers_funcs, WEFT_COUNTOF(timers_funcs));
    JS_SetPropertyStr(ctx, obj, "Timer", ctor);
    return obj;
}
