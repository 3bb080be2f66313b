// Node's `events` module: EventEmitter plus its static helpers, and the
// DOM-style Event and EventTarget.
//
// EventEmitter itself is weft:internal/event_emitter, which the weft module
// loads in every thread without the rest of this module; its rare paths
// (warnings, ERR_UNHANDLED_ERROR) are in weft:internal/events_rare.

import { load } from 'weft:internal/load';
import {
  AbortError, invalidArgType, makeError, missingArgs, validateAbortSignal, validateNumber,
} from 'weft:internal/errors';
import { EventEmitter, errorMonitor, defaultMaxListeners } from 'weft:internal/event_emitter';

export { EventEmitter, errorMonitor, defaultMaxListeners };

const rare = () => load('weft:internal/events_rare');

function abortError(signal) {
  return new AbortError(undefined, { cause: signal?.reason });
}

// ---------------------------------------------------------------------------
// Static helpers

export function listenerCount(emitter, type) {
  if (typeof emitter.listenerCount === 'function') return emitter.listenerCount(type);
  return EventEmitter.prototype.listenerCount.call(emitter, type);
}

export function getEventListeners(emitter, type) {
  if (typeof emitter?.listeners === 'function') return emitter.listeners(type);
  if (emitter instanceof EventTarget) return emitter[kListenersOf](type);
  throw invalidArgType('emitter', 'an instance of EventEmitter or EventTarget', emitter);
}

// Without targets, sets the default for every EventEmitter and EventTarget.
export function setMaxListeners(n = defaultMaxListeners, ...targets) {
  validateNumber(n, 'setMaxListeners', 0);
  if (targets.length === 0) {
    EventEmitter.defaultMaxListeners = n;
    return;
  }
  for (const target of targets) {
    if (target instanceof EventTarget) target[kSetMaxListeners](n);
    else if (typeof target?.setMaxListeners === 'function') target.setMaxListeners(n);
    else throw invalidArgType('eventTargets', 'an instance of EventEmitter or EventTarget', target);
  }
}

// Listens on an EventEmitter (on/off) or an EventTarget (addEventListener).
function listen(emitter, name, listener, once) {
  if (typeof emitter.on === 'function') {
    if (once) emitter.once(name, listener);
    else emitter.on(name, listener);
    return () => emitter.removeListener(name, listener);
  }
  if (typeof emitter.addEventListener === 'function') {
    emitter.addEventListener(name, listener, { once });
    return () => emitter.removeEventListener(name, listener);
  }
  throw invalidArgType('emitter', 'an instance of EventEmitter', emitter);
}

// Anything with `aborted` and addEventListener will do as an AbortSignal.
function checkSignal(signal) {
  validateAbortSignal(signal, 'options.signal');
}

// Resolves with the arguments of the next `name` event; rejects if 'error'
// comes first or options.signal aborts. Async so that bad arguments reject
// rather than throw, as in Node.
export async function once(emitter, name, options = {}) {
  const signal = options?.signal;
  checkSignal(signal);
  if (signal?.aborted) throw abortError(signal);

  return new Promise((resolve, reject) => {
    const cleanups = [];
    const cleanup = () => cleanups.forEach((fn) => fn());
    cleanups.push(listen(emitter, name, (...args) => {
      cleanup();
      resolve(args);
    }, true));
    if (name !== 'error' && typeof emitter.once === 'function') {
      cleanups.push(listen(emitter, 'error', (err) => {
        cleanup();
        reject(err);
      }, true));
    }
    if (signal) {
      const onAbort = () => {
        cleanup();
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
  });
}

let AsyncIteratorPrototype;

// An async iterator over `event`, yielding each emission's arguments array.
// Events that arrive before next() is called are buffered. An 'error' event
// rejects the pending (or next) next() call and ends the iteration; so do
// options.signal and any of the options.close event names, which end it
// cleanly.
export function on(emitter, event, options = {}) {
  const signal = options?.signal;
  checkSignal(signal);
  if (signal?.aborted) throw abortError(signal);

  const buffered = [];  // argument arrays nobody has asked for yet
  const waiting = [];   // { resolve, reject } of next() calls not yet answered
  const cleanups = [];
  let error = null;
  let finished = false;

  const result = (value, done) => ({ value, done });

  function onEvent(...args) {
    if (waiting.length > 0) waiting.shift().resolve(result(args, false));
    else buffered.push(args);
  }

  function onError(err) {
    if (waiting.length > 0) waiting.shift().reject(err);
    else error = err;
    close();
  }

  function close() {
    cleanups.splice(0).forEach((fn) => fn());
    finished = true;
    const done = result(undefined, true);
    while (waiting.length > 0) waiting.shift().resolve(done);
    return Promise.resolve(done);
  }

  cleanups.push(listen(emitter, event, onEvent, false));
  if (event !== 'error' && typeof emitter.on === 'function') {
    cleanups.push(listen(emitter, 'error', onError, false));
  }
  for (const name of options?.close ?? []) cleanups.push(listen(emitter, name, close, false));
  if (signal) {
    const onAbort = () => onError(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));
  }

  return Object.setPrototypeOf({
    next() {
      if (buffered.length > 0) return Promise.resolve(result(buffered.shift(), false));
      if (error) {
        const p = Promise.reject(error);
        error = null;
        return p;
      }
      if (finished) return close();
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      return close();
    },
    throw(err) {
      if (!(err instanceof Error)) throw invalidArgType('EventEmitter.AsyncIterator', 'an instance of Error', err);
      onError(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  }, AsyncIteratorPrototype ??= Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype));
}

// weft:internal/event_emitter made these load this module when first read;
// now they are plain properties (unless a program assigned its own).
for (const [name, value] of Object.entries({ once, on, listenerCount, getEventListeners, setMaxListeners })) {
  if (Object.getOwnPropertyDescriptor(EventEmitter, name)?.get !== undefined) {
    Object.defineProperty(EventEmitter, name, { value, writable: true, enumerable: true, configurable: true });
  }
}

// ---------------------------------------------------------------------------
// Event and EventTarget, after the WHATWG DOM.

// Dispatch state lives in private fields; EventTarget reaches it through
// these functions, which only code in this module can obtain.
const dispatchState = {};

export class Event {
  static NONE = 0;
  static CAPTURING_PHASE = 1;
  static AT_TARGET = 2;
  static BUBBLING_PHASE = 3;

  #type;
  #bubbles;
  #cancelable;
  #composed;
  #timeStamp;
  #target = null;
  #currentTarget = null;
  #phase = Event.NONE;
  #canceled = false;
  #stop = false;
  #stopImmediate = false;
  #inPassiveListener = false;

  static {
    Object.assign(dispatchState, {
      begin(event, target) {
        event.#target = target;
        event.#currentTarget = target;
        event.#phase = Event.AT_TARGET;
      },
      // The DOM resets the propagation flags so the event can be dispatched again.
      end(event) {
        event.#currentTarget = null;
        event.#phase = Event.NONE;
        event.#stop = false;
        event.#stopImmediate = false;
        event.#inPassiveListener = false;
      },
      setPassive(event, passive) {
        event.#inPassiveListener = passive;
      },
      stoppedImmediately(event) {
        return event.#stopImmediate;
      },
    });
  }

  constructor(type, options = undefined) {
    if (arguments.length === 0) throw missingArgs('type');
    if (options != null && typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
    this.#type = `${type}`;
    this.#bubbles = Boolean(options?.bubbles);
    this.#cancelable = Boolean(options?.cancelable);
    this.#composed = Boolean(options?.composed);
    this.#timeStamp = globalThis.performance?.now?.() ?? Date.now();
  }

  get type() { return this.#type; }
  get bubbles() { return this.#bubbles; }
  get cancelable() { return this.#cancelable; }
  get composed() { return this.#composed; }
  get timeStamp() { return this.#timeStamp; }
  get target() { return this.#target; }
  get currentTarget() { return this.#currentTarget; }
  get srcElement() { return this.#target; }
  get eventPhase() { return this.#phase; }
  get isTrusted() { return false; }
  get defaultPrevented() { return this.#cancelable && this.#canceled; }
  get returnValue() { return !this.defaultPrevented; }
  get cancelBubble() { return this.#stop; }
  set cancelBubble(value) { if (value) this.#stop = true; }

  composedPath() {
    return this.#phase === Event.NONE ? [] : [this.#currentTarget];
  }

  preventDefault() {
    // Passive listeners promised not to cancel; the DOM ignores them.
    if (!this.#inPassiveListener) this.#canceled = true;
  }

  stopPropagation() {
    this.#stop = true;
  }

  stopImmediatePropagation() {
    this.#stop = true;
    this.#stopImmediate = true;
  }

  get [Symbol.toStringTag]() { return 'Event'; }
}

for (const name of ['NONE', 'CAPTURING_PHASE', 'AT_TARGET', 'BUBBLING_PHASE']) {
  Object.defineProperty(Event.prototype, name, { value: Event[name], enumerable: true });
}

// Hooks for getEventListeners() and setMaxListeners() above.
const kListenersOf = Symbol('kListenersOf');
const kSetMaxListeners = Symbol('kSetMaxListeners');

function normalizeListenerOptions(options) {
  if (typeof options === 'boolean') return { capture: options };
  return {
    capture: Boolean(options?.capture),
    once: Boolean(options?.once),
    passive: Boolean(options?.passive),
    signal: options?.signal,
  };
}

// Returns false for null/undefined listeners, which the DOM ignores (Node
// warns about them).
function checkEventListener(listener) {
  if (listener == null) {
    const warning = new Error(`addEventListener called with ${listener} which has no effect.`);
    warning.name = 'AddEventListenerArgumentTypeWarning';
    rare().emitWarning(warning);
    return false;
  }
  if (typeof listener === 'function' || typeof listener === 'object') return true;
  throw invalidArgType('listener', 'an instance of EventListener', listener);
}

// An exception in a listener must not stop the other listeners or reach the
// dispatcher; it is reported like an uncaught exception instead.
function reportListenerError(err) {
  if (typeof globalThis.reportError === 'function') {
    globalThis.reportError(err);
  } else if (typeof globalThis.queueMicrotask === 'function') {
    globalThis.queueMicrotask(() => { throw err; });
  } else {
    Promise.reject(err);
  }
}

// A weft EventTarget has no parent, so dispatch only ever runs at the target:
// there are no capture or bubble paths.
export class EventTarget {
  // type -> array of { listener, capture, once, passive, removed }
  #listeners = new Map();
  #maxListeners = defaultMaxListeners;
  #warned = false;

  addEventListener(type, listener, options = undefined) {
    if (arguments.length < 2) throw missingArgs('type', 'listener');
    if (!checkEventListener(listener)) return;
    const { capture, once: isOnce, passive, signal } = normalizeListenerOptions(options);
    if (signal?.aborted) return;
    type = `${type}`;

    let list = this.#listeners.get(type);
    if (list === undefined) this.#listeners.set(type, list = []);
    if (list.some((e) => e.listener === listener && e.capture === capture)) return;
    list.push({ listener, capture, once: isOnce, passive, removed: false });
    this.#checkLeak(type, list.length);

    signal?.addEventListener('abort', () => this.removeEventListener(type, listener, { capture }), { once: true });
  }

  removeEventListener(type, listener, options = undefined) {
    if (arguments.length < 2) throw missingArgs('type', 'listener');
    const { capture } = normalizeListenerOptions(options);
    type = `${type}`;
    const list = this.#listeners.get(type);
    const index = list?.findIndex((e) => e.listener === listener && e.capture === capture) ?? -1;
    if (index < 0) return;
    // Flag it too: a dispatch in progress iterates over a copy of the list.
    list[index].removed = true;
    list.splice(index, 1);
    if (list.length === 0) this.#listeners.delete(type);
  }

  dispatchEvent(event) {
    if (arguments.length === 0) throw missingArgs('event');
    if (!(event instanceof Event)) throw invalidArgType('event', 'an instance of Event', event);
    if (event.eventPhase !== Event.NONE) {
      throw makeError(Error, 'ERR_EVENT_RECURSION', `The event "${event.type}" is already being dispatched`);
    }
    dispatchState.begin(event, this);
    try {
      for (const entry of [...(this.#listeners.get(event.type) ?? [])]) {
        if (entry.removed) continue;
        if (entry.once) this.removeEventListener(event.type, entry.listener, { capture: entry.capture });
        this.#invoke(entry, event);
        if (dispatchState.stoppedImmediately(event)) break;
      }
    } finally {
      dispatchState.end(event);
    }
    return !event.defaultPrevented;
  }

  #invoke({ listener, passive }, event) {
    dispatchState.setPassive(event, passive);
    try {
      if (typeof listener === 'function') Reflect.apply(listener, this, [event]);
      else if (typeof listener.handleEvent === 'function') listener.handleEvent(event);
    } catch (err) {
      reportListenerError(err);
    } finally {
      dispatchState.setPassive(event, false);
    }
  }

  #checkLeak(type, count) {
    if (this.#maxListeners > 0 && count > this.#maxListeners && !this.#warned) {
      this.#warned = true;
      const { emitWarning, leakWarning } = rare();
      emitWarning(leakWarning(
        `Possible EventTarget memory leak detected. ${count} ${type} listeners added to ` +
        `${this.constructor?.name ?? 'EventTarget'}. MaxListeners is ${this.#maxListeners}. ` +
        'Use events.setMaxListeners() to increase limit',
        { target: this, type, count }));
    }
  }

  [kListenersOf](type) {
    return (this.#listeners.get(`${type}`) ?? []).map((e) => e.listener);
  }

  [kSetMaxListeners](n) {
    this.#maxListeners = n;
    this.#warned = false;
  }

  get [Symbol.toStringTag]() { return 'EventTarget'; }
}

export default EventEmitter;
