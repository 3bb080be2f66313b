// Type checks by internal slot, as Node's util.types: a forged prototype or
// Symbol.toStringTag does not fool them where QuickJS lets JavaScript see the
// slot. Most call a built-in method that throws on objects of the wrong kind
// and has no side effect on the right kind.
//
// Where no such method exists, the checks fall back on the prototype chain
// or Object.prototype.toString, and say so:
// - isPromise, isMapIterator, isSetIterator, isGeneratorObject: the object
//   inherits from the builtin prototype (every brand-checking method of those
//   objects acts on them: then() marks a rejected promise handled, next()
//   consumes an iterator).
// - isAsyncFunction, isGeneratorFunction: the function inherits from the
//   builtin function prototype, so bound functions and functions whose
//   prototype was replaced are missed (Node: bound ones are missed too).
// - isNativeError: Object.prototype.toString's builtin tag, or instanceof
//   Error when a Symbol.toStringTag hides that tag.
// - isProxy: always false; a proxy cannot be told from its target in
//   JavaScript on QuickJS.
// - isExternal, isModuleNamespaceObject (by shape: null prototype,
//   non-extensible, tag 'Module'), isKeyObject and isCryptoKey (always false).

import {
  objectToString, isPrototypeOf, regExpSource, dateGetTime, numberValueOf, stringValueOf,
  booleanValueOf, bigIntValueOf, symbolValueOf, mapSize, setSize, weakMapHas, weakSetHas,
  arrayBufferByteLength, sharedArrayBufferByteLength, dataViewBuffer, typedArrayTag,
  MapIteratorPrototype, SetIteratorPrototype, AsyncFunctionPrototype, GeneratorFunctionPrototype,
  AsyncGeneratorFunctionPrototype, passesBrandCheck as passes,
} from 'weft:internal/builtins';

const GeneratorPrototype = GeneratorFunctionPrototype.prototype;
const AsyncGeneratorPrototype = AsyncGeneratorFunctionPrototype.prototype;

const isObjectLike = (value) => typeof value === 'object' && value !== null;
const inherits = (proto, value) => isObjectLike(value) && isPrototypeOf(proto, value);

export function isDate(value) {
  return isObjectLike(value) && passes(dateGetTime, value);
}

// RegExp.prototype passes the `source` check (it answers '(?:)') without being a RegExp.
export function isRegExp(value) {
  return isObjectLike(value) && value !== RegExp.prototype && passes(regExpSource, value);
}

export function isMap(value) {
  return isObjectLike(value) && passes(mapSize, value);
}

export function isSet(value) {
  return isObjectLike(value) && passes(setSize, value);
}

export function isWeakMap(value) {
  return isObjectLike(value) && passes((v) => weakMapHas(v, Object), value);
}

export function isWeakSet(value) {
  return isObjectLike(value) && passes((v) => weakSetHas(v, Object), value);
}

export function isArrayBuffer(value) {
  return isObjectLike(value) && passes(arrayBufferByteLength, value);
}

export function isSharedArrayBuffer(value) {
  return isObjectLike(value) && sharedArrayBufferByteLength !== undefined &&
    passes(sharedArrayBufferByteLength, value);
}

export function isAnyArrayBuffer(value) {
  return isArrayBuffer(value) || isSharedArrayBuffer(value);
}

export function isDataView(value) {
  return isObjectLike(value) && passes(dataViewBuffer, value);
}

// The typed array's kind ('Uint8Array', ...) or undefined.
export function typedArrayKind(value) {
  return isObjectLike(value) ? typedArrayTag(value) : undefined;
}

export function isTypedArray(value) {
  return typedArrayKind(value) !== undefined;
}

export function isArrayBufferView(value) {
  return ArrayBuffer.isView(value);
}

const kind = (name) => (value) => typedArrayKind(value) === name;
export const isUint8Array = kind('Uint8Array');
export const isUint8ClampedArray = kind('Uint8ClampedArray');
export const isUint16Array = kind('Uint16Array');
export const isUint32Array = kind('Uint32Array');
export const isInt8Array = kind('Int8Array');
export const isInt16Array = kind('Int16Array');
export const isInt32Array = kind('Int32Array');
export const isFloat16Array = kind('Float16Array');
export const isFloat32Array = kind('Float32Array');
export const isFloat64Array = kind('Float64Array');
export const isBigInt64Array = kind('BigInt64Array');
export const isBigUint64Array = kind('BigUint64Array');

export function isNumberObject(value) {
  return isObjectLike(value) && passes(numberValueOf, value);
}

export function isStringObject(value) {
  return isObjectLike(value) && passes(stringValueOf, value);
}

export function isBooleanObject(value) {
  return isObjectLike(value) && passes(booleanValueOf, value);
}

export function isBigIntObject(value) {
  return isObjectLike(value) && passes(bigIntValueOf, value);
}

export function isSymbolObject(value) {
  return isObjectLike(value) && passes(symbolValueOf, value);
}

export function isBoxedPrimitive(value) {
  return isNumberObject(value) || isStringObject(value) || isBooleanObject(value) ||
    isBigIntObject(value) || isSymbolObject(value);
}

// Does the object (or its prototype chain) have a Symbol.toStringTag? Looked
// up by descriptor, so no getter runs.
function hasToStringTag(value) {
  for (let o = value; o !== null; o = Object.getPrototypeOf(o)) {
    if (Object.getOwnPropertyDescriptor(o, Symbol.toStringTag) !== undefined) return true;
  }
  return false;
}

export function isNativeError(value) {
  if (!isObjectLike(value)) return false;
  try {
    if (!hasToStringTag(value)) return objectToString(value) === '[object Error]';
    return value instanceof Error;
  } catch {
    return false;
  }
}

export function isArgumentsObject(value) {
  try {
    return isObjectLike(value) && !hasToStringTag(value) && objectToString(value) === '[object Arguments]';
  } catch {
    return false;
  }
}

export function isPromise(value) {
  return inherits(Promise.prototype, value);
}

export function isMapIterator(value) {
  return inherits(MapIteratorPrototype, value);
}

export function isSetIterator(value) {
  return inherits(SetIteratorPrototype, value);
}

export function isGeneratorObject(value) {
  return inherits(GeneratorPrototype, value) || inherits(AsyncGeneratorPrototype, value);
}

export function isAsyncFunction(value) {
  return typeof value === 'function' &&
    (isPrototypeOf(AsyncFunctionPrototype, value) || isPrototypeOf(AsyncGeneratorFunctionPrototype, value));
}

export function isGeneratorFunction(value) {
  return typeof value === 'function' &&
    (isPrototypeOf(GeneratorFunctionPrototype, value) || isPrototypeOf(AsyncGeneratorFunctionPrototype, value));
}

export function isModuleNamespaceObject(value) {
  if (!isObjectLike(value) || Object.getPrototypeOf(value) !== null || Object.isExtensible(value)) return false;
  const desc = Object.getOwnPropertyDescriptor(value, Symbol.toStringTag);
  return desc !== undefined && desc.value === 'Module';
}

// QuickJS offers JavaScript no way to tell a proxy from its target.
export function isProxy() {
  return false;
}

export function isExternal() {
  return false;
}

export function isKeyObject() {
  return false;
}

export function isCryptoKey() {
  return false;
}

// Node's error check for deep equality and util.isError.
export function isError(value) {
  return isNativeError(value) || value instanceof Error;
}
