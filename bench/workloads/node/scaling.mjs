// Case 8 on Node: the same CPU-bound work split over 1, 2, 4, ... workers.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, now, spin } from '../common.mjs';

if (!isMainThread) {
  parentPort.postMessage(spin(workerData.iterations));
} else {
  const { iterations, counts } = params();
  const seconds = {};
  for (const n of counts) {
    const t0 = now();
    await Promise.all(Array.from({ length: n }, () => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { iterations: Math.round(iterations / n) } });
      return once(worker, 'message');
    }));
    seconds[n] = (now() - t0) / 1000;
  }
  report({ seconds, ns_per_iteration: (seconds[1] * 1e9) / iterations });
}
