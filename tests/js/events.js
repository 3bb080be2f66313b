// Behaviour of the builtin `events` module: EventEmitter, its static
// helpers, and Event/EventTarget.
import EventEmitterDefault, { EventEmitter, Event, EventTarget, errorMonitor, getEventListeners, listenerCount, on, once }
  from 'events';
import * as nodeEvents from 'node:events';

const show = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

function eq(actual, expected, what) {
  if (!Object.is(actual, expected)) throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

function eqList(actual, expected, what) {
  const a = actual.map(show).join(', ');
  const e = expected.map(show).join(', ');
  if (a !== e) throw new Error(`${what}: expected [${e}], got [${a}]`);
}

// Runs fn, which must throw; checks the error and returns it.
function throwsLike(fn, { type = Error, code, message }, what) {
  let error;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  if (error === undefined) throw new Error(`${what}: expected an exception, nothing was thrown`);
  if (!(error instanceof type)) throw new Error(`${what}: expected a ${type.name}, got ${error}`);
  if (code !== undefined) eq(error.code, code, `${what}: code`);
  if (message !== undefined) eq(error.message, message, `${what}: message`);
  return error;
}

// Records calls as strings: log.push('a'), then log.take() empties it.
function recorder() {
  const entries = [];
  return {
    push: (entry) => entries.push(entry),
    take: () => entries.splice(0),
  };
}

// --- module shape
eq(EventEmitterDefault, EventEmitter, 'default export is EventEmitter');
eq(EventEmitter.EventEmitter, EventEmitter, 'EventEmitter.EventEmitter');
eq(nodeEvents.EventEmitter, EventEmitter, "'node:events' is the same module");
eq(EventEmitter.once, once, 'EventEmitter.once');
eq(EventEmitter.on, on, 'EventEmitter.on');
eq(EventEmitter.errorMonitor, errorMonitor, 'EventEmitter.errorMonitor');
eq(typeof errorMonitor, 'symbol', 'errorMonitor is a symbol');
eq(EventEmitter.defaultMaxListeners, 10, 'defaultMaxListeners');
eq(EventEmitter.prototype.on, EventEmitter.prototype.addListener, 'on is addListener');
eq(EventEmitter.prototype.off, EventEmitter.prototype.removeListener, 'off is removeListener');

// --- on / emit
{
  const e = new EventEmitter();
  const log = recorder();
  eq(e.emit('x'), false, 'emit without listeners returns false');
  eq(e.on('x', (a, b) => log.push(`first ${a} ${b}`)), e, 'on returns the emitter');
  e.addListener('x', function second() { log.push(`second ${this === e}`); });
  eq(e.emit('x', 1, 2), true, 'emit with listeners returns true');
  eqList(log.take(), ['first 1 2', 'second true'], 'listeners run in order with the arguments, this = emitter');
  eq(e.listenerCount('x'), 2, 'listenerCount');
  eqList(e.eventNames(), ['x'], 'eventNames');
}

// --- prepend, once, prependOnce
{
  const e = new EventEmitter();
  const log = recorder();
  e.on('x', () => log.push('on'));
  e.prependListener('x', () => log.push('prepended'));
  e.once('x', (v) => log.push(`once ${v}`));
  e.prependOnceListener('x', (v) => log.push(`prepended once ${v}`));
  e.emit('x', 1);
  e.emit('x', 2);
  eqList(log.take(), ['prepended once 1', 'prepended', 'on', 'once 1', 'prepended', 'on'],
    'prepend and once order');
  eq(e.listenerCount('x'), 2, 'once listeners are gone after firing');
}

// --- once listeners are visible as the user's function
{
  const e = new EventEmitter();
  const f = () => {};
  e.once('x', f);
  eq(e.listeners('x')[0], f, 'listeners() unwraps once()');
  check(e.rawListeners('x')[0] !== f, 'rawListeners() shows the once() wrapper');
  eq(e.rawListeners('x')[0].listener, f, 'the wrapper points at the listener');
  e.removeListener('x', f);
  eq(e.listenerCount('x'), 0, 'removeListener finds a once() listener by the user function');
  e.once('x', f);
  e.rawListeners('x')[0]();
  eq(e.listenerCount('x'), 0, 'calling the raw wrapper removes it');
}

// --- removeListener
{
  const e = new EventEmitter();
  const log = recorder();
  const f = () => log.push('f');
  const g = () => log.push('g');
  e.on('x', f).on('x', g).on('x', f);
  e.removeListener('x', f);
  e.emit('x');
  eqList(log.take(), ['f', 'g'], 'removeListener removes the most recently added match');
  e.off('x', f);
  e.off('x', () => {});
  e.emit('x');
  eqList(log.take(), ['g'], 'off');
  e.off('x', g);
  eqList(e.eventNames(), [], 'no event names once all listeners are gone');
  eq(e.emit('x'), false, 'emit after removing everything');
}

// --- changes during emit do not affect the emit in progress
{
  const e = new EventEmitter();
  const log = recorder();
  const b = () => log.push('b');
  e.on('x', () => {
    log.push('a');
    e.removeListener('x', b);
    e.on('x', () => log.push('c'));
  });
  e.on('x', b);
  e.emit('x');
  eqList(log.take(), ['a', 'b'], 'the listener list is copied before emitting');
  e.emit('x');
  eqList(log.take(), ['a', 'c'], 'the changes apply to the next emit');
}

// --- newListener / removeListener events
{
  const e = new EventEmitter();
  const log = recorder();
  e.on('newListener', (name, fn) => log.push(`new ${String(name)} ${fn.name} ${e.listenerCount(name)}`));
  e.on('removeListener', (name, fn) => log.push(`removed ${String(name)} ${fn.name}`));
  function foo() {}
  e.on('a', foo);
  e.once('b', foo);
  e.emit('b');
  e.removeListener('a', foo);
  e.on('c', foo).on('c', foo);
  e.removeAllListeners('c');
  eqList(log.take(), ['new removeListener  0', 'new a foo 0', 'new b foo 0', 'removed b foo', 'removed a foo',
    'new c foo 0', 'new c foo 1', 'removed c foo', 'removed c foo'],
  'newListener fires before adding, with the user function; removeListener after removing');
  e.on('d', foo);
  e.removeAllListeners();
  // In registration order; the 'removeListener' listener goes last, unannounced.
  eqList(log.take(), ['new d foo 0', 'removed newListener ', 'removed d foo'],
    'removeAllListeners() announces the removals');
  eqList(e.eventNames(), [], 'removeAllListeners() clears everything');
}

// --- removeAllListeners(name)
{
  const e = new EventEmitter();
  e.on('a', () => {}).on('a', () => {}).on('b', () => {});
  eq(e.removeAllListeners('a'), e, 'removeAllListeners returns the emitter');
  eqList(e.eventNames(), ['b'], 'removeAllListeners(name) keeps other events');
  e.removeAllListeners('nothing');
  eqList(e.eventNames(), ['b'], 'removeAllListeners of an unknown event');
}

// --- symbols as event names
{
  const e = new EventEmitter();
  const s = Symbol('s');
  let got;
  e.on(s, (v) => { got = v; });
  e.emit(s, 5);
  eq(got, 5, 'symbol events');
  eq(e.eventNames()[0], s, 'eventNames lists symbols');
}

// --- listenerCount and listeners
{
  const e = new EventEmitter();
  const f = () => {};
  e.on('a', f).on('a', () => {}).once('a', f);
  eq(e.listenerCount('a'), 3, 'listenerCount counts every listener');
  eq(e.listenerCount('a', f), 2, 'listenerCount(name, fn) counts that function, once() included');
  eq(e.listenerCount('none'), 0, 'listenerCount of an unknown event');
  eq(EventEmitter.listenerCount(e, 'a'), 3, 'static EventEmitter.listenerCount');
  eq(listenerCount(e, 'a'), 3, 'named listenerCount');
  eq(e.listeners('a').length, 3, 'listeners()');
  eq(getEventListeners(e, 'a')[2], f, 'getEventListeners(emitter)');
  const copy = e.listeners('a');
  copy.length = 0;
  eq(e.listenerCount('a'), 3, 'listeners() returns a copy');
}

// --- errors
{
  const e = new EventEmitter();
  const boom = new TypeError('boom');
  eq(throwsLike(() => e.emit('error', boom), { type: TypeError }, 'emit(error, Error)'), boom,
    'an unhandled error event throws the error itself');
  const err = throwsLike(() => e.emit('error', 'text'),
    { code: 'ERR_UNHANDLED_ERROR', message: "Unhandled error. ('text')" }, 'emit(error, string)');
  eq(err.context, 'text', 'ERR_UNHANDLED_ERROR carries the value as context');
  throwsLike(() => e.emit('error', 42), { code: 'ERR_UNHANDLED_ERROR', message: 'Unhandled error. (42)' }, 'emit(error, 42)');
  throwsLike(() => e.emit('error'), { code: 'ERR_UNHANDLED_ERROR', message: 'Unhandled error. (undefined)' }, 'emit(error)');
  const seen = [];
  e.on(errorMonitor, (x) => seen.push(x));
  throwsLike(() => e.emit('error', boom), { type: TypeError }, 'errorMonitor does not handle the error');
  eq(seen[0], boom, 'errorMonitor listeners see the error first');
  e.on('error', (x) => seen.push(`handled ${x}`));
  eq(e.emit('error', 'x'), true, 'a handled error event');
  eq(seen.at(-1), 'handled x', 'the error listener got it');
}

// --- listener validation
{
  const e = new EventEmitter();
  const received = [
    [42, 'type number (42)'], ['x', "type string ('x')"], [null, 'null'], [undefined, 'undefined'],
    [{}, 'an instance of Object'], [[], 'an instance of Array'], [true, 'type boolean (true)'],
    [Symbol('s'), 'type symbol (Symbol(s))'], [1n, 'type bigint (1n)'],
    ['a very long string that goes on and on', "type string ('a very long string that g...')"],
  ];
  for (const method of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener', 'off', 'removeListener']) {
    for (const [value, text] of received) {
      throwsLike(() => e[method]('x', value), {
        type: TypeError,
        code: 'ERR_INVALID_ARG_TYPE',
        message: `The "listener" argument must be of type function. Received ${text}`,
      }, `${method}(x, ${text})`);
    }
  }
}

// --- max listeners
{
  const e = new EventEmitter();
  eq(e.getMaxListeners(), 10, 'default max listeners');
  eq(e.setMaxListeners(3), e, 'setMaxListeners returns the emitter');
  eq(e.getMaxListeners(), 3, 'setMaxListeners');
  throwsLike(() => e.setMaxListeners(-1), {
    type: RangeError, code: 'ERR_OUT_OF_RANGE',
    message: 'The value of "setMaxListeners" is out of range. It must be >= 0. Received -1',
  }, 'setMaxListeners(-1)');
  throwsLike(() => e.setMaxListeners(NaN), { type: RangeError, code: 'ERR_OUT_OF_RANGE' }, 'setMaxListeners(NaN)');
  throwsLike(() => e.setMaxListeners('5'), {
    type: TypeError, code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "setMaxListeners" argument must be of type number. Received type string (\'5\')',
  }, "setMaxListeners('5')");
  throwsLike(() => { EventEmitter.defaultMaxListeners = -1; }, {
    type: RangeError, code: 'ERR_OUT_OF_RANGE',
    message: 'The value of "defaultMaxListeners" is out of range. It must be >= 0. Received -1',
  }, 'defaultMaxListeners = -1');

  const fresh = new EventEmitter();
  EventEmitter.defaultMaxListeners = 4;
  eq(fresh.getMaxListeners(), 4, 'emitters without their own limit follow defaultMaxListeners');
  EventEmitter.defaultMaxListeners = 10;
}

// --- the memory-leak warning: once per event name, through process.emitWarning
{
  const warnings = [];
  const hadProcess = globalThis.process !== undefined;
  const savedEmitWarning = globalThis.process?.emitWarning;
  if (hadProcess) globalThis.process.emitWarning = (w) => warnings.push(w);
  else globalThis.process = { emitWarning: (w) => warnings.push(w) };
  try {
    const e = new EventEmitter();
    e.setMaxListeners(2);
    for (let i = 0; i < 5; i++) e.on('foo', () => {});
    e.on('bar', () => {}).on('bar', () => {});
    e.on('bar', () => {});
    eq(warnings.length, 2, 'one warning per event name');
    eq(warnings[0].name, 'MaxListenersExceededWarning', 'warning name');
    eq(warnings[0].message, 'Possible EventEmitter memory leak detected. 3 foo listeners added to [EventEmitter]. ' +
      'MaxListeners is 2. Use emitter.setMaxListeners() to increase limit', 'warning message');
    eq(warnings[0].emitter, e, 'warning.emitter');
    eq(warnings[0].type, 'foo', 'warning.type');
    eq(warnings[0].count, 3, 'warning.count');
    const unlimited = new EventEmitter().setMaxListeners(0);
    for (let i = 0; i < 20; i++) unlimited.on('x', () => {});
    eq(warnings.length, 2, 'a limit of 0 means no limit');
  } finally {
    if (hadProcess) globalThis.process.emitWarning = savedEmitWarning;
    else delete globalThis.process;
  }
}

// --- subclassing, old and new style
{
  class Sub extends EventEmitter {
    constructor() {
      super();
      this.count = 0;
    }
  }
  const s = new Sub();
  s.on('x', () => s.count++);
  s.emit('x');
  eq(s.count, 1, 'class subclass');
  check(s instanceof EventEmitter, 'instanceof EventEmitter');

  function Old() {
    EventEmitter.call(this);
  }
  Object.setPrototypeOf(Old.prototype, EventEmitter.prototype);
  const o = new Old();
  let got;
  o.on('y', (v) => { got = v; });
  o.emit('y', 7);
  eq(got, 7, 'EventEmitter.call(this) still works');

  const bare = Object.create(EventEmitter.prototype);
  bare.on('z', () => { got = 'bare'; });
  bare.emit('z');
  eq(got, 'bare', 'an emitter that never ran the constructor');
}

// --- static once()
{
  const e = new EventEmitter();
  const p = once(e, 'ready');
  e.emit('ready', 1, 2);
  eqList(await p, [1, 2], 'once() resolves with the arguments');
  eq(e.listenerCount('ready') + e.listenerCount('error'), 0, 'once() removes its listeners');

  // Settle into a value first, so the rejection is never unhandled.
  const failing = once(e, 'ready').then(() => 'resolved', (err) => err);
  const boom = new Error('boom');
  e.emit('error', boom);
  eq(await failing, boom, "once() rejects on 'error'");
  eq(e.listenerCount('ready') + e.listenerCount('error'), 0, 'once() cleans up after rejecting');

  const errorEvent = once(e, 'error');
  e.emit('error', 'value');
  eqList(await errorEvent, ['value'], "once(emitter, 'error') resolves with the error");

  const t = new EventTarget();
  const fromTarget = once(t, 'ping');
  const event = new Event('ping');
  t.dispatchEvent(event);
  eq((await fromTarget)[0], event, 'once() on an EventTarget');

  const badEmitter = await once({}, 'x').then(() => 'resolved', (err) => err);
  eq(badEmitter?.code, 'ERR_INVALID_ARG_TYPE', 'once() on something that is not an emitter');

  // Any object with `aborted` and addEventListener serves as an AbortSignal.
  const signalTarget = new EventTarget();
  const signal = Object.assign(signalTarget, { aborted: false });
  const aborted = once(e, 'never', { signal }).then(() => 'resolved', (err) => err);
  signal.aborted = true;
  signal.dispatchEvent(new Event('abort'));
  const abortError = await aborted;
  eq(abortError?.name, 'AbortError', 'once() rejects with an AbortError when the signal aborts');
  eq(abortError?.code, 'ABORT_ERR', 'AbortError code');
  eq(e.listenerCount('never'), 0, 'the listener is removed on abort');
}

// --- static on(): an async iterator of argument arrays
{
  const e = new EventEmitter();
  const iterator = on(e, 'data');
  e.emit('data', 1);
  e.emit('data', 2, 3);
  const seen = [];
  for await (const args of iterator) {
    seen.push(args.join('+'));
    if (seen.length === 2) break;
  }
  eqList(seen, ['1', '2+3'], 'on() yields buffered events in order');
  eq(e.listenerCount('data') + e.listenerCount('error'), 0, 'breaking out removes the listeners');

  const it = on(e, 'data');
  const pending = it.next();
  e.emit('data', 'later');
  eqList((await pending).value, ['later'], 'on() resolves a waiting next()');
  const boom = new Error('boom');
  e.emit('error', boom);
  let rejected;
  try {
    await it.next();
  } catch (err) {
    rejected = err;
  }
  eq(rejected, boom, "on() rejects on 'error'");
  eq((await it.next()).done, true, 'the iterator is finished after an error');

  const closing = on(e, 'item', { close: ['end'] });
  e.emit('item', 'a');
  e.emit('end');
  eqList((await closing.next()).value, ['a'], 'events before close are still delivered');
  eq((await closing.next()).done, true, 'a close event ends the iteration');
}

// --- Event
{
  throwsLike(() => new Event(), { type: TypeError, code: 'ERR_MISSING_ARGS', message: 'The "type" argument must be specified' },
    'new Event()');
  const ev = new Event('go', { cancelable: true, bubbles: true });
  eq(ev.type, 'go', 'event.type');
  eq(ev.cancelable, true, 'event.cancelable');
  eq(ev.bubbles, true, 'event.bubbles');
  eq(ev.composed, false, 'event.composed');
  eq(ev.defaultPrevented, false, 'event.defaultPrevented');
  eq(ev.eventPhase, Event.NONE, 'eventPhase before dispatch');
  eq(ev.target, null, 'target before dispatch');
  eq(ev.isTrusted, false, 'isTrusted');
  eq(typeof ev.timeStamp, 'number', 'timeStamp');
  ev.preventDefault();
  eq(ev.defaultPrevented, true, 'preventDefault on a cancelable event');
  const plain = new Event('go');
  plain.preventDefault();
  eq(plain.defaultPrevented, false, 'preventDefault on a non-cancelable event does nothing');
  eq(new Event(5).type, '5', 'the type is converted to a string');
}

// --- EventTarget
{
  const t = new EventTarget();
  const log = recorder();
  const listener = function (ev) {
    log.push(`${ev.type} this=${this === t} target=${ev.target === t} current=${ev.currentTarget === t} phase=${ev.eventPhase}`);
  };
  t.addEventListener('a', listener);
  t.addEventListener('a', listener);
  const ev = new Event('a');
  eq(t.dispatchEvent(ev), true, 'dispatchEvent returns true when not canceled');
  eqList(log.take(), ['a this=true target=true current=true phase=2'], 'a listener added twice runs once');
  eq(ev.eventPhase, Event.NONE, 'phase after dispatch');
  eq(ev.currentTarget, null, 'currentTarget after dispatch');
  eq(ev.target, t, 'target stays after dispatch');

  t.removeEventListener('a', listener);
  t.dispatchEvent(new Event('a'));
  eqList(log.take(), [], 'removeEventListener');

  t.addEventListener('o', () => log.push('once'), { once: true });
  t.dispatchEvent(new Event('o'));
  t.dispatchEvent(new Event('o'));
  eqList(log.take(), ['once'], 'once option');

  const handler = { handleEvent(e) { log.push(`handleEvent ${this === handler} ${e.type}`); } };
  t.addEventListener('h', handler);
  t.dispatchEvent(new Event('h'));
  eqList(log.take(), ['handleEvent true h'], 'listener objects with handleEvent');

  t.addEventListener('c', (e) => e.preventDefault());
  eq(t.dispatchEvent(new Event('c', { cancelable: true })), false, 'dispatchEvent returns false when canceled');

  t.addEventListener('s', (e) => {
    log.push('first');
    e.stopImmediatePropagation();
  });
  t.addEventListener('s', () => log.push('second'));
  t.dispatchEvent(new Event('s'));
  eqList(log.take(), ['first'], 'stopImmediatePropagation');

  const f = () => log.push('f');
  t.addEventListener('cap', f);
  t.addEventListener('cap', f, { capture: true });
  t.removeEventListener('cap', f);
  t.dispatchEvent(new Event('cap'));
  eqList(log.take(), ['f'], 'capture and non-capture registrations are distinct');

  const recursive = new Event('r');
  t.addEventListener('r', () => {
    throwsLike(() => t.dispatchEvent(recursive), { code: 'ERR_EVENT_RECURSION',
      message: 'The event "r" is already being dispatched' }, 'dispatching an event being dispatched');
    log.push('r');
  });
  t.dispatchEvent(recursive);
  eqList(log.take(), ['r'], 'recursive dispatch is refused');
  t.dispatchEvent(recursive);
  eqList(log.take(), ['r'], 'an event can be dispatched again afterwards');

  throwsLike(() => t.dispatchEvent({ type: 'x' }), { type: TypeError, code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "event" argument must be an instance of Event. Received an instance of Object' }, 'dispatchEvent({})');
  throwsLike(() => t.addEventListener('x'), { type: TypeError, code: 'ERR_MISSING_ARGS',
    message: 'The "type" and "listener" arguments must be specified' }, 'addEventListener without a listener');
  throwsLike(() => t.addEventListener('x', 5), { type: TypeError, code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "listener" argument must be an instance of EventListener. Received type number (5)' },
  'addEventListener with a number');

  const targetListeners = getEventListeners(t, 'h');
  eq(targetListeners.length, 1, 'getEventListeners(EventTarget)');
  eq(targetListeners[0], handler, 'getEventListeners returns the listeners as added');

  class Custom extends EventTarget {}
  const custom = new Custom();
  let customHit = false;
  custom.addEventListener('x', () => { customHit = true; });
  custom.dispatchEvent(new Event('x'));
  check(customHit, 'EventTarget subclasses');
}

// weft follows the DOM where Node's EventTarget departs from it: listeners
// added during a dispatch wait for the next one, and preventDefault() in a
// passive listener is ignored.
{
  const t = new EventTarget();
  const log = recorder();
  let n = 0;
  t.addEventListener('x', () => {
    const id = ++n;
    log.push(`dispatch ${id}`);
    t.addEventListener('x', () => log.push(`added in ${id}`));
  });
  t.dispatchEvent(new Event('x'));
  t.dispatchEvent(new Event('x'));
  eqList(log.take(), ['dispatch 1', 'dispatch 2', 'added in 1'], 'listeners added during a dispatch do not run in it');

  t.addEventListener('p', (e) => e.preventDefault(), { passive: true });
  eq(t.dispatchEvent(new Event('p', { cancelable: true })), true, 'passive listeners cannot cancel');
}

// --- the statics on EventEmitter are plain properties, and defaultMaxListeners is live
{
  eqList(Object.keys(EventEmitter), ['defaultMaxListeners', 'init', 'EventEmitter', 'errorMonitor', 'once', 'on',
    'listenerCount', 'getEventListeners', 'setMaxListeners'], 'own enumerable keys of EventEmitter');
  for (const name of ['once', 'on', 'listenerCount', 'getEventListeners', 'setMaxListeners']) {
    const d = Object.getOwnPropertyDescriptor(EventEmitter, name);
    check(d.value === nodeEvents[name] && d.writable && d.enumerable && d.configurable, `EventEmitter.${name} is a data property`);
  }
  nodeEvents.setMaxListeners(7);
  eq(nodeEvents.defaultMaxListeners, 7, 'setMaxListeners(n) changes the defaultMaxListeners export');
  eq(EventEmitter.defaultMaxListeners, 7, 'setMaxListeners(n) changes EventEmitter.defaultMaxListeners');
  EventEmitter.defaultMaxListeners = 10;
  eq(nodeEvents.defaultMaxListeners, 10, 'the defaultMaxListeners export follows EventEmitter.defaultMaxListeners');
}

// --- EventEmitter reached through the weft module alone, before anything
// loaded 'events': the statics load it on first use, and the rare paths work.
{
  const { Thread } = await import('weft');
  const source = `
    const { Thread, parent } = require('weft');
    const EE = Object.getPrototypeOf(Thread);
    const out = [typeof Thread.once, typeof EE.getEventListeners];
    Thread.setMaxListeners = 5;
    out.push(Object.hasOwn(Thread, 'setMaxListeners'), typeof EE.setMaxListeners);
    const events = require('events');
    out.push(EE === events.EventEmitter, EE.once === events.once, EE.on === events.on,
      Object.getOwnPropertyDescriptor(EE, 'listenerCount').value === events.listenerCount);
    try {
      new EE().emit('error', 'bad');
    } catch (err) {
      out.push(err.code, err.message);
    }
    try {
      new EE().on('x', 1);
    } catch (err) {
      out.push(err.code, err.message.split('\\n')[0]);
    }
    parent.postMessage(out.join(' | '));
  `;
  const message = await new Promise((resolve, reject) => {
    const t = new Thread(source, { source: true });
    t.once('message', resolve);
    t.once('error', reject);
  });
  eq(message, 'function | function | true | function | true | true | true | true | ' +
    "ERR_UNHANDLED_ERROR | Unhandled error. ('bad') | ERR_INVALID_ARG_TYPE | " +
    'The "listener" argument must be of type function. Received type number (1)',
  'EventEmitter in a thread that only loaded weft');
}

console.log('ok');
