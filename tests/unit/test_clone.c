/* Unit tests for src/core/clone.c and message.c: structured clone round
 * trips, DataCloneError cases, transfer lists, and corrupt or truncated
 * messages (which must fail with an exception, never crash: run this under
 * ASan). Each test has its own bare runtime and context; no weft vm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/clone.h"
#include "core/port.h"
#include "core/shm.h"

/* ---- a stand-in for MessagePort ----------------------------------------------
 * The real port objects (src/modules/ports.c) need a weft vm. These weak
 * definitions of port.h's object functions let the clone's transfer logic
 * be tested on bare contexts; nothing here pulls ports.o or port.o in. */

struct weft_port {
    int refs;
    bool closed;
};

typedef struct fake_port_object {
    weft_port *port; /* NULL once transferred away */
} fake_port_object;

static JSClassID fake_port_class;
static int live_fake_ports;

static weft_port *fake_port_new(void)
{
    weft_port *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->refs = 1;
    live_fake_ports++;
    return p;
}

__attribute__((weak)) void weft__port_release(weft_port *p)
{
    if (--p->refs == 0) {
        live_fake_ports--;
        free(p);
    }
}

__attribute__((weak)) weft_port *weft__port_unwrap(JSContext *ctx, JSValueConst val)
{
    fake_port_object *o = JS_GetOpaque(val, fake_port_class);
    return o ? o->port : NULL;
}

__attribute__((weak)) bool weft__port_object_is_unusable(JSContext *ctx, JSValueConst val)
{
    fake_port_object *o = JS_GetOpaque(val, fake_port_class);
    return o && (!o->port || o->port->closed);
}

__attribute__((weak)) weft_port *weft__port_detach(JSContext *ctx, JSValueConst val)
{
    fake_port_object *o = JS_GetOpaque(val, fake_port_class);
    weft_port *p = o ? o->port : NULL;
    if (o)
        o->port = NULL;
    return p;
}

__attribute__((weak)) JSValue weft__port_wrap(JSContext *ctx, weft_port *p)
{
    JSValue obj = JS_NewObjectClass(ctx, (int)fake_port_class);
    fake_port_object *o = JS_IsException(obj) ? NULL : calloc(1, sizeof *o);
    if (!o) {
        JS_FreeValue(ctx, obj);
        weft__port_release(p);
        return JS_ThrowOutOfMemory(ctx);
    }
    o->port = p;
    JS_SetOpaque(obj, o);
    return obj;
}

static void fake_port_finalizer(JSRuntime *rt, JSValue val)
{
    fake_port_object *o = JS_GetOpaque(val, fake_port_class);
    if (o && o->port)
        weft__port_release(o->port);
    free(o);
}

static const JSClassDef fake_port_def = { "MessagePort", .finalizer = fake_port_finalizer };

static JSValue js_make_port(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return weft__port_wrap(ctx, fake_port_new());
}

static JSValue js_close_port(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    weft_port *p = weft__port_unwrap(ctx, argv[0]);
    if (p)
        p->closed = true;
    return JS_UNDEFINED;
}

static JSValue js_is_port(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return JS_NewBool(ctx, JS_GetOpaque(argv[0], fake_port_class) != NULL);
}

/* A host class of the embedder's, which the clone must refuse by name. */
static JSClassID gadget_class;
static const JSClassDef gadget_def = { "Gadget" };

static JSValue js_make_gadget(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return JS_NewObjectClass(ctx, (int)gadget_class);
}

/* structuredCloneForTest(x): clones x transferring x, so x is detached. */
static JSValue js_clone_transfer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    JSValue list = JS_NewArray(ctx);
    JS_SetPropertyUint32(ctx, list, 0, JS_DupValue(ctx, argv[0]));
    weft_message *m = weft__clone_write(ctx, argv[0], list, NULL);
    JS_FreeValue(ctx, list);
    if (!m)
        return JS_EXCEPTION;
    JSValue v = weft__clone_read(ctx, m);
    weft__message_free(m);
    return v;
}

/* ---- fixture ------------------------------------------------------------------ */

/* same(a, b): deep equality that also requires the same sharing and cycles
 * (a's objects map one-to-one onto b's), the same builtin prototypes, and
 * distinct objects (a copy, not the original). */
static const char helpers[] =
    "globalThis.same = function same(a, b, seen = new Map()) {\n"
    "  if (typeof a !== 'object' || a === null) return Object.is(a, b);\n"
    "  if (typeof b !== 'object' || b === null || a === b) return false;\n"
    "  if (seen.has(a)) return seen.get(a) === b;\n"
    "  seen.set(a, b);\n"
    "  const tag = Object.prototype.toString.call(a);\n"
    "  if (tag !== Object.prototype.toString.call(b)) return false;\n"
    "  const builtin = [Array, Boolean, Number, String, BigInt, Date, RegExp, Map, Set, Error, EvalError,\n"
    "    RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError, ArrayBuffer,\n"
    "    SharedArrayBuffer, DataView, Uint8ClampedArray, Int8Array, Uint8Array, Int16Array, Uint16Array,\n"
    "    Int32Array, Uint32Array, BigInt64Array, BigUint64Array, Float32Array, Float64Array]\n"
    "    .map(c => c.prototype);\n"
    "  const pa = Object.getPrototypeOf(a);\n"
    "  const want = builtin.includes(pa) ? pa : Object.prototype;\n"
    "  if (Object.getPrototypeOf(b) !== want) return false;\n"
    "  if (a instanceof Boolean || a instanceof Number || a instanceof String || a instanceof BigInt\n"
    "      || a instanceof Date)\n"
    "    return Object.is(a.valueOf(), b.valueOf());\n"
    "  if (a instanceof RegExp) return a.source === b.source && a.flags === b.flags && b.lastIndex === 0;\n"
    "  if (a instanceof Map || a instanceof Set) {\n"
    "    const ea = [...a.entries()], eb = [...b.entries()];\n"
    "    return ea.length === eb.length\n"
    "      && ea.every(([k, v], i) => same(k, eb[i][0], seen) && same(v, eb[i][1], seen));\n"
    "  }\n"
    "  if (a instanceof ArrayBuffer || a instanceof SharedArrayBuffer) {\n"
    "    const x = new Uint8Array(a), y = new Uint8Array(b);\n"
    "    return x.length === y.length && x.every((v, i) => v === y[i]);\n"
    "  }\n"
    "  if (ArrayBuffer.isView(a))\n"
    "    return a.byteOffset === b.byteOffset && a.byteLength === b.byteLength\n"
    "      && same(a.buffer, b.buffer, seen);\n"
    "  if (a instanceof Error) {\n"
    "    for (const k of ['message', 'stack', 'cause', 'errors']) {\n"
    "      const da = Object.getOwnPropertyDescriptor(a, k), db = Object.getOwnPropertyDescriptor(b, k);\n"
    "      if (!da !== !db) return false;\n"
    "      if (da && (db.enumerable || !same(da.value, db.value, seen))) return false;\n"
    "    }\n"
    "    return a.name === b.name;\n"
    "  }\n"
    "  if (Array.isArray(a) && a.length !== b.length) return false;\n"
    "  const ka = Object.keys(a), kb = Object.keys(b);\n"
    "  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a[k], b[k], seen));\n"
    "};\n"
    "globalThis.clonePredicate = (e, name, text) =>\n"
    "  e instanceof Error && e.name === name && String(e.message).includes(text)\n"
    "  && (name !== 'DataCloneError' || e.code === 25);\n";

typedef struct env {
    JSRuntime *rt;
    JSContext *ctx;
} env;

static void print_exception(JSContext *ctx)
{
    JSValue e = JS_GetException(ctx);
    const char *s = JS_ToCString(ctx, e);
    print_error("exception: %s\n", s ? s : "?");
    JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, e);
}

static JSValue eval(JSContext *ctx, const char *src)
{
    JSValue v = JS_Eval(ctx, src, strlen(src), "<test>", JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(v)) {
        print_error("in: %s\n", src);
        print_exception(ctx);
        fail();
    }
    return v;
}

static void add_function(JSContext *ctx, const char *name, JSCFunction *fn, int length)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JS_SetPropertyStr(ctx, global, name, JS_NewCFunction(ctx, fn, name, length));
    JS_FreeValue(ctx, global);
}

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    e->rt = JS_NewRuntime();
    assert_non_null(e->rt);
    weft__shm_install(e->rt);
    JS_NewClassID(&fake_port_class);
    assert_int_equal(JS_NewClass(e->rt, fake_port_class, &fake_port_def), 0);
    JS_NewClassID(&gadget_class);
    assert_int_equal(JS_NewClass(e->rt, gadget_class, &gadget_def), 0);
    e->ctx = JS_NewContext(e->rt);
    assert_non_null(e->ctx);
    assert_int_equal(weft__clone_init(e->ctx), 0);
    add_function(e->ctx, "makePort", js_make_port, 0);
    add_function(e->ctx, "closePort", js_close_port, 1);
    add_function(e->ctx, "isPort", js_is_port, 1);
    add_function(e->ctx, "structuredCloneForTest", js_clone_transfer, 1);
    add_function(e->ctx, "makeGadget", js_make_gadget, 0);
    JSValue proto = eval(e->ctx, "({ constructor: function Gadget() {} })");
    JS_SetClassProto(e->ctx, gadget_class, proto);
    JS_FreeValue(e->ctx, eval(e->ctx, helpers));
    *state = e;
    return 0;
}

/* Everything a test made must be gone once its runtime is: QuickJS asserts
 * on leaked objects (debug builds), ASan on leaked bytes, and these counts
 * on leaked shared stores and ports. */
static int teardown(void **state)
{
    env *e = *state;
    JS_FreeContext(e->ctx);
    JS_FreeRuntime(e->rt);
    free(e);
    assert_int_equal(weft__shm_live_count(), 0);
    assert_int_equal(live_fake_ports, 0);
    return 0;
}

static JSValue global_get(JSContext *ctx, const char *name)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue v = JS_GetPropertyStr(ctx, global, name);
    JS_FreeValue(ctx, global);
    return v;
}

static void global_set(JSContext *ctx, const char *name, JSValue v)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JS_SetPropertyStr(ctx, global, name, v);
    JS_FreeValue(ctx, global);
}

static bool js_true(JSContext *ctx, const char *src)
{
    JSValue v = eval(ctx, src);
    bool ok = JS_ToBool(ctx, v) == 1;
    JS_FreeValue(ctx, v);
    if (!ok)
        print_error("false: %s\n", src);
    return ok;
}

static weft_message *write_ok(JSContext *ctx, JSValueConst v, JSValueConst transfer, weft_port *source)
{
    weft_message *m = weft__clone_write(ctx, v, transfer, source);
    if (!m) {
        print_exception(ctx);
        fail();
    }
    assert_int_equal(m->data[0], WEFT_WIRE_VERSION);
    return m;
}

static JSValue read_ok(JSContext *ctx, weft_message *m)
{
    JSValue v = weft__clone_read(ctx, m);
    if (JS_IsException(v)) {
        print_exception(ctx);
        fail();
    }
    return v;
}

/* Clones the value of `expr` (with the transfer list `transfer`, NULL for
 * none) into the globals `a` (the original) and `b` (the copy). */
static void clone_into_globals(JSContext *ctx, const char *expr, const char *transfer)
{
    JSValue v = eval(ctx, expr);
    JSValue t = transfer ? eval(ctx, transfer) : JS_UNDEFINED;
    weft_message *m = write_ok(ctx, v, t, NULL);
    JSValue c = read_ok(ctx, m);
    weft__message_free(m);
    JS_FreeValue(ctx, t);
    global_set(ctx, "a", v);
    global_set(ctx, "b", c);
}

/* The copy of expr must be same() as the original. */
static void check_same(JSContext *ctx, const char *expr)
{
    clone_into_globals(ctx, expr, NULL);
    if (!js_true(ctx, "same(a, b)")) {
        print_error("value: %s\n", expr);
        fail();
    }
}

/* Writing expr (with transfer list `transfer`) must fail with error `name`
 * whose message contains `text`. */
static void check_write_error(JSContext *ctx, const char *expr, const char *transfer, const char *name,
                              const char *text)
{
    JSValue v = eval(ctx, expr);
    JSValue t = transfer ? eval(ctx, transfer) : JS_UNDEFINED;
    weft_message *m = weft__clone_write(ctx, v, t, NULL);
    JS_FreeValue(ctx, v);
    JS_FreeValue(ctx, t);
    if (m) {
        weft__message_free(m);
        print_error("no error for %s\n", expr);
        fail();
    }
    JSValue err = JS_GetException(ctx);
    JSValue pred = global_get(ctx, "clonePredicate");
    JSValue args[3] = { err, JS_NewString(ctx, name), JS_NewString(ctx, text) };
    JSValue ok = JS_Call(ctx, pred, JS_UNDEFINED, 3, args);
    if (JS_ToBool(ctx, ok) != 1) {
        const char *s = JS_ToCString(ctx, err);
        print_error("for %s: got %s, wanted %s containing '%s'\n", expr, s ? s : "?", name, text);
        JS_FreeCString(ctx, s);
        fail();
    }
    JS_FreeValue(ctx, ok);
    JS_FreeValue(ctx, pred);
    for (int i = 0; i < 3; i++)
        JS_FreeValue(ctx, args[i]);
}

static void check_data_clone_error(JSContext *ctx, const char *expr, const char *transfer, const char *text)
{
    check_write_error(ctx, expr, transfer, "DataCloneError", text);
}

/* ---- round trips -------------------------------------------------------------- */

static void test_primitives(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_same(ctx, "[undefined, null, true, false]");
    check_same(ctx, "[0, -0, 1, -1, 42, 2147483647, -2147483648, 2147483648, -2147483649, 0.5, -1.5]");
    check_same(ctx, "[NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), Number.MIN_VALUE, Number.MAX_VALUE, 1e300]");
    check_same(ctx, "[0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 256n, 2n ** 63n - 1n, -(2n ** 63n),"
                    " 2n ** 63n, -(2n ** 63n) - 1n, 2n ** 64n, 2n ** 64n - 1n, -(2n ** 64n), 2n ** 200n + 12345n,"
                    " -(2n ** 200n) + 1n, -(2n ** 71n), 2n ** 71n]");
    check_same(ctx, "['', 'hello', 'h\\u00e9llo', '\\u4e2d\\u6587', '\\u{1F600}', 'a\\0b', 'x'.repeat(10000)]");
    /* Lone surrogates, alone, paired by accident, and next to real pairs. */
    check_same(ctx, "['\\uD800', '\\uDC00', 'a\\uD800b', '\\uDC00\\uD800', '\\uD800\\uD800',"
                    " '\\uD83D\\uDE00\\uD800', '\\uDFFF\\u{1F600}']");
    /* Top-level primitives. */
    check_same(ctx, "'top'");
    check_same(ctx, "-0");
    check_same(ctx, "12n ** 40n");
    check_same(ctx, "undefined");
}

static void test_wrappers_dates_regexps(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_same(ctx, "[new Boolean(true), new Boolean(false), new Number(-0), new Number(NaN), new Number(3.25),"
                    " new String(''), new String('a\\uD800'), Object(0n), Object(-5n), Object(2n ** 100n)]");
    check_same(ctx, "[new Date(0), new Date(1700000000123), new Date(NaN), new Date(-8.64e15)]");
    check_same(ctx, "[/a+b/, /x/gimsuy, /y/d, new RegExp('a/b\\n'), /[/]/u, /(?:)/]");
    /* lastIndex is not kept; the properties of a wrapper are not either. */
    clone_into_globals(ctx, "(() => { const r = /a/g; r.lastIndex = 3; const s = new String('ab');"
                            " s.extra = 1; return [r, s]; })()", NULL);
    assert_true(js_true(ctx, "b[0].lastIndex === 0 && b[0].global && b[1].extra === undefined"
                             " && b[1].length === 2"));
}

static void test_arrays(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_same(ctx, "[[], [1, 2, 3], [[1], [[2]], 'x']]");
    check_same(ctx, "Array.from({ length: 10000 }, (_, i) => i * 1.5)");
    check_same(ctx, "(() => { const a = [1, , 3]; a[10] = 'ten'; a.extra = 'e'; a.length = 20; return a; })()");
    check_same(ctx, "new Array(5)");
    check_same(ctx, "(() => { const a = []; a[4294967294] = 1; a.x = 2; return a; })()");
    check_same(ctx, "(() => { const a = [1, 2]; a[-1] = 'neg'; a['01'] = 'lead'; return a; })()");
    /* A class instance arrives as a plain array; holes stay holes. */
    clone_into_globals(ctx, "(() => { class A extends Array {}; const a = new A(3); a[1] = 'one';"
                            " return a; })()", NULL);
    assert_true(js_true(ctx, "Object.getPrototypeOf(b) === Array.prototype && b.length === 3"
                             " && !(0 in b) && b[1] === 'one' && !(2 in b)"));
    /* A getter deleting a later element: it is a hole in the copy. */
    clone_into_globals(ctx, "(() => { const a = [0, 1, 2];"
                            " Object.defineProperty(a, 0, { get() { delete a[2]; return 'g'; },"
                            " enumerable: true }); return a; })()", NULL);
    assert_true(js_true(ctx, "b[0] === 'g' && b[1] === 1 && !(2 in b) && b.length === 3"));
}

static void test_objects(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_same(ctx, "({ a: 1, b: 'two', c: { d: [3] }, '': 'empty', '\\u00e9\\uD800': 'key', 5: 'five',"
                    " '4294967295': 'big' })");
    check_same(ctx, "Array.from({ length: 300 }, (_, i) => ({ i, s: 'hello', ['k' + (i % 7)]: i }))");
    /* Getters are read into data properties; non-enumerable and symbol keys
     * are skipped; the prototype is not kept. */
    clone_into_globals(ctx, "(() => { class P { constructor() { this.own = 1; } get proto() { return 2; } }"
                            " const o = new P(); Object.defineProperty(o, 'hidden', { value: 3 });"
                            " Object.defineProperty(o, 'g', { get() { return 4; }, enumerable: true });"
                            " o[Symbol('s')] = 5; return o; })()", NULL);
    assert_true(js_true(ctx, "Object.getPrototypeOf(b) === Object.prototype"
                             " && JSON.stringify(Object.getOwnPropertyDescriptors(b)) === JSON.stringify("
                             "{ own: { value: 1, writable: true, enumerable: true, configurable: true },"
                             "   g: { value: 4, writable: true, enumerable: true, configurable: true } })"
                             " && Object.getOwnPropertySymbols(b).length === 0"));
    /* An own "__proto__" stays an own property. */
    clone_into_globals(ctx, "JSON.parse('{\"__proto__\": {\"x\": 1}, \"y\": 2}')", NULL);
    assert_true(js_true(ctx, "Object.getPrototypeOf(b) === Object.prototype"
                             " && Object.keys(b).join() === '__proto__,y' && b.__proto__.x === 1"));
    /* Null prototype, arguments objects. */
    check_same(ctx, "Object.assign(Object.create(null), { n: 1 })");
    clone_into_globals(ctx, "(function () { return arguments; })(1, 'x')", NULL);
    assert_true(js_true(ctx, "Object.getPrototypeOf(b) === Object.prototype && Object.keys(b).join() === '0,1'"
                             " && b[0] === 1 && b[1] === 'x' && b.length === undefined"));
    /* A getter deleting a later property: it is skipped. */
    clone_into_globals(ctx, "({ get a() { delete this.b; return 1; }, b: 2, c: 3 })", NULL);
    assert_true(js_true(ctx, "Object.keys(b).join() === 'a,c'"));
}

static void test_references(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_same(ctx, "(() => { const o = { name: 'o' }; o.self = o; o.list = [o, o]; return o; })()");
    check_same(ctx, "(() => { const x = { v: 1 }; return [x, x, [x], { x }]; })()");
    check_same(ctx, "(() => { const a = []; a.push(a, [a]); return a; })()");
    check_same(ctx, "(() => { const m = new Map(); const k = { k: 1 }; m.set(k, m).set('k', k);"
                    " const s = new Set([k, m]); s.add(s); return [m, s, k]; })()");
    check_same(ctx, "(() => { const e = new Error('loop'); e.cause = e; return e; })()");
    clone_into_globals(ctx, "(() => { const o = {}; o.self = o; return [o, o]; })()", NULL);
    assert_true(js_true(ctx, "b[0] === b[1] && b[0].self === b[0] && b[0] !== a[0]"));
}

static void test_maps_sets(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_same(ctx, "new Map([[1, 'one'], ['two', 2], [{ k: 3 }, [3]], [NaN, -0], [0n, null]])");
    check_same(ctx, "new Set([1, 'one', { o: 1 }, [2], NaN, undefined])");
    check_same(ctx, "[new Map(), new Set()]");
    /* Entries are copied before they are written: what a getter adds is
     * not sent. */
    clone_into_globals(ctx, "(() => { const m = new Map();"
                            " m.set('a', { get x() { m.set('late', 1); return 1; } }); return m; })()", NULL);
    assert_true(js_true(ctx, "b.size === 1 && b.get('a').x === 1"));
}

static void test_errors(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_same(ctx, "[new Error('e'), new EvalError('ev'), new RangeError('r'), new ReferenceError('rf'),"
                    " new SyntaxError('s'), new TypeError('t'), new URIError('u')]");
    check_same(ctx, "new Error('with cause', { cause: { why: [1, 2] } })");
    check_same(ctx, "new AggregateError([new Error('one'), 2], 'all')");
    check_same(ctx, "(() => { const e = new Error(); delete e.stack; return e; })()");
    clone_into_globals(ctx, "(() => { const e = new TypeError('msg'); e.extra = 1; return e; })()", NULL);
    assert_true(js_true(ctx, "b instanceof TypeError && b.name === 'TypeError' && b.message === 'msg'"
                             " && b.stack === a.stack && typeof b.stack === 'string' && b.extra === undefined"
                             " && !Object.keys(b).length"));
    /* A name outside the standard ones becomes Error; messages become strings. */
    clone_into_globals(ctx, "(() => { class MyError extends Error {}; const e = new MyError(42);"
                            " e.name = 'MyError'; return e; })()", NULL);
    assert_true(js_true(ctx, "Object.getPrototypeOf(b) === Error.prototype && b.name === 'Error'"
                             " && b.message === '42'"));
    clone_into_globals(ctx, "(() => { const e = new Error('x'); e.name = 'RangeError'; return e; })()", NULL);
    assert_true(js_true(ctx, "b instanceof RangeError && b.message === 'x'"));
    /* Only data properties are taken, and a stack only when a string. */
    clone_into_globals(ctx, "(() => { const e = new Error('x'); e.stack = 42;"
                            " Object.defineProperty(e, 'message', { get() { throw new Error('ran'); } });"
                            " return e; })()", NULL);
    assert_true(js_true(ctx, "!Object.hasOwn(b, 'message') && !Object.hasOwn(b, 'stack') && b.message === ''"));
}

static void test_buffers_and_views(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_same(ctx, "(() => { const b = new ArrayBuffer(16); new Uint8Array(b).forEach((_, i, a) => a[i] = i);"
                    " return [b, new ArrayBuffer(0)]; })()");
    /* Large buffers travel beside the wire bytes; the copy is independent. */
    clone_into_globals(ctx, "(() => { const b = new ArrayBuffer(100000); new Uint32Array(b).fill(0xabcdef01);"
                            " return [b, new Uint8Array(b, 99990, 5)]; })()", NULL);
    assert_true(js_true(ctx, "same(a, b) && (new Uint8Array(b[0])[0] = 7, new Uint8Array(a[0])[0] === 1)"
                             " && b[1].buffer === b[0]"));
    check_same(ctx, "[new Uint8ClampedArray([1, 300, -5]), new Int8Array([-128, 127]),"
                    " new Uint8Array([255]), new Int16Array([-32768]), new Uint16Array([65535]),"
                    " new Int32Array([-(2 ** 31)]), new Uint32Array([2 ** 32 - 1]),"
                    " new BigInt64Array([-(2n ** 63n), 5n]), new BigUint64Array([2n ** 64n - 1n]),"
                    " new Float32Array([1.5, NaN, -0]), new Float64Array([Math.PI, -Infinity]),"
                    " new DataView(new ArrayBuffer(8), 2, 4), new Uint8Array(0)]");
    /* Views sharing a buffer share the copy. */
    clone_into_globals(ctx, "(() => { const buf = new ArrayBuffer(32); new Uint8Array(buf).fill(9);"
                            " return [new Uint16Array(buf, 4, 6), new DataView(buf, 2, 10), buf,"
                            " new Float64Array(buf, 8, 3)]; })()", NULL);
    assert_true(js_true(ctx, "same(a, b) && b[0].buffer === b[2] && b[1].buffer === b[2]"
                             " && b[3].buffer === b[2] && b[0].byteOffset === 4 && b[0].length === 6"
                             " && b[1].byteOffset === 2 && b[1].byteLength === 10"
                             " && b[2].byteLength === 32 && b[3].length === 3"));
}

static void test_shared_array_buffer(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    size_t before = weft__shm_live_count();
    JSValue v = eval(ctx, "globalThis.sab = new SharedArrayBuffer(64);"
                          " [sab, new Int32Array(sab, 8, 4), sab]");
    assert_int_equal(weft__shm_live_count(), before + 1);
    weft_message *m = write_ok(ctx, v, JS_UNDEFINED, NULL);
    JS_FreeValue(ctx, v);
    assert_non_null(m->sides);
    assert_int_equal(m->sides->n_shared, 1);
    assert_int_equal(m->sides->shared_len[0], 64);
    JSValue c = read_ok(ctx, m);
    global_set(ctx, "b", c);
    /* Shared, not copied: a write through the copy is seen in the original. */
    assert_true(js_true(ctx, "b[0] instanceof SharedArrayBuffer && b[0] === b[2] && b[0] !== sab"
                             " && b[1].buffer === b[0] && b[1].byteOffset === 8"
                             " && (b[1][0] = 1234, new Int32Array(sab)[2] === 1234)"));
    /* The message's reference outlives every object. */
    JS_FreeValue(ctx, eval(ctx, "delete globalThis.sab; delete globalThis.b"));
    JS_RunGC(((env *)*state)->rt);
    assert_int_equal(weft__shm_live_count(), before + 1);
    JSValue again = read_ok(ctx, m);
    JS_FreeValue(ctx, again);
    weft__message_free(m);
    JS_RunGC(((env *)*state)->rt);
    assert_int_equal(weft__shm_live_count(), before);
}

/* ---- transfer ------------------------------------------------------------------- */

static void test_transfer_buffers(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    clone_into_globals(ctx, "(() => { globalThis.buf = new ArrayBuffer(8); new Uint8Array(buf).set([1, 2, 3]);"
                            " globalThis.view = new Uint8Array(buf, 1, 2); return { buf, view, again: buf }; })()",
                       "[buf]");
    assert_true(js_true(ctx, "buf.byteLength === 0 && view.length === 0"
                             " && b.buf.byteLength === 8 && b.again === b.buf && b.view.buffer === b.buf"
                             " && b.view[0] === 2 && b.view[1] === 3"));
    /* A listed buffer that the value does not reference is still detached. */
    clone_into_globals(ctx, "globalThis.lone = new ArrayBuffer(4); 'x'", "[lone]");
    assert_true(js_true(ctx, "lone.byteLength === 0 && b === 'x'"));
    /* Transfer lists may be any iterable or array-like. */
    clone_into_globals(ctx, "globalThis.t1 = new ArrayBuffer(1); globalThis.t2 = new ArrayBuffer(2); [t1, t2]",
                       "new Set([t2, t1])");
    assert_true(js_true(ctx, "t1.byteLength === 0 && t2.byteLength === 0 && b[1].byteLength === 2"));
    clone_into_globals(ctx, "globalThis.t3 = new ArrayBuffer(3); t3", "({ length: 1, 0: t3 })");
    assert_true(js_true(ctx, "t3.byteLength === 0 && b.byteLength === 3"));
    clone_into_globals(ctx, "1", "null");
    clone_into_globals(ctx, "1", "({})");
}

static void test_transfer_ports(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    clone_into_globals(ctx, "globalThis.p = makePort(); ({ p, again: p })", "[p]");
    assert_true(js_true(ctx, "isPort(b.p) && b.again === b.p && b.p !== p"));
    /* Once transferred, the sender's object can be neither sent nor listed. */
    check_data_clone_error(ctx, "p", "[p]", "MessagePort at index 0 is closed or already transferred");
    check_data_clone_error(ctx, "({ p })", NULL, "MessagePort was found in message but not listed in transferList");
    /* A listed port that the value does not reference still moves. */
    JSValue v = eval(ctx, "globalThis.q = makePort(); 0");
    JSValue t = eval(ctx, "[q]");
    weft_message *m = write_ok(ctx, v, t, NULL);
    assert_non_null(m->sides);
    assert_int_equal(m->sides->n_ports, 1);
    assert_non_null(m->sides->ports[0]);
    weft__message_free(m);
    JS_FreeValue(ctx, t);
    JS_FreeValue(ctx, v);
    check_data_clone_error(ctx, "q", "[q]", "MessagePort at index 0 is closed or already transferred");

    /* The port a message is posted on may not be in its transfer list. */
    JSValue src = eval(ctx, "globalThis.source = makePort(); source");
    weft_port *sp = weft__port_unwrap(ctx, src);
    JS_FreeValue(ctx, src);
    v = eval(ctx, "({ source })");
    t = eval(ctx, "[source]");
    assert_null(weft__clone_write(ctx, v, t, sp));
    JS_FreeValue(ctx, v);
    JS_FreeValue(ctx, t);
    assert_true(JS_HasException(ctx));
    JSValue err = JS_GetException(ctx);
    global_set(ctx, "err", err);
    assert_true(js_true(ctx, "err.name === 'DataCloneError' && err.message === 'Transfer list contains source port'"
                             " && isPort(source)"));

    check_data_clone_error(ctx, "globalThis.d = makePort(); d", "[d, d]",
                           "MessagePort at index 1 is a duplicate of an earlier MessagePort. Duplicate "
                           "MessagePorts cannot be transferred.");
    check_data_clone_error(ctx, "globalThis.c = makePort(); closePort(c); c", "[c]",
                           "MessagePort at index 0 is closed or already transferred");
}

/* ---- DataCloneError ------------------------------------------------------------- */

static void test_uncloneable(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    check_data_clone_error(ctx, "(function foo() {})", NULL, "function foo() could not be cloned");
    check_data_clone_error(ctx, "({ f: () => 1 })", NULL, "function f() could not be cloned");
    check_data_clone_error(ctx, "[class K {}]", NULL, "function K() could not be cloned");
    check_data_clone_error(ctx, "Math.max", NULL, "function max() could not be cloned");
    check_data_clone_error(ctx, "(function () {}).bind(null)", NULL, "function bound () could not be cloned");
    check_data_clone_error(ctx, "Symbol('x')", NULL, "Symbol(x) could not be cloned");
    check_data_clone_error(ctx, "[1, { s: Symbol() }]", NULL, "Symbol() could not be cloned");
    check_data_clone_error(ctx, "Object(Symbol('w'))", NULL, "#<Symbol> could not be cloned");
    check_data_clone_error(ctx, "new WeakMap()", NULL, "#<WeakMap> could not be cloned");
    check_data_clone_error(ctx, "new WeakSet()", NULL, "#<WeakSet> could not be cloned");
    check_data_clone_error(ctx, "new WeakRef({})", NULL, "#<WeakRef> could not be cloned");
    check_data_clone_error(ctx, "new FinalizationRegistry(() => {})", NULL,
                           "#<FinalizationRegistry> could not be cloned");
    check_data_clone_error(ctx, "Promise.resolve(1)", NULL, "#<Promise> could not be cloned");
    check_data_clone_error(ctx, "new Proxy({}, {})", NULL, "#<Proxy> could not be cloned");
    check_data_clone_error(ctx, "new Proxy([], { get() { throw new Error('trap ran'); } })", NULL,
                           "#<Proxy> could not be cloned");
    check_data_clone_error(ctx, "(function* g() {})()", NULL, "#<Generator> could not be cloned");
    check_data_clone_error(ctx, "new Map().entries()", NULL, "#<Map Iterator> could not be cloned");
    check_data_clone_error(ctx, "[makeGadget()]", NULL, "#<Gadget> could not be cloned");
    check_data_clone_error(ctx, "(() => { const g = makeGadget(); Object.setPrototypeOf(g, null); return g; })()",
                           NULL, "#<Object> could not be cloned");
}

static void test_detached_in_value(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    /* Detach by transferring once, then clone what is left. */
    clone_into_globals(ctx, "globalThis.gone = new ArrayBuffer(4);"
                            " globalThis.gview = new Uint8Array(gone); globalThis.gdv = new DataView(gone); 0",
                       "[gone]");
    check_data_clone_error(ctx, "gone", NULL, "An ArrayBuffer is detached and could not be cloned.");
    check_data_clone_error(ctx, "[gview]", NULL, "An ArrayBuffer is detached and could not be cloned.");
    check_data_clone_error(ctx, "({ gdv })", NULL, "An ArrayBuffer is detached and could not be cloned.");
}

static void test_nothing_sent_on_error(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    JS_FreeValue(ctx, eval(ctx, "globalThis.keep = new ArrayBuffer(8); globalThis.kp = makePort(); 0"));
    check_data_clone_error(ctx, "[keep, kp, new ArrayBuffer(100000), () => {}]", "[keep, kp]",
                           "could not be cloned");
    assert_true(js_true(ctx, "keep.byteLength === 8"));
    check_data_clone_error(ctx, "[keep, kp]", "[keep, kp, {}]",
                           "Value at index 2 does not have a transferable type.");
    assert_true(js_true(ctx, "keep.byteLength === 8"));
    /* A getter that throws: its error, and nothing moved. */
    check_write_error(ctx, "({ keep, kp, get x() { throw new RangeError('from getter'); } })", "[keep, kp]",
                      "RangeError", "from getter");
    assert_true(js_true(ctx, "keep.byteLength === 8"));
    /* The port is still usable: it can be sent now. */
    clone_into_globals(ctx, "kp", "[kp]");
    assert_true(js_true(ctx, "isPort(b)"));
}

static void test_transfer_list_errors(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    JS_FreeValue(ctx, eval(ctx, "globalThis.ab = new ArrayBuffer(8); globalThis.ab2 = new ArrayBuffer(8); 0"));
    check_data_clone_error(ctx, "ab", "[ab2, ab, ab]",
                           "ArrayBuffer at index 2 is a duplicate of an earlier ArrayBuffer. Duplicate "
                           "ArrayBuffers cannot be transferred.");
    check_data_clone_error(ctx, "0", "[new SharedArrayBuffer(4)]",
                           "SharedArrayBuffer at index 0 could not be transferred");
    check_data_clone_error(ctx, "0", "[ab, {}]", "Value at index 1 does not have a transferable type.");
    check_data_clone_error(ctx, "0", "[new Uint8Array(4)]", "Value at index 0 does not have a transferable type.");
    check_write_error(ctx, "0", "[ab, 1]", "TypeError", "transfer list item 1 is not an object");
    check_write_error(ctx, "0", "5", "TypeError", "transfer list must be an iterable or array-like object");
    check_write_error(ctx, "0", "'ab'", "TypeError", "transfer list must be an iterable or array-like object");
    check_write_error(ctx, "0", "({ [Symbol.iterator]() { throw new EvalError('iter'); } })", "EvalError", "iter");
    assert_true(js_true(ctx, "ab.byteLength === 8 && ab2.byteLength === 8"));
    /* Already detached. */
    clone_into_globals(ctx, "0", "[ab2]");
    check_data_clone_error(ctx, "0", "[ab2]", "ArrayBuffer at index 0 is already detached.");
    /* Detached by a getter while the value is written: found before anything moves. */
    JS_FreeValue(ctx, eval(ctx, "globalThis.victim = new ArrayBuffer(4); globalThis.other = new ArrayBuffer(4); 0"));
    check_data_clone_error(ctx, "({ get x() { structuredCloneForTest(victim); return 1; } })",
                           "[other, victim]", "ArrayBuffer at index 1 was detached while the message was serialized.");
    assert_true(js_true(ctx, "victim.byteLength === 0 && other.byteLength === 4"));
}

static void test_dom_exception(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    JS_FreeValue(ctx, eval(ctx, "globalThis.DOMException = class DOMException extends Error {"
                                " constructor(message, name) { super(message); this.n = name; }"
                                " get name() { return this.n; } get code() { return 25; } }; 0"));
    check_data_clone_error(ctx, "Symbol('d')", NULL, "Symbol(d) could not be cloned");
    JSValue v = eval(ctx, "() => {}");
    assert_null(weft__clone_write(ctx, v, JS_UNDEFINED, NULL));
    JS_FreeValue(ctx, v);
    global_set(ctx, "err", JS_GetException(ctx));
    assert_true(js_true(ctx, "err instanceof DOMException && err.name === 'DataCloneError'"));
}

/* ---- depth ---------------------------------------------------------------------- */

static void test_depth(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    clone_into_globals(ctx, "(() => { let o = null; for (let i = 0; i < 400; i++) o = { o, a: [i] }; return o; })()",
                       NULL);
    assert_true(js_true(ctx, "(() => { let x = b, n = 0;"
                             " for (; x; x = x.o, n++) if (x.a[0] !== 399 - n || Object.keys(x).join() !== 'o,a')"
                             " return false; return n === 400; })()"));
    /* Far too deep: the engine's stack check (InternalError: stack overflow)
     * or the depth limit (RangeError) stops it; no crash. */
    JSValue v = eval(ctx, "(() => { let o = []; for (let i = 0; i < 200000; i++) o = [o]; return o; })()");
    assert_null(weft__clone_write(ctx, v, JS_UNDEFINED, NULL));
    JS_FreeValue(ctx, v);
    global_set(ctx, "err", JS_GetException(ctx));
    assert_true(js_true(ctx, "err instanceof RangeError"
                             " || (err.name === 'InternalError' && err.message === 'stack overflow')"));
}

/* A message of n nested arrays around undefined. */
static weft_message *nested_message(uint32_t n)
{
    size_t len = 2 + 4 * (size_t)n;
    uint8_t *data = malloc(len);
    assert_non_null(data);
    data[0] = WEFT_WIRE_VERSION;
    for (uint32_t i = 0; i < n; i++) {
        data[1 + 3 * i] = 12; /* ARRAY */
        data[2 + 3 * i] = 1;  /* length */
        data[3 + 3 * i] = 1;  /* one element, without key */
    }
    data[1 + 3 * (size_t)n] = 1; /* UNDEFINED */
    memset(data + 2 + 3 * (size_t)n, 0, n); /* each array's end of properties */
    weft_message *m = weft__message_new(WEFT_MSG_DATA, data, len);
    free(data);
    assert_non_null(m);
    return m;
}

/* Runs on its own thread (with a stack large enough for MAX_DEPTH levels)
 * and reports what went wrong, if anything: cmocka cannot fail there. */
static const char *depth_limit_checks(JSContext *ctx)
{
    weft_message *m = nested_message(10000);
    JSValue v = weft__clone_read(ctx, m);
    weft__message_free(m);
    if (JS_IsException(v))
        return "10000 levels could not be read";
    m = weft__clone_write(ctx, v, JS_UNDEFINED, NULL);
    weft__message_free(m);
    if (!m) {
        JS_FreeValue(ctx, v);
        return "10000 levels could not be written";
    }
    JSValue deeper = JS_NewArray(ctx);
    JS_SetPropertyUint32(ctx, deeper, 0, v);
    m = weft__clone_write(ctx, deeper, JS_UNDEFINED, NULL);
    JS_FreeValue(ctx, deeper);
    if (m) {
        weft__message_free(m);
        return "10001 levels were written";
    }
    global_set(ctx, "err1", JS_GetException(ctx));
    m = nested_message(10001);
    v = weft__clone_read(ctx, m);
    weft__message_free(m);
    if (!JS_IsException(v)) {
        JS_FreeValue(ctx, v);
        return "10001 levels were read";
    }
    global_set(ctx, "err2", JS_GetException(ctx));
    return NULL;
}

static void *depth_limit_thread(void *arg)
{
    env *e = arg;
    JS_UpdateStackTop(e->rt);
    JS_SetMaxStackSize(e->rt, 0);
    return (void *)depth_limit_checks(e->ctx);
}

/* With the engine's stack check off, the depth limit alone must hold, on
 * both sides. */
static void test_depth_limit(void **state)
{
    env *e = *state;
    pthread_attr_t attr;
    pthread_t t;
    void *problem;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, 512u << 20), 0);
    assert_int_equal(pthread_create(&t, &attr, depth_limit_thread, e), 0);
    assert_int_equal(pthread_join(t, &problem), 0);
    pthread_attr_destroy(&attr);
    JS_UpdateStackTop(e->rt);
    JS_SetMaxStackSize(e->rt, JS_DEFAULT_STACK_SIZE);
    if (problem) {
        print_error("%s\n", (const char *)problem);
        fail();
    }
    assert_true(js_true(e->ctx, "err1 instanceof RangeError && err1.message.includes('deeper than 10000')"));
    assert_true(js_true(e->ctx, "err2 instanceof TypeError && err2.message.includes('deeper than 10000')"));
}

/* ---- corrupt and truncated messages -------------------------------------------- */

/* What the fuzzing starts from: every tag and side table. */
static const char *const corpus[] = {
    "({ i: 1, s: 'hello' })",
    "[]",
    "'just a string \\uD800'",
    "(() => { const shared = { s: 'x' }; const buf = new ArrayBuffer(8);"
    " new Uint8Array(buf).set([1, 2, 3, 4, 5, 6, 7, 8]); const arr = [1, , 3]; arr.extra = 'e';"
    " const o = { u: undefined, n: null, t: true, f: false, i: 42, neg: -7, d: 1.5, nz: -0,"
    " big: 2n ** 70n, nbig: -(2n ** 70n), sb: 5n, s: 'h\\u00e9llo\\uD800\\u{1F600}', arr, shared,"
    " again: shared, wrappers: [new Boolean(true), new Number(3.5), new String('w'), Object(9n)],"
    " date: new Date(1e12), re: /a\\/b/gi, map: new Map([[shared, 1], ['k', arr]]),"
    " set: new Set([1, 'two', shared]), err: new RangeError('bad', { cause: shared }),"
    " agg: new AggregateError([new Error('x')], 'agg'), buf, u8: new Uint8Array(buf, 2, 4),"
    " dv: new DataView(buf, 1, 3), f64: new Float64Array([1.5, -0]), b64: new BigInt64Array([-1n]),"
    " sab: new SharedArrayBuffer(4), large: new ArrayBuffer(5000), sparse: Object.assign([], { 7: 7 }) };"
    " o.self = o; return o; })()",
    /* Primitives, then an object, then more; one referring to itself after
     * its primitives; more keys than the reader gathers before it makes the
     * object (src/core/clone.c, read_plain). */
    "({ a: 1, b: 'x', c: { d: 2 }, e: 3 })",
    "(() => { const o = { p: 1, q: 2 }; o.me = o; o.r = 3; return o; })()",
    "({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9 })",
};

/* The corpus messages, plus one with a moved buffer and a port. */
static weft_message **make_corpus(JSContext *ctx, size_t *n)
{
    size_t count = sizeof corpus / sizeof corpus[0];
    weft_message **msgs = calloc(count + 1, sizeof *msgs);
    assert_non_null(msgs);
    for (size_t i = 0; i < count; i++) {
        JSValue v = eval(ctx, corpus[i]);
        msgs[i] = write_ok(ctx, v, JS_UNDEFINED, NULL);
        JS_FreeValue(ctx, v);
    }
    JSValue v = eval(ctx, "globalThis.mb = new ArrayBuffer(6); globalThis.mp = makePort();"
                          " [mb, new Int16Array(mb, 2, 2), mp, { mp }]");
    JSValue t = eval(ctx, "[mb, mp]");
    msgs[count] = write_ok(ctx, v, t, NULL);
    JS_FreeValue(ctx, v);
    JS_FreeValue(ctx, t);
    *n = count + 1;
    return msgs;
}

/* A copy of m's side tables with new wire bytes: each read takes what it
 * adopts, so every attempt gets its own. */
static weft_message *with_bytes(const weft_message *msg, const uint8_t *data, size_t len)
{
    weft_message *c_msg = weft__message_new(msg->kind, data, len);
    assert_non_null(c_msg);
    if (!msg->sides)
        return c_msg;
    const weft_message_sides *m = msg->sides;
    weft_message_sides *c = weft__message_sides(c_msg);
    assert_non_null(c);
    if (m->n_shared) {
        c->shared = malloc(m->n_shared * sizeof *c->shared);
        c->shared_len = malloc(m->n_shared * sizeof *c->shared_len);
        assert_true(c->shared && c->shared_len);
        for (uint32_t i = 0; i < m->n_shared; i++) {
            weft__shm_retain(m->shared[i]);
            c->shared[i] = m->shared[i];
            c->shared_len[i] = m->shared_len[i];
        }
        c->n_shared = m->n_shared;
    }
    if (m->n_moved) {
        c->moved = calloc(m->n_moved, sizeof *c->moved);
        assert_non_null(c->moved);
        for (uint32_t i = 0; i < m->n_moved; i++) {
            c->moved[i].len = m->moved[i].len;
            c->moved[i].data = malloc(m->moved[i].len + 1);
            assert_non_null(c->moved[i].data);
            memcpy(c->moved[i].data, m->moved[i].data, m->moved[i].len);
        }
        c->n_moved = m->n_moved;
    }
    if (m->n_ports) {
        c->ports = calloc(m->n_ports, sizeof *c->ports);
        assert_non_null(c->ports);
        for (uint32_t i = 0; i < m->n_ports; i++) {
            c->ports[i] = m->ports[i];
            c->ports[i]->refs++;
        }
        c->n_ports = m->n_ports;
    }
    return c_msg;
}

/* Reads bytes with m's side tables. Returns true when it gave a value;
 * otherwise an exception must be pending, and is cleared. */
static bool try_read(JSContext *ctx, const weft_message *m, const uint8_t *data, size_t len)
{
    weft_message *c = with_bytes(m, data, len);
    JSValue v = weft__clone_read(ctx, c);
    weft__message_free(c);
    if (!JS_IsException(v)) {
        JS_FreeValue(ctx, v);
        return true;
    }
    assert_true(JS_HasException(ctx));
    JSValue e = JS_GetException(ctx);
    assert_true(JS_IsError(ctx, e));
    JS_FreeValue(ctx, e);
    return false;
}

static void free_corpus(weft_message **msgs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        weft__message_free(msgs[i]);
    free(msgs);
}

static void test_truncated(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    size_t n;
    weft_message **msgs = make_corpus(ctx, &n);
    for (size_t i = 0; i < n; i++) {
        assert_true(try_read(ctx, msgs[i], msgs[i]->data, msgs[i]->len));
        for (size_t len = 0; len < msgs[i]->len; len++) {
            if (try_read(ctx, msgs[i], msgs[i]->data, len)) {
                print_error("message %zu read at length %zu of %zu\n", i, len, msgs[i]->len);
                fail();
            }
        }
    }
    free_corpus(msgs, n);
}

static void test_byte_flips(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    size_t n;
    weft_message **msgs = make_corpus(ctx, &n);
    static const uint8_t masks[] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff };
    for (size_t i = 0; i < n; i++) {
        const weft_message *m = msgs[i];
        uint8_t *buf = malloc(m->len);
        assert_non_null(buf);
        for (size_t pos = 0; pos < m->len; pos++) {
            memcpy(buf, m->data, m->len);
            /* Every value at every position of the small messages; bit flips in the large one. */
            for (unsigned k = 0; k < (m->len < 400 ? 256u : sizeof masks); k++) {
                buf[pos] = m->len < 400 ? (uint8_t)k : m->data[pos] ^ masks[k];
                try_read(ctx, m, buf, m->len);
            }
        }
        free(buf);
    }
    free_corpus(msgs, n);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* One random edit of buf (len bytes, room for cap): returns the new length. */
static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
    size_t pos = len ? rng() % len : 0;
    switch (rng() % 6) {
    case 0: /* flip bits */
        if (len)
            buf[pos] ^= (uint8_t)(1u << (rng() % 8));
        return len;
    case 1: /* a tag-like or boundary value */
        if (len) {
            static const uint8_t v[] = { 0, 1, 9, 10, 11, 12, 27, 28, 0x7f, 0x80, 0xff };
            buf[pos] = rng() % 2 ? v[rng() % sizeof v] : (uint8_t)rng();
        }
        return len;
    case 2: /* insert a byte */
        if (len < cap) {
            memmove(buf + pos + 1, buf + pos, len - pos);
            buf[pos] = (uint8_t)rng();
            return len + 1;
        }
        return len;
    case 3: /* delete a byte */
        if (len) {
            memmove(buf + pos, buf + pos + 1, len - pos - 1);
            return len - 1;
        }
        return len;
    case 4: { /* copy a chunk over another place */
        size_t from = len ? rng() % len : 0;
        size_t n = len ? rng() % 16 : 0;
        if (from + n > len)
            n = len - from;
        if (pos + n > len)
            n = len - pos;
        memmove(buf + pos, buf + from, n);
        return len;
    }
    default: /* truncate */
        return pos;
    }
}

static void test_random_mutations(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    size_t n;
    weft_message **msgs = make_corpus(ctx, &n);
    int values = 0;
    for (int iter = 0; iter < 100000; iter++) {
        const weft_message *m = msgs[rng() % n];
        size_t cap = m->len + 64;
        uint8_t *buf = malloc(cap);
        assert_non_null(buf);
        memcpy(buf, m->data, m->len);
        size_t len = m->len;
        int edits = 1 + rng() % 4;
        for (int k = 0; k < edits; k++)
            len = mutate(buf, len, cap);
        values += try_read(ctx, m, buf, len);
        free(buf);
    }
    /* Some mutations must leave valid messages, or the fuzzing tests little. */
    assert_true(values > 0);
    free_corpus(msgs, n);
}

/* Hand-made messages, each with one defect; side tables from the corpus's
 * transfer message (moved buffer 0, port 0) and a SharedArrayBuffer one. */
static void check_corrupt(JSContext *ctx, const weft_message *m, const uint8_t *data, size_t len, const char *text)
{
    weft_message *c = with_bytes(m, data, len);
    JSValue v = weft__clone_read(ctx, c);
    weft__message_free(c);
    if (!JS_IsException(v)) {
        JS_FreeValue(ctx, v);
        print_error("no error, wanted '%s'\n", text);
        fail();
    }
    JSValue e = JS_GetException(ctx);
    const char *s = JS_ToCString(ctx, e);
    if (!s || !strstr(s, text)) {
        print_error("got '%s', wanted '%s'\n", s ? s : "?", text);
        fail();
    }
    JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, e);
}

#define CORRUPT(m, text, ...)                                                   \
    do {                                                                        \
        static const uint8_t bytes_[] = { __VA_ARGS__ };                        \
        check_corrupt(ctx, m, bytes_, sizeof bytes_, text);                     \
    } while (0)

static void test_crafted_defects(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    size_t n;
    weft_message **msgs = make_corpus(ctx, &n);
    const weft_message *sides = msgs[n - 1]; /* one moved buffer, one port */
    JSValue v = eval(ctx, "new SharedArrayBuffer(4)");
    weft_message *shared = write_ok(ctx, v, JS_UNDEFINED, NULL);
    JS_FreeValue(ctx, v);
    const uint8_t V = WEFT_WIRE_VERSION;

    check_corrupt(ctx, sides, NULL, 0, "wire format version -1");
    CORRUPT(sides, "wire format version 0, expected 1", 0, 1);
    CORRUPT(sides, "wire format version 2", 2, 1);
    CORRUPT(sides, "wire format version 255", 255, 1);
    CORRUPT(sides, "truncated", V);
    CORRUPT(sides, "unknown tag 0", V, 0);
    CORRUPT(sides, "unknown tag 200", V, 200);
    CORRUPT(sides, "unknown tag 10", V, 10); /* HOLE outside an array */
    CORRUPT(sides, "2 bytes after the value", V, 1, 1, 1);
    CORRUPT(sides, "truncated", V, 5, 0x80);
    CORRUPT(sides, "out of range", V, 5, 0x80, 0x80, 0x80, 0x80, 0x10);
    CORRUPT(sides, "longer than 10 bytes", V, 8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
    CORRUPT(sides, "overflows 64 bits", V, 8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02);
    CORRUPT(sides, "truncated", V, 6, 0, 0, 0, 0, 0, 0, 0xf0);
    CORRUPT(sides, "length 5 runs past the end", V, 8, 5, 'a', 'b');
    CORRUPT(sides, "length 9 runs past the end", V, 7, 9, 1);
    CORRUPT(sides, "reference to object 0, which is not created yet", V, 9, 0);
    CORRUPT(sides, "reference to object 1, which is not created yet", V, 11, 2, 9, 1, 0);
    /* A typed array's buffer may not be the typed array itself. */
    CORRUPT(sides, "reference to object 0, which is not created yet", V, 25, 1, 9, 0, 0, 0);
    CORRUPT(sides, "key 0 is not defined yet", V, 11, 1, 1, 0);
    CORRUPT(sides, "key length 3 runs past the end", V, 11, 8, 'a');
    CORRUPT(sides, "array of length 1 with 2 elements", V, 12, 1, 2, 1, 1, 0);
    CORRUPT(sides, "boolean 2", V, 13, 2);
    CORRUPT(sides, "error name 8", V, 21, 8, 0);
    CORRUPT(sides, "error name 0 with fields 0x10", V, 21, 0, 16);
    CORRUPT(sides, "typed array type 11", V, 25, 11, 22, 0, 0, 0);
    CORRUPT(sides, "a view's buffer is not an ArrayBuffer", V, 25, 1, 11, 0, 0, 0);
    CORRUPT(sides, "a view's buffer is not an ArrayBuffer", V, 26, 1, 0, 0);
    CORRUPT(sides, "out of range", V, 25, 1, 22, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10, 0);
    CORRUPT(sides, "RangeError", V, 25, 1, 22, 0, 0, 5);       /* past the buffer's end */
    CORRUPT(sides, "RangeError", V, 25, 3, 22, 0, 1, 1);       /* misaligned Int16Array */
    CORRUPT(sides, "moved buffer 1 does not exist (the message has 1)", V, 23, 1);
    CORRUPT(sides, "moved buffer 0 is used twice", V, 12, 2, 2, 23, 0, 23, 0, 0);
    CORRUPT(sides, "port 1 does not exist", V, 27, 1);
    CORRUPT(sides, "port 0 is used twice", V, 12, 2, 2, 27, 0, 27, 0, 0);
    CORRUPT(sides, "shared buffer 0 does not exist (the message has 0)", V, 24, 0);
    CORRUPT(shared, "shared buffer 1 does not exist (the message has 1)", V, 24, 1);
    CORRUPT(sides, "SyntaxError", V, 18, 1, '(', 0);          /* bad pattern */
    CORRUPT(sides, "SyntaxError", V, 18, 1, 'a', 2, 'g', 'g'); /* bad flags */
    CORRUPT(sides, "truncated", V, 19, 5, 1, 1);               /* a map promising 5 entries */
    CORRUPT(sides, "truncated", V, 20, 0xff, 0xff, 0xff, 0xff, 0x0f, 1);

    weft__message_free(shared);
    free_corpus(msgs, n);
}

/* Out of memory at every step of a write and a read: an exception each
 * time, and nothing leaked (teardown checks). The value holds no RegExp:
 * QuickJS 2025-04-26 recurses without end when its regexp compiler runs out
 * of memory (JS_ThrowError2 calls build_backtrace on JS_NULL once the error
 * object cannot be allocated, which throws again). */
static void test_out_of_memory(void **state)
{
    env *e = *state;
    JSContext *ctx = e->ctx;
    JSValue v = eval(ctx, corpus[3]);
    JSAtom re = JS_NewAtom(ctx, "re");
    assert_int_equal(JS_DeleteProperty(ctx, v, re, 0), 1);
    JS_FreeAtom(ctx, re);
    weft_message *m = write_ok(ctx, v, JS_UNDEFINED, NULL);
    JSMemoryUsage usage;
    JS_ComputeMemoryUsage(e->rt, &usage);
    int failures = 0;
    bool ok = false;
    /* From failing at once to succeeding, 16 bytes more each time. */
    for (int64_t extra = 0; extra < 16384 && !ok; extra += 16) {
        JS_SetMemoryLimit(e->rt, (size_t)(usage.malloc_size + extra));
        weft_message *w = weft__clone_write(ctx, v, JS_UNDEFINED, NULL);
        weft_message *fresh = with_bytes(m, m->data, m->len);
        JSValue c = weft__clone_read(ctx, fresh);
        JS_SetMemoryLimit(e->rt, 0);
        weft__message_free(fresh);
        ok = w && !JS_IsException(c);
        failures += !ok;
        if (!ok)
            JS_FreeValue(ctx, JS_GetException(ctx));
        weft__message_free(w);
        JS_FreeValue(ctx, c);
    }
    assert_true(ok);
    assert_true(failures > 50);
    weft__message_free(m);
    JS_FreeValue(ctx, v);
}

/* The bytes of a small message, which docs/ describes: a regression guard
 * for the wire format. */
static void test_wire_bytes(void **state)
{
    JSContext *ctx = ((env *)*state)->ctx;
    JSValue v = eval(ctx, "({ i: 1, s: 'hello', n: [-1, 0.5], t: { i: 2 } })");
    weft_message *m = write_ok(ctx, v, JS_UNDEFINED, NULL);
    JS_FreeValue(ctx, v);
    static const uint8_t want[] = {
        WEFT_WIRE_VERSION, 11,                     /* OBJECT */
        4, 'i', 5, 2,                              /* key "i" (new), INT 1 */
        4, 's', 8, 5, 'h', 'e', 'l', 'l', 'o',    /* key "s", STRING "hello" */
        4, 'n', 12, 2, 2, 5, 1,                    /* key "n", ARRAY length 2, 2 elements, INT -1 */
        6, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 0,        /* DOUBLE 0.5, end of properties */
        4, 't', 11, 1, 5, 4, 0,                    /* key "t", OBJECT { key 0 ("i"): INT 2 } */
        0,                                         /* end of properties */
    };
    assert_int_equal(m->len, sizeof want);
    assert_memory_equal(m->data, want, sizeof want);
    assert_null(m->sides);
    weft__message_free(m);
}

static void test_message_new_free(void **state)
{
    weft_message *m = weft__message_new(WEFT_MSG_CLOSE, NULL, 0);
    assert_non_null(m);
    assert_int_equal(m->kind, WEFT_MSG_CLOSE);
    assert_int_equal(m->len, 0);
    assert_null(m->next);
    weft__message_free(m);
    weft__message_free(NULL);
    static const uint8_t bytes[] = { 1, 2, 3 };
    m = weft__message_new(WEFT_MSG_EXIT, bytes, 3);
    assert_non_null(m);
    assert_memory_equal(m->data, bytes, 3);
    /* Side tables are released with the message. */
    weft_message_sides *sides = weft__message_sides(m);
    assert_non_null(sides);
    assert_ptr_equal(weft__message_sides(m), sides);
    sides->moved = calloc(2, sizeof *sides->moved);
    assert_non_null(sides->moved);
    sides->moved[0].data = malloc(10);
    sides->n_moved = 2;
    sides->ports = calloc(1, sizeof *sides->ports);
    assert_non_null(sides->ports);
    sides->ports[0] = fake_port_new();
    sides->n_ports = 1;
    weft__message_free(m);
    assert_int_equal(live_fake_ports, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_primitives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrappers_dates_regexps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arrays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_references, setup, teardown),
        cmocka_unit_test_setup_teardown(test_maps_sets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffers_and_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_array_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uncloneable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detached_in_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_sent_on_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_list_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dom_exception, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_byte_flips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_mutations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crafted_defects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wire_bytes, setup, teardown),
        cmocka_unit_test(test_message_new_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
