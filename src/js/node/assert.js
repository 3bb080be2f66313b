// Node's `assert` module.
//
// Equality follows Node's own algorithms (lib/internal/util/comparisons.js)
// so that tests written for Node pass or fail the same way here; messages
// follow Node's wording, and failed comparisons show a line diff of the two
// values as printed by inspect().

import { inspect } from 'weft:internal/inspect';
import {
  describeReceived, invalidArgType, invalidArgValue, makeError, missingArgs, setStack,
} from 'weft:internal/errors';
import { isError, isRegExp } from 'weft:internal/types';
import { isDeepEqual, isDeepStrictEqual } from 'weft:internal/comparisons';

const isObjectLike = (value) => typeof value === 'object' && value !== null;

function missingActualExpected() {
  return missingArgs('actual', 'expected');
}

// ---------------------------------------------------------------------------
// AssertionError and its messages

const kReadableOperator = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
};

// Two primitives this short are shown as "a !== b" instead of a diff.
const kMaxShortLength = 12;
// Longer outputs are cut, as Node does.
const kMaxLines = 50;

// Fixed inspect options, whatever the defaults are: everything assert
// compares is visible, one property per line so the diff is per property.
function inspectValue(value) {
  return inspect(value, {
    compact: false,
    customInspect: false,
    depth: 1000,
    maxArrayLength: Infinity,
    showHidden: false,
    showProxy: false,
    sorted: true,
    getters: true,
  });
}

// Errors are shown without their stack, which differs between any two errors.
function withoutStack(error) {
  const copy = Object.assign({ __proto__: Object.getPrototypeOf(error) }, error);
  Object.defineProperty(copy, 'message', { value: error.message });
  return copy;
}

function capLines(lines) {
  return lines.length > kMaxLines ? [...lines.slice(0, kMaxLines - 4), '...'] : lines;
}

// The message for strictEqual and deepStrictEqual: the values side by side
// when they are short primitives, otherwise a line diff.
function diffMessage(actual, expected, operator, customMessage) {
  const bothObjects = (isObjectLike(actual) && isObjectLike(expected)) ||
    (typeof actual === 'function' && typeof expected === 'function');
  if (operator === 'strictEqual' && bothObjects) operator = 'strictEqualObject';
  const header = customMessage || kReadableOperator[operator];

  const actualText = inspectValue(actual);
  const expectedText = inspectValue(expected);
  const actualLines = actualText.split('\n');
  const expectedLines = expectedText.split('\n');
  if (actualText === expectedText) {
    return `${kReadableOperator.notIdentical}\n\n${capLines(actualLines).join('\n')}\n`;
  }

  const oneLine = actualLines.length === 1 && expectedLines.length === 1;
  let indicator = '';
  if (oneLine) {
    const length = actualText.length + expectedText.length;
    const primitives = !isObjectLike(actual) && !isObjectLike(expected);
    // Not for 0 and -0: "0 !== -0" would look false, as 0 === -0.
    if (length <= kMaxShortLength && primitives && (actual !== 0 || expected !== 0)) {
      return `${header}\n\n${actualText} !== ${expectedText}\n`;
    }
    if (length > kMaxShortLength && length < 80 && operator !== 'strictEqualObject') {
      indicator = mismatchIndicator(actualText, expectedText);
    }
  }
  const { lines, skipped } = lineDiff(actualLines, expectedLines);
  return `${header}\n+ actual - expected${skipped ? ' ... Lines skipped' : ''}\n\n${lines.join('\n')}${indicator}`;
}

// A caret under the first differing character of two one-line values.
function mismatchIndicator(actual, expected) {
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  return i > 2 ? `\n  ${' '.repeat(i)}^` : '';
}

// Lines that differ only by a trailing comma are the same line: the last
// property of an object has none.
function sameLine(a, b) {
  return a === b || a === `${b},` || `${a},` === b;
}

// A line diff of actual against expected: "+ " lines only in actual, "- "
// lines only in expected, "  " lines in both. Long runs of common lines are
// shortened to their ends.
function lineDiff(actual, expected) {
  const ops = diffOps(actual, expected);
  const lines = [];
  let skipped = false;
  for (let i = 0; i < ops.length;) {
    if (ops[i].type !== ' ') {
      // A changed block prints as all its "+" lines, then all its "-" lines.
      let j = i;
      while (j < ops.length && ops[j].type !== ' ') j++;
      const block = ops.slice(i, j);
      for (const type of ['+', '-']) {
        for (const op of block) if (op.type === type) lines.push(`${type} ${op.line}`);
      }
      i = j;
      continue;
    }
    let j = i;
    while (j < ops.length && ops[j].type === ' ') j++;
    if (j - i > 5) {
      lines.push(`  ${ops[i].line}`, `  ${ops[i + 1].line}`, '...', `  ${ops[j - 2].line}`, `  ${ops[j - 1].line}`);
      skipped = true;
    } else {
      for (let k = i; k < j; k++) lines.push(`  ${ops[k].line}`);
    }
    i = j;
  }
  if (lines.length > kMaxLines) skipped = true;
  return { lines: capLines(lines), skipped };
}

// Longest-common-subsequence edit script between two line arrays. The
// common head and tail are matched first, so the quadratic table covers only
// the part that changed; a change too large for the table is shown as a
// whole block removed and added.
function diffOps(actual, expected) {
  let head = 0;
  while (head < actual.length && head < expected.length && sameLine(actual[head], expected[head])) head++;
  let tail = 0;
  while (tail < actual.length - head && tail < expected.length - head &&
         sameLine(actual[actual.length - 1 - tail], expected[expected.length - 1 - tail])) tail++;

  const common = (a, b) => ({ type: ' ', line: a.length >= b.length ? a : b });
  const ops = [];
  for (let i = 0; i < head; i++) ops.push(common(actual[i], expected[i]));

  const a = actual.slice(head, actual.length - tail);
  const b = expected.slice(head, expected.length - tail);
  if (a.length * b.length > 1e6) {
    for (const line of a) ops.push({ type: '+', line });
    for (const line of b) ops.push({ type: '-', line });
  } else {
    for (const op of lcsOps(a, b, common)) ops.push(op);
  }

  for (let i = tail; i > 0; i--) ops.push(common(actual[actual.length - i], expected[expected.length - i]));
  return ops;
}

function lcsOps(a, b, common) {
  // lengths[i][j]: LCS length of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = sameLine(a[i], b[j])
        ? lengths[i + 1][j + 1] + 1
        : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && sameLine(a[i], b[j])) {
      ops.push(common(a[i++], b[j++]));
    } else if (j < b.length && (i === a.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      ops.push({ type: '-', line: b[j++] });
    } else {
      ops.push({ type: '+', line: a[i++] });
    }
  }
  return ops;
}

// "Expected not ..." messages show the one value.
function notEqualMessage(actual, operator) {
  let header = kReadableOperator[operator];
  if (operator === 'notStrictEqual' && (isObjectLike(actual) || typeof actual === 'function')) {
    header = kReadableOperator.notStrictEqualObject;
  }
  const lines = inspectValue(actual).split('\n');
  if (lines.length === 1) return `${header}${lines[0].length > 5 ? '\n\n' : ' '}${lines[0]}`;
  return `${header}\n\n${capLines(lines).join('\n')}\n`;
}

const truncate = (text, max) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

// Messages for the loose operators and any other operator: both values.
function looseMessage(actual, expected, operator) {
  const actualText = inspectValue(actual);
  const expectedText = inspectValue(expected);
  if (operator === 'notDeepEqual' && actualText === expectedText) {
    return truncate(`${kReadableOperator.notDeepEqual}\n\n${actualText}`, 1024);
  }
  const a = truncate(actualText, 512);
  const b = truncate(expectedText, 512);
  if (operator === 'deepEqual') return `${kReadableOperator.deepEqual}\n\n${a}\n\nshould loosely deep-equal\n\n${b}`;
  if (operator === 'notDeepEqual') {
    return `${kReadableOperator.notDeepEqualUnequal}\n\n${a}\n\nshould not loosely deep-equal\n\n${b}`;
  }
  return `${a} ${operator} ${b}`;
}

function generatedMessage(actual, expected, operator) {
  if (isError(actual) && isError(expected)) {
    actual = withoutStack(actual);
    expected = withoutStack(expected);
  }
  if (operator === 'deepStrictEqual' || operator === 'strictEqual') return diffMessage(actual, expected, operator);
  if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') return notEqualMessage(actual, operator);
  return looseMessage(actual, expected, operator);
}

export class AssertionError extends Error {
  constructor(options) {
    if (!isObjectLike(options) || Array.isArray(options)) throw invalidArgType('options', 'of type object', options);
    const { message, actual, expected, operator, stackStartFn, stackStartFunction } = options;
    let text;
    if (message == null) {
      text = generatedMessage(actual, expected, operator);
    } else if (operator === 'deepStrictEqual' || operator === 'strictEqual') {
      // A custom message replaces the header; the diff still follows.
      text = diffMessage(actual, expected, operator, message);
    } else {
      text = String(message);
    }
    super(text);
    this.generatedMessage = !message;
    Object.defineProperty(this, 'name', { value: 'AssertionError', writable: true, configurable: true });
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    // Start the stack at the assert call, not inside this module, as Node
    // does with Error.captureStackTrace(this, stackStartFn).
    if (typeof Error.captureStackTrace === 'function') {
      Error.captureStackTrace(this, stackStartFn || stackStartFunction);
    } else {
      setStack(this, `${this.name} [${this.code}]: ${this.message}`);
    }
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

// A message that is an Error is thrown instead of an AssertionError.
function innerFail(options) {
  if (options.message instanceof Error) throw options.message;
  throw new AssertionError(options);
}

// ---------------------------------------------------------------------------
// The assertions

function innerOk(fn, argCount, value, message) {
  if (value) return;
  let generated = false;
  if (argCount === 0) {
    generated = true;
    message = 'No value argument passed to `assert.ok()`';
  } else if (message == null) {
    // Node quotes the failing source line here; weft has no source to show,
    // so the message is generated from the value ("false == true").
    generated = true;
  } else if (isError(message)) {
    throw message;
  }
  const err = new AssertionError({ actual: value, expected: true, message, operator: '==', stackStartFn: fn });
  err.generatedMessage = generated;
  throw err;
}

export function ok(...args) {
  innerOk(ok, args.length, ...args);
}

let failWarned = false;

export function fail(actual, expected, message, operator, stackStartFn) {
  const argCount = arguments.length;
  let generated = false;
  if (actual == null && argCount <= 1) {
    generated = true;
    message = 'Failed';
  } else if (argCount === 1) {
    message = actual;
    actual = undefined;
  } else {
    if (!failWarned && typeof globalThis.process?.emitWarning === 'function') {
      failWarned = true;
      globalThis.process.emitWarning('assert.fail() with more than one argument is deprecated. ' +
        'Please use assert.strictEqual() instead or only pass a message.', 'DeprecationWarning', 'DEP0094');
    }
    if (argCount === 2) operator = '!=';
  }
  if (message instanceof Error) throw message;
  const err = new AssertionError({
    actual,
    expected,
    operator: operator === undefined ? 'fail' : operator,
    stackStartFn: stackStartFn || fail,
    message,
  });
  if (generated) err.generatedMessage = true;
  throw err;
}

export function equal(actual, expected, message) {
  if (arguments.length < 2) throw missingActualExpected();
  // eslint-disable-next-line eqeqeq
  if (actual != expected && !(Number.isNaN(actual) && Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '==', stackStartFn: equal });
  }
}

export function notEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingActualExpected();
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '!=', stackStartFn: notEqual });
  }
}

export function strictEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingActualExpected();
  if (!Object.is(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'strictEqual', stackStartFn: strictEqual });
  }
}

export function notStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingActualExpected();
  if (Object.is(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notStrictEqual', stackStartFn: notStrictEqual });
  }
}

export function deepEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingActualExpected();
  if (!isDeepEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'deepEqual', stackStartFn: deepEqual });
  }
}

export function notDeepEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingActualExpected();
  if (isDeepEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notDeepEqual', stackStartFn: notDeepEqual });
  }
}

export function deepStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingActualExpected();
  if (!isDeepStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual });
  }
}

export function notDeepStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingActualExpected();
  if (isDeepStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual });
  }
}

// --- throws / rejects

// What the function threw, or NO_EXCEPTION when it returned.
const NO_EXCEPTION = Symbol('no exception');

function getThrown(fn) {
  if (typeof fn !== 'function') throw invalidArgType('fn', 'of type function', fn);
  try {
    fn();
  } catch (err) {
    return err;
  }
  return NO_EXCEPTION;
}

function isPromiseLike(value) {
  return value instanceof Promise ||
    (isObjectLike(value) && typeof value.then === 'function' && typeof value.catch === 'function');
}

// What the promise (or the promise returned by the function) rejected with,
// or NO_EXCEPTION when it fulfilled.
async function getRejection(promiseOrFn) {
  let promise;
  if (typeof promiseOrFn === 'function') {
    promise = promiseOrFn();
    if (!isPromiseLike(promise)) {
      throw makeError(TypeError, 'ERR_INVALID_RETURN_VALUE',
        `Expected instance of Promise to be returned from the "promiseFn" function but got ${describeReceived(promise)}.`);
    }
  } else if (isPromiseLike(promiseOrFn)) {
    promise = promiseOrFn;
  } else {
    throw invalidArgType('promiseFn', 'of type function or an instance of Promise', promiseOrFn);
  }
  try {
    await promise;
  } catch (err) {
    return err;
  }
  return NO_EXCEPTION;
}

const kErrorArgTypes = 'of type function or an instance of Error, RegExp, or Object';

// `kind` is 'exception' (throws) or 'rejection' (rejects); `args` are the
// assertion's arguments after the function: [error[, message]].
function expectsError(fn, kind, actual, args) {
  let [error, message] = args;
  if (typeof error === 'string') {
    // A string in the `error` position is the message.
    if (args.length === 2) throw invalidArgType('error', kErrorArgTypes, error);
    const thrownMessage = isObjectLike(actual) ? actual.message : actual;
    if (thrownMessage === error) {
      const what = isObjectLike(actual) ? 'error message' : 'error';
      throw makeError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT',
        `The "error/message" argument is ambiguous. The ${what} "${thrownMessage}" is identical to the message.`);
    }
    message = error;
    error = undefined;
  } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
    throw invalidArgType('error', kErrorArgTypes, error);
  }

  if (actual === NO_EXCEPTION) {
    const name = error?.name ? ` (${error.name})` : '';
    innerFail({
      actual: undefined,
      expected: error,
      operator: fn.name,
      message: `Missing expected ${kind}${name}${message ? `: ${message}` : '.'}`,
      stackStartFn: fn,
    });
  }
  if (error) checkExpectedError(actual, error, message, fn);
}

function expectationError(actual, expected, message, generated, fn) {
  const err = new AssertionError({ actual, expected, message, operator: fn.name, stackStartFn: fn });
  err.generatedMessage = generated;
  return err;
}

// Does the thrown value satisfy `expected`: a RegExp matched against its
// string form, an object whose properties it must have, an Error class, or
// a validation function that must return true.
function checkExpectedError(actual, expected, message, fn) {
  if (isRegExp(expected)) {
    const text = String(actual);
    if (expected.test(text)) return;
    throw expectationError(actual, expected, message || 'The input did not match the regular expression ' +
      `${inspect(expected)}. Input:\n\n${inspect(text)}\n`, !message, fn);
  }
  if (typeof expected !== 'function') {
    checkErrorProperties(actual, expected, message, fn);
    return;
  }
  // Arrow functions have no prototype and cannot be classes.
  if (expected.prototype !== undefined && actual instanceof expected) return;
  if (Error.isPrototypeOf(expected)) {
    throw expectationError(actual, expected, message || wrongClassMessage(actual, expected), !message, fn);
  }
  const result = Reflect.apply(expected, {}, [actual]);
  if (result === true) return;
  if (message) throw expectationError(actual, expected, message, false, fn);
  const name = expected.name ? `"${expected.name}" ` : '';
  let text = `The ${name}validation function is expected to return "true". Received ${inspect(result)}`;
  if (isError(actual)) text += `\n\nCaught error:\n\n${actual}`;
  throw expectationError(actual, expected, text, true, fn);
}

function wrongClassMessage(actual, expected) {
  let text = `The error is expected to be an instance of "${expected.name}". Received `;
  if (!isError(actual)) return `${text}"${inspect(actual, { depth: -1 })}"`;
  const name = actual.constructor?.name || actual.name;
  text += expected.name === name ? 'an error with identical name but a different prototype.' : `"${name}"`;
  if (actual.message) text += `\n\nError message:\n\n${actual.message}`;
  return text;
}

// Each own property of `expected` must be deep-strict-equal on the thrown
// value; a RegExp may stand for a string property. An Error as `expected`
// also has its name and message checked.
function checkErrorProperties(actual, expected, message, fn) {
  if (!isObjectLike(actual)) {
    const err = new AssertionError({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: fn });
    err.operator = fn.name;
    throw err;
  }
  const keys = Object.keys(expected);
  if (expected instanceof Error) keys.push('name', 'message');
  else if (keys.length === 0) throw invalidArgValue('error', expected, 'may not be an empty object');

  for (const key of keys) {
    if (matchesByRegExp(actual[key], expected[key])) continue;
    if (key in actual && isDeepStrictEqual(actual[key], expected[key])) continue;
    if (message) innerFail({ actual, expected, message, operator: fn.name, stackStartFn: fn });
    // Diff only the compared keys, with matched regexps shown as the text they matched.
    const err = new AssertionError({
      actual: new Comparison(actual, keys),
      expected: new Comparison(expected, keys, actual),
      operator: 'deepStrictEqual',
      stackStartFn: fn,
    });
    err.actual = actual;
    err.expected = expected;
    err.operator = fn.name;
    throw err;
  }
}

function matchesByRegExp(value, pattern) {
  return typeof value === 'string' && isRegExp(pattern) && pattern.test(value);
}

// The compared keys of a thrown error or of the expectation, for the diff.
class Comparison {
  constructor(object, keys, actual) {
    for (const key of keys) {
      if (!(key in object)) continue;
      this[key] = actual !== undefined && matchesByRegExp(actual[key], object[key]) ? actual[key] : object[key];
    }
  }
}

export function throws(fn, ...args) {
  expectsError(throws, 'exception', getThrown(fn), args);
}

export async function rejects(promiseFn, ...args) {
  expectsError(rejects, 'rejection', await getRejection(promiseFn), args);
}

// Does the thrown value match `expected` (a RegExp or a class/function)?
function matchesError(actual, expected) {
  if (typeof expected !== 'function') {
    if (isRegExp(expected)) return expected.test(String(actual));
    throw invalidArgType('expected', 'of type function or an instance of RegExp', expected);
  }
  if (expected.prototype !== undefined && actual instanceof expected) return true;
  if (Error.isPrototypeOf(expected)) return false;
  return Reflect.apply(expected, {}, [actual]) === true;
}

// `kind` is 'exception' (doesNotThrow) or 'rejection' (doesNotReject). A
// thrown value that does not match `error` is rethrown as it is.
function expectsNoError(fn, kind, actual, error, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }
  if (!error || matchesError(actual, error)) {
    innerFail({
      actual,
      expected: error,
      operator: fn.name,
      message: `Got unwanted ${kind}${message ? `: ${message}` : '.'}\nActual message: "${actual?.message}"`,
      stackStartFn: fn,
    });
  }
  throw actual;
}

export function doesNotThrow(fn, ...args) {
  expectsNoError(doesNotThrow, 'exception', getThrown(fn), ...args);
}

export async function doesNotReject(promiseFn, ...args) {
  expectsNoError(doesNotReject, 'rejection', await getRejection(promiseFn), ...args);
}

export function ifError(err) {
  if (err === null || err === undefined) return;
  let message = 'ifError got unwanted exception: ';
  if (typeof err === 'object' && typeof err.message === 'string') {
    message += err.message.length === 0 && err.constructor ? err.constructor.name : err.message;
  } else {
    message += inspect(err);
  }
  throw new AssertionError({ actual: err, expected: null, operator: 'ifError', message, stackStartFn: ifError });
}

// --- match / doesNotMatch

function checkMatch(string, regexp, message, fn, shouldMatch) {
  if (!isRegExp(regexp)) throw invalidArgType('regexp', 'an instance of RegExp', regexp);
  if (typeof string === 'string' && regexp.test(string) === shouldMatch) return;
  if (message instanceof Error) throw message;
  let text = message;
  if (!text) {
    text = typeof string !== 'string'
      ? `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`
      : `The input ${shouldMatch ? 'did not match' : 'was expected to not match'} the regular expression ` +
        `${inspect(regexp)}. Input:\n\n${inspect(string)}\n`;
  }
  const err = new AssertionError({ actual: string, expected: regexp, message: text, operator: fn.name, stackStartFn: fn });
  err.generatedMessage = !message;
  throw err;
}

export function match(string, regexp, message) {
  checkMatch(string, regexp, message, match, true);
}

export function doesNotMatch(string, regexp, message) {
  checkMatch(string, regexp, message, doesNotMatch, false);
}

// ---------------------------------------------------------------------------
// The module object: `assert` itself is ok(), carrying every assertion, and
// `assert.strict` is the variant whose loose comparisons are the strict ones.

const assert = ok;
Object.assign(assert, {
  fail,
  AssertionError,
  ok,
  equal,
  notEqual,
  deepEqual,
  notDeepEqual,
  deepStrictEqual,
  notDeepStrictEqual,
  strictEqual,
  notStrictEqual,
  throws,
  rejects,
  doesNotThrow,
  doesNotReject,
  ifError,
  match,
  doesNotMatch,
});

export function strict(...args) {
  innerOk(strict, args.length, ...args);
}

Object.assign(strict, assert, {
  equal: strictEqual,
  deepEqual: deepStrictEqual,
  notEqual: notStrictEqual,
  notDeepEqual: notDeepStrictEqual,
});
strict.strict = strict;
assert.strict = strict;

export default assert;
