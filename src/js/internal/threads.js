// The classes of the `weft` module (weft:lib/weft): threads, channels and
// ports over the C core. Nothing here depends on which thread runs it, so a
// spare thread loads this module before it is given work (src/core/thread.c)
// and a start pays only for weft:lib/weft's few per-thread values.

import { ports, threads, modules } from 'weft:internal/native';
import { EventEmitter } from 'weft:internal/event_emitter';
import {
  invalidArgType, invalidArgValue, makeError, outOfRange, validateFunction, validateObject, validateString,
} from 'weft:internal/errors';

const { MESSAGE, MESSAGE_ERROR, CLOSE, ONLINE, ERROR, EXIT } = ports;
const native = ports.methods;
const kReceive = Symbol('receive');
const kPost = Symbol('post');

// ---- MessagePort -------------------------------------------------------------

function closeSoon(port) {
  // 'close' comes after whatever is running now, as in Node.
  setImmediate(() => port.emit('close'));
}

// Messages for a port arrive here (C calls handler(kind, value, code)).
function portHandler(kind, value) {
  switch (kind) {
    case MESSAGE:
      this.emit('message', value);
      break;
    case MESSAGE_ERROR:
      this.emit('messageerror', value);
      break;
    case CLOSE:
      this.emit('close');
      break;
  }
}

// Event handler properties (onmessage, onmessageerror): one listener, called
// with an event, replaced on each assignment.
const kHandlers = Symbol('handlers');

function setHandler(port, type, fn) {
  const handlers = port[kHandlers] ??= {};
  if (handlers[type]) port.off(type, handlers[type].listener);
  handlers[type] = null;
  if (typeof fn === 'function') {
    const listener = (data) => fn.call(port, { data, target: port, type });
    handlers[type] = { fn, listener };
    port.on(type, listener);
  }
}

// receive()'s timeout in ms from its options; -1 waits forever.
function receiveTimeout(options) {
  validateObject(options, 'options');
  const { timeout } = options;
  if (timeout === undefined) return -1;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) throw invalidArgType('options.timeout', 'of type number', timeout);
  if (timeout < 0) throw outOfRange('options.timeout', '>= 0', timeout);
  return timeout;
}

// What the native receive returned, as receive() returns it: its
// { close: true } (the port closed while waiting) is undefined and 'close'.
function received(port, r) {
  if (r === undefined || !r.close) return r;
  closeSoon(port);
  return undefined;
}

export class MessagePort extends EventEmitter {
  constructor() {
    super();
    throw new TypeError('Illegal constructor: MessagePorts come from new Channel() or a transfer');
  }

  start() {
    native.start.call(this, portHandler, false, this);
  }

  close() {
    if (native.close.call(this)) closeSoon(this);
  }

  ref() {
    native.setRef.call(this, true);
    return this;
  }

  unref() {
    native.setRef.call(this, false);
    return this;
  }

  hasRef() {
    return native.hasRef.call(this);
  }

  // 'open', 'closed', or 'transferred' (moved to another thread).
  get state() {
    return native.state.call(this);
  }

  // Blocking receive: waits up to `timeout` ms (forever when omitted) and
  // returns { message }, or undefined on timeout or once the port is closed.
  // terminate() ends the wait by ending the thread.
  receive(options) {
    return received(this, this[kReceive](options === undefined ? -1 : receiveTimeout(options)));
  }

  // Non-blocking receive: { message } if one is queued, else undefined.
  tryReceive() {
    return received(this, this[kReceive](0));
  }

  get onmessage() {
    return this[kHandlers]?.message?.fn ?? null;
  }

  set onmessage(fn) {
    setHandler(this, 'message', fn);
  }

  get onmessageerror() {
    return this[kHandlers]?.messageerror?.fn ?? null;
  }

  set onmessageerror(fn) {
    setHandler(this, 'messageerror', fn);
  }

  addEventListener(type, listener, options) {
    validateFunction(listener, 'listener');
    const once = typeof options === 'object' && options !== null && options.once;
    const wrapped = (data) => listener.call(this, type === 'message' || type === 'messageerror'
      ? { data, target: this, type } : { target: this, type });
    wrapped.listener = listener;
    if (once) this.once(type, wrapped);
    else this.on(type, wrapped);
  }

  removeEventListener(type, listener) {
    for (const l of this.rawListeners(type)) {
      if (l === listener || l.listener === listener || l.listener?.listener === listener) {
        this.removeListener(type, l);
        return;
      }
    }
  }

  // for await (const message of port): ends when the port closes.
  async *[Symbol.asyncIterator]() {
    const queue = [];
    let wake = null;
    let done = false;
    const onMessage = (m) => { queue.push(m); if (wake) wake(); };
    const onClose = () => { done = true; if (wake) wake(); };
    this.on('message', onMessage);
    this.once('close', onClose);
    try {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift();
        } else if (done) {
          return;
        } else {
          await new Promise((resolve) => { wake = resolve; });
          wake = null;
        }
      }
    } finally {
      this.off('message', onMessage);
      this.off('close', onClose);
    }
  }
}

// As in Node, the first 'message' listener starts the port and refs it (the
// thread stays alive to receive), and removing the last one unrefs it, so a
// thread whose parent.once('message') has fired can end.
function addingListener(name) {
  const base = EventEmitter.prototype[name];
  return function (type, listener) {
    const first = type === 'message' && this.listenerCount('message') === 0;
    base.call(this, type, listener);
    // Started even when the peer has closed: what it sent first still comes.
    if (first) {
      native.setRef.call(this, true);
      this.start();
    }
    return this;
  };
}

function removingListeners(name) {
  const base = EventEmitter.prototype[name];
  return function (...args) {
    base.apply(this, args);
    if ((args.length === 0 || args[0] === 'message') && this.listenerCount('message') === 0) {
      native.setRef.call(this, false);
    }
    return this;
  };
}

for (const name of ['on', 'once', 'prependListener', 'prependOnceListener']) {
  MessagePort.prototype[name] = addingListener(name);
}
MessagePort.prototype.addListener = MessagePort.prototype.on;
MessagePort.prototype.removeListener = removingListeners('removeListener');
MessagePort.prototype.off = MessagePort.prototype.removeListener;
MessagePort.prototype.removeAllListeners = removingListeners('removeAllListeners');

// The hot path is C all the way: postMessage(value, transfer) is native,
// and so is receiving. Both are also kept under symbols, so that a Thread
// posts on its port, and receive() receives, by a method call (cheaper than
// .call()) that a script replacing the public method does not reach.
MessagePort.prototype.postMessage = native.postMessage;
Object.defineProperty(MessagePort.prototype, kPost, { value: native.postMessage });
Object.defineProperty(MessagePort.prototype, kReceive, { value: native.receive });

Object.setPrototypeOf(ports.prototype, MessagePort.prototype);
ports.load();

function transferList(transfer) {
  if (transfer === undefined || transfer === null) return undefined;
  if (typeof transfer !== 'object') throw invalidArgType('transfer', 'an Array', transfer);
  // Both postMessage(value, [list]) and postMessage(value, { transfer }).
  if (!Array.isArray(transfer) && !(Symbol.iterator in transfer)) return transferList(transfer.transfer);
  return [...transfer];
}

export class Channel {
  constructor() {
    const [port1, port2] = ports.channel();
    this.port1 = port1;
    this.port2 = port2;
  }
}

// ---- Thread ------------------------------------------------------------------

// The file that called into this module, for relative paths.
function callerFile() {
  const frames = String(new Error().stack).split('\n');
  for (const frame of frames) {
    const m = /(?:\(|at )((?:\/|file:\/\/)[^():]*):\d+:\d+\)?$/.exec(frame.trim());
    if (m) return m[1].startsWith('file:') ? decodeURIComponent(m[1].slice(7)) : m[1];
  }
  return undefined;
}

function resolveEntry(entry, from) {
  let spec = entry;
  if (typeof entry === 'object' && entry !== null && typeof entry.href === 'string') spec = entry.href;
  // String tests, not a RegExp: QuickJS's replace() costs a start ~2 µs.
  if (spec.startsWith('file://localhost/')) spec = decodeURIComponent(spec.slice(16));
  else if (spec.startsWith('file://')) spec = decodeURIComponent(spec.slice(7));
  else if (spec.startsWith('file:')) spec = decodeURIComponent(spec);
  else if (!spec.startsWith('/') && !spec.startsWith('./') && !spec.startsWith('../')) {
    throw invalidArgValue('entry', entry,
      "must be an absolute path, a path starting with './' or '../', a file: URL, or source with { source: true }");
  }
  try {
    return modules.resolve(spec, from ?? null, true);
  } catch (err) {
    throw makeError(Error, 'ERR_THREAD_ENTRY_NOT_FOUND', `Cannot find thread entry '${spec}'${from ? ` from ${from}` : ''}`);
  }
}

function validateLimit(limits, key) {
  const v = limits[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || Number.isNaN(v)) throw invalidArgType(`limits.${key}`, 'of type number', v);
  if (v <= 0 || !Number.isFinite(v)) throw outOfRange(`limits.${key}`, 'a positive finite number', v);
  return v;
}

// Turns the public options into what the C side takes.
function startOptions(entry, options) {
  const o = { payload: { data: options.data, capabilities: options.capabilities } };
  if (typeof entry === 'function') {
    o.kind = 'source';
    o.entry = `(${entry.toString()})(require('weft').data);`;
    o.filename = `[thread ${entry.name || 'function'}]`;
  } else if (options.source) {
    validateString(entry, 'entry');
    o.kind = 'source';
    o.entry = entry;
    o.module = options.type === 'module';
    o.filename = '[thread]';
  } else {
    if (typeof entry !== 'string' && !(typeof entry === 'object' && entry !== null && typeof entry.href === 'string')) {
      throw invalidArgType('entry', 'of type string or function, or an instance of URL', entry);
    }
    o.kind = 'file';
    // Only relative paths need the caller's file (a stack trace: not free).
    const relative = typeof entry === 'string' && entry.startsWith('.');
    o.entry = resolveEntry(entry, relative ? callerFile() : undefined);
  }
  if (options.name !== undefined) validateString(options.name, 'options.name');
  o.name = options.name ?? '';
  const limits = options.limits ?? {};
  validateObject(limits, 'options.limits');
  o.memoryLimit = validateLimit(limits, 'memory');
  o.stackSize = validateLimit(limits, 'stack');
  o.cpuLimit = validateLimit(limits, 'cpu');
  const argv = options.argv ?? [];
  if (!Array.isArray(argv)) throw invalidArgType('options.argv', 'an instance of Array', argv);
  o.argv = [process.execPath, o.kind === 'file' ? o.entry : o.filename];
  for (const arg of argv) o.argv.push(String(arg));
  o.transfer = transferList(options.transfer) ?? [];
  // Ports handed over as capabilities move with the thread.
  for (const v of Object.values(options.capabilities ?? {})) {
    if (v instanceof MessagePort && !o.transfer.includes(v)) o.transfer.push(v);
  }
  return o;
}

const kExit = Symbol('exit');

export class Thread extends EventEmitter {
  #handle;
  #port;
  #exitCode;
  #exited;
  #stats;

  constructor(entry, options = {}) {
    super();
    validateObject(options, 'options');
    if (options.capabilities !== undefined) validateObject(options.capabilities, 'options.capabilities');
    const [handle, port] = threads.start(startOptions(entry, options));
    this.#handle = handle;
    this.#port = port;
    this.id = handle.id();
    this.name = options.name ?? '';
    this.#exited = new Promise((resolve) => { this[kExit] = resolve; });
    native.start.call(port, (kind, value, code) => this.#deliver(kind, value, code), true, this);
    if (options.ref === false) this.unref();
  }

  #deliver(kind, value, code) {
    switch (kind) {
      case ONLINE:
        this.emit('online');
        break;
      case ERROR:
        this.emit('error', value);
        break;
      case EXIT:
        this.#finish(code, value);
        break;
      default: // its messages, as a port's
        portHandler.call(this, kind, value);
    }
  }

  #finish(code, info) {
    this.#stats = this.#handle.stats();
    this.#exitCode = code;
    native.close.call(this.#port);
    if (info.reason === 'out-of-memory') {
      this.emit('error', makeError(RangeError, 'ERR_WORKER_OUT_OF_MEMORY',
        'Thread terminated due to reaching memory limit: JS heap out of memory'));
    } else if (info.reason === 'cpu-limit') {
      this.emit('error', makeError(RangeError, 'ERR_THREAD_CPU_LIMIT', 'Thread terminated due to reaching its CPU time limit'));
    } else if (info.message) {
      this.emit('error', makeError(Error, 'ERR_WORKER_INIT_FAILED', info.message));
    }
    this.emit('exit', code, info.reason);
    this[kExit](code);
  }

  postMessage(value, transfer) {
    this.#port[kPost](value, transfer);
  }

  // Stops the thread wherever it is; resolves with its exit code.
  terminate() {
    if (this.#exitCode === undefined) this.#handle.terminate();
    return this.#exited;
  }

  // A promise of the exit code.
  get exited() {
    return this.#exited;
  }

  get exitCode() {
    return this.#exitCode;
  }

  get state() {
    return this.#stats ? 'exited' : this.#handle.stats().state;
  }

  stats() {
    return { ...(this.#stats ?? this.#handle.stats()) };
  }

  ref() {
    native.setRef.call(this.#port, true);
    return this;
  }

  unref() {
    native.setRef.call(this.#port, false);
    return this;
  }

  hasRef() {
    return native.hasRef.call(this.#port);
  }
}
