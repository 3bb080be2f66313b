// What Node's MessagePort does that weft's does not: markAsUntransferable()
// (marked objects in a transfer list are cloned instead). Ports are made by C
// with weft's prototype, wherever they come from, so the prototype is where
// this reaches all of them.

import { MessagePort } from 'weft:lib/weft';

const proto = MessagePort.prototype;

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
