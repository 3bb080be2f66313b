// Case 9 on Node: terminate() on a worker spinning in a tight loop, timed
// until the promise terminate() returns resolves (the worker has exited).
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, now, median, percentile } from '../common.mjs';

if (!isMainThread) {
  parentPort.postMessage('spinning');
  for (;;);
} else {
  const { stops } = params();
  const times = [];
  for (let i = 0; i < stops; i++) {
    const worker = new Worker(new URL(import.meta.url));
    await once(worker, 'message');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const t0 = now();
    await worker.terminate();
    times.push((now() - t0) * 1000);
  }
  report({ median_us: median(times), p99_us: percentile(times, 99) });
}
