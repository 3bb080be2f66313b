// Behaviour of the builtin `util` module: promisify, callbackify, inherits,
// deprecate, util.types and the legacy predicates, with Node's errors for bad
// arguments.
import assert from 'node:assert';
import util, {
  callbackify, deprecate, format, formatWithOptions, inherits, inspect, isDeepStrictEqual, promisify,
  stripVTControlCharacters, toUSVString, types,
} from 'util';
import * as utilNamespace from 'node:util';

const { strictEqual: eq, deepStrictEqual: deepEq, throws } = assert;

// Every call must throw a Node-style error with this class, code and message.
function throwsCode(fn, type, code, message) {
  throws(fn, (err) => {
    eq(err instanceof type, true, `${err} is not a ${type.name}`);
    eq(err.code, code);
    eq(err.message, message);
    // Node's string form and stack header carry the code.
    eq(String(err), `${err.name} [${code}]: ${message}`);
    eq(err.stack.split('\n')[0], `${err.name} [${code}]: ${message.split('\n')[0]}`);
    // The frames start at the call in this file: weft's own are left out.
    const frames = err.stack.split('\n').filter((line) => line.startsWith('    at '));
    eq(frames[0].includes(`(${import.meta.filename}:`), true, frames.join('\n'));
    return true;
  });
}

const warnings = [];
process.on('warning', (w) => warnings.push(w));

// ---- the module object -------------------------------------------------------

eq(util.inspect, inspect);
eq(util.format, format);
eq(util.promisify, promisify);
eq(util.types, types);
eq(util.TextEncoder, globalThis.TextEncoder);
eq(util.TextDecoder, globalThis.TextDecoder);
eq(inspect.custom, Symbol.for('nodejs.util.inspect.custom'));
eq(typeof inspect.defaultOptions, 'object');
eq(inspect.defaultOptions.depth, 2);
eq(format('%s=%d %j', 'a', 42, { b: 1 }), 'a=42 {"b":1}');
eq(formatWithOptions({ colors: false }, '%o', [1]), '[ 1, [length]: 1 ]');
eq(inspect({ a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: [Object] } } }');
eq(stripVTControlCharacters('\u001b[31mred\u001b[39m'), 'red');
eq(toUSVString('a\ud800b\udc00'), 'a\ufffdb\ufffd');
eq(toUSVString('\ud83d\ude00'), '\ud83d\ude00');
eq(utilNamespace.default, util);
eq(utilNamespace.promisify, promisify);
eq(utilNamespace.types, types);

// ---- promisify ---------------------------------------------------------------

eq(promisify.custom, Symbol.for('nodejs.util.promisify.custom'));

function add(a, b, cb) {
  cb(null, a + b, 'ignored');
}
const addAsync = promisify(add);
eq(addAsync.name, 'add');
eq(addAsync.length, 3);
eq(addAsync[promisify.custom], addAsync);
eq(promisify(addAsync), addAsync);
eq(Object.getPrototypeOf(addAsync), Object.getPrototypeOf(add));

const customFn = () => 'custom';
function withCustom() {}
withCustom[promisify.custom] = customFn;
eq(promisify(withCustom), customFn);

const badCustom = () => {};
badCustom[promisify.custom] = 5;
throwsCode(() => promisify(badCustom), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "util.promisify.custom" property must be of type function. Received type number (5)');
throwsCode(() => promisify(1), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "original" argument must be of type function. Received type number (1)');
throwsCode(() => promisify(), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "original" argument must be of type function. Received undefined');

const pending = [];
pending.push(addAsync(2, 3).then((v) => eq(v, 5)));
pending.push(promisify((cb) => cb(new RangeError('bad')))().then(
  () => assert.fail('should reject'),
  (err) => eq(err.message, 'bad')));
pending.push(promisify(() => { throw new Error('sync'); })().then(
  () => assert.fail('should reject'),
  (err) => eq(err.message, 'sync')));
// A falsy error is no error.
pending.push(promisify((cb) => cb(0, 'v'))().then((v) => eq(v, 'v')));
// `this` is passed through.
const holder = { x: 7, get(cb) { cb(null, this.x); } };
holder.getAsync = promisify(holder.get);
pending.push(holder.getAsync().then((v) => eq(v, 7)));

// ---- callbackify ---------------------------------------------------------------

async function double(x) {
  if (x === 0) throw null; // eslint-disable-line no-throw-literal
  if (x < 0) throw new Error('negative');
  return x * 2;
}
const doubleCb = callbackify(double);
eq(doubleCb.name, 'doubleCallbackified');
eq(doubleCb.length, 2);
eq(callbackify(async () => {}).name, 'Callbackified');

function callbackResult(fn, ...args) {
  return new Promise((resolve) => fn(...args, (err, value) => resolve({ err, value })));
}
pending.push(callbackResult(doubleCb, 4).then(({ err, value }) => {
  eq(err, null);
  eq(value, 8);
}));
pending.push(callbackResult(doubleCb, -1).then(({ err }) => eq(err.message, 'negative')));
pending.push(callbackResult(doubleCb, 0).then(({ err }) => {
  eq(err.code, 'ERR_FALSY_VALUE_REJECTION');
  eq(err.message, 'Promise was rejected with falsy value');
  eq(err.reason, null);
  eq(err instanceof Error, true);
}));
// The callback runs on a later tick, never synchronously.
let syncFlag = true;
pending.push(callbackResult(doubleCb, 1).then(() => eq(syncFlag, false)));
syncFlag = false;

throwsCode(() => callbackify('x'), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "original" argument must be of type function. Received type string (\'x\')');
throwsCode(() => doubleCb(1), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The last argument must be of type function. Received type number (1)');
throwsCode(() => doubleCb(), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The last argument must be of type function. Received undefined');

// ---- inherits ------------------------------------------------------------------

function Base() {}
Base.prototype.hello = function hello() { return 'hello'; };
function Derived() { Base.call(this); }
inherits(Derived, Base);
eq(Derived.super_, Base);
eq(new Derived().hello(), 'hello');
eq(new Derived() instanceof Base, true);
eq(Object.getOwnPropertyDescriptor(Derived, 'super_').enumerable, false);

throwsCode(() => inherits(null, Base), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "ctor" argument must be of type function. Received null');
throwsCode(() => inherits(Derived, undefined), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "superCtor" argument must be of type function. Received undefined');
throwsCode(() => inherits(Derived, () => {}), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "superCtor.prototype" property must be of type object. Received undefined');

// ---- deprecate -----------------------------------------------------------------

const oldAdd = deprecate((a, b) => a + b, 'oldAdd is deprecated', 'DEP_WEFT_1');
const oldAdd2 = deprecate((a, b) => a - b, 'oldAdd2 shares the code', 'DEP_WEFT_1');
const noCode = deprecate(function noCodeFn() { return 'x'; }, 'noCode is deprecated');
eq(oldAdd(1, 2), 3);
eq(oldAdd(2, 2), 4);
eq(oldAdd2(5, 2), 3);
eq(noCode(), 'x');
eq(noCode(), 'x');
class Shape {
  constructor(n) { this.n = n; }
}
const OldShape = deprecate(Shape, 'Shape is old');
const shape = new OldShape(3);
eq(shape.n, 3);
eq(shape instanceof Shape, true);
eq(OldShape.prototype, Shape.prototype);
throwsCode(() => deprecate(() => {}, 'msg', 5), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "code" argument must be of type string. Received type number (5)');

// ---- isDeepStrictEqual -----------------------------------------------------------

eq(isDeepStrictEqual({ a: [1, 2, { b: new Map([[1, new Set([2])]]) }] }, { a: [1, 2, { b: new Map([[1, new Set([2])]]) }] }),
  true);
eq(isDeepStrictEqual({ a: 1 }, { a: '1' }), false);
eq(isDeepStrictEqual([1, 2], [1, 2, 3]), false);
eq(isDeepStrictEqual(NaN, NaN), true);
eq(isDeepStrictEqual(0, -0), false);
eq(isDeepStrictEqual(new Date(5), new Date(5)), true);
eq(isDeepStrictEqual(Object.create(null), {}), false);
const cyclic1 = { self: null };
cyclic1.self = cyclic1;
const cyclic2 = { self: null };
cyclic2.self = cyclic2;
eq(isDeepStrictEqual(cyclic1, cyclic2), true);

// ---- util.types ----------------------------------------------------------------

class SubError extends RangeError {}
function* genFn() {}
async function* asyncGenFn() {}
const values = {
  date: new Date(), regexp: /x/, map: new Map(), set: new Set(), weakMap: new WeakMap(), weakSet: new WeakSet(),
  mapIter: new Map().keys(), setIter: new Set().entries(), arrayBuffer: new ArrayBuffer(2),
  sharedArrayBuffer: new SharedArrayBuffer(2), dataView: new DataView(new ArrayBuffer(2)),
  u8: new Uint8Array(1), u8c: new Uint8ClampedArray(1), i16: new Int16Array(1), f64: new Float64Array(1),
  b64: new BigInt64Array(1), promise: Promise.resolve(1), asyncFn: async () => {}, genFn, asyncGenFn,
  genObj: genFn(), numObj: Object(1), strObj: Object('s'), boolObj: Object(false), bigObj: Object(1n),
  symObj: Object(Symbol('s')), error: new TypeError('t'), subError: new SubError(),
  args: (function () { return arguments; }()), plain: {}, array: [], num: 1, str: 's', nul: null,
  // Forgeries: a prototype or a tag does not make a Map or a Date.
  fakeMap: Object.create(Map.prototype), fakeDate: Object.create(Date.prototype), taggedSet: { [Symbol.toStringTag]: 'Set' },
  regexpProto: RegExp.prototype, thenable: { then() {} },
};
const expected = {
  isDate: ['date'], isRegExp: ['regexp'], isMap: ['map'], isSet: ['set'], isWeakMap: ['weakMap'], isWeakSet: ['weakSet'],
  isMapIterator: ['mapIter'], isSetIterator: ['setIter'], isArrayBuffer: ['arrayBuffer'],
  isSharedArrayBuffer: ['sharedArrayBuffer'], isAnyArrayBuffer: ['arrayBuffer', 'sharedArrayBuffer'],
  isDataView: ['dataView'], isArrayBufferView: ['dataView', 'u8', 'u8c', 'i16', 'f64', 'b64'],
  isTypedArray: ['u8', 'u8c', 'i16', 'f64', 'b64'], isUint8Array: ['u8'], isUint8ClampedArray: ['u8c'],
  isInt16Array: ['i16'], isFloat64Array: ['f64'], isBigInt64Array: ['b64'], isUint16Array: [],
  isPromise: ['promise'], isAsyncFunction: ['asyncFn', 'asyncGenFn'], isGeneratorFunction: ['genFn', 'asyncGenFn'],
  isGeneratorObject: ['genObj'], isNumberObject: ['numObj'], isStringObject: ['strObj'], isBooleanObject: ['boolObj'],
  isBigIntObject: ['bigObj'], isSymbolObject: ['symObj'],
  isBoxedPrimitive: ['numObj', 'strObj', 'boolObj', 'bigObj', 'symObj'], isNativeError: ['error', 'subError'],
  isArgumentsObject: ['args'], isProxy: [], isExternal: [],
};
for (const [name, list] of Object.entries(expected)) {
  eq(typeof types[name], 'function', `types.${name}`);
  deepEq(Object.keys(values).filter((key) => types[name](values[key])), list, `types.${name}`);
}
// QuickJS cannot tell a proxy from its target.
eq(types.isProxy(new Proxy({}, {})), false);
eq(types.isMap(new Proxy(new Map(), {})), false);

// ---- legacy predicates -----------------------------------------------------------

eq(util.isArray([]), true);
eq(util.isBoolean(false), true);
eq(util.isBoolean(Object(false)), false);
eq(util.isNull(null), true);
eq(util.isNullOrUndefined(undefined), true);
eq(util.isNullOrUndefined(0), false);
eq(util.isNumber(NaN), true);
eq(util.isString(''), true);
eq(util.isSymbol(Symbol.iterator), true);
eq(util.isUndefined(undefined), true);
eq(util.isRegExp(/x/), true);
eq(util.isRegExp({ [Symbol.toStringTag]: 'RegExp' }), false);
eq(util.isObject({}), true);
eq(util.isObject(() => {}), false);
eq(util.isObject(null), false);
eq(util.isDate(new Date()), true);
eq(util.isError(new SubError()), true);
eq(util.isError(Object.create(Error.prototype)), true);
eq(util.isError({ message: 'm', name: 'Error' }), false);
eq(util.isFunction(class {}), true);
eq(util.isPrimitive(Symbol('s')), true);
eq(util.isPrimitive({}), false);
eq(util.isPrimitive(() => {}), false);

// ---- debuglog ------------------------------------------------------------------

const debugLog = util.debuglog('weft-test-section');
eq(debugLog.enabled, false);
debugLog('not printed %d', 1);

await Promise.all(pending);
// Warnings arrive on a later tick.
await new Promise((resolve) => setImmediate(resolve));
deepEq(warnings.map((w) => [w.name, w.message]), [
  ['DeprecationWarning', 'oldAdd is deprecated'],
  ['DeprecationWarning', 'noCode is deprecated'],
  ['DeprecationWarning', 'Shape is old'],
]);

console.log('ok');
