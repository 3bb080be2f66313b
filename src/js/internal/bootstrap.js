// The first module every thread runs: it installs the globals and exports
// the hooks the C side (src/core/vm.c) calls into.

import { process as native, modules, ports, threads } from 'weft:internal/native';
import { load, isLoaded } from 'weft:internal/load';

const PROCESS = 'weft:internal/process';
const CONSOLE = 'weft:internal/console';

const performance = {
  now: native.now,
  timeOrigin: native.timeOrigin,
  toJSON: () => ({ timeOrigin: native.timeOrigin }),
};

function defineGlobal(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

// A global whose module loads the first time it is read.
function lazyGlobal(name, id) {
  Object.defineProperty(globalThis, name, {
    get() {
      const value = load(id)[name];
      defineGlobal(name, value);
      return value;
    },
    set(value) {
      defineGlobal(name, value);
    },
    configurable: true,
    enumerable: false,
  });
}

// QuickJS throws InternalError for a stack overflow where JavaScript engines
// agree on RangeError; make its errors RangeErrors so that code catching
// RangeError (and reading err.name) sees what it expects.
Object.setPrototypeOf(InternalError.prototype, RangeError.prototype);
Object.defineProperty(InternalError.prototype, 'name', { value: 'RangeError', writable: true, configurable: true });
Object.defineProperty(InternalError, 'name', { value: 'RangeError', configurable: true });

function structuredClone(value, options) {
  const transfer = options === undefined || options === null ? undefined : options.transfer;
  return ports.clone(value, transfer);
}

defineGlobal('global', globalThis);
defineGlobal('structuredClone', structuredClone);
defineGlobal('performance', performance);
defineGlobal('queueMicrotask', native.queueMicrotask);
lazyGlobal('console', CONSOLE);
lazyGlobal('process', PROCESS);
lazyGlobal('DOMException', 'weft:internal/domexception');
lazyGlobal('TextEncoder', 'weft:internal/encoding');
lazyGlobal('TextDecoder', 'weft:internal/encoding');
lazyGlobal('URL', 'weft:internal/url');
lazyGlobal('URLSearchParams', 'weft:internal/url');
for (const name of ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate']) {
  lazyGlobal(name, 'weft:internal/timers');
}

const inspect = (value) => load(CONSOLE).inspect(value);

// Listeners can only exist once the process object was made.
function listeners(event) {
  return isLoaded(PROCESS) ? load(PROCESS).process.listenerCount(event) : 0;
}

// ---- reporting fatal errors ------------------------------------------------

// "file:line" and the source line with a caret under the column, as Node
// prints above an uncaught error; empty when the location is unknown.
function sourceContext(err) {
  const stack = err !== null && typeof err === 'object' ? String(err.stack ?? '') : '';
  const m = /(\/[^():\s]+):(\d+):(\d+)/.exec(stack);
  if (!m) return '';
  const [, file, line, col] = m;
  let text;
  try {
    text = modules.readSource(file).split('\n')[Number(line) - 1];
  } catch {
    return '';
  }
  if (text === undefined) return '';
  // Columns on a CommonJS module's first line count its hidden wrapper.
  const caret = Number(col) <= text.length + 1 ? `${' '.repeat(Number(col) - 1)}^\n` : '';
  return `${file}:${line}\n${text}\n${caret}\n`;
}

// QuickJS has no Error.stackTraceLimit; like Node, show at most 10 frames.
const MAX_FRAMES = 10;

function describeError(err) {
  const text = err instanceof Error ? inspect(err) : `Uncaught ${inspect(err)}`;
  const lines = text.split('\n');
  let frames = 0;
  const kept = lines.filter((line) => !line.startsWith('    at ') || ++frames <= MAX_FRAMES);
  if (frames > MAX_FRAMES) {
    const last = kept.findLastIndex((line) => line.startsWith('    at '));
    kept.splice(last + 1, 0, `    ... ${frames - MAX_FRAMES} more frames`);
  }
  return kept.join('\n');
}

const isMainThread = threads.isMainThread();

// A thread's fatal error goes to its creator (the 'error' event there); an
// error that cannot be cloned is sent as its name, message and stack.
function reportToCreator(err) {
  try {
    threads.reportError(err);
  } catch {
    const e = err instanceof Error ? err : new Error(inspect(err));
    threads.reportError({ name: e.name, message: e.message, stack: e.stack });
  }
}

function reportFatal(err) {
  if (isMainThread) native.write(2, `${sourceContext(err)}${describeError(err)}\n`);
  else reportToCreator(err);
}

export function onUncaughtException(err) {
  if (listeners('uncaughtException') > 0) {
    load(PROCESS).process.emit('uncaughtException', err, 'uncaughtException');
    return true;
  }
  reportFatal(err);
  return false;
}

export function onUnhandledRejection(reason, promise) {
  if (listeners('unhandledRejection') > 0) {
    load(PROCESS).process.emit('unhandledRejection', reason, promise);
    return true;
  }
  if (reason instanceof Error || !isMainThread) {
    reportFatal(reason);
  } else {
    native.write(2, '[UnhandledPromiseRejection: This error originated either by throwing inside of an ' +
      'async function without a catch block, or by rejecting a promise which was not handled with .catch(). ' +
      `The promise rejected with the reason "${inspect(reason)}".] {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n`);
  }
  return false;
}

export function onBeforeExit() {
  if (listeners('beforeExit') > 0) {
    const { process } = load(PROCESS);
    process.emit('beforeExit', process.exitCode ?? 0);
  }
}

// code is -1 for a natural end, else the code the C side decided on.
export function onExit(code) {
  if (isLoaded(PROCESS)) return load(PROCESS).emitExit(code >= 0 ? code : undefined);
  return code >= 0 ? code : 0;
}

// Only process.nextTick queues ticks, so the process module is loaded here.
export function processTicks() {
  load(PROCESS).processTicks();
}

export function runMainCommonJS(filename, source) {
  load('weft:internal/cjs').runMain(filename, source);
}

// A spare thread, before it is given work, loads what every start needs:
// the classes of the weft module, and the CommonJS loader when the last
// thread's entry was a CommonJS module.
export function prepareSpare(commonjs) {
  if (commonjs) load('weft:internal/cjs');
  load('weft:internal/threads');
}

export function loadForImport(id) {
  return load('weft:internal/cjs').loadForImport(id);
}
