// worker_threads' BroadcastChannel: messages to every other BroadcastChannel
// of the same name, in any thread of the process.
//
// weft threads share no objects, so the registry of names is a thread of its
// own, the hub (weft:internal/worker_hub), started by the main thread when
// the first channel is made. Each BroadcastChannel is one end of a weft
// Channel whose other end lives in the hub, filed under the channel's name;
// the hub posts what one member sends to all the others, in the order it
// receives it, and drops a member whose end closes.
//
// A thread reaches the hub the way weft threads reach anything, through what
// its creator handed it: the main thread sends the hub its new ends
// directly; a worker sends them up its control channel, and each parent
// passes them on (weft:internal/worker_parent) until they reach the main
// thread. Messages posted meanwhile wait in the end and travel with it.

import { Channel, Thread, isMainThread } from 'weft:lib/weft';
import { makeError, missingArgs } from 'weft:internal/errors';
import { control } from 'weft:internal/worker_boot';
import { Event, EventTarget } from 'weft:node/events';

// What a BroadcastChannel's listeners receive, as in Node.
class MessageEvent extends Event {
  #data;

  constructor(type, options = undefined) {
    super(type, options);
    this.#data = options?.data;
  }

  get data() { return this.#data; }
  get origin() { return ''; }
  get lastEventId() { return ''; }
  get source() { return null; }
  get ports() { return []; }
}

let hub = null;

// Files `port` under `name` in the hub, from this thread.
export function joinBroadcast(name, port) {
  if (isMainThread) {
    // Unref'd: the hub lives as long as the process, and never keeps it up.
    hub ??= new Thread("import 'weft:internal/worker_hub';",
      { source: true, type: 'module', name: 'BroadcastChannel', ref: false });
    hub.postMessage({ name, port }, [port]);
  } else {
    control.postMessage({ type: 'broadcast', name, port }, [port]);
  }
}

export class BroadcastChannel extends EventTarget {
  #name;
  #link = null;
  #handlers = { message: null, messageerror: null };

  constructor(name) {
    if (arguments.length === 0) throw missingArgs('name');
    if (!isMainThread && control === null) {
      throw makeError(Error, 'ERR_INVALID_STATE',
        'Invalid state: BroadcastChannel needs the main thread or a thread started by worker_threads');
    }
    super();
    this.#name = `${name}`;
    const { port1, port2 } = new Channel();
    joinBroadcast(this.#name, port2);
    // A listening channel keeps its thread alive until closed or unref'd.
    port1.on('message', (data) => this.dispatchEvent(new MessageEvent('message', { data })));
    port1.on('messageerror', (data) => this.dispatchEvent(new MessageEvent('messageerror', { data })));
    this.#link = port1;
  }

  get name() {
    return this.#name;
  }

  postMessage(message) {
    if (arguments.length === 0) throw missingArgs('message');
    if (this.#link === null) throw new DOMException('BroadcastChannel is closed.', 'InvalidStateError');
    this.#link.postMessage(message);
  }

  close() {
    if (this.#link === null) return;
    this.#link.close();
    this.#link = null;
  }

  ref() {
    this.#link?.ref();
    return this;
  }

  unref() {
    this.#link?.unref();
    return this;
  }

  get onmessage() {
    return this.#handlers.message?.fn ?? null;
  }

  set onmessage(fn) {
    this.#setHandler('message', fn);
  }

  get onmessageerror() {
    return this.#handlers.messageerror?.fn ?? null;
  }

  set onmessageerror(fn) {
    this.#setHandler('messageerror', fn);
  }

  // Event handler properties: one listener, replaced on each assignment.
  #setHandler(type, fn) {
    if (this.#handlers[type]) this.removeEventListener(type, this.#handlers[type].listener);
    this.#handlers[type] = null;
    if (typeof fn === 'function') {
      const listener = (event) => fn.call(this, event);
      this.#handlers[type] = { fn, listener };
      this.addEventListener(type, listener);
    }
  }

  get [Symbol.toStringTag]() {
    return 'BroadcastChannel';
  }
}
