// The rarely taken paths of EventEmitter and EventTarget, loaded the first
// time one is needed so that weft:internal/event_emitter stays small: the
// memory-leak and argument warnings, and the error thrown for an 'error'
// event nobody listens to.

import { load } from 'weft:internal/load';
import { makeError } from 'weft:internal/errors';

// Warnings go through process.emitWarning when the host has it (weft's
// process object may not exist yet, and plain QuickJS has none).
export function emitWarning(warning) {
  if (typeof globalThis.process?.emitWarning === 'function') {
    globalThis.process.emitWarning(warning);
  } else if (typeof globalThis.console?.error === 'function') {
    globalThis.console.error(`(weft) ${warning.name}: ${warning.message}`);
  }
}

export function leakWarning(message, extra) {
  const warning = new Error(message);
  warning.name = 'MaxListenersExceededWarning';
  return Object.assign(warning, extra);
}

// An EventEmitter passed `max` listeners for `type`.
export function warnLeak(target, type, count, max) {
  const name = target.constructor?.name ?? 'EventEmitter';
  emitWarning(leakWarning(
    `Possible EventEmitter memory leak detected. ${count} ${String(type)} listeners ` +
    `added to [${name}]. MaxListeners is ${max}. Use emitter.setMaxListeners() to increase limit`,
    { emitter: target, type, count }));
}

// ERR_UNHANDLED_ERROR, for an 'error' event emitted with a non-Error value
// and no listener.
export function unhandledError(er) {
  let shown;
  try {
    shown = load('weft:internal/inspect').inspect(er);
  } catch {
    shown = er;
  }
  const err = makeError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${shown})`);
  err.context = er;
  return err;
}
