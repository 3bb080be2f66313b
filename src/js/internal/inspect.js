// weft:internal/inspect — value formatting for console.log, util.inspect and util.format.
//
// This follows the observable behaviour of Node.js v20 util.inspect / util.format (same option
// names and defaults, same line-breaking and array-grouping rules, same output for the
// common types) but is written against plain ECMAScript only: no engine bindings, so that it
// runs unchanged on QuickJS. Where Node asks V8 for something that JavaScript cannot see, we
// print the closest honest thing instead:
//
// - Promises: their state and value are invisible from JavaScript, so a promise prints as
//   `Promise { <unknown> }` (Node: `Promise { 1 }`, `Promise { <pending> }`, ...). Promises are
//   recognised by their prototype chain (there is no side-effect-free brand check).
// - Proxies cannot be detected, so a proxy is inspected like an ordinary object, through its
//   traps (Node shows the target without running traps when showProxy is false; showProxy
//   has no effect here). A revoked proxy prints `<Revoked Proxy>` as in Node.
// - WeakMap/WeakSet contents are never shown (`<items unknown>`), even with showHidden, and
//   Map/Set iterators print `[Map Iterator] { <items unknown> }`: their entries cannot be
//   previewed without consuming the iterator.
// - Async and generator functions are recognised by their prototype chain; a function whose
//   prototype was replaced prints as a plain `[Function: f]`. Classes are recognised from
//   their source text, as in Node, so classes compiled without source (stripped bytecode)
//   print as functions.
// - Finding the extra (non-index) properties of an array or typed array means listing all
//   its keys, which Node does natively: about 0.1 s per million elements on QuickJS.
// - Objects carrying no Symbol.toStringTag in their prototype chain are classified by
//   Object.prototype.toString (Date, RegExp, Error, boxed primitives, arguments) without
//   probing the other builtin types, because every probe costs a thrown exception, which is
//   slow on QuickJS. So a Map whose prototype was swapped for a user prototype without a tag
//   prints as a plain object.
// - QuickJS error stacks hold only the frames, not V8's `Name: message` header line, so the
//   header is rebuilt from Error.prototype.toString before the stack is printed.
// - String widths (for aligning grouped arrays) use Node's non-ICU tables, so some emoji
//   may be counted differently from an ICU build of Node.
// - Node-specific decorations are left out: URL objects, colouring of node_modules and cwd
//   paths in stack traces.
// - Inspection and format never throw on account of a value (Node does): an exception raised
//   while inspecting an object (a hostile proxy trap, a throwing custom inspect function)
//   is shown in place of that object as `<Inspection threw (message)>`; %s falls back to
//   inspect when toString throws, %d/%i/%f to NaN, and %j shows values that JSON.stringify
//   rejects as `[Unserializable: message]`. Only API misuse (a non-object inspectOptions, a
//   non-string for stripVTControlCharacters) throws, with Node's ERR_INVALID_ARG_TYPE.

import {
  uncurryThis, getterOf, objectToString, isPrototypeOf, regExpSource, dateGetTime, numberValueOf,
  stringValueOf, booleanValueOf, bigIntValueOf, symbolValueOf, mapSize, setSize, weakMapHas,
  weakSetHas, arrayBufferByteLength, sharedArrayBufferByteLength, dataViewBuffer, TypedArrayPrototype,
  typedArrayTag, MapIteratorPrototype, SetIteratorPrototype, AsyncFunctionPrototype,
  GeneratorFunctionPrototype, AsyncGeneratorFunctionPrototype, passesBrandCheck,
} from 'weft:internal/builtins';

const kCustomInspect = Symbol.for('nodejs.util.inspect.custom');

// These defaults are shared by every call; inspect.defaultOptions can change them.
const inspectDefaultOptions = Object.seal({
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
});

// ---------------------------------------------------------------------------------------------
// Builtins, captured once so that user code patching prototypes cannot change the output
// (those util.types needs as well come from weft:internal/builtins).

const hasOwn = uncurryThis(Object.prototype.hasOwnProperty);
const propertyIsEnumerable = uncurryThis(Object.prototype.propertyIsEnumerable);
const functionToString = uncurryThis(Function.prototype.toString);
const errorToString = uncurryThis(Error.prototype.toString);
const symbolToString = uncurryThis(Symbol.prototype.toString);
const regExpToString = uncurryThis(RegExp.prototype.toString);
const dateToISOString = uncurryThis(Date.prototype.toISOString);
const dateToString = uncurryThis(Date.prototype.toString);
const mapEntries = uncurryThis(Map.prototype.entries);
const setValues = uncurryThis(Set.prototype.values);
const typedArrayLength = getterOf(TypedArrayPrototype, 'length');
const mapIteratorNext = uncurryThis(MapIteratorPrototype.next);
const setIteratorNext = uncurryThis(SetIteratorPrototype.next);

const PromisePrototype = Promise.prototype;

// Names of the global constructors (Object, Array, Map, ...): objects whose toString comes
// from one of them count as having a builtin toString for %s, and showHidden stops listing
// prototype properties when it reaches one of their prototypes. Collected on first use, once
// the runtime has installed its globals.
let builtInObjects;

function isBuiltInName(name) {
  if (builtInObjects === undefined) {
    builtInObjects = new Set(
      Object.getOwnPropertyNames(globalThis).filter((key) => /^[A-Z][a-zA-Z0-9]+$/.test(key)));
  }
  return builtInObjects.has(name);
}

// ---------------------------------------------------------------------------------------------
// Type checks, mostly the engine's own brand checks (passesBrandCheck).

function isInstanceof(value, constructor) {
  try {
    return value instanceof constructor;
  } catch {
    return false;
  }
}

// Every operation on a revoked proxy throws; Array.isArray is the one that throws for nothing
// else, and it runs no trap on a live proxy.
function isRevokedProxy(value) {
  try {
    Array.isArray(value);
    return false;
  } catch {
    return true;
  }
}

function isAsyncFunction(fn) {
  return isPrototypeOf(AsyncFunctionPrototype, fn) ||
    isPrototypeOf(AsyncGeneratorFunctionPrototype, fn);
}

function isGeneratorFunction(fn) {
  return isPrototypeOf(GeneratorFunctionPrototype, fn) ||
    isPrototypeOf(AsyncGeneratorFunctionPrototype, fn);
}

function isError(value) {
  return objectToString(value) === '[object Error]' || isInstanceof(value, Error);
}

// Kinds that Object.prototype.toString reports by internal slot when no Symbol.toStringTag
// overrides it.
const kTaglessKinds =
  new Set(['Arguments', 'Error', 'Boolean', 'Number', 'String', 'Date', 'RegExp']);

// Which builtin an object is (by internal slots, not by prototype): 'Array', 'Map', 'Date',
// ..., or 'Object' for none of them.
function getKind(value, rawTag, constructor) {
  if (typeof value === 'function') return 'Function';
  if (Array.isArray(value)) return 'Array';
  if (typedArrayTag(value) !== undefined) return 'TypedArray';
  if (typeof rawTag !== 'string') {
    const builtinTag = objectToString(value).slice(8, -1);
    if (kTaglessKinds.has(builtinTag)) return builtinTag;
    // The other builtin types all inherit a Symbol.toStringTag; without one this is a plain
    // object unless its prototype was removed.
    if (constructor !== null) return 'Object';
  }
  return probeKind(value);
}

function probeKind(value) {
  if (isPrototypeOf(PromisePrototype, value)) return 'Promise';
  if (isPrototypeOf(MapIteratorPrototype, value)) return 'Map Iterator';
  if (isPrototypeOf(SetIteratorPrototype, value)) return 'Set Iterator';
  if (passesBrandCheck(mapSize, value)) return 'Map';
  if (passesBrandCheck(setSize, value)) return 'Set';
  if (passesBrandCheck(arrayBufferByteLength, value)) return 'ArrayBuffer';
  if (sharedArrayBufferByteLength !== undefined &&
      passesBrandCheck(sharedArrayBufferByteLength, value)) return 'SharedArrayBuffer';
  if (passesBrandCheck(dataViewBuffer, value)) return 'DataView';
  if (passesBrandCheck((v) => weakMapHas(v, null), value)) return 'WeakMap';
  if (passesBrandCheck((v) => weakSetHas(v, null), value)) return 'WeakSet';
  if (passesBrandCheck(dateGetTime, value)) return 'Date';
  // RegExp.prototype passes the `source` check (it answers '(?:)') without being a RegExp.
  if (value !== RegExp.prototype && passesBrandCheck(regExpSource, value)) return 'RegExp';
  if (passesBrandCheck(numberValueOf, value)) return 'Number';
  if (passesBrandCheck(stringValueOf, value)) return 'String';
  if (passesBrandCheck(booleanValueOf, value)) return 'Boolean';
  if (passesBrandCheck(bigIntValueOf, value)) return 'BigInt';
  if (passesBrandCheck(symbolValueOf, value)) return 'Symbol';
  if (isModuleNamespace(value)) return 'Module';
  if (isError(value)) return 'Error';
  return 'Object';
}

function isModuleNamespace(value) {
  const desc = Object.getOwnPropertyDescriptor(value, Symbol.toStringTag);
  return Object.getPrototypeOf(value) === null && desc !== undefined &&
    desc.value === 'Module' && !Object.isExtensible(value);
}

function isStackOverflowError(err) {
  try {
    return (err instanceof RangeError && err.message === 'Maximum call stack size exceeded') ||
      (err.name === 'InternalError' && err.message === 'stack overflow');
  } catch {
    return false;
  }
}

// A short description of an exception raised by user code, which may itself be hostile.
function describeException(err) {
  try {
    if (err !== null && (typeof err === 'object' || typeof err === 'function')) {
      return String(err.message);
    }
    return String(err);
  } catch {
    return 'unknown error';
  }
}

// ---------------------------------------------------------------------------------------------
// Styles

function stylizeNoColor(str) {
  return str;
}

function stylizeWithColor(str, styleType) {
  const style = inspect.styles[styleType];
  if (style !== undefined) {
    const color = inspect.colors[style];
    if (color !== undefined) return `\u001b[${color[0]}m${str}\u001b[${color[1]}m`;
  }
  return str;
}

// ---------------------------------------------------------------------------------------------
// Entry point

/**
 * Returns a string representation of `value`, meant for debugging.
 * Legacy signature, still accepted: inspect(value, showHidden, depth, colors).
 */
function inspect(value, opts) {
  const ctx = {
    budget: {},
    indentationLvl: 0,
    seen: [],
    currentDepth: 0,
    stylize: stylizeNoColor,
    ...inspectDefaultOptions,
  };
  if (arguments.length > 1) {
    if (arguments.length > 2 && arguments[2] !== undefined) ctx.depth = arguments[2];
    if (arguments.length > 3 && arguments[3] !== undefined) ctx.colors = arguments[3];
    if (typeof opts === 'boolean') {
      ctx.showHidden = opts;
    } else if (opts) {
      for (const key of Object.keys(opts)) {
        if (hasOwn(inspectDefaultOptions, key) || key === 'stylize') {
          ctx[key] = opts[key];
        } else if (ctx.userOptions === undefined) {
          // Unknown keys are handed through to custom inspect functions.
          ctx.userOptions = opts;
        }
      }
    }
  }
  if (ctx.colors) ctx.stylize = stylizeWithColor;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}

inspect.custom = kCustomInspect;

Object.defineProperty(inspect, 'defaultOptions', {
  get() {
    return inspectDefaultOptions;
  },
  set(options) {
    validateObject(options, 'options');
    Object.assign(inspectDefaultOptions, options);
  },
});

// SGR codes: [set, reset] pairs (https://en.wikipedia.org/wiki/ANSI_escape_code#graphics).
const kDefaultFG = 39;
const kDefaultBG = 49;
inspect.colors = {
  __proto__: null,
  reset: [0, 0],
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  blink: [5, 25],
  inverse: [7, 27],
  hidden: [8, 28],
  strikethrough: [9, 29],
  doubleunderline: [21, 24],
  black: [30, kDefaultFG],
  red: [31, kDefaultFG],
  green: [32, kDefaultFG],
  yellow: [33, kDefaultFG],
  blue: [34, kDefaultFG],
  magenta: [35, kDefaultFG],
  cyan: [36, kDefaultFG],
  white: [37, kDefaultFG],
  bgBlack: [40, kDefaultBG],
  bgRed: [41, kDefaultBG],
  bgGreen: [42, kDefaultBG],
  bgYellow: [43, kDefaultBG],
  bgBlue: [44, kDefaultBG],
  bgMagenta: [45, kDefaultBG],
  bgCyan: [46, kDefaultBG],
  bgWhite: [47, kDefaultBG],
  framed: [51, 54],
  overlined: [53, 55],
  gray: [90, kDefaultFG],
  redBright: [91, kDefaultFG],
  greenBright: [92, kDefaultFG],
  yellowBright: [93, kDefaultFG],
  blueBright: [94, kDefaultFG],
  magentaBright: [95, kDefaultFG],
  cyanBright: [96, kDefaultFG],
  whiteBright: [97, kDefaultFG],
  bgGray: [100, kDefaultBG],
  bgRedBright: [101, kDefaultBG],
  bgGreenBright: [102, kDefaultBG],
  bgYellowBright: [103, kDefaultBG],
  bgBlueBright: [104, kDefaultBG],
  bgMagentaBright: [105, kDefaultBG],
  bgCyanBright: [106, kDefaultBG],
  bgWhiteBright: [107, kDefaultBG],
};

// Aliases are non-enumerable accessors so that listing the colours shows each one once.
for (const [alias, target] of [
  ['grey', 'gray'], ['blackBright', 'gray'], ['bgGrey', 'bgGray'], ['bgBlackBright', 'bgGray'],
  ['faint', 'dim'], ['crossedout', 'strikethrough'], ['strikeThrough', 'strikethrough'],
  ['crossedOut', 'strikethrough'], ['conceal', 'hidden'], ['swapColors', 'inverse'],
  ['swapcolors', 'inverse'], ['doubleUnderline', 'doubleunderline'],
]) {
  Object.defineProperty(inspect.colors, alias, {
    get() { return this[target]; },
    set(value) { this[target] = value; },
    configurable: true,
    enumerable: false,
  });
}

inspect.styles = Object.assign({ __proto__: null }, {
  special: 'cyan',
  number: 'yellow',
  bigint: 'yellow',
  boolean: 'yellow',
  undefined: 'grey',
  null: 'bold',
  string: 'green',
  symbol: 'green',
  date: 'magenta',
  regexp: 'red',
  module: 'underline',
});

// Node's ERR_INVALID_ARG_TYPE, for API misuse (the only case where this module throws).
function invalidArgType(name, type, value) {
  const err = new TypeError(
    `The "${name}" argument must be of type ${type}. Received ${describeReceived(value)}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

function describeReceived(value) {
  if (value == null) return `${value}`;
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'object') {
    const constructor = getConstructorName(value, { depth: -1 }, 0);
    return constructor ? `an instance of ${constructor}` : inspect(value, { depth: -1 });
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return `type ${typeof value} (${shown})`;
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object') throw invalidArgType(name, 'object', value);
}

// The options object handed to custom inspect functions.
function getUserOptions(ctx) {
  const options = { stylize: ctx.stylize };
  for (const key of Object.keys(inspectDefaultOptions)) options[key] = ctx[key];
  return { ...options, ...ctx.userOptions };
}

// ---------------------------------------------------------------------------------------------
// Values

const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;

// `typedArray` is set when an ArrayBuffer is printed as the `buffer` of a typed array, where its
// contents would repeat the array's.
function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') {
    return formatPrimitive(ctx.stylize, value, ctx);
  }
  if (value === null) return ctx.stylize('null', 'null');
  if (isRevokedProxy(value)) return ctx.stylize('<Revoked Proxy>', 'special');

  // Whatever user code throws while we look at this object replaces the object's output, so
  // that printing a value never fails.
  const seenLength = ctx.seen.length;
  const indentationLvl = ctx.indentationLvl;
  try {
    if (ctx.customInspect) {
      const custom = formatCustom(ctx, value, recurseTimes);
      if (custom !== undefined) return custom;
    }
    if (ctx.seen.includes(value)) return formatCircular(ctx, value);
    return formatRaw(ctx, value, recurseTimes, typedArray);
  } catch (err) {
    ctx.seen.length = seenLength;
    ctx.indentationLvl = indentationLvl;
    if (isStackOverflowError(err)) return stackOverflowMessage(ctx, engineClassName(value));
    return ctx.stylize(`<Inspection threw (${describeException(err)})>`, 'special');
  }
}

// Calls value[inspect.custom](depth, options, inspect) when there is one; returns undefined when
// the default formatting applies.
function formatCustom(ctx, value, recurseTimes) {
  const custom = value[kCustomInspect];
  if (typeof custom !== 'function' || custom === inspect) return undefined;
  // Prototype objects (Foo.prototype) are printed as they are, not through their own method.
  const constructorDesc = Object.getOwnPropertyDescriptor(value, 'constructor');
  if (constructorDesc !== undefined && constructorDesc.value != null &&
      constructorDesc.value.prototype === value) {
    return undefined;
  }
  // The method sees how many levels are left, as it did before depth was counted upwards.
  const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
  const ret = custom.call(value, depth, getUserOptions(ctx), inspect);
  // A method returning `this` asks for the default formatting.
  if (ret === value) return undefined;
  if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
  return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
}

// References already being printed further up become [Circular *n]; the referenced object
// gets the matching <ref *n> marker when it is finished.
function formatCircular(ctx, value) {
  if (ctx.circular === undefined) ctx.circular = new Map();
  let index = ctx.circular.get(value);
  if (index === undefined) {
    index = ctx.circular.size + 1;
    ctx.circular.set(value, index);
  }
  return ctx.stylize(`[Circular *${index}]`, 'special');
}

function formatRaw(ctx, value, recurseTimes, typedArray) {
  let protoProps;
  if (ctx.showHidden && (recurseTimes <= ctx.depth || ctx.depth === null)) protoProps = [];
  const constructor = getConstructorName(value, ctx, recurseTimes, protoProps);
  if (protoProps !== undefined && protoProps.length === 0) protoProps = undefined;

  const rawTag = value[Symbol.toStringTag];
  const kind = getKind(value, rawTag, constructor);
  const tag = visibleTag(ctx, value, rawTag);
  const layout = getLayout(ctx, value, recurseTimes, typedArray,
    { kind, constructor, tag, hasProtoProps: protoProps !== undefined });
  // Values with nothing to list are finished already.
  if (typeof layout === 'string') return layout;
  const { keys, braces, formatter, extrasType } = layout;
  let { base } = layout;

  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    let name = getCtxStyle(value, constructor, tag).slice(0, -1);
    if (constructor !== null) name = `[${name}]`;
    return ctx.stylize(name, 'special');
  }
  recurseTimes += 1;

  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  const indentationLvl = ctx.indentationLvl;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (const key of keys) {
      output.push(formatProperty(ctx, value, recurseTimes, key, extrasType));
    }
    if (protoProps !== undefined) output.push(...protoProps);
  } catch (err) {
    if (!isStackOverflowError(err)) throw err;
    ctx.seen.pop();
    ctx.indentationLvl = indentationLvl;
    return stackOverflowMessage(ctx, getCtxStyle(value, constructor, tag).slice(0, -1));
  }

  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const reference = ctx.stylize(`<ref *${index}>`, 'special');
      if (ctx.compact !== true) {
        base = base === '' ? reference : `${reference} ${base}`;
      } else {
        braces[0] = `${reference} ${braces[0]}`;
      }
    }
  }
  ctx.seen.pop();

  if (ctx.sorted) sortOutput(ctx, output, keys.length, extrasType);

  const res = reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  // Stop descending once the output gets huge (2 ** 27 characters at one level): past that
  // point strings near the engine's size limit would be built and the thread would block.
  const newLength = (ctx.budget[ctx.indentationLvl] || 0) + res.length;
  ctx.budget[ctx.indentationLvl] = newLength;
  if (newLength > 2 ** 27) ctx.depth = -1;
  return res;
}

function stackOverflowMessage(ctx, name) {
  return ctx.stylize(
    `[${name}: Inspection interrupted prematurely. Maximum call stack size exceeded.]`, 'special');
}

// Symbol.toStringTag is shown as `[tag]` only when it is not already listed as a property.
function visibleTag(ctx, value, rawTag) {
  if (typeof rawTag !== 'string' || rawTag === '') return '';
  const listed = ctx.showHidden ?
    hasOwn(value, Symbol.toStringTag) :
    propertyIsEnumerable(value, Symbol.toStringTag);
  return listed ? '' : rawTag;
}

function sortOutput(ctx, output, keyCount, extrasType) {
  const comparator = ctx.sorted === true ? undefined : ctx.sorted;
  if (extrasType === kObjectType) {
    output.sort(comparator);
  } else if (keyCount > 1) {
    // Array entries keep their order; only the extra properties after them are sorted.
    const sorted = output.slice(output.length - keyCount).sort(comparator);
    output.splice(output.length - keyCount, keyCount, ...sorted);
  }
}

const kIterableKinds =
  new Set(['Array', 'Set', 'Map', 'TypedArray', 'Map Iterator', 'Set Iterator']);

// Decides how an object is printed. Returns the finished string for objects that need no
// listing, or { base, braces, keys, formatter, extrasType }: `base` goes before the braces
// (function names, dates, errors), `formatter` produces the entries (array items, map
// entries, ...) and `keys` the properties printed after them.
function getLayout(ctx, value, recurseTimes, typedArray, type) {
  const layout = {
    base: '',
    braces: ['{', '}'],
    keys: undefined,
    formatter: () => [],
    extrasType: kObjectType,
  };
  // Like Node, only iterable objects (or ones without prototype) are treated as collections.
  if (kIterableKinds.has(type.kind) && (Symbol.iterator in value || type.constructor === null)) {
    return getCollectionLayout(ctx, value, type, layout);
  }
  layout.keys = getKeys(value, ctx.showHidden);
  return getObjectLayout(ctx, value, recurseTimes, typedArray, type, layout);
}

function getCollectionLayout(ctx, value, type, layout) {
  const { kind, constructor, tag, hasProtoProps } = type;
  if (kind === 'Array') {
    const length = value.length;
    const prefix = constructor !== 'Array' || tag !== '' ?
      getPrefix(constructor, tag, 'Array', `(${length})`) : '';
    layout.keys = getNonIndexKeys(value, ctx.showHidden);
    layout.braces = [`${prefix}[`, ']'];
    if (length === 0 && layout.keys.length === 0 && !hasProtoProps) return `${prefix}[]`;
    layout.extrasType = kArrayExtrasType;
    layout.formatter = formatArray;
  } else if (kind === 'Set' || kind === 'Map') {
    const size = kind === 'Set' ? setSize(value) : mapSize(value);
    const prefix = getPrefix(constructor, tag, kind, `(${size})`);
    layout.keys = getKeys(value, ctx.showHidden);
    layout.formatter = kind === 'Set' ? formatSet : formatMap;
    if (size === 0 && layout.keys.length === 0 && !hasProtoProps) return `${prefix}{}`;
    layout.braces = [`${prefix}{`, '}'];
  } else if (kind === 'TypedArray') {
    const length = typedArrayLength(value);
    const fallback = constructor === null ? typedArrayTag(value) : '';
    const prefix = getPrefix(constructor, tag, fallback, `(${length})`);
    layout.keys = getNonIndexKeys(value, ctx.showHidden);
    layout.braces = [`${prefix}[`, ']'];
    if (length === 0 && layout.keys.length === 0 && !ctx.showHidden) return `${prefix}[]`;
    layout.formatter = (ctx, value, recurseTimes) =>
      formatTypedArray(ctx, value, length, recurseTimes);
    layout.extrasType = kArrayExtrasType;
  } else {
    layout.keys = getKeys(value, ctx.showHidden);
    layout.braces = getIteratorBraces(kind === 'Map Iterator' ? 'Map' : 'Set', tag);
    layout.formatter = formatUnknownItems;
  }
  return layout;
}

function getObjectLayout(ctx, value, recurseTimes, typedArray, type, layout) {
  const { kind, constructor, tag, hasProtoProps } = type;
  const { keys, braces } = layout;
  const isEmpty = keys.length === 0 && !hasProtoProps;
  if (kind === 'Function') {
    layout.base = getFunctionBase(ctx, value, constructor, tag);
    if (isEmpty) return ctx.stylize(layout.base, 'special');
  } else if (constructor === 'Object') {
    if (kind === 'Arguments') {
      braces[0] = '[Arguments] {';
    } else if (tag !== '') {
      braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
    }
    if (isEmpty) return `${braces[0]}}`;
  } else if (kind === 'RegExp') {
    // A RegExp without prototype has lost the `source` and `flags` getters; copy it.
    layout.base = regExpToString(constructor !== null ? value : new RegExp(value));
    const prefix = getPrefix(constructor, tag, 'RegExp');
    if (prefix !== 'RegExp ') layout.base = `${prefix}${layout.base}`;
    if (isEmpty || (recurseTimes > ctx.depth && ctx.depth !== null)) {
      return ctx.stylize(layout.base, 'regexp');
    }
  } else if (kind === 'Date') {
    layout.base = Number.isNaN(dateGetTime(value)) ? dateToString(value) : dateToISOString(value);
    const prefix = getPrefix(constructor, tag, 'Date');
    if (prefix !== 'Date ') layout.base = `${prefix}${layout.base}`;
    if (isEmpty) return ctx.stylize(layout.base, 'date');
  } else if (kind === 'Error' || isError(value)) {
    layout.base = formatError(value, constructor, tag, ctx, keys);
    // formatError may add `cause` and `errors` to the keys.
    if (keys.length === 0 && !hasProtoProps) return layout.base;
  } else if (kind === 'ArrayBuffer' || kind === 'SharedArrayBuffer') {
    const prefix = getPrefix(constructor, tag, kind);
    if (typedArray === undefined) {
      layout.formatter = formatArrayBuffer;
    } else if (isEmpty) {
      return `${prefix}{ byteLength: ${formatNumber(ctx.stylize, value.byteLength, false)} }`;
    }
    braces[0] = `${prefix}{`;
    keys.unshift('byteLength');
  } else if (kind === 'DataView') {
    braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
    // `buffer` goes last: it is the only entry that is not a number.
    keys.unshift('byteLength', 'byteOffset', 'buffer');
  } else if (kind === 'Promise') {
    braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
    layout.formatter = formatPromise;
  } else if (kind === 'WeakSet' || kind === 'WeakMap') {
    braces[0] = `${getPrefix(constructor, tag, kind)}{`;
    layout.formatter = formatUnknownItems;
  } else if (kind === 'Module') {
    braces[0] = `${getPrefix(constructor, tag, 'Module')}{`;
    // The namespace formatter prints the keys itself (some may be uninitialized bindings).
    const namespaceKeys = keys.splice(0);
    layout.formatter = (ctx, value, recurseTimes) =>
      formatNamespaceObject(ctx, value, recurseTimes, namespaceKeys);
  } else if (kBoxedKinds.has(kind)) {
    layout.base = getBoxedBase(ctx, value, kind, keys, constructor, tag);
    // A String object's index keys were just removed.
    if (keys.length === 0 && !hasProtoProps) return layout.base;
  } else {
    if (isEmpty) return `${getCtxStyle(value, constructor, tag)}{}`;
    braces[0] = `${getCtxStyle(value, constructor, tag)}{`;
  }
  return layout;
}

function getIteratorBraces(type, tag) {
  if (tag !== `${type} Iterator`) {
    if (tag !== '') tag += '] [';
    tag += `${type} Iterator`;
  }
  return [`[${tag}] {`, '}'];
}

// ---------------------------------------------------------------------------------------------
// Names and prefixes

// The name of the nearest constructor in the prototype chain that `obj` is an instance of, or
// null when the chain ends without one. With showHidden, collects the inherited properties of
// user-defined prototypes into `protoProps` on the way.
function getConstructorName(obj, ctx, recurseTimes, protoProps) {
  let firstProto;
  const tmp = obj;
  while (obj) {
    const descriptor = Object.getOwnPropertyDescriptor(obj, 'constructor');
    if (descriptor !== undefined && typeof descriptor.value === 'function' &&
        descriptor.value.name !== '' && isInstanceof(tmp, descriptor.value)) {
      if (protoProps !== undefined &&
          (firstProto !== obj || !isBuiltInName(descriptor.value.name))) {
        addPrototypeProperties(ctx, tmp, firstProto || tmp, recurseTimes, protoProps);
      }
      return String(descriptor.value.name);
    }
    obj = Object.getPrototypeOf(obj);
    if (firstProto === undefined) firstProto = obj;
  }
  if (firstProto === null) return null;

  // A prototype chain without any named constructor: describe the first prototype instead.
  const res = engineClassName(tmp);
  if (recurseTimes > ctx.depth && ctx.depth !== null) return `${res} <Complex prototype>`;
  const protoConstr = getConstructorName(firstProto, ctx, recurseTimes + 1, protoProps);
  if (protoConstr === null) {
    return `${res} <${inspect(firstProto, { ...ctx, customInspect: false, depth: -1 })}>`;
  }
  return `${res} <${protoConstr}>`;
}

// V8 knows the builtin class of every object; this is the part of it JavaScript can see.
function engineClassName(value) {
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'function') return 'Function';
  return 'Object';
}

// Adds the non-method properties of up to three user-defined prototype levels to `output`
// (showHidden only), so that e.g. accessors declared in a class show up on its instances.
function addPrototypeProperties(ctx, main, obj, recurseTimes, output) {
  let depth = 0;
  let keys;
  let keySet;
  do {
    if (depth !== 0 || main === obj) {
      obj = Object.getPrototypeOf(obj);
      if (obj === null) return;
      const descriptor = Object.getOwnPropertyDescriptor(obj, 'constructor');
      if (descriptor !== undefined && typeof descriptor.value === 'function' &&
          isBuiltInName(descriptor.value.name)) {
        return;
      }
    }
    if (depth === 0) {
      keySet = new Set();
    } else {
      for (const key of keys) keySet.add(key);
    }
    keys = Reflect.ownKeys(obj);
    ctx.seen.push(main);
    for (const key of keys) {
      // Skip `constructor` and anything shadowed by the object or a closer prototype.
      if (key === 'constructor' || hasOwn(main, key) || (depth !== 0 && keySet.has(key))) continue;
      const desc = Object.getOwnPropertyDescriptor(obj, key);
      if (typeof desc.value === 'function') continue;
      const value = formatProperty(ctx, obj, recurseTimes, key, kObjectType, desc, main);
      output.push(ctx.colors ? `\u001b[2m${value}\u001b[22m` : value);
    }
    ctx.seen.pop();
  } while (++depth !== 3);
}

function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function getCtxStyle(value, constructor, tag) {
  let fallback = '';
  if (constructor === null) {
    fallback = engineClassName(value);
    if (fallback === tag) fallback = 'Object';
  }
  return getPrefix(constructor, tag, fallback);
}

// Own enumerable keys (all own keys with showHidden), strings first, then symbols.
function getKeys(value, showHidden) {
  const symbols = Object.getOwnPropertySymbols(value);
  if (showHidden) return [...Object.getOwnPropertyNames(value), ...symbols];
  let keys;
  try {
    keys = Object.keys(value);
  } catch {
    // A module namespace with uninitialized bindings throws for Object.keys.
    keys = Object.getOwnPropertyNames(value);
  }
  for (const symbol of symbols) {
    if (propertyIsEnumerable(value, symbol)) keys.push(symbol);
  }
  return keys;
}

function isArrayIndex(key) {
  return typeof key === 'string' && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

// The keys of an array or typed array other than its indices. Own keys list the indices
// first, in ascending order, so the others are the tail found by a binary search (testing
// every key would take seconds for a large typed array).
function getNonIndexKeys(value, showHidden) {
  const keys = getKeys(value, showHidden);
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isArrayIndex(keys[mid])) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return keys.slice(low);
}

// ---------------------------------------------------------------------------------------------
// Primitives

// Escapes for control characters, the single quote and the backslash.
const kEscapes = [
  '\\x00', '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', '\\x07',
  '\\b', '\\t', '\\n', '\\x0B', '\\f', '\\r', '\\x0E', '\\x0F',
  '\\x10', '\\x11', '\\x12', '\\x13', '\\x14', '\\x15', '\\x16', '\\x17',
  '\\x18', '\\x19', '\\x1A', '\\x1B', '\\x1C', '\\x1D', '\\x1E', '\\x1F',
];

/* eslint-disable no-control-regex */
// Characters to escape: C0 and C1 controls, DEL, the backslash, lone surrogates, and (when
// the string is wrapped in single quotes) the single quote.
const kLoneSurrogate =
  '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const kEscapeWithQuote = new RegExp(`[\\x00-\\x1f\\x27\\x5c\\x7f-\\x9f]|${kLoneSurrogate}`, 'g');
const kEscapeNoQuote = new RegExp(`[\\x00-\\x1f\\x5c\\x7f-\\x9f]|${kLoneSurrogate}`, 'g');
/* eslint-enable no-control-regex */

function escapeChar(char) {
  const code = char.charCodeAt(0);
  if (code < kEscapes.length) return kEscapes[code];
  if (code === 0x27) return "\\'";
  if (code === 0x5c) return '\\\\';
  if (code >= 0x7f && code <= 0x9f) return `\\x${code.toString(16).toUpperCase()}`;
  return `\\u${code.toString(16)}`;
}

// Quotes a string the way Node does: single quotes, unless the string contains single quotes
// and no double quotes (then double quotes), or contains both but no backtick or `${` (then
// backticks). Only the chosen quote character is escaped.
function strEscape(str) {
  let quote = "'";
  let pattern = kEscapeWithQuote;
  if (str.includes("'")) {
    if (!str.includes('"')) {
      quote = '"';
    } else if (!str.includes('`') && !str.includes('${')) {
      quote = '`';
    }
    if (quote !== "'") pattern = kEscapeNoQuote;
  }
  return `${quote}${str.replace(pattern, escapeChar)}${quote}`;
}

const kMinLineLength = 16;

function formatPrimitive(fn, value, ctx) {
  if (typeof value === 'string') return formatString(fn, value, ctx);
  if (typeof value === 'number') return formatNumber(fn, value, ctx.numericSeparator);
  if (typeof value === 'bigint') return formatBigInt(fn, value, ctx.numericSeparator);
  if (typeof value === 'boolean') return fn(`${value}`, 'boolean');
  if (typeof value === 'undefined') return fn('undefined', 'undefined');
  return fn(symbolToString(value), 'symbol');
}

function formatString(fn, value, ctx) {
  let trailer = '';
  if (value.length > ctx.maxStringLength) {
    const remaining = value.length - ctx.maxStringLength;
    value = value.slice(0, ctx.maxStringLength);
    trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
  }
  // Long multi-line strings are split after each newline into concatenated pieces.
  if (ctx.compact !== true &&
      value.length > kMinLineLength &&
      value.length > ctx.breakLength - ctx.indentationLvl - 4) {
    return value
      .split(/(?<=\n)/)
      .map((line) => fn(strEscape(line), 'string'))
      .join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
  }
  return fn(strEscape(value), 'string') + trailer;
}

// Inserts `_` every three digits counted from the right: 1234567 -> 1_234_567.
function addNumericSeparator(integerString) {
  let result = '';
  let i = integerString.length;
  const start = integerString[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) result = `_${integerString.slice(i - 3, i)}${result}`;
  return i === integerString.length ? integerString : `${integerString.slice(0, i)}${result}`;
}

// The same for decimals, counted from the left: 1234 -> 123_4.
function addNumericSeparatorEnd(integerString) {
  let result = '';
  let i = 0;
  for (; i < integerString.length - 3; i += 3) result += `${integerString.slice(i, i + 3)}_`;
  return i === 0 ? integerString : `${result}${integerString.slice(i)}`;
}

function formatNumber(fn, number, numericSeparator) {
  if (!numericSeparator) {
    // `${-0}` is '0'.
    if (Object.is(number, -0)) return fn('-0', 'number');
    return fn(`${number}`, 'number');
  }
  const integer = Math.trunc(number);
  const string = String(integer);
  if (integer === number) {
    if (!Number.isFinite(number) || string.includes('e')) return fn(string, 'number');
    return fn(addNumericSeparator(string), 'number');
  }
  if (Number.isNaN(number)) return fn(string, 'number');
  const decimals = String(number).slice(string.length + 1);
  return fn(`${addNumericSeparator(string)}.${addNumericSeparatorEnd(decimals)}`, 'number');
}

function formatBigInt(fn, bigint, numericSeparator) {
  const string = String(bigint);
  return fn(`${numericSeparator ? addNumericSeparator(string) : string}n`, 'bigint');
}

// ---------------------------------------------------------------------------------------------
// Functions, boxed primitives, errors

const kClassRegExp = /^(\s+[^(]*?)\s*{/;
const kStripCommentsRegExp = /(\/\/.*?\n)|(\/\*(.|\n)*?\*\/)/g;

function isClass(fn) {
  let source;
  try {
    source = functionToString(fn);
  } catch {
    return false;
  }
  if (!source.startsWith('class') || !source.endsWith('}')) return false;
  const body = source.slice(5, -1);
  const braceIndex = body.indexOf('{');
  // `class X {`, or a computed/commented header that still reads as a class once comments go.
  return braceIndex !== -1 &&
    (!body.slice(0, braceIndex).includes('(') ||
     kClassRegExp.test(body.replace(kStripCommentsRegExp, '')));
}

function getFunctionBase(ctx, value, constructor, tag) {
  if (isClass(value)) return getClassBase(value, constructor, tag);
  let type = 'Function';
  if (isGeneratorFunction(value)) type = `Generator${type}`;
  if (isAsyncFunction(value)) type = `Async${type}`;
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  const name = value.name;
  if (name === '') {
    base += ' (anonymous)';
  } else {
    base += `: ${typeof name === 'string' ? name : formatValue(ctx, name)}`;
  }
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function getClassBase(value, constructor, tag) {
  const name = (hasOwn(value, 'name') && value.name) || '(anonymous)';
  let base = `class ${name}`;
  if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  if (constructor !== null) {
    const superName = Object.getPrototypeOf(value).name;
    if (superName) base += ` extends ${superName}`;
  } else {
    base += ' extends [null prototype]';
  }
  return `[${base}]`;
}

const kBoxedKinds = new Map([
  ['Number', numberValueOf],
  ['String', stringValueOf],
  ['Boolean', booleanValueOf],
  ['BigInt', bigIntValueOf],
  ['Symbol', symbolValueOf],
]);

function getBoxedBase(ctx, value, type, keys, constructor, tag) {
  const primitive = kBoxedKinds.get(type)(value);
  // The characters of a String object are listed by its value already.
  if (type === 'String') keys.splice(0, primitive.length);
  let base = `[${type}`;
  if (type !== constructor) {
    base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  }
  base += `: ${formatPrimitive(stylizeNoColor, primitive, ctx)}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  if (keys.length !== 0 || ctx.stylize === stylizeNoColor) return base;
  return ctx.stylize(base, type.toLowerCase());
}

function safeString(value) {
  try {
    return String(value);
  } catch {
    return '';
  }
}

function safeErrorToString(err) {
  try {
    return errorToString(err);
  } catch {
    return 'Error';
  }
}

// The stack as V8 writes it: the `Name: message` line, then one `    at` line per frame.
// QuickJS stacks hold only the frame lines (with a trailing newline), so the header is
// rebuilt for them.
function getStackString(error) {
  let stack;
  try {
    stack = error.stack ? String(error.stack) : '';
  } catch {
    // A throwing `stack` getter or toString counts as no stack.
  }
  if (!stack) return safeErrorToString(error);
  if (stack.startsWith('    at ')) return `${safeErrorToString(error)}\n${stack.trimEnd()}`;
  return stack;
}

// Finds the longest run (over 3 lines) of `a` that also appears in `b`.
function identicalSequenceRange(a, b) {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = b.indexOf(a[i]);
    if (pos !== -1) {
      const rest = b.length - pos;
      if (rest > 3) {
        let len = 1;
        const maxLen = Math.min(a.length - i, rest);
        while (maxLen > len && a[i + len] === b[pos + len]) len++;
        if (len > 3) return { len, offset: i };
      }
    }
  }
  return { len: 0, offset: 0 };
}

// The frame lines of an error, with the frames it shares with its cause folded into a
// `... n lines matching cause stack trace ...` line.
function getStackFrames(ctx, err, stack) {
  const frames = stack.split('\n');
  let cause;
  try {
    cause = err.cause;
  } catch {
    // A throwing `cause` getter is ignored here; the property itself still gets printed.
  }
  if (cause !== null && (typeof cause === 'object' || typeof cause === 'function') &&
      isError(cause)) {
    const causeStack = getStackString(cause);
    const causeStackStart = causeStack.indexOf('\n    at');
    if (causeStackStart !== -1) {
      const causeFrames = causeStack.slice(causeStackStart + 1).split('\n');
      const { len, offset } = identicalSequenceRange(frames, causeFrames);
      if (len > 0) {
        const skipped = len - 2;
        const msg = `    ... ${skipped} lines matching cause stack trace ...`;
        frames.splice(offset + 1, skipped, ctx.stylize(msg, 'undefined'));
      }
    }
  }
  return frames;
}

// Makes the first line of the stack name the actual class: `class Foo extends Error` gives
// stacks starting with `Error: msg`, printed as `Foo [Error]: msg`.
function improveStack(stack, constructor, name, tag) {
  let len = name.length;
  if (constructor === null ||
      (name.endsWith('Error') && stack.startsWith(name) &&
       (stack.length === len || stack[len] === ':' || stack[len] === '\n'))) {
    let fallback = 'Error';
    if (constructor === null) {
      const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n {4}at)/.exec(stack) ||
        /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
      fallback = (start && start[1]) || '';
      len = fallback.length;
      fallback = fallback || 'Error';
    }
    const prefix = getPrefix(constructor, tag, fallback).slice(0, -1);
    if (name !== prefix) {
      if (prefix.includes(name)) {
        stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(len)}`;
      } else {
        stack = `${prefix} [${name}]${stack.slice(len)}`;
      }
    }
  }
  return stack;
}

// name, message and stack are not listed again when the stack shows them already.
function removeDuplicateErrorKeys(ctx, keys, err, stack) {
  if (ctx.showHidden || keys.length === 0) return;
  for (const name of ['name', 'message', 'stack']) {
    const index = keys.indexOf(name);
    if (index !== -1 && (typeof err[name] !== 'string' || stack.includes(err[name]))) {
      keys.splice(index, 1);
    }
  }
}

function formatError(err, constructor, tag, ctx, keys) {
  const name = err.name != null ? safeString(err.name) : 'Error';
  let stack = getStackString(err);
  removeDuplicateErrorKeys(ctx, keys, err, stack);
  // cause and errors (AggregateError) are own non-enumerable properties worth showing.
  if ('cause' in err && !keys.includes('cause')) keys.push('cause');
  if (Array.isArray(err.errors) && !keys.includes('errors')) keys.push('errors');
  stack = improveStack(stack, constructor, name, tag);

  // Look for the frames after the message, which may itself contain `    at`.
  const message = err.message;
  let pos = (message && stack.indexOf(message)) || -1;
  if (pos !== -1) pos += message.length;
  const stackStart = stack.indexOf('\n    at', pos);
  if (stackStart === -1) {
    // No frames: wrapped in brackets, as in `[Error: msg]`.
    stack = `[${stack}]`;
  } else {
    const lines = getStackFrames(ctx, err, stack.slice(stackStart + 1));
    stack = `${stack.slice(0, stackStart)}\n${lines.join('\n')}`;
  }
  if (ctx.indentationLvl !== 0) {
    stack = stack.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
  }
  return stack;
}

// ---------------------------------------------------------------------------------------------
// Entries of collections

const remainingText = (remaining) => `... ${remaining} more item${remaining > 1 ? 's' : ''}`;

const emptyItemsText = (ctx, count) =>
  ctx.stylize(`<${count} empty item${count > 1 ? 's' : ''}>`, 'undefined');

function formatArray(ctx, value, recurseTimes) {
  const valLen = value.length;
  const len = Math.min(Math.max(0, ctx.maxArrayLength), valLen);
  const remaining = valLen - len;
  const output = [];
  for (let i = 0; i < len; i++) {
    if (!hasOwn(value, i)) return formatSparseArray(ctx, value, recurseTimes, len, output, i);
    output.push(formatProperty(ctx, value, recurseTimes, i, kArrayType));
  }
  if (remaining > 0) output.push(remainingText(remaining));
  return output;
}

// Continues formatArray from the first hole at `i`: runs of holes become `<n empty items>`.
function formatSparseArray(ctx, value, recurseTimes, maxLength, output, i) {
  const keys = Object.keys(value);
  let index = i;
  for (; i < keys.length && output.length < maxLength; i++) {
    const key = keys[i];
    const tmp = +key;
    if (tmp > 2 ** 32 - 2) break;
    if (`${index}` !== key) {
      if (!/^(0|[1-9][0-9]*)$/.test(key)) break;
      output.push(emptyItemsText(ctx, tmp - index));
      index = tmp;
      if (output.length === maxLength) break;
    }
    output.push(formatProperty(ctx, value, recurseTimes, key, kArrayType));
    index++;
  }
  const remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) output.push(emptyItemsText(ctx, remaining));
  } else if (remaining > 0) {
    output.push(remainingText(remaining));
  }
  return output;
}

function formatTypedArray(ctx, value, length, recurseTimes) {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const remaining = length - maxLength;
  const output = [];
  const elementFormatter = length > 0 && typeof value[0] === 'number' ? formatNumber : formatBigInt;
  for (let i = 0; i < maxLength; ++i) {
    output.push(elementFormatter(ctx.stylize, value[i], ctx.numericSeparator));
  }
  if (remaining > 0) output.push(remainingText(remaining));
  if (ctx.showHidden) {
    // All of these but BYTES_PER_ELEMENT are prototype getters; `buffer` goes last.
    ctx.indentationLvl += 2;
    for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
      output.push(`[${key}]: ${formatValue(ctx, value[key], recurseTimes, true)}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

function formatArrayBuffer(ctx, value) {
  let bytes;
  try {
    bytes = new Uint8Array(value);
  } catch {
    return [ctx.stylize('(detached)', 'special')];
  }
  const shown = Math.min(ctx.maxArrayLength, bytes.length);
  let str = '';
  for (let i = 0; i < shown; i++) {
    str += `${i === 0 ? '' : ' '}${bytes[i].toString(16).padStart(2, '0')}`;
  }
  const remaining = bytes.length - ctx.maxArrayLength;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`${ctx.stylize('[Uint8Contents]', 'special')}: <${str}>`];
}

// Collects up to maxArrayLength results of a builtin iterator, plus a `... n more items` line.
function formatIteration(ctx, iterator, next, size, formatEntry) {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), size);
  const output = [];
  ctx.indentationLvl += 2;
  for (let i = 0; i < maxLength; i++) {
    const result = next(iterator);
    if (result.done) break;
    output.push(formatEntry(result.value));
  }
  ctx.indentationLvl -= 2;
  if (size > maxLength) output.push(remainingText(size - maxLength));
  return output;
}

function formatSet(ctx, value, recurseTimes) {
  return formatIteration(ctx, setValues(value), setIteratorNext, setSize(value),
    (v) => formatValue(ctx, v, recurseTimes));
}

function formatMap(ctx, value, recurseTimes) {
  return formatIteration(ctx, mapEntries(value), mapIteratorNext, mapSize(value),
    ([k, v]) => `${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
}

function formatUnknownItems(ctx) {
  return [ctx.stylize('<items unknown>', 'special')];
}

function formatPromise(ctx) {
  return [ctx.stylize('<unknown>', 'special')];
}

function formatNamespaceObject(ctx, value, recurseTimes, keys) {
  return keys.map((key) => {
    try {
      return formatProperty(ctx, value, recurseTimes, key, kObjectType);
    } catch (err) {
      if (!(err instanceof ReferenceError)) throw err;
      // A binding not initialized yet (import cycle).
      const name = formatProperty(ctx, { [key]: '' }, recurseTimes, key, kObjectType);
      const uninitialized = ctx.stylize('<uninitialized>', 'special');
      return `${name.slice(0, name.lastIndexOf(' ') + 1)}${uninitialized}`;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Properties

const kKeyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

// One `key: value` entry (only the value for array items).
function formatProperty(ctx, value, recurseTimes, key, type, desc, original = value) {
  desc = desc || Object.getOwnPropertyDescriptor(value, key) ||
    { value: value[key], enumerable: true };
  let str;
  let separator = ' ';
  if (desc.value !== undefined) {
    const diff = ctx.compact !== true || type !== kObjectType ? 2 : 3;
    ctx.indentationLvl += diff;
    str = formatValue(ctx, desc.value, recurseTimes);
    if (diff === 3 && ctx.breakLength < getStringWidth(str, ctx.colors)) {
      separator = `\n${' '.repeat(ctx.indentationLvl)}`;
    }
    ctx.indentationLvl -= diff;
  } else if (desc.get !== undefined) {
    str = formatAccessor(ctx, desc, original, recurseTimes);
  } else if (desc.set !== undefined) {
    str = ctx.stylize('[Setter]', 'special');
  } else {
    str = ctx.stylize('undefined', 'undefined');
  }
  if (type === kArrayType) return str;
  return `${formatKey(ctx, key, desc.enumerable !== false)}:${separator}${str}`;
}

// [Getter], [Setter], [Getter/Setter]; with the `getters` option, the getter's value too.
function formatAccessor(ctx, desc, receiver, recurseTimes) {
  const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
  const s = ctx.stylize;
  const run = ctx.getters && (ctx.getters === true ||
    (ctx.getters === 'get' && desc.set === undefined) ||
    (ctx.getters === 'set' && desc.set !== undefined));
  if (!run) return s(`[${label}]`, 'special');
  const indentationLvl = ctx.indentationLvl;
  try {
    const tmp = desc.get.call(receiver);
    ctx.indentationLvl += 2;
    let str;
    if (tmp === null) {
      str = `${s(`[${label}:`, 'special')} ${s('null', 'null')}${s(']', 'special')}`;
    } else if (typeof tmp === 'object') {
      str = `${s(`[${label}]`, 'special')} ${formatValue(ctx, tmp, recurseTimes)}`;
    } else {
      str = `${s(`[${label}:`, 'special')} ${formatPrimitive(s, tmp, ctx)}${s(']', 'special')}`;
    }
    ctx.indentationLvl -= 2;
    return str;
  } catch (err) {
    ctx.indentationLvl = indentationLvl;
    const message = `<Inspection threw (${describeException(err)})>`;
    return `${s(`[${label}:`, 'special')} ${message}${s(']', 'special')}`;
  }
}

function formatKey(ctx, key, enumerable) {
  if (typeof key === 'symbol') {
    return `[${ctx.stylize(symbolToString(key).replace(kEscapeWithQuote, escapeChar), 'symbol')}]`;
  }
  if (typeof key === 'number') key = `${key}`;
  if (key === '__proto__') return "['__proto__']";
  // Hidden keys are bracketed and never quoted.
  if (!enumerable) return `[${key.replace(kEscapeWithQuote, escapeChar)}]`;
  if (kKeyStrRegExp.test(key)) return ctx.stylize(key, 'name');
  return ctx.stylize(strEscape(key), 'string');
}

// ---------------------------------------------------------------------------------------------
// Layout

// Whether the entries fit on one line. Each entry costs at least a separator, hence the
// starting total of output.length.
function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (const entry of output) {
    totalLength += ctx.colors ? removeColors(entry).length : entry.length;
    if (totalLength > ctx.breakLength) return false;
  }
  // Entries never share a line with a multi-line base (an error stack, say).
  return base === '' || !base.includes('\n');
}

function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) {
        output = groupArrayElements(ctx, output, value);
      }
      // ctx.currentDepth is the depth of the innermost object printed so far within this one:
      // objects whose innermost `compact` levels fit in breakLength go on a single line,
      // unless their entries were just grouped into columns.
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        // 10 is a margin for what else may end up on the same line.
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = output.join(', ');
          if (!joined.includes('\n')) {
            return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ` +
      `${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }
  // compact: true puts entries on the line of the opening brace.
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ''} ${output.join(', ')} ${braces[1]}`;
  }
  const indentation = ' '.repeat(ctx.indentationLvl);
  // With a long opening brace (like `Set {`) the first entry goes on its own line so that all
  // entries line up.
  const ln = base === '' && braces[0].length === 1 ?
    ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
  return `${braces[0]}${ln}${output.join(`,\n${indentation}  `)} ${braces[1]}`;
}

// Arranges many short array entries into aligned columns, e.g. for 30 numbers:
//   [
//      0,  1,  2,  3, ...
//     12, 13, 14, 15, ...
//   ]
// Numbers are right-aligned, anything else left-aligned.
function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  // The `... n more items` entry is not part of the grid.
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2; // ", "
  const dataLen = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = getStringWidth(output[i], ctx.colors);
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  // Group only when at least three columns fit, and when no entry is far longer than the
  // rest (else the short entries would be lost in whitespace).
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
    // Aim for a roughly square block, characters being about 2.5 times as high as wide;
    // the bias allows more columns for short entries.
    const approxCharHeights = 2.5;
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;

    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineMaxLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineMaxLength) lineMaxLength = dataLen[j];
      }
      maxLineLength.push(lineMaxLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    const grouped = [];
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        // Colour codes take no room on screen: pad by the visible width.
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
        const entry = `${output[j]}, `;
        str += padStart ? entry.padStart(padding, ' ') : entry.padEnd(padding, ' ');
      }
      if (padStart) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace;
        str += output[j].padStart(padding, ' ');
      } else {
        str += output[j];
      }
      grouped.push(str);
    }
    if (ctx.maxArrayLength < output.length) grouped.push(output[outputLength]);
    output = grouped;
  }
  return output;
}

// ---------------------------------------------------------------------------------------------
// String width

// Matches ANSI escape sequences (after chalk/ansi-regex, MIT, Sindre Sorhus).
const kAnsi = new RegExp(
  '[\\u001B\\u009B][[\\]()#;?]*' +
  '(?:(?:(?:(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]+)*' +
  '|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]*)*)?' +
  '(?:\\u0007|\\u001B\\u005C|\\u009C))' +
  '|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?' +
  '[\\dA-PR-TZcf-nq-uy=><~]))', 'g');

function removeColors(str) {
  return str.replace(kAnsi, '');
}

/**
 * Removes ANSI escape codes (colours, cursor movements) from `str`.
 */
function stripVTControlCharacters(str) {
  if (typeof str !== 'string') throw invalidArgType('str', 'string', str);
  return removeColors(str);
}

// Code points that take two columns (East Asian wide and fullwidth characters, most emoji).
function isFullWidthCodePoint(code) {
  return code >= 0x1100 && (
    code <= 0x115f || // Hangul Jamo
    code === 0x2329 || code === 0x232a || // angle brackets
    (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) || // CJK radicals .. enclosed CJK
    (code >= 0x3250 && code <= 0x4dbf) || // enclosed CJK .. CJK extension A
    (code >= 0x4e00 && code <= 0xa4c6) || // CJK unified ideographs .. Yi radicals
    (code >= 0xa960 && code <= 0xa97c) || // Hangul Jamo extended A
    (code >= 0xac00 && code <= 0xd7a3) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xfe10 && code <= 0xfe19) || // vertical forms
    (code >= 0xfe30 && code <= 0xfe6b) || // CJK compatibility forms .. small form variants
    (code >= 0xff01 && code <= 0xff60) || // fullwidth forms
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1b000 && code <= 0x1b001) || // Kana supplement
    (code >= 0x1f200 && code <= 0x1f251) || // enclosed ideographic supplement
    (code >= 0x1f300 && code <= 0x1f64f) || // pictographs and emoticons
    (code >= 0x20000 && code <= 0x3fffd) // CJK extension B .. tertiary ideographic plane
  );
}

// Code points that take no column (controls, combining marks, variation selectors, ...).
function isZeroWidthCodePoint(code) {
  return code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x300 && code <= 0x36f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    (code >= 0xfe20 && code <= 0xfe2f) ||
    (code >= 0xe0100 && code <= 0xe01ef);
}

// The number of terminal columns `str` takes.
function getStringWidth(str, removeControlChars) {
  if (removeControlChars) str = removeColors(str);
  let width = 0;
  for (let i = 0; i < str.length; i++) {
    const code = str.charCodeAt(i);
    if (code >= 127) return width + getUnicodeWidth(str.slice(i));
    width += code >= 32 ? 1 : 0;
  }
  return width;
}

function getUnicodeWidth(str) {
  let width = 0;
  for (const char of str.normalize('NFC')) {
    const code = char.codePointAt(0);
    if (isFullWidthCodePoint(code)) {
      width += 2;
    } else if (!isZeroWidthCodePoint(code)) {
      width++;
    }
  }
  return width;
}

// ---------------------------------------------------------------------------------------------
// format

// Whether String(value) would only give the uninformative builtin result (`[object Object]`
// and friends): then %s inspects the value instead.
function hasBuiltInToString(value) {
  let ownToString = hasOwn;
  let ownToPrimitive = hasOwn;
  if (typeof value.toString !== 'function') {
    if (typeof value[Symbol.toPrimitive] !== 'function') return true;
    if (hasOwn(value, Symbol.toPrimitive)) return false;
    ownToString = () => false;
  } else if (hasOwn(value, 'toString')) {
    return false;
  } else if (typeof value[Symbol.toPrimitive] !== 'function') {
    ownToPrimitive = () => false;
  } else if (hasOwn(value, Symbol.toPrimitive)) {
    return false;
  }
  // Find the prototype that defines the method and check whether it belongs to a builtin.
  let pointer = value;
  do {
    pointer = Object.getPrototypeOf(pointer);
  } while (!ownToString(pointer, 'toString') && !ownToPrimitive(pointer, Symbol.toPrimitive));
  const descriptor = Object.getOwnPropertyDescriptor(pointer, 'constructor');
  return descriptor !== undefined && typeof descriptor.value === 'function' &&
    isBuiltInName(descriptor.value.name);
}

function formatStringArg(arg, inspectOptions) {
  if (typeof arg === 'number') return formatNumberArg(arg, inspectOptions);
  if (typeof arg === 'bigint') return formatBigIntArg(arg, inspectOptions);
  try {
    if (arg === null || (typeof arg !== 'object') || !hasBuiltInToString(arg)) return String(arg);
  } catch {
    // A hostile toString or prototype chain: show the value as inspect sees it.
  }
  return inspect(arg, { ...inspectOptions, compact: 3, colors: false, depth: 0 });
}

function numericSeparatorOf(inspectOptions) {
  const option = inspectOptions === undefined ? undefined : inspectOptions.numericSeparator;
  return option === undefined ? inspectDefaultOptions.numericSeparator : option;
}

function formatNumberArg(number, inspectOptions) {
  return formatNumber(stylizeNoColor, number, numericSeparatorOf(inspectOptions));
}

function formatBigIntArg(bigint, inspectOptions) {
  return formatBigInt(stylizeNoColor, bigint, numericSeparatorOf(inspectOptions));
}

// Applies a numeric conversion (Number, parseInt, parseFloat) that may run user code.
function formatNumericArg(arg, convert, inspectOptions) {
  if (typeof arg === 'bigint') return formatBigIntArg(arg, inspectOptions);
  if (typeof arg === 'symbol') return 'NaN';
  let number;
  try {
    number = convert(arg);
  } catch {
    number = NaN;
  }
  return formatNumberArg(number, inspectOptions);
}

let circularErrorMessage;

function firstLine(err) {
  return describeException(err).split('\n', 1)[0];
}

// %j: JSON.stringify, with '[Circular]' for circular structures.
function tryStringify(arg) {
  try {
    return JSON.stringify(arg);
  } catch (err) {
    // Each engine words the circular-structure error differently: learn it once.
    if (circularErrorMessage === undefined) {
      try {
        const a = {};
        a.a = a;
        JSON.stringify(a);
      } catch (circularError) {
        circularErrorMessage = firstLine(circularError);
      }
    }
    if (err instanceof TypeError && firstLine(err) === circularErrorMessage) return '[Circular]';
    return `[Unserializable: ${firstLine(err)}]`;
  }
}

// Replaces the %-placeholder `code` with the next argument.
function formatPlaceholder(code, arg, inspectOptions) {
  switch (code) {
    case 's': return formatStringArg(arg, inspectOptions);
    case 'j': return `${tryStringify(arg)}`; // JSON.stringify(undefined) is undefined
    case 'd': return formatNumericArg(arg, Number, inspectOptions);
    case 'i': return formatNumericArg(arg, Number.parseInt, inspectOptions);
    case 'f': return formatNumericArg(arg, Number.parseFloat, inspectOptions);
    case 'O': return inspect(arg, inspectOptions);
    case 'o':
      return inspect(arg, { ...inspectOptions, showHidden: true, showProxy: true, depth: 4 });
    case 'c': return ''; // CSS styles are a browser feature: consumed, not printed.
    default: return undefined;
  }
}

function formatWithOptionsInternal(inspectOptions, args) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';

  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first[i] !== '%') continue;
      const next = first[++i];
      if (next === '%') {
        // `%%` is a literal percent sign.
        str += first.slice(lastPos, i);
        lastPos = i + 1;
      } else if (a + 1 !== args.length) {
        const replacement = formatPlaceholder(next, args[a + 1], inspectOptions);
        if (replacement === undefined) continue; // Not a placeholder: printed as it is.
        a++;
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
        str += replacement;
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }

  // Arguments left over are appended: strings as they are, anything else inspected.
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}

/**
 * printf-like formatting: %s %d %i %f %j %o %O %c %%; extra arguments are appended.
 */
function format(...args) {
  return formatWithOptionsInternal(undefined, args);
}

/**
 * format() with the given inspect options for the values it inspects.
 */
function formatWithOptions(inspectOptions, ...args) {
  validateObject(inspectOptions, 'inspectOptions');
  return formatWithOptionsInternal(inspectOptions, args);
}

export { inspect, format, formatWithOptions, stripVTControlCharacters };
