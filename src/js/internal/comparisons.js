// Deep equality as Node's lib/internal/util/comparisons.js: the algorithm
// behind assert.deepEqual / deepStrictEqual and util.isDeepStrictEqual, so
// that code written for Node compares values the same way here.

import {
  isAnyArrayBuffer, isBigIntObject, isBooleanObject, isDate, isError, isMap, isNumberObject, isRegExp, isSet,
  isStringObject, isSymbolObject, typedArrayKind,
} from 'weft:internal/types';

const isObjectLike = (value) => typeof value === 'object' && value !== null;
const isFloatArray = (value) => ['Float32Array', 'Float64Array', 'Float16Array'].includes(typedArrayKind(value));

const boxedTypes = [
  [Number, isNumberObject], [String, isStringObject], [Boolean, isBooleanObject],
  [BigInt, isBigIntObject], [Symbol, isSymbolObject],
];

// The wrapper type (Number, String, ...) of a boxed primitive, or undefined.
function boxedType(value) {
  if (!isObjectLike(value)) return undefined;
  return boxedTypes.find(([, check]) => check(value))?.[0];
}

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const isEnumerable = (object, key) => Object.prototype.propertyIsEnumerable.call(object, key);
const isPrimitive = (value) => value === null || (typeof value !== 'object' && typeof value !== 'function');

function isArrayIndex(key) {
  return typeof key === 'string' && /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

// Enumerable own keys that are not array indexes; symbols only when strict.
// Own keys list the indexes first, so the others are a tail found by walking
// back: testing every index of a large array would be slow.
function nonIndexKeys(value, strict) {
  const keys = Reflect.ownKeys(value);
  let start = keys.length;
  while (start > 0 && !isArrayIndex(keys[start - 1])) start--;
  return keys.slice(start).filter((key) => (strict || typeof key === 'string') && isEnumerable(value, key));
}

// ---------------------------------------------------------------------------
// Deep equality. `strict` selects deepStrictEqual (Object.is for primitives,
// same prototypes, symbol keys) over deepEqual (== for primitives).
// `inProgress` maps each object under comparison to the objects it is being
// compared with, so circular structures end: a pair met again while it is
// still being compared is taken as equal, and any real difference shows up
// elsewhere along the way.

export function isDeepEqual(a, b) {
  return innerDeepEqual(a, b, false, new Map());
}

export function isDeepStrictEqual(a, b) {
  return innerDeepEqual(a, b, true, new Map());
}

function innerDeepEqual(a, b, strict, inProgress) {
  if (a === b) return a !== 0 || Object.is(a, b) || !strict;
  if (strict) {
    if (typeof a === 'number') return Number.isNaN(a) && Number.isNaN(b);
    if (!isObjectLike(a) || !isObjectLike(b)) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  } else {
    if (!isObjectLike(a)) {
      // eslint-disable-next-line eqeqeq
      return !isObjectLike(b) && (a == b || (Number.isNaN(a) && Number.isNaN(b)));
    }
    if (!isObjectLike(b)) return false;
  }
  return objectsEqual(a, b, strict, inProgress);
}

const kPlain = 0;
const kArray = 1;
const kSet = 2;
const kMap = 3;

function objectsEqual(a, b, strict, inProgress) {
  const tag = Object.prototype.toString.call(a);
  if (tag !== Object.prototype.toString.call(b)) return false;

  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    const keys = nonIndexKeys(a, strict);
    if (keys.length !== nonIndexKeys(b, strict).length) return false;
    return keysEqual(a, b, strict, inProgress, kArray, keys);
  }
  if (tag === '[object Object]') return keysEqual(a, b, strict, inProgress, kPlain);

  if (isDate(a)) {
    if (!isDate(b) || a.getTime() !== b.getTime()) return false;
  } else if (isRegExp(a)) {
    if (!isRegExp(b) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (!viewsEqual(a, b, strict)) return false;
    const keys = nonIndexKeys(a, strict);
    if (keys.length !== nonIndexKeys(b, strict).length) return false;
    return keysEqual(a, b, strict, inProgress, kPlain, keys);
  } else if (isSet(a)) {
    if (!isSet(b) || a.size !== b.size) return false;
    return keysEqual(a, b, strict, inProgress, kSet);
  } else if (isMap(a)) {
    if (!isMap(b) || a.size !== b.size) return false;
    return keysEqual(a, b, strict, inProgress, kMap);
  } else if (isAnyArrayBuffer(a)) {
    if (!isAnyArrayBuffer(b) || !bytesEqual(new Uint8Array(a), new Uint8Array(b))) return false;
  } else if (isError(a)) {
    if (!isError(b) || !errorsEqual(a, b, strict, inProgress)) return false;
  } else if (boxedType(a) !== undefined) {
    if (!boxedEqual(a, b)) return false;
  } else if (Array.isArray(b) || ArrayBuffer.isView(b) || isSet(b) || isMap(b) || isDate(b) || isRegExp(b) ||
             isAnyArrayBuffer(b) || boxedType(b) !== undefined || isError(b)) {
    return false;
  }
  return keysEqual(a, b, strict, inProgress, kPlain);
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

// Typed arrays and DataViews. Loosely, float arrays compare by value (so 0
// equals -0 and NaN differs from NaN); otherwise they compare byte for byte.
function viewsEqual(a, b, strict) {
  if (typedArrayKind(a) !== typedArrayKind(b) || a.byteLength !== b.byteLength) return false;
  if (!strict && isFloatArray(a)) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) return false;
    }
    return true;
  }
  return bytesEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

function boxedEqual(a, b) {
  const type = boxedType(a);
  if (boxedType(b) !== type) return false;
  return Object.is(type.prototype.valueOf.call(a), type.prototype.valueOf.call(b));
}

// The stack may differ between otherwise identical errors and is ignored.
// message, name, cause and errors (AggregateError) are usually own but not
// enumerable, so the key comparison would miss them: they are compared here
// unless enumerable on both sides.
function errorsEqual(a, b, strict, inProgress) {
  for (const key of ['message', 'name', 'cause', 'errors']) {
    const enumerable = isEnumerable(a, key);
    if (enumerable !== isEnumerable(b, key)) return false;
    if (enumerable) continue;
    const equal = key === 'message' || key === 'name'
      ? a[key] === b[key]
      : innerDeepEqual(a[key], b[key], strict, inProgress);
    if (!equal) return false;
  }
  return true;
}

// Compares own enumerable keys (given for arrays and typed arrays: the
// non-index keys), then the values of those keys and the entries.
function keysEqual(a, b, strict, inProgress, kind, givenKeys) {
  let keys = givenKeys ?? Object.keys(a);
  if (!keys.every((key) => isEnumerable(b, key))) return false;
  if (givenKeys === undefined) {
    if (keys.length !== Object.keys(b).length) return false;
    if (strict) {
      const symbols = enumerableSymbols(a);
      if (symbols.length !== enumerableSymbols(b).length || !symbols.every((key) => isEnumerable(b, key))) {
        return false;
      }
      keys = [...keys, ...symbols];
    }
  }
  const empty = kind === kArray ? a.length === 0 : kind === kPlain || a.size === 0;
  if (keys.length === 0 && empty) return true;

  let partners = inProgress.get(a);
  if (partners?.has(b)) return true;
  if (partners === undefined) inProgress.set(a, partners = new Set());
  partners.add(b);
  try {
    return valuesEqual(a, b, strict, inProgress, keys, kind);
  } finally {
    partners.delete(b);
    if (partners.size === 0) inProgress.delete(a);
  }
}

function enumerableSymbols(value) {
  return Object.getOwnPropertySymbols(value).filter((key) => isEnumerable(value, key));
}

function valuesEqual(a, b, strict, inProgress, keys, kind) {
  for (const key of keys) {
    if (!innerDeepEqual(a[key], b[key], strict, inProgress)) return false;
  }
  switch (kind) {
    case kArray: return arrayItemsEqual(a, b, strict, inProgress);
    case kSet: return setsEqual(a, b, strict, inProgress);
    case kMap: return mapsEqual(a, b, strict, inProgress);
    default: return true;
  }
}

function arrayItemsEqual(a, b, strict, inProgress) {
  for (let i = 0; i < a.length; i++) {
    if (hasOwn(a, i) !== hasOwn(b, i)) return false;
    if (!hasOwn(a, i)) return sparseArraysEqual(a, b, strict, inProgress);
    if (!innerDeepEqual(a[i], b[i], strict, inProgress)) return false;
  }
  return true;
}

// Holes on both sides: compare what is left key by key, as Node does.
function sparseArraysEqual(a, b, strict, inProgress) {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => hasOwn(b, key) && innerDeepEqual(a[key], b[key], strict, inProgress));
}

// Removes from `candidates` one element deep-equal to `value`; false if none.
function takeEqual(candidates, value, strict, inProgress) {
  for (const candidate of candidates) {
    if (innerDeepEqual(candidate, value, strict, inProgress)) {
      candidates.delete(candidate);
      return true;
    }
  }
  return false;
}

// Loosely, a primitive set member may match a different primitive of `b`
// (1 and '1'). Returns whether such a match is possible; for null and
// undefined (which only match each other) whether it exists.
function mayHaveLooseMatch(a, b, value) {
  switch (typeof value) {
    case 'undefined':
      return b.has(null) && !a.has(null);
    case 'object': // null
      return b.has(undefined) && !a.has(undefined);
    case 'symbol':
      return false;
    case 'string':
    case 'number':
      return !Number.isNaN(Number(value));
    default:
      return true;
  }
}

function setsEqual(a, b, strict, inProgress) {
  // Members of `a` that `b` does not hold by identity need a deep match.
  const unmatched = new Set();
  for (const value of a) {
    if (b.has(value)) continue;
    if (isPrimitive(value) && (strict || !mayHaveLooseMatch(a, b, value))) return false;
    unmatched.add(value);
  }
  if (unmatched.size === 0) return true;
  for (const value of b) {
    if (a.has(value) || (strict && isPrimitive(value))) continue;
    if (!takeEqual(unmatched, value, strict, inProgress)) return false;
  }
  return unmatched.size === 0;
}

// Removes from `candidates` (keys of map `a`) one key deep-equal to `key`
// whose value is deep-equal to `value`; false if none.
function takeEqualEntry(candidates, a, key, value, strict, inProgress) {
  for (const candidate of candidates) {
    if (innerDeepEqual(candidate, key, strict, inProgress) && innerDeepEqual(a.get(candidate), value, strict, inProgress)) {
      candidates.delete(candidate);
      return true;
    }
  }
  return false;
}

function mapsEqual(a, b, strict, inProgress) {
  // Keys of `a` whose entry has no identical-key match in `b`.
  const unmatched = new Set();
  for (const [key, value] of a) {
    if (!isPrimitive(key)) {
      unmatched.add(key);
      continue;
    }
    if (b.has(key) && innerDeepEqual(value, b.get(key), strict, inProgress)) continue;
    if (strict || !mapMayHaveLooseMatch(a, b, key, value, inProgress)) return false;
    unmatched.add(key);
  }
  if (unmatched.size === 0) return true;
  for (const [key, value] of b) {
    if (isPrimitive(key)) {
      if (strict) continue;
      if (a.has(key) && innerDeepEqual(a.get(key), value, false, inProgress)) continue;
    }
    if (!takeEqualEntry(unmatched, a, key, value, strict, inProgress)) return false;
  }
  return unmatched.size === 0;
}

// As mayHaveLooseMatch, and for a null or undefined key also the values must match.
function mapMayHaveLooseMatch(a, b, key, value, inProgress) {
  if (key !== null && key !== undefined) return mayHaveLooseMatch(a, b, key);
  const other = key === null ? undefined : null;
  return b.has(other) && !a.has(other) && innerDeepEqual(value, b.get(other), false, inProgress);
}

