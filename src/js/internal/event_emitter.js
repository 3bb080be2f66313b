// EventEmitter itself, apart from the rest of the `events` module: every
// thread that loads the weft module gets it (MessagePort and Thread extend
// it), so it holds only what an emitter needs on every call and does nothing
// at load time beyond defining the methods. The rare paths (the memory-leak
// warning, ERR_UNHANDLED_ERROR) live in weft:internal/events_rare, and the
// static helpers (once, on, ...) in weft:node/events; both load on first use.
//
// Node's internal layout is kept (`_events`, `_eventsCount`, `_maxListeners`;
// a single function or an array per event name in a null-prototype object):
// published npm code reads and even writes those fields, and the C delivery
// path (src/modules/ports.c) calls `_events.message` directly when it is a
// function.

import { load } from 'weft:internal/load';
import { validateFunction, validateNumber } from 'weft:internal/errors';

const RARE = 'weft:internal/events_rare';

export const errorMonitor = Symbol('events.errorMonitor');

export let defaultMaxListeners = 10;

// A plain constructor function rather than a class: old-style subclasses call
// `EventEmitter.call(this)`, which a class constructor would reject. Node's
// constructor options (captureRejections) are not supported.
export function EventEmitter() {
  EventEmitter.init.call(this);
}

const proto = EventEmitter.prototype;

// Shared defaults on the prototype, so objects that never ran the constructor
// (Object.create(EventEmitter.prototype)) still work.
proto._events = undefined;
proto._eventsCount = 0;
proto._maxListeners = undefined;

Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
  enumerable: true,
  get() { return defaultMaxListeners; },
  set(n) {
    validateNumber(n, 'defaultMaxListeners', 0); // a number, not NaN, not negative
    defaultMaxListeners = n;
  },
});

EventEmitter.init = function init() {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = { __proto__: null };
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
};

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.errorMonitor = errorMonitor;

// The static helpers are weft:node/events's exports, loaded when first read;
// that module turns these into plain data properties when it loads.
function lazyStatic(name) {
  Object.defineProperty(EventEmitter, name, {
    get() {
      load('weft:node/events');
      return EventEmitter[name];
    },
    set(value) {
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
    enumerable: true,
    configurable: true,
  });
}
lazyStatic('once');
lazyStatic('on');
lazyStatic('listenerCount');
lazyStatic('getEventListeners');
lazyStatic('setMaxListeners');

proto.setMaxListeners = function setMaxListeners(n) {
  validateNumber(n, 'setMaxListeners', 0);
  this._maxListeners = n;
  return this;
};

proto.getMaxListeners = function getMaxListeners() {
  return this._maxListeners === undefined ? defaultMaxListeners : this._maxListeners;
};

proto.emit = function emit(type, ...args) {
  const events = this._events;
  if (type === 'error') {
    if (events?.[errorMonitor] !== undefined) this.emit(errorMonitor, ...args);
    // An 'error' event nobody listens to is thrown, as Node does.
    if (events?.error === undefined) {
      throw args[0] instanceof Error ? args[0] : load(RARE).unhandledError(args[0]);
    }
  }
  const handler = events?.[type];
  if (handler === undefined) return false;
  if (typeof handler === 'function') {
    Reflect.apply(handler, this, args);
  } else {
    // Copy first: a listener may add or remove listeners while we iterate.
    for (const listener of [...handler]) Reflect.apply(listener, this, args);
  }
  return true;
};

function registerListener(target, type, listener, prepend) {
  validateFunction(listener, 'listener');
  let events = target._events;
  if (events === undefined) {
    events = target._events = { __proto__: null };
    target._eventsCount = 0;
  } else if (events.newListener !== undefined) {
    // Announce with the user's function, not a once() wrapper.
    target.emit('newListener', type, listener.listener ?? listener);
    events = target._events; // a 'newListener' handler may have replaced it
  }

  const existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    target._eventsCount++;
    return target;
  }
  let list;
  if (typeof existing === 'function') {
    list = events[type] = prepend ? [listener, existing] : [existing, listener];
  } else {
    list = existing;
    if (prepend) list.unshift(listener);
    else list.push(listener);
  }
  // Warn once per event name when the listener count passes the limit.
  const max = target.getMaxListeners();
  if (max > 0 && list.length > max && !list.warned) {
    list.warned = true;
    load(RARE).warnLeak(target, type, list.length, max);
  }
  return target;
}

proto.addListener = function addListener(type, listener) {
  return registerListener(this, type, listener, false);
};
proto.on = proto.addListener;

proto.prependListener = function prependListener(type, listener) {
  return registerListener(this, type, listener, true);
};

// once() registers a wrapper that removes itself before the first call; the
// wrapper's `listener` property lets removeListener and listeners() find the
// user's function.
function onceWrap(target, type, listener) {
  validateFunction(listener, 'listener');
  let fired = false;
  function onceWrapper(...args) {
    if (fired) return undefined;
    fired = true;
    target.removeListener(type, onceWrapper);
    return Reflect.apply(listener, target, args);
  }
  onceWrapper.listener = listener;
  return onceWrapper;
}

proto.once = function once(type, listener) {
  this.on(type, onceWrap(this, type, listener));
  return this;
};

proto.prependOnceListener = function prependOnceListener(type, listener) {
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};

proto.removeListener = function removeListener(type, listener) {
  validateFunction(listener, 'listener');
  const events = this._events;
  const list = events?.[type];
  if (list === undefined) return this;

  if (list === listener || list.listener === listener) {
    this._eventsCount--;
    if (this._eventsCount === 0) {
      this._events = { __proto__: null };
    } else {
      delete events[type];
      if (events.removeListener !== undefined) this.emit('removeListener', type, list.listener ?? listener);
    }
    return this;
  }
  if (typeof list === 'function') return this;

  // Remove the most recently added match, as Node does.
  let position = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i] === listener || list[i].listener === listener) {
      position = i;
      break;
    }
  }
  if (position < 0) return this;
  list.splice(position, 1);
  if (list.length === 1) events[type] = list[0];
  if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
  return this;
};
proto.off = proto.removeListener;

proto.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === undefined) return this;
  const all = arguments.length === 0;

  // Nobody watches removals: just drop the listeners.
  if (events.removeListener === undefined) {
    if (all) {
      this._events = { __proto__: null };
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = { __proto__: null };
      else delete events[type];
    }
    return this;
  }

  // Otherwise remove one by one so every removal is announced, and remove the
  // 'removeListener' listeners themselves last.
  if (all) {
    for (const key of Reflect.ownKeys(events)) {
      if (key !== 'removeListener') this.removeAllListeners(key);
    }
    this.removeAllListeners('removeListener');
    this._events = { __proto__: null };
    this._eventsCount = 0;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function listenersOf(target, type, unwrap) {
  const handler = target._events?.[type];
  if (handler === undefined) return [];
  const list = typeof handler === 'function' ? [handler] : [...handler];
  return unwrap ? list.map((fn) => fn.listener ?? fn) : list;
}

proto.listeners = function listeners(type) {
  return listenersOf(this, type, true);
};

proto.rawListeners = function rawListeners(type) {
  return listenersOf(this, type, false);
};

// With `listener`, counts only that function (once() wrappers included).
proto.listenerCount = function listenerCount(type, listener) {
  const handler = this._events?.[type];
  if (handler === undefined) return 0;
  const list = typeof handler === 'function' ? [handler] : handler;
  if (listener == null) return list.length;
  return list.filter((fn) => fn === listener || fn.listener === listener).length;
};

proto.eventNames = function eventNames() {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};
