// The first module every thread runs: it installs the globals and exports
// the hooks the C side (src/core/vm.c) calls into.

import { process as native, modules } from 'weft:internal/native';
import { inspect } from 'weft:internal/inspect';
import * as timers from 'weft:internal/timers';
import { console } from 'weft:internal/console';
import { process, processTicks, emitExit } from 'weft:internal/process';
import { runMain, loadForImport } from 'weft:internal/cjs';

const performance = {
  now: native.now,
  timeOrigin: native.timeOrigin,
  toJSON: () => ({ timeOrigin: native.timeOrigin }),
};

function defineGlobal(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

// QuickJS throws InternalError for a stack overflow where JavaScript engines
// agree on RangeError; make its errors RangeErrors so that code catching
// RangeError (and reading err.name) sees what it expects.
Object.setPrototypeOf(InternalError.prototype, RangeError.prototype);
Object.defineProperty(InternalError.prototype, 'name', { value: 'RangeError', writable: true, configurable: true });
Object.defineProperty(InternalError, 'name', { value: 'RangeError', configurable: true });

defineGlobal('global', globalThis);
defineGlobal('console', console);
defineGlobal('process', process);
defineGlobal('performance', performance);
defineGlobal('queueMicrotask', native.queueMicrotask);
for (const name of ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate']) {
  defineGlobal(name, timers[name]);
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

export function onUncaughtException(err) {
  if (process.listenerCount('uncaughtException') > 0) {
    process.emit('uncaughtException', err, 'uncaughtException');
    return true;
  }
  native.write(2, `${sourceContext(err)}${describeError(err)}\n`);
  return false;
}

export function onUnhandledRejection(reason, promise) {
  if (process.listenerCount('unhandledRejection') > 0) {
    process.emit('unhandledRejection', reason, promise);
    return true;
  }
  if (reason instanceof Error) {
    native.write(2, `${sourceContext(reason)}${describeError(reason)}\n`);
  } else {
    native.write(2, '[UnhandledPromiseRejection: This error originated either by throwing inside of an ' +
      'async function without a catch block, or by rejecting a promise which was not handled with .catch(). ' +
      `The promise rejected with the reason "${inspect(reason)}".] {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n`);
  }
  return false;
}

export function onBeforeExit() {
  if (process.listenerCount('beforeExit') > 0) process.emit('beforeExit', process.exitCode ?? 0);
}

// code is -1 for a natural end, else the code the C side decided on.
export function onExit(code) {
  return emitExit(code >= 0 ? code : undefined);
}

export { processTicks, loadForImport };
export const runMainCommonJS = runMain;
