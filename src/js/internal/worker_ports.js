// What Node's MessagePort does that weft's does not, added to weft's
// MessagePort class in the threads that use worker_threads (the main thread
// once it loads the module; every thread a Worker starts, at its boot).
// Ports are made by C with weft's prototype, wherever they come from (a
// channel, a message, a thread's parent), so the prototype is the one place
// where Node's behaviour can reach all of them.
//
// - A 'message' listener refs the port and removing the last one unrefs it,
//   so that a worker whose parentPort.once('message') has fired can exit.
// - onmessageerror, beside weft's onmessage.
// - markAsUntransferable(): marked objects in a transfer list are cloned.

import { MessagePort } from 'weft:lib/weft';

const proto = MessagePort.prototype;

let installed = false;

// Node refs and starts a port when its first 'message' listener comes.
function wrapAdd(name) {
  const base = proto[name];
  proto[name] = function (type, listener) {
    const first = type === 'message' && this.listenerCount('message') === 0;
    base.call(this, type, listener);
    if (first && this.state === 'open') {
      this.ref();
      this.start();
    }
    return this;
  };
}

// ... and unrefs it when the last one goes.
function wrapRemove(name) {
  const base = proto[name];
  proto[name] = function (...args) {
    base.apply(this, args);
    if ((args.length === 0 || args[0] === 'message') && this.listenerCount('message') === 0 &&
        this.state === 'open') {
      this.unref();
    }
    return this;
  };
}

export function installNodePorts() {
  if (installed) return;
  installed = true;
  for (const name of ['on', 'once', 'prependListener', 'prependOnceListener']) wrapAdd(name);
  proto.addListener = proto.on;
  wrapRemove('removeListener');
  proto.off = proto.removeListener;
  wrapRemove('removeAllListeners');

  Object.defineProperty(proto, 'onmessageerror', {
    get() {
      return this._onmessageerror ?? null;
    },
    set(fn) {
      if (this._onmessageerror) this.off('messageerror', this._onmessageerrorListener);
      this._onmessageerror = typeof fn === 'function' ? fn : null;
      if (this._onmessageerror) {
        this._onmessageerrorListener = (data) =>
          this._onmessageerror.call(this, { data, target: this, type: 'messageerror' });
        this.on('messageerror', this._onmessageerrorListener);
      }
    },
    configurable: true,
  });
}

// ---- markAsUntransferable ------------------------------------------------------

const untransferable = new WeakSet();
let anyMarked = false;

// The transfer list without the marked objects (an array, or weft's
// { transfer } form); anything else is left for postMessage to reject.
export function withoutUntransferable(transfer) {
  if (!anyMarked || transfer === null || typeof transfer !== 'object') return transfer;
  if (!Array.isArray(transfer) && !(Symbol.iterator in transfer)) {
    return { ...transfer, transfer: withoutUntransferable(transfer.transfer) };
  }
  return [...transfer].filter((item) => !untransferable.has(item));
}

export function markAsUntransferable(object) {
  if ((typeof object !== 'object' && typeof object !== 'function') || object === null) return;
  untransferable.add(object);
  if (anyMarked) return;
  anyMarked = true;
  // postMessage stays the bare native function until something is marked.
  const post = proto.postMessage;
  proto.postMessage = function postMessage(value, transfer) {
    return post.call(this, value, withoutUntransferable(transfer));
  };
}

export function isMarkedAsUntransferable(object) {
  return untransferable.has(object);
}
