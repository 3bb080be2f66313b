// Case 1's worker: the least a worker can do, tell its parent it runs.
import { parentPort } from 'node:worker_threads';

parentPort.postMessage(0);
