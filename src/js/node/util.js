// Node's `util` module.
//
// Differences from Node:
// - util.types answers by internal slot where QuickJS lets JavaScript see
//   one; isPromise, isMapIterator, isSetIterator, isGeneratorObject,
//   isAsyncFunction and isGeneratorFunction go by prototype chain, and
//   isProxy is always false: QuickJS cannot tell a proxy from its target
//   (see weft:internal/types).
// - Not implemented: util.parseArgs, util.styleText, util.MIMEType,
//   util.getSystemErrorName/Map, util.aborted, util.transferableAbort*,
//   util.parseEnv, util.isBuffer (weft has no Buffer; always false).

import { inspect, format, formatWithOptions, stripVTControlCharacters } from 'weft:internal/inspect';
import { isDeepStrictEqual } from 'weft:internal/comparisons';
import {
  invalidArgType, makeError, validateFunction, validateString,
} from 'weft:internal/errors';
import { TextDecoder, TextEncoder } from 'weft:internal/encoding';
import { toUSVString as usvString } from 'weft:internal/url';
import * as typeChecks from 'weft:internal/types';

export { inspect, format, formatWithOptions, stripVTControlCharacters, isDeepStrictEqual, TextDecoder, TextEncoder };

// ---------------------------------------------------------------------------
// util.types

const typeNames = [
  'isExternal', 'isDate', 'isArgumentsObject', 'isBigIntObject', 'isBooleanObject', 'isNumberObject',
  'isStringObject', 'isSymbolObject', 'isNativeError', 'isRegExp', 'isAsyncFunction', 'isGeneratorFunction',
  'isGeneratorObject', 'isPromise', 'isMap', 'isSet', 'isMapIterator', 'isSetIterator', 'isWeakMap', 'isWeakSet',
  'isArrayBuffer', 'isDataView', 'isSharedArrayBuffer', 'isProxy', 'isModuleNamespaceObject', 'isAnyArrayBuffer',
  'isBoxedPrimitive', 'isArrayBufferView', 'isTypedArray', 'isUint8Array', 'isUint8ClampedArray', 'isUint16Array',
  'isUint32Array', 'isInt8Array', 'isInt16Array', 'isInt32Array', 'isFloat16Array', 'isFloat32Array',
  'isFloat64Array', 'isBigInt64Array', 'isBigUint64Array', 'isKeyObject', 'isCryptoKey',
];

export const types = {};
for (const name of typeNames) types[name] = typeChecks[name];

// ---------------------------------------------------------------------------
// promisify / callbackify

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

export function promisify(original) {
  validateFunction(original, 'original');
  if (original[kCustomPromisify]) {
    const fn = original[kCustomPromisify];
    validateFunction(fn, 'util.promisify.custom');
    return Object.defineProperty(fn, kCustomPromisify, {
      value: fn, enumerable: false, writable: false, configurable: true,
    });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      args.push((err, value) => {
        if (err) reject(err);
        else resolve(value);
      });
      Reflect.apply(original, this, args);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  const descriptors = Object.getOwnPropertyDescriptors(original);
  for (const desc of Object.values(descriptors)) Object.setPrototypeOf(desc, null);
  return Object.defineProperties(fn, descriptors);
}

promisify.custom = kCustomPromisify;

function falsyRejection(reason) {
  return makeError(Error, 'ERR_FALSY_VALUE_REJECTION', 'Promise was rejected with falsy value', { reason });
}

function nextTick(fn, ...args) {
  if (typeof globalThis.process?.nextTick === 'function') globalThis.process.nextTick(fn, ...args);
  else queueMicrotask(() => fn(...args));
}

export function callbackify(original) {
  validateFunction(original, 'original');
  function callbackified(...args) {
    const maybeCb = args.pop();
    validateFunction(maybeCb, 'last argument');
    const cb = maybeCb.bind(this);
    Reflect.apply(original, this, args).then(
      (ret) => nextTick(cb, null, ret),
      (rej) => nextTick(() => cb(rej || falsyRejection(rej))));
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  if (typeof descriptors.length?.value === 'number') descriptors.length.value++;
  if (typeof descriptors.name?.value === 'string') descriptors.name.value += 'Callbackified';
  for (const desc of Object.values(descriptors)) Object.setPrototypeOf(desc, null);
  Object.defineProperties(callbackified, descriptors);
  return callbackified;
}

// ---------------------------------------------------------------------------
// inherits / deprecate / debuglog

export function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw invalidArgType('ctor', 'Function', ctor);
  if (superCtor === undefined || superCtor === null) throw invalidArgType('superCtor', 'Function', superCtor);
  if (superCtor.prototype === undefined) {
    throw invalidArgType('superCtor.prototype', 'Object', superCtor.prototype);
  }
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

// Codes already warned about: each deprecation code warns once per process.
const codesWarned = new Set();

export function deprecate(fn, msg, code) {
  if (globalThis.process?.noDeprecation === true) return fn;
  if (code !== undefined) validateString(code, 'code');
  let warned = false;
  function deprecated(...args) {
    if (!warned) {
      warned = true;
      const emitWarning = globalThis.process?.emitWarning;
      if (code !== undefined) {
        if (!codesWarned.has(code)) {
          codesWarned.add(code);
          emitWarning?.(msg, 'DeprecationWarning', code, deprecated);
        }
      } else {
        emitWarning?.(msg, 'DeprecationWarning', deprecated);
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target);
    return Reflect.apply(fn, this, args);
  }
  // The wrapper keeps fn's prototype chain, as Node's does.
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

// Sections named in NODE_DEBUG (comma-separated, '*' wildcards) log to stderr.
let debugPattern;

function debugEnabled(section) {
  if (debugPattern === undefined) {
    const spec = globalThis.process?.env?.NODE_DEBUG ?? '';
    const parts = spec.split(/[\s,]+/).filter(Boolean)
      .map((part) => part.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replaceAll('*', '.*'));
    debugPattern = parts.length > 0 ? new RegExp(`^(?:${parts.join('|')})$`, 'i') : null;
  }
  return debugPattern !== null && debugPattern.test(section);
}

export function debuglog(section, callback) {
  const set = `${section}`.toUpperCase();
  let enabled;
  const logger = (...args) => {
    enabled ??= debugEnabled(set);
    if (!enabled) return;
    const pid = globalThis.process?.pid ?? 0;
    const text = formatWithOptions({ colors: false }, ...args);
    globalThis.process?.stderr?.write(`${set} ${pid}: ${text}\n`);
  };
  Object.defineProperty(logger, 'enabled', {
    get: () => (enabled ??= debugEnabled(set)),
    configurable: true,
    enumerable: true,
  });
  if (typeof callback === 'function') callback(logger);
  return logger;
}

export const debug = debuglog;

// ---------------------------------------------------------------------------
// Small helpers

export function toUSVString(input) {
  return usvString(input);
}

const pad = (n) => String(n).padStart(2, '0');
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// util.log: "26 Feb 16:19:34 - message" on stdout (deprecated in Node).
export function log(...args) {
  const d = new Date();
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  globalThis.console.log('%s - %s', `${d.getDate()} ${months[d.getMonth()]} ${time}`, format(...args));
}

// Object.assign for own enumerable string keys (deprecated in Node).
export function _extend(target, source) {
  if (source === null || typeof source !== 'object') return target;
  const keys = Object.keys(source);
  let i = keys.length;
  while (i--) target[keys[i]] = source[keys[i]];
  return target;
}

export const isArray = Array.isArray;
export const isBoolean = (arg) => typeof arg === 'boolean';
export const isNull = (arg) => arg === null;
export const isNullOrUndefined = (arg) => arg === null || arg === undefined;
export const isNumber = (arg) => typeof arg === 'number';
export const isString = (arg) => typeof arg === 'string';
export const isSymbol = (arg) => typeof arg === 'symbol';
export const isUndefined = (arg) => arg === undefined;
export const isRegExp = typeChecks.isRegExp;
export const isObject = (arg) => arg !== null && typeof arg === 'object';
export const isDate = typeChecks.isDate;
// As Node v20: by Object.prototype.toString, so a Symbol.toStringTag of 'Error' counts.
export const isError = (arg) => Object.prototype.toString.call(arg) === '[object Error]' || arg instanceof Error;
export const isFunction = (arg) => typeof arg === 'function';
export const isPrimitive = (arg) => arg === null || (typeof arg !== 'object' && typeof arg !== 'function');
export const isBuffer = () => false;

const util = {
  _extend,
  callbackify,
  debug,
  debuglog,
  deprecate,
  format,
  formatWithOptions,
  inherits,
  inspect,
  isArray,
  isBoolean,
  isBuffer,
  isDeepStrictEqual,
  isNull,
  isNullOrUndefined,
  isNumber,
  isString,
  isSymbol,
  isUndefined,
  isRegExp,
  isObject,
  isDate,
  isError,
  isFunction,
  isPrimitive,
  log,
  promisify,
  stripVTControlCharacters,
  toUSVString,
  types,
  TextDecoder,
  TextEncoder,
};

export default util;
