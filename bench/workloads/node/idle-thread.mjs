// Case 2's worker: says it is ready, then sleeps in its event loop, kept
// alive by its listener.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {});
parentPort.postMessage('ready');
