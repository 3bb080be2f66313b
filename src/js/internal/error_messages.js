// The parts of weft:internal/errors that only run once an error is being
// made: Node's message wording and the shaping of the error object (its code,
// its toString, its stack header). weft:internal/errors is loaded by every
// thread at start-up, so it keeps only the checks and loads this module the
// first time an error needs it.

import { load } from 'weft:internal/load';

// inspect is the largest builtin; it is loaded the first time a message needs it.
const inspect = (...args) => load('weft:internal/inspect').inspect(...args);

// weft's own modules are bytecode without debug information (tools/jsc.c):
// their frames name the function and nothing else, where every other frame
// has a location in parentheses, "(native)" included.
const isOwnFrame = (frame) => frame.startsWith('    at ') && !frame.includes('(');

// Rewrites err.stack as V8 writes it: `header`, then the frames, leaving out
// the leading frames of weft's own modules (the helpers that made the error
// and the builtin that called them), so that the stack starts at the caller.
export function setStack(err, header) {
  let stack;
  try {
    stack = err.stack;
  } catch {
    return;
  }
  if (typeof stack !== 'string') return;
  const frames = stack.split('\n').filter((line) => line !== '');
  let start = 0;
  while (start < frames.length && isOwnFrame(frames[start])) start++;
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

// Gives `err`, just made by makeError as `new Base(message)`, its `code`
// (and the more own enumerable properties in `props`), shaped like Node's.
export function codeError(err, Base, code, props) {
  if (Base.prototype instanceof Error || Base === Error) Object.setPrototypeOf(err, codedPrototype(Base));
  Object.defineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
  if (props !== undefined) Object.assign(err, props);
  setStack(err, `${err.name} [${code}]: ${err.message}`);
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
// The messages of the errors weft:internal/errors makes

// ERR_INVALID_ARG_TYPE (see invalidArgType there for `expected`).
export function invalidArgTypeMessage(name, expected, value) {
  let subject;
  if (name.endsWith(' argument')) subject = name;
  else subject = `"${name}" ${name.includes('.') ? 'property' : 'argument'}`;
  const phrase = typeof expected === 'string' && expected.includes(' ')
    ? expected
    : expectedPhrase(Array.isArray(expected) ? expected : [expected]);
  return `The ${subject} must be ${phrase}. Received ${describeReceived(value)}`;
}

// ERR_INVALID_ARG_VALUE.
export function invalidArgValueMessage(name, value, reason) {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  const kind = name.includes('.') ? 'property' : 'argument';
  return `The ${kind} '${name}' ${reason}. Received ${shown}`;
}

// ERR_OUT_OF_RANGE. `range` is the phrase after "It must be".
export function outOfRangeMessage(name, range, value) {
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
  return `The value of "${name}" is out of range. It must be ${range}. Received ${received}`;
}

// ERR_MISSING_ARGS; an array among the names reads "a" or "b".
export function missingArgsMessage(names) {
  const quoted = names.map((n) => (Array.isArray(n) ? n.map((m) => `"${m}"`).join(' or ') : `"${n}"`));
  let list;
  if (quoted.length === 1) list = `${quoted[0]} argument`;
  else if (quoted.length === 2) list = `${quoted[0]} and ${quoted[1]} arguments`;
  else list = `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]} arguments`;
  return `The ${list} must be specified`;
}

// validateNumber's range: ">= min", "<= max" or ">= min && <= max".
export function numberRange(min, max) {
  return `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}` +
    `${max != null ? `<= ${max}` : ''}`;
}

// validateOneOf's reason.
export function oneOfReason(oneOf) {
  const allowed = oneOf.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
  return `must be one of: ${allowed}`;
}
