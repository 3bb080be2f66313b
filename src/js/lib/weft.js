// The `weft` module: threads, channels and ports over the C core. Every
// compatibility layer (worker_threads, os.Worker, Routzie, pyr8,
// isolated-threads) is built on these and nothing else. The classes live in
// weft:internal/threads; this module adds what belongs to this thread.

import { threads } from 'weft:internal/native';
import { Thread, Channel, MessagePort } from 'weft:internal/threads';

export { Thread, Channel, MessagePort };

// ---- this thread ---------------------------------------------------------------

const info = threads.info();
export const isMainThread = info.isMainThread;
export const threadId = info.threadId;
export const threadName = info.name;

const start = threads.takeStart() ?? {};
export const data = start.data;
export const capabilities = start.capabilities ?? {};

// The port to the creator of this thread (null on the main thread).
export const parent = threads.parentPort();

export function stats() {
  return threads.selfStats();
}

export default {
  Thread, Channel, MessagePort, isMainThread, threadId, threadName, data, capabilities, parent, stats,
};
