// Node's worker_threads module, built on the weft module: a Worker is a weft
// Thread, MessagePort is weft's (with Node's behaviour added by
// weft:internal/worker_ports), MessageChannel is weft's Channel. What differs
// from Node is listed in docs/node-compat.md.

import { Channel, MessagePort, data, isMainThread, parent, threadId } from 'weft:lib/weft';
import { invalidArgType } from 'weft:internal/errors';
import { config } from 'weft:internal/worker_boot';
import { BroadcastChannel } from 'weft:internal/worker_broadcast';
import { moveMessagePortToContext } from 'weft:internal/worker_context';
import { SHARE_ENV, Worker } from 'weft:internal/worker_parent';
import {
  isMarkedAsUntransferable, markAsUntransferable,
} from 'weft:internal/worker_ports';


export {
  BroadcastChannel, MessagePort, SHARE_ENV, Worker, isMainThread, isMarkedAsUntransferable,
  markAsUntransferable, moveMessagePortToContext, threadId,
};

export class MessageChannel extends Channel {}

export const parentPort = parent;

// A thread started through weft's own API sees its `data` here.
export const workerData = config ? config.workerData : data ?? null;

export const resourceLimits = config ? { ...config.resourceLimits } : {};

// The oldest message queued on `port` as { message }, or undefined; no
// 'message' event is emitted for it.
export function receiveMessageOnPort(port) {
  if (!(port instanceof MessagePort)) throw invalidArgType('port', 'MessagePort', port);
  return port.tryReceive();
}

export default {
  BroadcastChannel,
  MessageChannel,
  MessagePort,
  SHARE_ENV,
  Worker,
  isMainThread,
  isMarkedAsUntransferable,
  markAsUntransferable,
  moveMessagePortToContext,
  parentPort,
  receiveMessageOnPort,
  resourceLimits,
  threadId,
  workerData,
};
