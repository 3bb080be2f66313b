// Node-style errors: the classes users catch, with the `code` property that
// programs test, Node's exact message wording, and the argument validators
// every builtin module shares. This module is the one home of them; builtin
// modules import from here rather than carrying copies.
//
// An error with a code looks like Node's in every way a program can see:
// `err.code` is an own enumerable property, `String(err)` and the first line
// of `err.stack` read "TypeError [ERR_X]: message", `err instanceof TypeError`
// holds and `err.name` is 'TypeError'. QuickJS stacks hold only the frames,
// so the header line is added, and the leading frames of weft's own modules
// (the helpers that built the error, the builtin that called them) are left
// out, so that the stack starts where the user's code called in.
//
// Every thread loads this module at start-up, so it holds only the checks
// and the entry points: the wording of the messages and the shaping of the
// errors are in weft:internal/error_messages, loaded the first time an error
// is made. Errors are constructed here, so that their stacks start in this
// module and setStack can leave its frames out.

import { load } from 'weft:internal/load';

const messages = () => load('weft:internal/error_messages');

// Rewrites err.stack as V8 writes it: `header`, then the frames, leaving out
// the leading frames of weft's own modules.
export function setStack(err, header) {
  messages().setStack(err, header);
}

// Makes an error of class Base (Error, TypeError, RangeError, ...) with a
// `code`, shaped like Node's. `props` are more own enumerable properties
// (as ERR_FALSY_VALUE_REJECTION has `reason`).
export function makeError(Base, code, message, props) {
  const err = new Base(message);
  messages().codeError(err, Base, code, props);
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

// Node's wording for the received value in ERR_INVALID_ARG_TYPE messages.
export function describeReceived(value) {
  return messages().describeReceived(value);
}

// ---------------------------------------------------------------------------
// The errors

// ERR_INVALID_ARG_TYPE. `expected` is Node's: a type or class name or an
// array of them ('string', ['string', 'Buffer']); a string with a space is
// taken as the whole phrase after "must be" ('of type function',
// 'an instance of EventEmitter or EventTarget'). Dotted names
// ("options.signal") are properties in Node's wording.
export function invalidArgType(name, expected, value) {
  return makeError(TypeError, 'ERR_INVALID_ARG_TYPE', messages().invalidArgTypeMessage(name, expected, value));
}

// ERR_INVALID_ARG_VALUE; Node raises some of these as RangeErrors.
export function invalidArgValue(name, value, reason = 'is invalid', Base = TypeError) {
  return makeError(Base, 'ERR_INVALID_ARG_VALUE', messages().invalidArgValueMessage(name, value, reason));
}

// ERR_OUT_OF_RANGE. `range` is the phrase after "It must be".
export function outOfRange(name, range, value) {
  return makeError(RangeError, 'ERR_OUT_OF_RANGE', messages().outOfRangeMessage(name, range, value));
}

// ERR_MISSING_ARGS; an array among the names reads "a" or "b".
export function missingArgs(...names) {
  return makeError(TypeError, 'ERR_MISSING_ARGS', messages().missingArgsMessage(names));
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
    throw outOfRange(name, messages().numberRange(min, max), value);
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
  if (!oneOf.includes(value)) throw invalidArgValue(name, value, messages().oneOfReason(oneOf));
}

export function validateAbortSignal(signal, name) {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw invalidArgType(name, 'AbortSignal', signal);
  }
}
