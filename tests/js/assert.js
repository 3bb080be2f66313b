// Behaviour of the builtin `assert` module. Checked with the small helpers
// below, never with assert itself.
import assert from 'assert';
import * as named from 'node:assert';
import { strict as strictAssert, AssertionError, deepStrictEqual } from 'assert';

const show = (v) => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'symbol' || typeof v === 'bigint') return `${String(v)}${typeof v === 'bigint' ? 'n' : ''}`;
  return String(v);
};

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

function eq(actual, expected, what) {
  if (!Object.is(actual, expected)) throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

function passes(fn, what) {
  try {
    fn();
  } catch (err) {
    throw new Error(`${what}: expected no exception, got ${err?.message ?? err}`);
  }
}

function caught(fn, what) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error(`${what}: expected an exception, nothing was thrown`);
}

// fn must throw an AssertionError; `expect` lists properties to compare.
// `firstLine` compares only the first line of the message.
function fails(fn, expect, what) {
  const err = caught(fn, what);
  if (!(err instanceof AssertionError)) throw new Error(`${what}: expected an AssertionError, got ${err}`);
  eq(err.code, 'ERR_ASSERTION', `${what}: code`);
  eq(err.name, 'AssertionError', `${what}: name`);
  for (const [key, value] of Object.entries(expect)) {
    if (key === 'firstLine') eq(err.message.split('\n')[0], value, `${what}: first line of the message`);
    else eq(err[key], value, `${what}: ${key}`);
  }
  return err;
}

// fn must throw a Node-style argument error.
function failsArgs(fn, { type = TypeError, code, message }, what) {
  const err = caught(fn, what);
  if (!(err instanceof type)) throw new Error(`${what}: expected a ${type.name}, got ${err}`);
  eq(err.code, code, `${what}: code`);
  if (message !== undefined) eq(err.message, message, `${what}: message`);
  return err;
}

async function settle(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

// --- module shape
const names = ['ok', 'equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual',
  'deepStrictEqual', 'notDeepStrictEqual', 'throws', 'doesNotThrow', 'rejects', 'doesNotReject', 'match',
  'doesNotMatch', 'fail', 'ifError'];
eq(typeof assert, 'function', 'assert is a function');
eq(assert.ok, assert, 'assert.ok is assert');
eq(named.default, assert, 'default export');
for (const name of names) {
  eq(typeof assert[name], 'function', `assert.${name}`);
  eq(named[name], assert[name], `named export ${name}`);
}
eq(assert.AssertionError, AssertionError, 'assert.AssertionError');
eq(assert.strict, strictAssert, 'assert.strict');
eq(named.strict, strictAssert, 'named export strict');
eq(deepStrictEqual, assert.deepStrictEqual, 'import { deepStrictEqual }');
eq(strictAssert.strict, strictAssert, 'assert.strict.strict');
eq(strictAssert.equal, assert.strictEqual, 'strict.equal is strictEqual');
eq(strictAssert.deepEqual, assert.deepStrictEqual, 'strict.deepEqual is deepStrictEqual');
eq(strictAssert.notEqual, assert.notStrictEqual, 'strict.notEqual is notStrictEqual');
eq(strictAssert.notDeepEqual, assert.notDeepStrictEqual, 'strict.notDeepEqual is notDeepStrictEqual');
eq(strictAssert.throws, assert.throws, 'strict.throws');

// --- ok
passes(() => assert(true), 'assert(true)');
passes(() => assert(1, 'never shown'), 'assert(1)');
passes(() => assert.ok('x'), 'ok(string)');
fails(() => assert(false), { generatedMessage: true, actual: false, expected: true, operator: '==' }, 'assert(false)');
fails(() => assert.ok(), { message: 'No value argument passed to `assert.ok()`', generatedMessage: true }, 'ok()');
fails(() => assert.ok(null, 'custom'), { message: 'custom', generatedMessage: false, actual: null }, 'ok(null, message)');
fails(() => assert.ok('', 5), { message: '5', generatedMessage: false }, 'a message that is not a string');
{
  const own = new RangeError('mine');
  eq(caught(() => assert.ok(false, own), 'ok(false, Error)'), own, 'an Error message is thrown as it is');
}
fails(() => strictAssert(false), { generatedMessage: true, operator: '==' }, 'strict(false)');

// --- equal / notEqual
passes(() => assert.equal(1, '1'), 'equal(1, "1")');
passes(() => assert.equal(null, undefined), 'equal(null, undefined)');
passes(() => assert.equal(NaN, NaN), 'equal(NaN, NaN)');
fails(() => assert.equal(1, 2), { message: '1 == 2', operator: '==', actual: 1, expected: 2 }, 'equal(1, 2)');
fails(() => assert.equal({}, {}), { message: '{} == {}' }, 'equal({}, {})');
fails(() => assert.equal(1, 2, 'custom'), { message: 'custom', generatedMessage: false }, 'equal with a message');
passes(() => assert.notEqual(1, 2), 'notEqual(1, 2)');
fails(() => assert.notEqual(1, '1'), { message: "1 != '1'", operator: '!=' }, 'notEqual(1, "1")');
fails(() => assert.notEqual(NaN, NaN), { message: 'NaN != NaN' }, 'notEqual(NaN, NaN)');
failsArgs(() => assert.equal(1), { code: 'ERR_MISSING_ARGS', message: 'The "actual" and "expected" arguments must be specified' },
  'equal(1)');
for (const name of ['notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual', 'deepStrictEqual', 'notDeepStrictEqual']) {
  failsArgs(() => assert[name](1), { code: 'ERR_MISSING_ARGS' }, `${name}(1)`);
}

// --- strictEqual / notStrictEqual
passes(() => assert.strictEqual(NaN, NaN), 'strictEqual(NaN, NaN)');
passes(() => assert.strictEqual('a', 'a'), 'strictEqual(a, a)');
fails(() => assert.strictEqual(1, 2), { message: 'Expected values to be strictly equal:\n\n1 !== 2\n', operator: 'strictEqual',
  generatedMessage: true }, 'strictEqual(1, 2)');
fails(() => assert.strictEqual(1, '1'), { message: "Expected values to be strictly equal:\n\n1 !== '1'\n" }, 'strictEqual(1, "1")');
fails(() => assert.strictEqual(0, -0), { message: 'Expected values to be strictly equal:\n+ actual - expected\n\n+ 0\n- -0' },
  'strictEqual(0, -0)');
fails(() => assert.strictEqual('hello world', 'hello there'), {
  message: "Expected values to be strictly equal:\n+ actual - expected\n\n+ 'hello world'\n- 'hello there'\n         ^",
}, 'strictEqual of two strings shows where they differ');
fails(() => assert.strictEqual({ a: 1 }, { a: 2 }), { firstLine: 'Expected "actual" to be reference-equal to "expected":' },
  'strictEqual of two objects');
fails(() => assert.strictEqual([1], [1]), { message: 'Values have same structure but are not reference-equal:\n\n[\n  1\n]\n' },
  'strictEqual of two identical-looking objects');
fails(() => assert.strictEqual(1, 2, 'custom'), { message: 'custom\n\n1 !== 2\n', generatedMessage: false },
  'a custom message replaces the header, the comparison stays');
passes(() => assert.notStrictEqual(1, '1'), 'notStrictEqual(1, "1")');
fails(() => assert.notStrictEqual(1, 1), { message: 'Expected "actual" to be strictly unequal to: 1', operator: 'notStrictEqual' },
  'notStrictEqual(1, 1)');
fails(() => assert.notStrictEqual('a long string', 'a long string'), {
  message: "Expected \"actual\" to be strictly unequal to:\n\n'a long string'",
}, 'notStrictEqual of a long string');
{
  const o = {};
  fails(() => assert.notStrictEqual(o, o), { message: 'Expected "actual" not to be reference-equal to "expected": {}' },
    'notStrictEqual(o, o)');
}

// --- deep equality: what is equal, loosely and strictly
function deepCase(a, b, loose, strict, what) {
  const run = (fn) => {
    try {
      fn(a, b);
      return true;
    } catch (err) {
      if (!(err instanceof AssertionError)) throw err;
      return false;
    }
  };
  eq(run(assert.deepEqual), loose, `deepEqual: ${what}`);
  eq(run(assert.deepStrictEqual), strict, `deepStrictEqual: ${what}`);
  eq(run(assert.notDeepEqual), !loose, `notDeepEqual: ${what}`);
  eq(run(assert.notDeepStrictEqual), !strict, `notDeepStrictEqual: ${what}`);
}

class Point {
  constructor(x) {
    this.x = x;
  }
}
const sym = Symbol('s');
const circular = () => {
  const o = { name: 'c' };
  o.self = o;
  o.list = [o];
  return o;
};
const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays

deepCase(1, 1, true, true, 'same number');
deepCase(1, '1', true, false, 'number and numeric string');
deepCase(0, -0, true, false, '0 and -0');
deepCase(NaN, NaN, true, true, 'NaN');
deepCase(null, undefined, true, false, 'null and undefined');
deepCase({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true, true, 'objects with keys in another order');
deepCase({ a: 1 }, { a: '1' }, true, false, 'property 1 and "1"');
deepCase({ a: 1 }, { a: 1, b: undefined }, false, false, 'an extra undefined property');
deepCase([1, 2], [2, 1], false, false, 'arrays in another order');
deepCase([1, 2], { 0: 1, 1: 2 }, false, false, 'array and array-like object');
deepCase(Object.assign([1], { extra: true }), [1], false, false, 'array with an extra property');
deepCase(sparse, [1, undefined, 3], false, false, 'sparse array and undefined element');
deepCase(new Point(1), { x: 1 }, true, false, 'class instance and plain object');
deepCase(Object.create(null), {}, true, false, 'null prototype and plain object');
deepCase(new Date(5), new Date(5), true, true, 'equal dates');
deepCase(new Date(5), new Date(6), false, false, 'different dates');
deepCase(/a/g, /a/g, true, true, 'equal regexps');
deepCase(/a/g, /a/i, false, false, 'regexps with different flags');
deepCase(new Set([1, 2]), new Set([2, 1]), true, true, 'sets in another order');
deepCase(new Set([1]), new Set(['1']), true, false, 'sets of 1 and "1"');
deepCase(new Set([{ a: 1 }, { b: 2 }]), new Set([{ b: 2 }, { a: 1 }]), true, true, 'sets with object members');
deepCase(new Set([{ a: 1 }, { a: 1 }]), new Set([{ a: 1 }, { a: 2 }]), false, false, 'sets whose object members differ');
deepCase(new Map([[1, 'a'], [2, 'b']]), new Map([[2, 'b'], [1, 'a']]), true, true, 'maps in another order');
deepCase(new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'v']]), true, true, 'maps with object keys');
deepCase(new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'w']]), false, false, 'maps with object keys and other values');
deepCase(new Map([[1, 'a']]), new Map([['1', 'a']]), true, false, 'maps with keys 1 and "1"');
deepCase(new Map(), new Set(), false, false, 'map and set');
deepCase(new Number(1), new Number(1), true, true, 'boxed numbers');
deepCase(new Number(1), new Number(2), false, false, 'different boxed numbers');
deepCase(new String('a'), 'a', false, false, 'boxed and primitive string');
deepCase(Object(1n), Object(1n), true, true, 'boxed bigints');
deepCase(new Uint8Array([1, 2]), new Uint8Array([1, 2]), true, true, 'equal typed arrays');
deepCase(new Uint8Array([1, 2]), new Uint8Array([1, 3]), false, false, 'different typed arrays');
deepCase(new Uint8Array([1]), new Int8Array([1]), false, false, 'typed arrays of different types');
deepCase(new Float64Array([0]), new Float64Array([-0]), true, false, 'float arrays with 0 and -0');
deepCase(new Float64Array([NaN]), new Float64Array([NaN]), false, true, 'float arrays with NaN');
deepCase(new ArrayBuffer(4), new ArrayBuffer(4), true, true, 'array buffers');
deepCase(new Uint8Array([1]).buffer, new Uint8Array([2]).buffer, false, false, 'array buffers with other bytes');
deepCase(new Error('a'), new Error('a'), true, true, 'errors with the same message');
deepCase(new Error('a'), new Error('b'), false, false, 'errors with other messages');
deepCase(new Error('a'), new TypeError('a'), false, false, 'errors of other types');
deepCase(new Error('a', { cause: 1 }), new Error('a', { cause: 2 }), false, false, 'errors with other causes');
deepCase(Object.assign(new Error('a'), { code: 1 }), Object.assign(new Error('a'), { code: 2 }), false, false,
  'errors with other properties');
deepCase(circular(), circular(), true, true, 'circular structures');
deepCase({ [sym]: 1 }, { [sym]: 1 }, true, true, 'equal symbol keys');
deepCase({ [sym]: 1 }, { [sym]: 2 }, true, false, 'symbol keys are compared only strictly');
deepCase({ [sym]: 1 }, {}, true, false, 'a missing symbol key');
deepCase(Object.defineProperty({}, 'hidden', { value: 1 }), {}, true, true, 'non-enumerable properties are ignored');
deepCase(() => {}, () => {}, false, false, 'two functions');

// --- deep equality messages
fails(() => assert.deepStrictEqual({ a: 1 }, { a: 2 }), {
  message: 'Expected values to be strictly deep-equal:\n+ actual - expected\n\n  {\n+   a: 1\n-   a: 2\n  }',
  operator: 'deepStrictEqual',
}, 'deepStrictEqual message');
fails(() => assert.deepStrictEqual(1, 2), { message: 'Expected values to be strictly deep-equal:\n\n1 !== 2\n' },
  'deepStrictEqual of primitives');
fails(() => assert.deepEqual({ a: 1 }, { a: 2 }), {
  message: 'Expected values to be loosely deep-equal:\n\n{\n  a: 1\n}\n\nshould loosely deep-equal\n\n{\n  a: 2\n}',
  operator: 'deepEqual',
}, 'deepEqual message');
fails(() => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }), {
  message: 'Expected "actual" not to be strictly deep-equal to:\n\n{\n  a: 1\n}\n',
}, 'notDeepStrictEqual message');
fails(() => assert.notDeepEqual({ a: 1 }, { a: '1' }), { firstLine: 'Expected values not to be loosely deep-equal:' },
  'notDeepEqual message');
{
  const err = fails(() => assert.deepStrictEqual([1, 2, 3], [1, 2, 4]), {}, 'diff of arrays');
  check(err.message.includes('\n+   3\n-   4\n'), `the diff marks the changed element:\n${err.message}`);
}

// --- throws
passes(() => assert.throws(() => { throw new Error('x'); }), 'throws without expectation');
passes(() => assert.throws(() => { throw new TypeError('x'); }, TypeError), 'throws(fn, class)');
passes(() => assert.throws(() => { throw new TypeError('x'); }, Error), 'throws(fn, base class)');
passes(() => assert.throws(() => { throw new TypeError('bad thing'); }, /bad/), 'throws(fn, RegExp)');
passes(() => assert.throws(() => { throw new TypeError('x'); }, (e) => e instanceof TypeError), 'throws(fn, validate)');
passes(() => assert.throws(() => { throw Object.assign(new Error('m'), { code: 'E1', info: { n: 1 } }); },
  { code: 'E1', message: 'm', info: { n: 1 } }), 'throws(fn, object)');
passes(() => assert.throws(() => { throw new Error('hello there'); }, { message: /there$/, name: 'Error' }),
  'throws(fn, object with a RegExp)');
passes(() => assert.throws(() => { throw new TypeError('x'); }, new TypeError('x')), 'throws(fn, error instance)');
fails(() => assert.throws(() => {}), { message: 'Missing expected exception.', operator: 'throws', actual: undefined },
  'nothing thrown');
fails(() => assert.throws(() => {}, TypeError), { message: 'Missing expected exception (TypeError).' },
  'nothing thrown, with a class');
fails(() => assert.throws(() => {}, TypeError, 'why'), { message: 'Missing expected exception (TypeError): why' },
  'nothing thrown, with a class and message');
fails(() => assert.throws(() => {}, 'why'), { message: 'Missing expected exception: why' }, 'nothing thrown, message only');
fails(() => assert.throws(() => { throw new TypeError('x'); }, RangeError), {
  message: 'The error is expected to be an instance of "RangeError". Received "TypeError"\n\nError message:\n\nx',
  operator: 'throws',
}, 'wrong class');
fails(() => assert.throws(() => { throw new Error('x'); }, /y/), {
  message: "The input did not match the regular expression /y/. Input:\n\n'Error: x'\n",
}, 'RegExp not matching');
fails(() => assert.throws(() => { throw new Error('x'); }, () => false), {
  message: 'The validation function is expected to return "true". Received false\n\nCaught error:\n\nError: x',
}, 'validation function returning false');
fails(() => assert.throws(() => { throw new Error('x'); }, { message: 'y' }), {
  firstLine: 'Expected values to be strictly deep-equal:',
  operator: 'throws',
}, 'object expectation not met');
{
  const thrown = new Error('x');
  const err = fails(() => assert.throws(() => { throw thrown; }, { message: 'y' }), {}, 'object expectation');
  eq(err.actual, thrown, 'actual is the thrown error');
  check(err.message.includes("+   message: 'x'\n-   message: 'y'"), `the diff shows the property:\n${err.message}`);
}
{
  const original = new RangeError('unrelated');
  eq(caught(() => assert.throws(() => { throw original; }, (e) => { throw e; }), 'rethrow'), original,
    'an exception in the validation function propagates');
}
failsArgs(() => assert.throws(() => { throw new Error('x'); }, {}), {
  code: 'ERR_INVALID_ARG_VALUE', message: "The argument 'error' may not be an empty object. Received {}",
}, 'an empty object expectation');
failsArgs(() => assert.throws(() => { throw new Error('x'); }, 5), {
  code: 'ERR_INVALID_ARG_TYPE',
  message: 'The "error" argument must be of type function or an instance of Error, RegExp, or Object. Received type number (5)',
}, 'a number as expectation');
failsArgs(() => assert.throws(() => { throw new Error('x'); }, 'x'), {
  code: 'ERR_AMBIGUOUS_ARGUMENT',
  message: 'The "error/message" argument is ambiguous. The error message "x" is identical to the message.',
}, 'a message equal to the error message');
failsArgs(() => assert.throws('not a function'), {
  code: 'ERR_INVALID_ARG_TYPE', message: 'The "fn" argument must be of type function. Received type string (\'not a function\')',
}, 'throws(string)');

// --- doesNotThrow
passes(() => assert.doesNotThrow(() => 1), 'doesNotThrow');
fails(() => assert.doesNotThrow(() => { throw new TypeError('oops'); }), {
  message: 'Got unwanted exception.\nActual message: "oops"', operator: 'doesNotThrow',
}, 'doesNotThrow with an exception');
fails(() => assert.doesNotThrow(() => { throw new TypeError('oops'); }, 'why'), {
  message: 'Got unwanted exception: why\nActual message: "oops"',
}, 'doesNotThrow with a message');
fails(() => assert.doesNotThrow(() => { throw new TypeError('oops'); }, TypeError), {
  message: 'Got unwanted exception.\nActual message: "oops"',
}, 'doesNotThrow with the matching class');
{
  const other = new TypeError('other');
  eq(caught(() => assert.doesNotThrow(() => { throw other; }, RangeError), 'non-matching'), other,
    'an exception of another class is rethrown');
}
failsArgs(() => assert.doesNotThrow(() => { throw new Error('x'); }, 5), {
  code: 'ERR_INVALID_ARG_TYPE',
  message: 'The "expected" argument must be of type function or an instance of RegExp. Received type number (5)',
}, 'doesNotThrow with a number');

// --- rejects / doesNotReject
{
  let result = await settle(assert.rejects(Promise.reject(new TypeError('no')), TypeError));
  check(!result.error, `rejects(promise, class): ${result.error}`);
  result = await settle(assert.rejects(async () => { throw new Error('async'); }, { message: 'async' }));
  check(!result.error, `rejects(async fn, object): ${result.error}`);
  result = await settle(assert.rejects(Promise.resolve(1)));
  eq(result.error?.message, 'Missing expected rejection.', 'rejects with a fulfilled promise');
  eq(result.error?.operator, 'rejects', 'rejects operator');
  result = await settle(assert.rejects(Promise.reject(new TypeError('x')), RangeError));
  check(result.error instanceof AssertionError, 'rejects with the wrong class');
  result = await settle(assert.rejects(() => 5));
  eq(result.error?.code, 'ERR_INVALID_RETURN_VALUE', 'rejects(fn not returning a promise)');
  eq(result.error?.message,
    'Expected instance of Promise to be returned from the "promiseFn" function but got type number (5).',
    'ERR_INVALID_RETURN_VALUE message');
  result = await settle(assert.rejects(5));
  eq(result.error?.code, 'ERR_INVALID_ARG_TYPE', 'rejects(5)');
  eq(result.error?.message,
    'The "promiseFn" argument must be of type function or an instance of Promise. Received type number (5)',
    'rejects(5) message');
  const synchronous = new Error('sync');
  result = await settle(assert.rejects(() => { throw synchronous; }));
  eq(result.error, synchronous, 'a function that throws synchronously makes rejects() reject with that error');

  result = await settle(assert.doesNotReject(Promise.resolve(1)));
  check(!result.error, 'doesNotReject with a fulfilled promise');
  result = await settle(assert.doesNotReject(async () => { throw new Error('bad'); }));
  eq(result.error?.message, 'Got unwanted rejection.\nActual message: "bad"', 'doesNotReject with a rejection');
  eq(result.error?.operator, 'doesNotReject', 'doesNotReject operator');
}

// --- match / doesNotMatch
passes(() => assert.match('abc', /b/), 'match');
fails(() => assert.match('abc', /x/), {
  message: "The input did not match the regular expression /x/. Input:\n\n'abc'\n", operator: 'match', actual: 'abc',
}, 'match failing');
fails(() => assert.match(5, /x/), {
  message: 'The "string" argument must be of type string. Received type number (5)',
}, 'match on a number');
fails(() => assert.match('abc', /x/, 'why'), { message: 'why', generatedMessage: false }, 'match with a message');
passes(() => assert.doesNotMatch('abc', /x/), 'doesNotMatch');
fails(() => assert.doesNotMatch('abc', /b/), {
  message: "The input was expected to not match the regular expression /b/. Input:\n\n'abc'\n", operator: 'doesNotMatch',
}, 'doesNotMatch failing');
failsArgs(() => assert.match('abc', 'b'), {
  code: 'ERR_INVALID_ARG_TYPE', message: 'The "regexp" argument must be an instance of RegExp. Received type string (\'b\')',
}, 'match with a string pattern');

// --- fail
fails(() => assert.fail(), { message: 'Failed', generatedMessage: true, operator: 'fail' }, 'fail()');
fails(() => assert.fail('boom'), { message: 'boom', generatedMessage: false, operator: 'fail' }, 'fail(message)');
{
  const own = new TypeError('own');
  eq(caught(() => assert.fail(own), 'fail(Error)'), own, 'fail(Error) throws the error');
}

// --- ifError
passes(() => assert.ifError(null), 'ifError(null)');
passes(() => assert.ifError(undefined), 'ifError(undefined)');
fails(() => assert.ifError(new Error('bad')), { message: 'ifError got unwanted exception: bad', operator: 'ifError' },
  'ifError(Error)');
fails(() => assert.ifError('text'), { message: "ifError got unwanted exception: 'text'" }, 'ifError(string)');
fails(() => assert.ifError(new TypeError('')), { message: 'ifError got unwanted exception: TypeError' },
  'ifError with an empty message');
fails(() => assert.ifError(0), { message: 'ifError got unwanted exception: 0' }, 'ifError(0)');

// --- AssertionError
{
  const err = new AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
  check(err instanceof Error, 'AssertionError is an Error');
  eq(err.name, 'AssertionError', 'name');
  eq(err.code, 'ERR_ASSERTION', 'code');
  eq(err.actual, 1, 'actual');
  eq(err.expected, 2, 'expected');
  eq(err.operator, 'strictEqual', 'operator');
  eq(err.generatedMessage, true, 'generatedMessage');
  eq(err.message, 'Expected values to be strictly equal:\n\n1 !== 2\n', 'generated message');
  eq(String(err), 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n1 !== 2\n', 'toString');
  eq(Object.keys(err).join(), 'generatedMessage,code,actual,expected,operator', 'own enumerable properties');
  const custom = new AssertionError({ message: 'hello' });
  eq(custom.message, 'hello', 'custom message');
  eq(custom.generatedMessage, false, 'custom message is not generated');
  eq(new AssertionError({ actual: 1, expected: 2, operator: '>' }).message, '1 > 2', 'other operators');
  failsArgs(() => new AssertionError(5), {
    code: 'ERR_INVALID_ARG_TYPE', message: 'The "options" argument must be of type object. Received type number (5)',
  }, 'new AssertionError(5)');
}

// --- strict mode
fails(() => strictAssert.equal(1, '1'), { operator: 'strictEqual' }, 'strict.equal is strict');
fails(() => strictAssert.deepEqual({ a: 1 }, { a: '1' }), { operator: 'deepStrictEqual' }, 'strict.deepEqual is strict');
passes(() => strictAssert.notEqual(1, '1'), 'strict.notEqual');
passes(() => strictAssert.notDeepEqual({ a: 1 }, { a: '1' }), 'strict.notDeepEqual');

// Node quotes the failing source line ("The expression evaluated to a falsy
// value: ..."); weft has no source text to show and describes the value.
fails(() => assert(false), { message: 'false == true' }, 'assert(false) message');
fails(() => assert.ok(0), { message: '0 == true' }, 'ok(0) message');
fails(() => strictAssert(null), { message: 'null == true' }, 'strict(null) message');

// Like Node's, an AssertionError's stack starts at the failing call.
try {
  assert.strictEqual(1, 2);
} catch (err) {
  const frames = err.stack.split('\n').filter((line) => line.startsWith('    at '));
  if (!frames[0].includes(`(${import.meta.filename}:`)) throw new Error(`stack starts inside assert:\n${err.stack}`);
}

console.log('ok');
