// Node-style errors: the classes users catch, with the `code` property that
// programs test, Node's exact message wording, and the argument validators
// every builtin module shares. This module is the one home of them; builtin
// modules import from here rather than carrying copies.
//
// An error with a code looks like Node's in every way a program can see:
// `err.code` is an own enumerable property, `String(err)` and the first line
// of `err.stack` read "TypeError [ERR_X]: message", `err instanceof TypeError`
// holds and `err.name` is 'TypeError'. QuickJS stacks hold only the frames,
// so the header line is added here, and the frames of this module (the
// helpers that built the error) are left out, as Node hides its own.

import { load } from 'weft:internal/load';

// inspect is the largest builtin; it is loaded the first time a message needs it.
const inspect = (...args) => load('weft:internal/inspect').inspect(...args);

const kInternalFrame = '(weft:internal/errors:';

// Rewrites err.stack as V8 writes it: `header`, then the frames, leaving out
// the leading frames whose text includes one of `hide` (module ids).
export function setStack(err, header, hide = [kInternalFrame]) {
  let stack;
  try {
    stack = err.stack;
  } catch {
    return;
  }
  if (typeof stack !== 'string') return;
  const frames = stack.split('\n').filter((line) => line !== '');
  let start = 0;
  while (start < frames.length && frames[start].startsWith('    at ') &&
         hide.some((text) => frames[start].includes(text))) start++;
  const rest = frames.slice(start);
  // A stack that already has its header (not a QuickJS one) keeps it.
  if (rest.length > 0 && !rest[0].startsWith('    at ')) return;
  Object.defineProperty(err, 'stack', {
    value: rest.length > 0 ? `${header}\n${rest.join('\n')}` : header,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

// One prototype per error class, between the class's own prototype and the
// error, holding Node's toString ("Name [CODE]: message").
const codedPrototypes = new Map();

function codedPrototype(Base) {
  let proto = codedPrototypes.get(Base);
  if (proto === undefined) {
    proto = Object.create(Base.prototype, {
      constructor: { value: Base, writable: true, configurable: true },
      toString: {
        value: function toString() { return `${this.name} [${this.code}]: ${this.message}`; },
        writable: true,
        configurable: true,
      },
    });
    codedPrototypes.set(Base, proto);
  }
  return proto;
}

// Makes an error of class Base (Error, TypeError, RangeError, ...) with a
// `code`, shaped like Node's. `props` are more own enumerable properties
// (as ERR_FALSY_VALUE_REJECTION has `reason`).
export function makeError(Base, code, message, props) {
  const err = new Base(message);
  if (Base.prototype instanceof Error || Base === Error) Object.setPrototypeOf(err, codedPrototype(Base));
  Object.defineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
  if (props !== undefined) Object.assign(err, props);
  setStack(err, `${err.name} [${code}]: ${err.message}`);
  return err;
}

// Node's AbortError (events.once, timers/promises, ...): name 'AbortError',
// code 'ABORT_ERR', and no code in its string form.
export class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw invalidArgType('options', 'Object', options);
    }
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
    setStack(this, `AbortError: ${this.message}`);
  }
}

// ---------------------------------------------------------------------------
// Message pieces

const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];
const classRegExp = /^([A-Z][a-z0-9]*)+$/;

// Node's wording for the received value in ERR_INVALID_ARG_TYPE messages.
export function describeReceived(value) {
  if (value == null) return String(value);
  switch (typeof value) {
    case 'function':
      return `function ${value.name}`;
    case 'object': {
      const ctor = value.constructor;
      if ((typeof ctor === 'function' || (typeof ctor === 'object' && ctor !== null)) && 'name' in ctor) {
        return `an instance of ${ctor.name}`;
      }
      return inspect(value, { depth: -1 });
    }
    case 'string': {
      const shown = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return `type string (${shown.includes("'") ? JSON.stringify(shown) : `'${shown}'`})`;
    }
    case 'number':
      return `type number (${Object.is(value, -0) ? '-0' : value})`;
    case 'bigint':
      return `type bigint (${value}n)`;
    default: {
      let shown = inspect(value, { colors: false });
      if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
      return `type ${typeof value} (${shown})`;
    }
  }
}

// "a, b, or c" / "a or b" / "a", after `prefix` ("one of type ", ...).
function listOf(items, one, many) {
  if (items.length > 2) return `${many}${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
  if (items.length === 2) return `${many}${items[0]} or ${items[1]}`;
  return `${one}${items[0]}`;
}

// The phrase after "must be" for Node's list of expected types: type names
// ('string', 'Object'), class names ('ArrayBuffer') and anything else.
function expectedPhrase(expected) {
  const types = [];
  const instances = [];
  const other = [];
  for (const value of expected) {
    if (kTypes.includes(value)) types.push(value.toLowerCase());
    else if (classRegExp.test(value)) instances.push(value);
    else other.push(value);
  }
  // 'object' beside classes reads as the class Object.
  if (instances.length > 0 && types.includes('object')) {
    types.splice(types.indexOf('object'), 1);
    instances.push('Object');
  }
  const parts = [];
  if (types.length > 0) parts.push(listOf(types, 'of type ', 'one of type '));
  if (instances.length > 0) {
    parts.push(instances.length > 2
      ? listOf(instances, '', 'an instance of ')
      : `an instance of ${instances.join(' or ')}`);
  }
  if (other.length > 0) {
    parts.push(other.length === 1
      ? `${other[0].toLowerCase() !== other[0] ? 'an ' : ''}${other[0]}`
      : listOf(other, '', 'one of '));
  }
  return parts.join(' or ');
}

// Node's addNumericalSeparator: 1_000_000.
function withSeparators(text) {
  let out = '';
  let i = text.length;
  const start = text[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) out = `_${text.slice(i - 3, i)}${out}`;
  return `${text.slice(0, i)}${out}`;
}

// ---------------------------------------------------------------------------
// The errors

// ERR_INVALID_ARG_TYPE. `expected` is Node's: a type or class name or an
// array of them ('string', ['string', 'Buffer']); a string with a space is
// taken as the whole phrase after "must be" ('of type function',
// 'an instance of EventEmitter or EventTarget'). Dotted names
// ("options.signal") are properties in Node's wording.
export function invalidArgType(name, expected, value) {
  let subject;
  if (name.endsWith(' argument')) subject = name;
  else subject = `"${name}" ${name.includes('.') ? 'property' : 'argument'}`;
  const phrase = typeof expected === 'string' && expected.includes(' ')
    ? expected
    : expectedPhrase(Array.isArray(expected) ? expected : [expected]);
  return makeError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `The ${subject} must be ${phrase}. Received ${describeReceived(value)}`);
}

// ERR_INVALID_ARG_VALUE; Node raises some of these as RangeErrors.
export function invalidArgValue(name, value, reason = 'is invalid', Base = TypeError) {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  const kind = name.includes('.') ? 'property' : 'argument';
  return makeError(Base, 'ERR_INVALID_ARG_VALUE', `The ${kind} '${name}' ${reason}. Received ${shown}`);
}

// ERR_OUT_OF_RANGE. `range` is the phrase after "It must be".
export function outOfRange(name, range, value) {
  let received;
  if (Number.isInteger(value) && Math.abs(value) > 2 ** 32) {
    received = withSeparators(String(value));
  } else if (typeof value === 'bigint') {
    received = String(value);
    if (value > 2n ** 32n || value < -(2n ** 32n)) received = withSeparators(received);
    received += 'n';
  } else {
    received = inspect(value);
  }
  return makeError(RangeError, 'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${received}`);
}

// ERR_MISSING_ARGS; an array among the names reads "a" or "b".
export function missingArgs(...names) {
  const quoted = names.map((n) => (Array.isArray(n) ? n.map((m) => `"${m}"`).join(' or ') : `"${n}"`));
  let list;
  if (quoted.length === 1) list = `${quoted[0]} argument`;
  else if (quoted.length === 2) list = `${quoted[0]} and ${quoted[1]} arguments`;
  else list = `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]} arguments`;
  return makeError(TypeError, 'ERR_MISSING_ARGS', `The ${list} must be specified`);
}

// ERR_INVALID_THIS: a method called on the wrong kind of object.
export function invalidThis(type) {
  return makeError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
}

// ---------------------------------------------------------------------------
// Validators, as Node's lib/internal/validators.js

export function validateFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'Function', value);
}

export function validateString(value, name) {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
}

export function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'boolean', value);
}

// A number; with min or max also within them (NaN is then out of range).
export function validateNumber(value, name, min = undefined, max) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if ((min != null && value < min) || (max != null && value > max) ||
      ((min != null || max != null) && Number.isNaN(value))) {
    const range = `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}` +
      `${max != null ? `<= ${max}` : ''}`;
    throw outOfRange(name, range, value);
  }
}

export function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

export function validateInt32(value, name, min = -2147483648, max = 2147483647) {
  validateInteger(value, name, min, max);
}

export function validateUint32(value, name, positive = false) {
  validateInteger(value, name, positive ? 1 : 0, 4294967295);
}

// An object; arrays, functions and null only when the options allow them
// ({ allowArray, allowFunction, nullable }, as Node's older signature).
export function validateObject(value, name, options) {
  const allowArray = options?.allowArray === true;
  const allowFunction = options?.allowFunction === true;
  const nullable = options?.nullable === true;
  if ((!nullable && value === null) ||
      (!allowArray && Array.isArray(value)) ||
      (typeof value !== 'object' && (!allowFunction || typeof value !== 'function'))) {
    throw invalidArgType(name, 'Object', value);
  }
}

export function validateArray(value, name, minLength = 0) {
  if (!Array.isArray(value)) throw invalidArgType(name, 'Array', value);
  if (value.length < minLength) throw invalidArgValue(name, value, `must be longer than ${minLength}`);
}

export function validateOneOf(value, name, oneOf) {
  if (!oneOf.includes(value)) {
    const allowed = oneOf.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
    throw invalidArgValue(name, value, `must be one of: ${allowed}`);
  }
}

export function validateAbortSignal(signal, name) {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw invalidArgType(name, 'AbortSignal', signal);
  }
}
