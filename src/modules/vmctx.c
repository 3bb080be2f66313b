/*
 * The "vm" binding: new JavaScript contexts (realms) in the thread's own
 * runtime, for Node's vm module (weft:node/vm), and weft__vm_context_of for
 * C code that needs the JSContext of a contextified object.
 *
 * A context is a JSContext made with JS_NewContext on the vm's JSRuntime: it
 * has the standard intrinsics and weft's engine-level fixes (interruptible
 * Atomics.wait/notify, stack-overflow errors as RangeError, the MessagePort
 * class slot), and none of weft's globals (console, process, timers, ...):
 * code in it sees what the sandbox object gives it. It shares the thread's
 * loop, microtask queue, limits and termination.
 *
 * Lifetime: a context is reachable from JavaScript only through its holder
 * object (class VMContext), which the sandbox carries under a symbol
 * property. The holder keeps the context alive through `anchor`, a function
 * made in the context: functions hold their realm, and the garbage collector
 * sees that edge. So a context, its global, the sandbox and the holder form
 * an ordinary cycle that QuickJS collects when nothing else holds it; no
 * reference to a JSContext is ever held where the collector cannot see it,
 * which would leak the whole cycle (and assert at runtime teardown).
 *
 * The symbol is made once per runtime and kept in a class-prototype slot of
 * every context (slots are per context, and a class nobody instantiates has
 * a slot free for this), so that any context of the thread finds it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/jsutil.h"
#include "core/vm.h"
#include "modules/native.h"

typedef struct vm_context {
    JSContext *ctx; /* kept alive by anchor */
    JSValue anchor; /* a function of ctx: its realm reference holds ctx */
} vm_context;

typedef struct vm_script {
    JSContext *ctx; /* the realm the code was compiled in, held by code */
    JSValue code;   /* compiled global code (JS_TAG_FUNCTION_BYTECODE) */
} vm_script;

static JSClassID context_class_id, script_class_id, key_class_id;

static void context_finalizer(JSRuntime *rt, JSValue val)
{
    vm_context *c = JS_GetOpaque(val, context_class_id);
    if (c) {
        JS_FreeValueRT(rt, c->anchor);
        free(c);
    }
}

static void context_mark(JSRuntime *rt, JSValueConst val, JS_MarkFunc *mark)
{
    vm_context *c = JS_GetOpaque(val, context_class_id);
    if (c)
        JS_MarkValue(rt, c->anchor, mark);
}

static void script_finalizer(JSRuntime *rt, JSValue val)
{
    vm_script *s = JS_GetOpaque(val, script_class_id);
    if (s) {
        JS_FreeValueRT(rt, s->code);
        free(s);
    }
}

static void script_mark(JSRuntime *rt, JSValueConst val, JS_MarkFunc *mark)
{
    vm_script *s = JS_GetOpaque(val, script_class_id);
    if (s)
        JS_MarkValue(rt, s->code, mark);
}

static JSClassDef context_class = { "VMContext", .finalizer = context_finalizer, .gc_mark = context_mark };
static JSClassDef script_class = { "VMScript", .finalizer = script_finalizer, .gc_mark = script_mark };
/* Never instantiated: its per-context prototype slot holds the key symbol. */
static JSClassDef key_class = { "VMContextKey" };

static int register_classes(JSRuntime *rt)
{
    weft__new_class_id(&context_class_id);
    weft__new_class_id(&script_class_id);
    weft__new_class_id(&key_class_id);
    if (!JS_IsRegisteredClass(rt, context_class_id) && JS_NewClass(rt, context_class_id, &context_class) < 0)
        return -1;
    if (!JS_IsRegisteredClass(rt, script_class_id) && JS_NewClass(rt, script_class_id, &script_class) < 0)
        return -1;
    if (!JS_IsRegisteredClass(rt, key_class_id) && JS_NewClass(rt, key_class_id, &key_class) < 0)
        return -1;
    return 0;
}

/* The symbol under which a sandbox holds its context's holder; JS_UNDEFINED
 * when this context never had one made (no context exists then). */
static JSValue context_key(JSContext *ctx)
{
    if (!JS_IsRegisteredClass(JS_GetRuntime(ctx), key_class_id))
        return JS_UNDEFINED;
    JSValue key = JS_GetClassProto(ctx, key_class_id);
    if (JS_IsSymbol(key))
        return key;
    JS_FreeValue(ctx, key);
    return JS_UNDEFINED;
}

/* Makes the key symbol of ctx if it has none. */
static JSValue ensure_context_key(JSContext *ctx)
{
    JSValue key = context_key(ctx);
    if (!JS_IsUndefined(key))
        return key;
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue symbol_fn = JS_GetPropertyStr(ctx, global, "Symbol");
    JS_FreeValue(ctx, global);
    JSValue desc = JS_NewString(ctx, "weft.vm.context");
    key = JS_IsException(desc) ? JS_EXCEPTION : JS_Call(ctx, symbol_fn, JS_UNDEFINED, 1, (JSValueConst *)&desc);
    JS_FreeValue(ctx, desc);
    JS_FreeValue(ctx, symbol_fn);
    if (JS_IsException(key))
        return key;
    if (!JS_IsSymbol(key)) {
        JS_FreeValue(ctx, key);
        return weft__throw(ctx, "Error", "ERR_INTERNAL_ASSERTION", "Symbol() did not make a symbol");
    }
    JS_SetClassProto(ctx, key_class_id, JS_DupValue(ctx, key));
    return key;
}

/* The holder that obj carries, or JS_UNDEFINED; JS_EXCEPTION if looking
 * threw (a proxy's trap). */
static JSValue holder_of(JSContext *ctx, JSValueConst obj)
{
    if (!JS_IsObject(obj))
        return JS_UNDEFINED;
    if (JS_GetOpaque(obj, context_class_id))
        return JS_DupValue(ctx, obj);
    JSValue key = context_key(ctx);
    if (JS_IsUndefined(key))
        return JS_UNDEFINED;
    JSAtom atom = JS_ValueToAtom(ctx, key);
    JS_FreeValue(ctx, key);
    if (atom == JS_ATOM_NULL)
        return JS_EXCEPTION;
    JSPropertyDescriptor desc;
    int found = JS_GetOwnProperty(ctx, &desc, obj, atom);
    JS_FreeAtom(ctx, atom);
    if (found < 0)
        return JS_EXCEPTION;
    if (!found)
        return JS_UNDEFINED;
    JS_FreeValue(ctx, desc.getter);
    JS_FreeValue(ctx, desc.setter);
    if (!JS_GetOpaque(desc.value, context_class_id)) {
        JS_FreeValue(ctx, desc.value);
        return JS_UNDEFINED;
    }
    return desc.value;
}

JSContext *weft__vm_context_of(JSContext *ctx, JSValueConst contextified)
{
    JSValue holder = holder_of(ctx, contextified);
    if (JS_IsException(holder)) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return NULL;
    }
    vm_context *c = JS_GetOpaque(holder, context_class_id);
    JS_FreeValue(ctx, holder); /* the sandbox still holds it */
    return c ? c->ctx : NULL;
}

static JSValue js_noop(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return JS_UNDEFINED;
}

/* weft:internal/bootstrap makes QuickJS's InternalError (stack overflow) a
 * RangeError; a new context gets the same. */
static int internal_error_as_range_error(JSContext *c)
{
    JSValue global = JS_GetGlobalObject(c);
    JSValue ie = JS_GetPropertyStr(c, global, "InternalError");
    JSValue re = JS_GetPropertyStr(c, global, "RangeError");
    JSValue ie_proto = JS_GetPropertyStr(c, ie, "prototype");
    JSValue re_proto = JS_GetPropertyStr(c, re, "prototype");
    int rc = -1;
    if (JS_IsObject(ie_proto) && JS_IsObject(re_proto) && JS_SetPrototype(c, ie_proto, re_proto) >= 0 &&
        JS_DefinePropertyValueStr(c, ie_proto, "name", JS_NewString(c, "RangeError"),
                                  JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) >= 0 &&
        JS_DefinePropertyValueStr(c, ie, "name", JS_NewString(c, "RangeError"), JS_PROP_CONFIGURABLE) >= 0)
        rc = 0;
    JS_FreeValue(c, re_proto);
    JS_FreeValue(c, ie_proto);
    JS_FreeValue(c, re);
    JS_FreeValue(c, ie);
    JS_FreeValue(c, global);
    return rc;
}

/* A new context with weft's per-context set-up. On failure returns NULL
 * with an exception pending in ctx. */
static JSContext *new_context(JSContext *ctx, JSValueConst key)
{
    JSContext *c = JS_NewContext(JS_GetRuntime(ctx));
    if (!c) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    /* Everything weft's C side does with a context starts from its vm. */
    JS_SetContextOpaque(c, weft__vm_of(ctx));
    JS_SetClassProto(c, key_class_id, JS_DupValue(c, key));
    if (weft__atomics_install(c) < 0 || weft__ports_init(c) < 0 || internal_error_as_range_error(c) < 0) {
        /* An exception raised in c is the runtime's: it stays pending. */
        JS_FreeContext(c);
        return NULL;
    }
    return c;
}

/* createContext(sandbox) -> holder; the sandbox gets the holder under the
 * key symbol (not enumerable, not writable, not configurable). */
static JSValue js_create_context(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    JSValueConst sandbox = argv[0];
    if (!JS_IsObject(sandbox))
        return weft__throw_arg_type(ctx, "contextObject", "of type object", sandbox);
    if (register_classes(JS_GetRuntime(ctx)) < 0)
        return JS_EXCEPTION;
    JSValue key = ensure_context_key(ctx);
    if (JS_IsException(key))
        return key;
    JSValue holder = JS_NewObjectClass(ctx, (int)context_class_id);
    vm_context *c = JS_IsException(holder) ? NULL : calloc(1, sizeof *c);
    if (!c) {
        JS_FreeValue(ctx, key);
        if (JS_IsException(holder))
            return holder;
        JS_FreeValue(ctx, holder);
        return JS_ThrowOutOfMemory(ctx);
    }
    c->anchor = JS_UNDEFINED;
    JS_SetOpaque(holder, c); /* from here the finalizer frees c */
    JSContext *nc = new_context(ctx, key);
    if (!nc) {
        JS_FreeValue(ctx, key);
        JS_FreeValue(ctx, holder);
        return JS_EXCEPTION;
    }
    c->anchor = JS_NewCFunction(nc, js_noop, "anchor", 0);
    /* The anchor now holds the context; our own reference goes. */
    JS_FreeContext(nc);
    if (JS_IsException(c->anchor)) {
        c->anchor = JS_UNDEFINED;
        JS_FreeValue(ctx, key);
        JS_FreeValue(ctx, holder);
        return JS_EXCEPTION;
    }
    c->ctx = nc;
    JSAtom atom = JS_ValueToAtom(ctx, key);
    JS_FreeValue(ctx, key);
    int rc = atom == JS_ATOM_NULL ? -1
           : JS_DefinePropertyValue(ctx, sandbox, atom, JS_DupValue(ctx, holder), JS_PROP_THROW);
    JS_FreeAtom(ctx, atom);
    if (rc < 0) {
        JS_FreeValue(ctx, holder);
        return JS_EXCEPTION;
    }
    return holder;
}

/* contextOf(obj) -> holder | undefined */
static JSValue js_context_of(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return holder_of(ctx, argv[0]);
}

static vm_context *context_arg(JSContext *ctx, JSValueConst v)
{
    vm_context *c = JS_GetOpaque(v, context_class_id);
    if (!c)
        weft__throw_arg_type(ctx, "contextifiedObject", "an vm.Context", v);
    return c;
}

/* global(holder) -> the context's global object */
static JSValue js_global(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    vm_context *c = context_arg(ctx, argv[0]);
    return c ? JS_GetGlobalObject(c->ctx) : JS_EXCEPTION;
}

/* compile(holder | null, source, filename) -> script: global code compiled
 * in the holder's context, or in this one. A SyntaxError is thrown. */
static JSValue js_compile(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    JSContext *target = ctx;
    if (register_classes(JS_GetRuntime(ctx)) < 0)
        return JS_EXCEPTION;
    if (!JS_IsNull(argv[0]) && !JS_IsUndefined(argv[0])) {
        vm_context *c = context_arg(ctx, argv[0]);
        if (!c)
            return JS_EXCEPTION;
        target = c->ctx;
    }
    if (!JS_IsString(argv[1]))
        return weft__throw_arg_type(ctx, "code", "of type string", argv[1]);
    if (!JS_IsString(argv[2]))
        return weft__throw_arg_type(ctx, "options.filename", "of type string", argv[2]);
    JSValue obj = JS_NewObjectClass(ctx, (int)script_class_id);
    if (JS_IsException(obj))
        return obj;
    vm_script *s = calloc(1, sizeof *s);
    if (!s) {
        JS_FreeValue(ctx, obj);
        return JS_ThrowOutOfMemory(ctx);
    }
    s->code = JS_UNDEFINED;
    JS_SetOpaque(obj, s);
    size_t len;
    const char *source = JS_ToCStringLen(ctx, &len, argv[1]);
    const char *filename = source ? JS_ToCString(ctx, argv[2]) : NULL;
    JSValue code = JS_EXCEPTION;
    if (source && filename)
        code = JS_Eval(target, source, len, filename, JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_COMPILE_ONLY);
    JS_FreeCString(ctx, filename);
    JS_FreeCString(ctx, source);
    if (JS_IsException(code)) {
        JS_FreeValue(ctx, obj);
        return code;
    }
    s->ctx = target;
    s->code = code;
    return obj;
}

/* run(script) -> the completion value of the script's code, run in the
 * context it was compiled in with that context's global as `this`. */
static JSValue js_run(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    vm_script *s = JS_GetOpaque2(ctx, argv[0], script_class_id);
    if (!s)
        return JS_EXCEPTION;
    return JS_EvalFunction(s->ctx, JS_DupValue(ctx, s->code));
}

/* key() -> the symbol sandboxes hold their context under (undefined before
 * the first context), so that weft:node/vm can leave it out of copies. */
static JSValue js_key(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return context_key(ctx);
}

static const JSCFunctionListEntry vm_funcs[] = {
    JS_CFUNC_DEF("createContext", 1, js_create_context),
    JS_CFUNC_DEF("contextOf", 1, js_context_of),
    JS_CFUNC_DEF("global", 1, js_global),
    JS_CFUNC_DEF("compile", 3, js_compile),
    JS_CFUNC_DEF("run", 1, js_run),
    JS_CFUNC_DEF("key", 0, js_key),
};

/* The classes are registered on first use, not here: every thread makes
 * this binding at start-up, and few use vm. */
JSValue weft__binding_vm(JSContext *ctx)
{
    JSValue obj = JS_NewObject(ctx);
    if (!JS_IsException(obj))
        JS_SetPropertyFunctionList(ctx, obj, vm_funcs, WEFT_COUNTOF(vm_funcs));
    return obj;
}
