// Node-style errors: the classes users catch, with the `code` property that
// programs test, and the argument validators every builtin module shares.

function describeReceived(value) {
  if (value === null || value === undefined) return ` Received ${value}`;
  if (typeof value === 'function') {
    return value.name ? ` Received function ${value.name}` : ' Received function';
  }
  if (typeof value === 'object') {
    const ctor = value.constructor;
    if (ctor && typeof ctor.name === 'string' && ctor.name !== '') {
      return ` Received an instance of ${ctor.name}`;
    }
    return ' Received an object';
  }
  if (typeof value === 'symbol') return ` Received type symbol (${String(value)})`;
  let shown = typeof value === 'string' ? value : String(value);
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  if (typeof value === 'string') shown = `'${shown}'`;
  if (typeof value === 'bigint') shown += 'n';
  return ` Received type ${typeof value} (${shown})`;
}

// Makes an error of class Base whose `code` is code and whose name in the
// stack reads like Node's: "TypeError [ERR_X]: message".
export function makeError(Base, code, message) {
  const err = new Base(message);
  Object.defineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
  return err;
}

export function invalidArgType(name, expected, value) {
  const kind = name.includes('.') ? 'property' : 'argument';
  return makeError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `The "${name}" ${kind} must be ${expected}.${describeReceived(value)}`);
}

export function invalidArgValue(name, value, reason = 'is invalid') {
  let shown;
  try { shown = typeof value === 'string' ? `'${value}'` : String(value); } catch { shown = typeof value; }
  return makeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument '${name}' ${reason}. Received ${shown}`);
}

export function outOfRange(name, range, value) {
  return makeError(RangeError, 'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${String(value)}`);
}

export function validateFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
}

export function validateString(value, name) {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
}

export function validateNumber(value, name) {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
}

export function validateObject(value, name) {
  if (value === null || typeof value !== 'object') throw invalidArgType(name, 'of type object', value);
}

export function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  validateNumber(value, name);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}
