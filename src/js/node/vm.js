// Node's `vm` module: contexts (new realms in the same thread and runtime,
// made by the "vm" binding, src/modules/vmctx.c), Script, and the run*
// functions.
//
// The sandbox and the context's global. Node's contexts intercept every
// property access on the global and send it to the sandbox. QuickJS has no
// such hook on a global object, so weft links them this way:
// - each own property of the sandbox appears on the global as an accessor
//   that reads and writes the sandbox's property: reads and writes inside the
//   context see and change the sandbox at once, in either direction;
// - properties added to the sandbox later are linked before each run;
// - globals that code in the context creates (`x = 1`, `var x`, function
//   declarations) are copied to the sandbox when a run
//   returns (or throws). Those the engine lets be redefined become linked
//   accessors from then on; `var` and function declarations cannot be, so
//   they are copied out after each run and in before the next.
// Differences that follow: a global created inside is on the sandbox only
// once the run that made it returns (not from callbacks running later), a
// getOwnPropertyDescriptor of a linked global inside the context shows an
// accessor, and a sandbox that cannot take a new property (frozen, sealed,
// non-extensible) cannot be contextified (TypeError). The sandbox carries its
// context under a symbol property (non-enumerable, non-configurable).
//
// A new context has the standard JavaScript builtins only: no console,
// process, timers, require, structuredClone, queueMicrotask, TextEncoder, URL
// (pass what the code needs in the sandbox). import() inside one is not
// supported. The `timeout`, `breakOnSigint`, `microtaskMode`,
// `codeGeneration`, `cachedData` and `importModuleDynamically` options are
// accepted and checked but have no effect; `columnOffset` is ignored.

import { vm as binding } from 'weft:internal/native/vm';
import {
  invalidArgType, validateBoolean, validateInt32, validateObject, validateOneOf, validateString,
  validateUint32,
} from 'weft:internal/errors';

const kState = Symbol('vm.context state');
const kDefaultFilename = 'evalmachine.<anonymous>';

// ---------------------------------------------------------------------------
// Linking the sandbox and the global

function link(state, key) {
  const { sandbox, global } = state;
  const own = Reflect.getOwnPropertyDescriptor(global, key);
  if (own !== undefined && !own.configurable) {
    // A global the engine will not let go (var, function, undefined, NaN):
    // copied instead.
    state.mirrored.add(key);
    copyIn(state, key);
    return;
  }
  const desc = Reflect.getOwnPropertyDescriptor(sandbox, key);
  Reflect.defineProperty(global, key, {
    get() { return sandbox[key]; },
    set(value) { sandbox[key] = value; },
    enumerable: desc?.enumerable ?? true,
    configurable: true,
  });
  state.linked.add(key);
}

function copyIn(state, key) {
  try {
    state.global[key] = state.sandbox[key];
  } catch {
    // non-writable on either side: left as it is
  }
}

// Before a run: the sandbox's properties as globals.
function syncIn(state) {
  const { sandbox, global, linked, mirrored } = state;
  const key = binding.key();
  for (const name of Reflect.ownKeys(sandbox)) {
    if (name === key || linked.has(name)) continue;
    if (mirrored.has(name)) copyIn(state, name);
    else link(state, name);
  }
  for (const name of linked) {
    if (!Object.hasOwn(sandbox, name)) {
      linked.delete(name);
      delete global[name];
    }
  }
}

// After a run: globals made inside, onto the sandbox. The builtins are not
// looked at (reading their descriptors would instantiate every one of them,
// which QuickJS makes lazily): a builtin replaced inside stays inside.
function syncOut(state) {
  const { sandbox, global, builtins, linked, mirrored } = state;
  for (const name of Reflect.ownKeys(global)) {
    if (linked.has(name) || (builtins.has(name) && !mirrored.has(name))) continue;
    const desc = Reflect.getOwnPropertyDescriptor(global, name);
    if (desc === undefined) continue;
    try {
      sandbox[name] = 'value' in desc ? desc.value : global[name];
    } catch {
      continue;
    }
    if (desc.configurable) link(state, name);
    else mirrored.add(name);
  }
  for (const name of linked) {
    if (!Object.hasOwn(global, name)) {
      // deleted inside the context
      linked.delete(name);
      delete sandbox[name];
    }
  }
}

function stateOf(contextifiedObject) {
  const holder = binding.contextOf(contextifiedObject);
  return holder === undefined ? undefined : holder[kState];
}

// ---------------------------------------------------------------------------
// Contexts

export function isContext(object) {
  validateObject(object, 'object', { allowArray: true, allowFunction: true });
  return binding.contextOf(object) !== undefined;
}

function validateContext(contextifiedObject) {
  if (!isContext(contextifiedObject)) throw invalidArgType('contextifiedObject', 'vm.Context', contextifiedObject);
  return stateOf(contextifiedObject);
}

function validateContextOptions(options) {
  if (options === undefined) return;
  validateObject(options, 'options');
  const { name, origin, codeGeneration, microtaskMode } = options;
  if (name !== undefined) validateString(name, 'options.name');
  if (origin !== undefined) validateString(origin, 'options.origin');
  if (codeGeneration !== undefined) {
    validateObject(codeGeneration, 'options.codeGeneration');
    const { strings, wasm } = codeGeneration;
    if (strings !== undefined) validateBoolean(strings, 'options.codeGeneration.strings');
    if (wasm !== undefined) validateBoolean(wasm, 'options.codeGeneration.wasm');
  }
  if (microtaskMode !== undefined) validateOneOf(microtaskMode, 'options.microtaskMode', ['afterEvaluate']);
}

export function createContext(contextObject = {}, options = undefined) {
  if (contextObject !== null && (typeof contextObject === 'object' || typeof contextObject === 'function') &&
      binding.contextOf(contextObject) !== undefined) {
    return contextObject;
  }
  validateObject(contextObject, 'contextObject', { allowArray: true, allowFunction: true });
  validateContextOptions(options);
  const holder = binding.createContext(contextObject);
  const global = binding.global(holder);
  const builtins = new Set(Reflect.ownKeys(global));
  const state = { sandbox: contextObject, global, builtins, linked: new Set(), mirrored: new Set() };
  Object.defineProperty(holder, kState, { value: state });
  syncIn(state);
  return contextObject;
}

// ---------------------------------------------------------------------------
// Running code

function scriptOptions(options) {
  if (typeof options === 'string') return { filename: options };
  if (options === undefined) return {};
  validateObject(options, 'options');
  return options;
}

function validateRunOptions(options) {
  const { displayErrors = true, breakOnSigint = false, timeout } = options;
  validateBoolean(displayErrors, 'options.displayErrors');
  validateBoolean(breakOnSigint, 'options.breakOnSigint');
  if (timeout !== undefined) validateUint32(timeout, 'options.timeout', true);
}

function runIn(state, compiled) {
  syncIn(state);
  try {
    return binding.run(compiled);
  } finally {
    syncOut(state);
  }
}

export class Script {
  #source;
  #filename;
  #here;      // compiled in this context, for runInThisContext
  #holder;    // the last other context run in, and the code compiled there
  #there;

  constructor(code, options = {}) {
    code = `${code}`;
    options = scriptOptions(options);
    const {
      filename = kDefaultFilename, lineOffset = 0, columnOffset = 0, cachedData,
      produceCachedData = false, importModuleDynamically,
    } = options;
    validateString(filename, 'options.filename');
    validateInt32(lineOffset, 'options.lineOffset');
    validateInt32(columnOffset, 'options.columnOffset');
    if (cachedData !== undefined && !ArrayBuffer.isView(cachedData)) {
      throw invalidArgType('options.cachedData', ['Buffer', 'TypedArray', 'DataView'], cachedData);
    }
    validateBoolean(produceCachedData, 'options.produceCachedData');
    if (importModuleDynamically !== undefined && typeof importModuleDynamically !== 'function' &&
        typeof importModuleDynamically !== 'symbol') {
      throw invalidArgType('options.importModuleDynamically', ['function', 'symbol'], importModuleDynamically);
    }
    // Line numbers in stack traces count from lineOffset.
    this.#source = lineOffset > 0 ? '\n'.repeat(lineOffset) + code : code;
    this.#filename = filename;
    // Compiled now, so that a SyntaxError is thrown here as in Node.
    this.#here = binding.compile(null, this.#source, filename);
  }

  runInThisContext(options) {
    validateRunOptions(scriptOptions(options));
    return binding.run(this.#here);
  }

  runInContext(contextifiedObject, options) {
    const state = validateContext(contextifiedObject);
    validateRunOptions(scriptOptions(options));
    const holder = binding.contextOf(contextifiedObject);
    if (this.#holder !== holder) {
      this.#there = binding.compile(holder, this.#source, this.#filename);
      this.#holder = holder;
    }
    return runIn(state, this.#there);
  }

  runInNewContext(contextObject, options) {
    const context = createContext(contextObject, contextOptionsOf(options));
    return this.runInContext(context, options);
  }

  createCachedData() {
    // QuickJS keeps no code cache to hand out.
    return new Uint8Array(0);
  }
}

// runInNewContext's options that are createContext's.
function contextOptionsOf(options) {
  if (options === null || typeof options !== 'object') return undefined;
  const {
    contextName: name, contextOrigin: origin, contextCodeGeneration: codeGeneration, microtaskMode,
  } = options;
  return { name, origin, codeGeneration, microtaskMode };
}

export function runInContext(code, contextifiedObject, options) {
  const state = validateContext(contextifiedObject);
  options = scriptOptions(options);
  validateRunOptions(options);
  const { filename = kDefaultFilename, lineOffset = 0 } = options;
  validateString(filename, 'options.filename');
  validateInt32(lineOffset, 'options.lineOffset');
  code = `${code}`;
  const holder = binding.contextOf(contextifiedObject);
  const compiled = binding.compile(holder, lineOffset > 0 ? '\n'.repeat(lineOffset) + code : code, filename);
  return runIn(state, compiled);
}

export function runInNewContext(code, contextObject, options) {
  if (typeof options === 'string') options = { filename: options };
  const context = createContext(contextObject, contextOptionsOf(options));
  return runInContext(code, context, options);
}

export function runInThisContext(code, options) {
  return new Script(code, options).runInThisContext(options);
}

// compileFunction(code, params, { filename, parsingContext, contextExtensions })
export function compileFunction(code, params = [], options = {}) {
  validateString(code, 'code');
  if (!Array.isArray(params)) throw invalidArgType('params', 'Array', params);
  params.forEach((p, i) => validateString(p, `params[${i}]`));
  validateObject(options, 'options');
  const { filename = '', parsingContext, contextExtensions = [] } = options;
  validateString(filename, 'options.filename');
  if (!Array.isArray(contextExtensions)) {
    throw invalidArgType('options.contextExtensions', 'Array', contextExtensions);
  }
  contextExtensions.forEach((e, i) => validateObject(e, `options.contextExtensions[${i}]`));
  // Extensions are scopes around the function, as Node gives them.
  let source = `(function (${params.join(', ')}) {\n${code}\n})`;
  const names = contextExtensions.map((_, i) => `__weft_ext${i}`);
  if (names.length > 0) {
    const open = names.map((name) => `with (${name}) { `).join('');
    source = `(function (${names.join(', ')}) { ${open}return ${source};${' }'.repeat(names.length)} })`;
  }
  let fn;
  if (parsingContext !== undefined) {
    const state = validateContext(parsingContext);
    fn = runIn(state, binding.compile(binding.contextOf(parsingContext), source, filename));
  } else {
    fn = binding.run(binding.compile(null, source, filename));
  }
  return names.length > 0 ? fn(...contextExtensions) : fn;
}

export default {
  Script,
  createContext,
  isContext,
  runInContext,
  runInNewContext,
  runInThisContext,
  compileFunction,
};
