// worker_threads' moveMessagePortToContext(port, context): a MessagePort
// that lives in a vm context (weft:node/vm), as Node has it. The port
// object returned is made in the context and inherits from its Object;
// messages reach its onmessage (the only way to receive, as in Node) as
// values built with the context's classes.
//
// weft's ports belong to the thread, not to a context, so the moved port is
// a proxy made in the context around a port of this module: the original is
// moved to that port (and becomes unusable, as in Node); posting goes
// straight to it, and received values are copied into the context.

import { Channel, MessagePort } from 'weft:lib/weft';
import { invalidArgType, makeError } from 'weft:internal/errors';
import { load } from 'weft:internal/load';

// Evaluated in the target context: what it makes belongs to that context.
const FACTORY = `(function (port, isPlain) {
  'use strict';
  const TYPED = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
    'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
  // A value cloned in weft's realm, rebuilt from this context's classes.
  function copy(value, seen) {
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return seen.get(value);
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    let out;
    if (Array.isArray(value)) {
      out = [];
    } else if (tag === 'Map') {
      out = new Map();
    } else if (tag === 'Set') {
      out = new Set();
    } else if (tag === 'Date') {
      out = new Date(value.getTime());
    } else if (tag === 'RegExp') {
      out = new RegExp(value.source, value.flags);
    } else if (tag === 'ArrayBuffer') {
      out = new ArrayBuffer(value.byteLength);
      new Uint8Array(out).set(new Uint8Array(value));
    } else if (TYPED.includes(tag) || tag === 'DataView') {
      const Class = globalThis[tag];
      out = new Class(copy(value.buffer, seen), value.byteOffset, tag === 'DataView' ? value.byteLength : value.length);
    } else if (value instanceof Error || tag === 'Error') {
      const Class = typeof globalThis[value.name] === 'function' ? globalThis[value.name] : Error;
      out = new Class(value.message);
      Object.defineProperty(out, 'stack', { value: value.stack, writable: true, configurable: true });
    } else if (['Boolean', 'Number', 'String', 'BigInt'].includes(tag)) {
      out = Object(value.valueOf());
    } else if (isPlain(value)) {
      out = {};
    } else {
      return value; // shared memory, ports: kept as they are
    }
    seen.set(value, out);
    if (tag === 'Map') for (const [k, v] of value) out.set(copy(k, seen), copy(v, seen));
    else if (tag === 'Set') for (const v of value) out.add(copy(v, seen));
    else if (Array.isArray(value) || isPlain(value)) for (const key of Object.keys(value)) out[key] = copy(value[key], seen);
    return out;
  }
  let handler = null;
  const moved = {
    get onmessage() { return handler; },
    set onmessage(fn) {
      handler = typeof fn === 'function' ? fn : null;
      port.listen(handler !== null);
    },
    postMessage(value, transfer) { port.post(value, transfer); },
    start() { port.start(); },
    close() { port.close(); },
    ref() { port.ref(); },
    unref() { port.unref(); },
    hasRef() { return port.hasRef(); },
  };
  port.deliver = (data) => {
    if (handler !== null) handler.call(moved, { data: copy(data, new Map()), target: moved, type: 'message' });
  };
  return moved;
})`;

function isPlain(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function moveMessagePortToContext(port, contextifiedSandbox) {
  const vm = load('weft:node/vm');
  if (!vm.isContext(contextifiedSandbox)) throw invalidArgType('contextifiedSandbox', 'vm.Context', contextifiedSandbox);
  if (!(port instanceof MessagePort)) {
    throw makeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "port" argument must be a MessagePort instance');
  }
  // Moving the port through a channel of our own leaves the original
  // unusable and gives us its queue.
  const carrier = new Channel();
  carrier.port1.postMessage(port, [port]);
  const inner = carrier.port2.tryReceive().message;
  carrier.port1.close();
  carrier.port2.close();

  const onMessage = (data) => bridge.deliver(data);
  const bridge = {
    deliver: null, // set by the factory
    post: (value, transfer) => inner.postMessage(value, transfer),
    // Setting onmessage starts the port; unsetting it lets messages queue.
    listen(on) {
      if (on && inner.listenerCount('message') === 0) inner.on('message', onMessage);
      if (!on) inner.off('message', onMessage);
    },
    start: () => inner.start(),
    close: () => inner.close(),
    ref: () => inner.ref(),
    unref: () => inner.unref(),
    hasRef: () => inner.hasRef(),
  };
  return vm.runInContext(FACTORY, contextifiedSandbox)(bridge, isPlain);
}
