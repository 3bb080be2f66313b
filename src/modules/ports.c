/*
 * The "ports" binding: MessagePort objects over core ports (src/core/port.c)
 * and their delivery on the owning thread. weft:internal/threads wraps them in the
 * public MessagePort class; this file keeps the hot path (post, clone,
 * deliver) in C.
 *
 * A started port that is not closed holds a reference to its own object, so
 * that a port waiting for messages is never collected; while it is also
 * ref'd it keeps its thread's loop alive.
 */
#include <stdlib.h>

#include "core/clone.h"
#include "core/jsutil.h"
#include "core/loader.h"
#include "core/port.h"
#include "core/thread.h"
#include "core/vm.h"
#include "modules/native.h"

/* What the handler is called with: handler(kind, value, code). */
enum delivery {
    DELIVER_MESSAGE = 0,
    DELIVER_MESSAGE_ERROR,
    DELIVER_CLOSE,
    DELIVER_ONLINE,
    DELIVER_ERROR,
    DELIVER_EXIT,
};

typedef struct port_object {
    weft_port *port;    /* NULL once transferred away */
    JSContext *ctx;
    JSValue self;       /* JS_UNDEFINED unless started and open */
    JSValue handler;    /* handler(kind, value, code) for everything but data */
    JSValue emitter;    /* data goes to emitter.emit('message', value) */
    JSValue emit;
    bool started;
    bool refed;
    bool closed;
    bool keeping_alive; /* counted in the inbox's keep-alive */
    bool control;       /* a thread's port at its creator: lives until EXIT */
    struct port_object *prev, *next; /* the vm's live port objects */
} port_object;

/* Live port objects of a vm, so that its teardown can let go of the ones
 * still holding themselves alive. */
static void link_object(weft_vm *vm, port_object *po)
{
    po->prev = NULL;
    po->next = vm->ports;
    if (vm->ports)
        ((port_object *)vm->ports)->prev = po;
    vm->ports = po;
}

static void unlink_object(weft_vm *vm, port_object *po)
{
    if (po->prev)
        po->prev->next = po->next;
    else
        vm->ports = po->next;
    if (po->next)
        po->next->prev = po->prev;
}

static JSClassID port_class_id;

static void update_keep_alive(port_object *po)
{
    weft_vm *vm = weft__vm_of(po->ctx);
    bool want = po->started && po->refed && !po->closed && po->port;
    if (want == po->keeping_alive)
        return;
    po->keeping_alive = want;
    if (want)
        weft__inbox_ref(vm->inbox);
    else
        weft__inbox_unref(vm->inbox);
}

/* Drops the self reference: the object may be freed by this call. */
static void release_self(port_object *po)
{
    JSValue self = po->self;
    po->self = JS_UNDEFINED;
    JS_FreeValue(po->ctx, self);
}

static void mark_closed(port_object *po)
{
    po->closed = true;
    update_keep_alive(po);
}

static void port_finalizer(JSRuntime *rt, JSValue val)
{
    port_object *po = JS_GetOpaque(val, port_class_id);
    if (!po)
        return;
    unlink_object(JS_GetRuntimeOpaque(rt), po);
    if (po->port) {
        weft__port_set_user(po->port, NULL);
        weft__port_set_owner(po->port, NULL);
        weft__port_close(po->port);
        weft__port_release(po->port);
    }
    if (po->keeping_alive)
        weft__inbox_unref(((weft_vm *)JS_GetRuntimeOpaque(rt))->inbox);
    JS_FreeValueRT(rt, po->handler);
    JS_FreeValueRT(rt, po->emitter);
    JS_FreeValueRT(rt, po->emit);
    free(po);
}

static void port_mark(JSRuntime *rt, JSValueConst val, JS_MarkFunc *mark)
{
    port_object *po = JS_GetOpaque(val, port_class_id);
    if (po) {
        JS_MarkValue(rt, po->handler, mark);
        JS_MarkValue(rt, po->emitter, mark);
        JS_MarkValue(rt, po->emit, mark);
    }
}

static JSClassDef port_class = {
    "MessagePortHandle",
    .finalizer = port_finalizer,
    .gc_mark = port_mark,
};

/* ---- the port.h functions for JavaScript objects -------------------------- */

static port_object *object_of(JSValueConst val)
{
    return JS_GetOpaque(val, port_class_id);
}

weft_port *weft__port_unwrap(JSContext *ctx, JSValueConst val)
{
    port_object *po = object_of(val);
    return po ? po->port : NULL;
}

bool weft__port_object_is_unusable(JSContext *ctx, JSValueConst val)
{
    port_object *po = object_of(val);
    return po && (!po->port || po->closed);
}

weft_port *weft__port_detach(JSContext *ctx, JSValueConst val)
{
    port_object *po = object_of(val);
    if (!po || !po->port)
        return NULL;
    weft_port *p = po->port;
    weft__port_set_user(p, NULL);
    weft__port_listen(p, false); /* until started where it lands */
    weft__port_set_owner(p, NULL);
    po->port = NULL;
    po->closed = true;
    update_keep_alive(po);
    release_self(po);
    return p;
}

JSValue weft__port_wrap(JSContext *ctx, weft_port *p)
{
    weft_vm *vm = weft__vm_of(ctx);
    if (!vm->weft_loaded) {
        /* A port reached a thread that never imported 'weft': its methods
         * come from the module of its classes. */
        JSValue ns = weft__import_sync(ctx, "weft:internal/threads");
        if (JS_IsException(ns)) {
            weft__port_close(p);
            weft__port_release(p);
            return ns;
        }
        JS_FreeValue(ctx, ns);
    }
    JSValue obj = JS_NewObjectClass(ctx, (int)port_class_id);
    port_object *po = JS_IsException(obj) ? NULL : calloc(1, sizeof *po);
    if (!po) {
        JS_FreeValue(ctx, obj);
        weft__port_close(p);
        weft__port_release(p);
        return JS_IsException(obj) ? obj : JS_ThrowOutOfMemory(ctx);
    }
    po->port = p;
    po->ctx = ctx;
    po->self = JS_UNDEFINED;
    po->handler = JS_UNDEFINED;
    po->emitter = JS_UNDEFINED;
    po->emit = JS_UNDEFINED;
    po->refed = true;
    JS_SetOpaque(obj, po);
    link_object(vm, po);
    weft__port_set_user(p, po);
    weft__port_set_owner(p, weft__vm_of(ctx)->inbox);
    return obj;
}

/* ---- delivery ------------------------------------------------------------- */

static JSValue exit_details(JSContext *ctx, weft_message *m)
{
    JSValue info = JS_NewObject(ctx);
    if (JS_IsException(info))
        return info;
    int reason = m->len > 0 ? m->data[0] : WEFT_STOP_NONE;
    static const char *const names[] = {
        [WEFT_STOP_NONE] = "exit",
        [WEFT_STOP_TERMINATED] = "terminated",
        [WEFT_STOP_OUT_OF_MEMORY] = "out-of-memory",
        [WEFT_STOP_CPU_LIMIT] = "cpu-limit",
    };
    const char *name = reason >= 0 && reason <= WEFT_STOP_CPU_LIMIT ? names[reason] : "exit";
    JS_SetPropertyStr(ctx, info, "reason", JS_NewString(ctx, name));
    if (m->len > 1)
        JS_SetPropertyStr(ctx, info, "message", JS_NewStringLen(ctx, (const char *)m->data + 1, m->len - 1));
    return info;
}

static bool can_go_on(weft_vm *vm, port_object *po)
{
    return !vm->exiting && po->port && !po->closed;
}

/* The single 'message' listener of an EventEmitter, when it has exactly
 * one: Node's layout keeps it as a function in this._events.message. */
static JSValue sole_listener(weft_vm *vm, JSValueConst emitter)
{
    JSValue events = JS_GetProperty(vm->ctx, emitter, vm->atom_events);
    JSValue fn = JS_IsObject(events) ? JS_GetProperty(vm->ctx, events, vm->atom_message) : JS_UNDEFINED;
    JS_FreeValue(vm->ctx, events);
    if (JS_IsFunction(vm->ctx, fn))
        return fn;
    JS_FreeValue(vm->ctx, fn);
    return JS_UNDEFINED;
}

/* The hot path: emitter.emit('message', value), calling a sole listener
 * directly (what emit would do, without its cost in the interpreter). */
static bool deliver_data(weft_vm *vm, port_object *po, JSValue value)
{
    JSContext *ctx = vm->ctx;
    if (vm->thread)
        weft__thread_count_in(vm->thread);
    JSValue emitter = JS_DupValue(ctx, po->emitter);
    JSValue self = JS_DupValue(ctx, po->self);
    JSValue listener = sole_listener(vm, emitter);
    if (JS_IsFunction(ctx, listener)) {
        weft__vm_callback(vm, listener, emitter, 1, (JSValueConst *)&value);
    } else {
        JSValue args[2] = { JS_AtomToString(ctx, vm->atom_message), value };
        JSValue emit = JS_DupValue(ctx, po->emit);
        weft__vm_callback(vm, emit, emitter, 2, args);
        JS_FreeValue(ctx, emit);
        JS_FreeValue(ctx, args[0]);
    }
    JS_FreeValue(ctx, listener);
    JS_FreeValue(ctx, emitter);
    JS_FreeValue(ctx, value);
    bool go_on = can_go_on(vm, po);
    JS_FreeValue(ctx, self);
    return go_on;
}

/* Calls the handler for one message; returns false when delivery must stop
 * (the thread is exiting, or the port was closed or moved by the handler). */
static bool deliver_one(weft_vm *vm, port_object *po, weft_message *m)
{
    JSContext *ctx = vm->ctx;
    int kind;
    JSValue value = JS_UNDEFINED;
    if (m->kind == WEFT_MSG_DATA && JS_IsFunction(ctx, po->emit)) {
        value = weft__clone_read(ctx, m);
        if (!JS_IsException(value))
            return deliver_data(vm, po, value);
    }
    switch (m->kind) {
    case WEFT_MSG_DATA:
    case WEFT_MSG_ERROR:
        if (JS_IsUndefined(value))
            value = weft__clone_read(ctx, m);
        kind = m->kind == WEFT_MSG_DATA ? DELIVER_MESSAGE : DELIVER_ERROR;
        if (JS_IsException(value)) {
            value = JS_GetException(ctx);
            kind = DELIVER_MESSAGE_ERROR;
        }
        if (vm->thread)
            weft__thread_count_in(vm->thread);
        break;
    case WEFT_MSG_CLOSE:
        /* A thread closing its side does not end the creator's view of it:
         * its error and exit notices still follow. */
        if (po->control)
            return true;
        kind = DELIVER_CLOSE;
        mark_closed(po);
        break;
    case WEFT_MSG_ONLINE:
        kind = DELIVER_ONLINE;
        break;
    case WEFT_MSG_EXIT:
        kind = DELIVER_EXIT;
        value = exit_details(ctx, m);
        break;
    default:
        return true;
    }
    JSValue args[3] = { JS_NewInt32(ctx, kind), value, JS_NewInt32(ctx, m->code) };
    JSValue self = JS_DupValue(ctx, po->self);
    JSValue handler = JS_DupValue(ctx, po->handler);
    weft__vm_callback(vm, handler, self, 3, args);
    JS_FreeValue(ctx, handler);
    JS_FreeValue(ctx, value);
    bool go_on = can_go_on(vm, po);
    if (kind == DELIVER_CLOSE)
        release_self(po);
    JS_FreeValue(ctx, self);
    return go_on;
}

/* How many messages a delivery runs between looks at the clock. */
#define TURN_CHECK 64

void weft__ports_deliver(weft_port *p, void *arg)
{
    weft_vm *vm = arg;
    if (!p) {
        /* A wake-up: maybe terminate() asking this thread to stop. */
        if (vm->thread && weft__thread_stop_requested(vm->thread))
            weft__vm_stop(vm, weft__thread_stop_reason(vm->thread));
        return;
    }
    port_object *po = weft__port_user(p);
    if (!po || !po->started || vm->exiting)
        return;
    if (po->closed && !po->control) {
        /* Closed here: what still arrives (the peer's CLOSE) has no one to
         * go to. */
        weft__message_free_list(weft__port_take_all(p, NULL));
        return;
    }
    weft_message *last;
    weft_message *m = weft__port_take_all(p, &last);
    for (unsigned n = 1; m; n++) {
        weft_message *next = m->next;
        m->next = NULL;
        /* The sender wrote the next message on its core: fetch it while
         * this one is delivered. */
        if (next)
            __builtin_prefetch(next);
        bool go_on = deliver_one(vm, po, m);
        weft__message_free(m);
        m = next;
        /* The clock is read every so many messages: a read costs a tenth
         * of a message. */
        if (!go_on || (n % TURN_CHECK == 0 && weft__inbox_turn_over(vm->inbox)))
            break;
    }
    /* Left over: the handler moved the port (they travel with it), the
     * thread's turn is over, or it is exiting; a closed port drops them. */
    if (m && po->port && !po->closed)
        weft__port_requeue(p, m, last);
    else
        weft__message_free_list(m);
}

/* ---- methods -------------------------------------------------------------- */

/* The port object a method is called on (TypeError for anything else). */
static port_object *this_port(JSContext *ctx, JSValueConst this_val)
{
    return JS_GetOpaque2(ctx, this_val, port_class_id);
}

/* post(value, transfer) */
static JSValue port_post(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    port_object *po = this_port(ctx, this_val);
    if (!po)
        return JS_EXCEPTION;
    if (!po->port)
        return weft__throw(ctx, "Error", "ERR_INVALID_STATE", "MessagePort was transferred and can no longer be used");
    /* postMessage(value, [list]) or postMessage(value, { transfer: [list] }) */
    JSValue transfer = JS_UNDEFINED;
    if (JS_IsObject(argv[1]) && !JS_IsArray(ctx, argv[1])) {
        transfer = JS_GetPropertyStr(ctx, argv[1], "transfer");
        if (JS_IsException(transfer))
            return transfer;
    }
    weft_message *m = weft__clone_write(ctx, argv[0], JS_IsUndefined(transfer) ? argv[1] : transfer, po->port);
    JS_FreeValue(ctx, transfer);
    if (!m)
        return JS_EXCEPTION;
    if (po->closed) {
        /* As in Node, posting on a closed port silently does nothing. */
        weft__message_free(m);
        return JS_UNDEFINED;
    }
    weft_vm *vm = weft__vm_of(ctx);
    if (vm->thread)
        weft__thread_count_out(vm->thread);
    weft__port_post(po->port, m);
    return JS_UNDEFINED;
}

/* start(handler, control, emitter): delivery begins. Data goes to
 * emitter.emit('message', value), everything else to handler(kind, value,
 * code); control marks a thread's port at its creator. */
static JSValue port_start(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    port_object *po = this_port(ctx, this_val);
    if (!po)
        return JS_EXCEPTION;
    if (!JS_IsFunction(ctx, argv[0]))
        return weft__throw_arg_type(ctx, "handler", "of type function", argv[0]);
    JS_FreeValue(ctx, po->handler);
    po->handler = JS_DupValue(ctx, argv[0]);
    po->control = po->control || JS_ToBool(ctx, argv[1]);
    if (JS_IsObject(argv[2])) {
        JSValue emit = JS_GetPropertyStr(ctx, argv[2], "emit");
        if (JS_IsException(emit))
            return emit;
        JS_FreeValue(ctx, po->emit);
        JS_FreeValue(ctx, po->emitter);
        po->emit = emit;
        po->emitter = JS_DupValue(ctx, argv[2]);
    }
    if (po->started || !po->port || po->closed)
        return JS_UNDEFINED;
    po->started = true;
    po->self = JS_DupValue(ctx, this_val);
    update_keep_alive(po);
    /* Mail now wakes this thread, including what arrived before the start. */
    weft__port_listen(po->port, true);
    return JS_UNDEFINED;
}

static JSValue port_close(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    port_object *po = this_port(ctx, this_val);
    if (!po)
        return JS_EXCEPTION;
    if (!po->port || po->closed)
        return JS_FALSE;
    weft__port_close(po->port);
    mark_closed(po);
    release_self(po);
    return JS_TRUE;
}

static JSValue port_set_ref(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    port_object *po = this_port(ctx, this_val);
    if (!po)
        return JS_EXCEPTION;
    po->refed = JS_ToBool(ctx, argv[0]);
    update_keep_alive(po);
    return JS_UNDEFINED;
}

static JSValue port_has_ref(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    port_object *po = this_port(ctx, this_val);
    if (!po)
        return JS_EXCEPTION;
    return JS_NewBool(ctx, po->keeping_alive);
}

/* state() -> 'open' | 'closed' | 'transferred' */
static JSValue port_state(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    port_object *po = this_port(ctx, this_val);
    if (!po)
        return JS_EXCEPTION;
    if (!po->port)
        return JS_NewString(ctx, "transferred");
    return JS_NewString(ctx, po->closed || weft__port_is_closed(po->port) ? "closed" : "open");
}

/* receive()'s result once the port is closed: { close: true }. */
static JSValue closed_result(JSContext *ctx)
{
    JSValue result = JS_NewObject(ctx);
    if (!JS_IsException(result) && JS_SetPropertyStr(ctx, result, "close", JS_TRUE) < 0) {
        JS_FreeValue(ctx, result);
        return JS_EXCEPTION;
    }
    return result;
}

/* receive(timeoutMs) -> { message } | { close: true } | undefined (timed out).
 * timeoutMs < 0 waits without limit; 0 only looks. */
static JSValue port_receive(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    port_object *po = this_port(ctx, this_val);
    double timeout;
    if (!po || JS_ToFloat64(ctx, &timeout, argv[0]) < 0)
        return JS_EXCEPTION;
    if (!po->port)
        return weft__throw(ctx, "Error", "ERR_INVALID_STATE", "MessagePort was transferred and can no longer be used");
    weft_vm *vm = weft__vm_of(ctx);
    for (;;) {
        weft_message *m = po->closed ? NULL : weft__port_receive(po->port, timeout);
        if (vm->thread && weft__thread_stop_requested(vm->thread)) {
            if (m)
                weft__port_requeue(po->port, m, m);
            weft__vm_stop(vm, weft__thread_stop_reason(vm->thread));
            return weft__vm_exit(vm, vm->exit_code);
        }
        if (!m) {
            if (!po->closed && !weft__port_is_closed(po->port))
                return JS_UNDEFINED;
            return closed_result(ctx);
        }
        if (m->kind == WEFT_MSG_CLOSE) {
            weft__message_free(m);
            mark_closed(po);
            return closed_result(ctx);
        }
        if (m->kind != WEFT_MSG_DATA) {
            /* Thread control notices belong to the event path. */
            weft__port_requeue(po->port, m, m);
            return JS_UNDEFINED;
        }
        JSValue value = weft__clone_read(ctx, m);
        weft__message_free(m);
        if (vm->thread)
            weft__thread_count_in(vm->thread);
        if (JS_IsException(value))
            return value;
        /* { message }, made as the clone makes message objects. */
        return weft__clone_object_of(ctx, &vm->atom_message, &value, 1);
    }
}

/* Called on a port as `this`: weft:internal/threads' MessagePort methods use them. */
static const JSCFunctionListEntry port_methods[] = {
    JS_CFUNC_DEF("postMessage", 2, port_post),
    JS_CFUNC_DEF("start", 3, port_start),
    JS_CFUNC_DEF("close", 0, port_close),
    JS_CFUNC_DEF("setRef", 1, port_set_ref),
    JS_CFUNC_DEF("hasRef", 0, port_has_ref),
    JS_CFUNC_DEF("state", 0, port_state),
    JS_CFUNC_DEF("receive", 1, port_receive),
};

/* channel() -> [port1, port2] */
static JSValue js_channel(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_port *a, *b;
    int err = weft__port_pair(&a, &b);
    if (err)
        return weft__throw_syscall(ctx, err, "channel", NULL);
    JSValue pa = weft__port_wrap(ctx, a);
    if (JS_IsException(pa)) {
        weft__port_release(b);
        return pa;
    }
    JSValue pb = weft__port_wrap(ctx, b);
    if (JS_IsException(pb)) {
        JS_FreeValue(ctx, pa);
        return pb;
    }
    JSValue arr = JS_NewArray(ctx);
    JS_SetPropertyUint32(ctx, arr, 0, pa);
    JS_SetPropertyUint32(ctx, arr, 1, pb);
    return arr;
}

/* clone(value, transfer): the global structuredClone(), through a message. */
static JSValue js_clone(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_message *m = weft__clone_write(ctx, argv[0], argv[1], NULL);
    if (!m)
        return JS_EXCEPTION;
    JSValue v = weft__clone_read(ctx, m);
    weft__message_free(m);
    return v;
}

/* load(): weft:internal/threads is set up in this thread; ports made from now on
 * need no lazy load. */
static JSValue js_load(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft__vm_of(ctx)->weft_loaded = true;
    return JS_UNDEFINED;
}

static JSValue js_is_port(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return JS_NewBool(ctx, object_of(argv[0]) != NULL);
}

static const JSCFunctionListEntry ports_funcs[] = {
    JS_CFUNC_DEF("channel", 0, js_channel),
    JS_CFUNC_DEF("load", 0, js_load),
    JS_CFUNC_DEF("clone", 2, js_clone),
    JS_CFUNC_DEF("isPort", 1, js_is_port),
    JS_PROP_INT32_DEF("MESSAGE", DELIVER_MESSAGE, 0),
    JS_PROP_INT32_DEF("MESSAGE_ERROR", DELIVER_MESSAGE_ERROR, 0),
    JS_PROP_INT32_DEF("CLOSE", DELIVER_CLOSE, 0),
    JS_PROP_INT32_DEF("ONLINE", DELIVER_ONLINE, 0),
    JS_PROP_INT32_DEF("ERROR", DELIVER_ERROR, 0),
    JS_PROP_INT32_DEF("EXIT", DELIVER_EXIT, 0),
};

/* Port objects are made by C (channels, transfers), so their class has a
 * prototype from the start; weft:internal/threads chains it to its MessagePort class
 * (Object.setPrototypeOf(ports.prototype, MessagePort.prototype)). */
/* Closes every port and takes the first self reference still held, or
 * returns JS_UNDEFINED when none is left. */
static JSValue take_a_self(weft_vm *vm)
{
    for (port_object *po = vm->ports; po; po = po->next) {
        if (po->port && !po->closed) {
            weft__port_close(po->port);
            mark_closed(po);
        }
        if (!JS_IsUndefined(po->self)) {
            JSValue self = po->self;
            po->self = JS_UNDEFINED;
            return self;
        }
    }
    return JS_UNDEFINED;
}

void weft__ports_dispose(weft_vm *vm)
{
    /* Dropping a self reference may free any number of port objects, so
     * each drop starts the walk again; a walk only visits ports up to the
     * next one still holding itself. */
    JSValue self;
    while (!JS_IsUndefined(self = take_a_self(vm)))
        JS_FreeValue(vm->ctx, self);
}

int weft__ports_init(JSContext *ctx)
{
    JSRuntime *rt = JS_GetRuntime(ctx);
    weft__new_class_id(&port_class_id);
    if (!JS_IsRegisteredClass(rt, port_class_id) && JS_NewClass(rt, port_class_id, &port_class) < 0)
        return -1;
    JSValue proto = JS_NewObject(ctx);
    if (JS_IsException(proto))
        return -1;
    JS_SetClassProto(ctx, port_class_id, proto);
    return 0;
}

JSValue weft__binding_ports(JSContext *ctx)
{
    JSValue obj = JS_NewObject(ctx);
    if (JS_IsException(obj))
        return obj;
    JSValue methods = JS_NewObject(ctx);
    if (JS_IsException(methods)) {
        JS_FreeValue(ctx, obj);
        return methods;
    }
    JS_SetPropertyFunctionList(ctx, methods, port_methods, WEFT_COUNTOF(port_methods));
    JS_SetPropertyFunctionList(ctx, obj, ports_funcs, WEFT_COUNTOF(ports_funcs));
    JS_SetPropertyStr(ctx, obj, "methods", methods);
    JS_SetPropertyStr(ctx, obj, "prototype", JS_GetClassProto(ctx, port_class_id));
    return obj;
}
