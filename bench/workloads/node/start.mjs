// Case 1 on Node: from new Worker() to the parent receiving the worker's
// first message, one worker at a time, each after the previous one exited.
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, now, median, percentile } from '../common.mjs';

const { starts } = params();
const entry = new URL('./start-thread.mjs', import.meta.url);
const times = [];
for (let i = 0; i < starts; i++) {
  const t0 = now();
  const worker = new Worker(entry);
  const exited = once(worker, 'exit');
  await once(worker, 'message');
  times.push((now() - t0) * 1000);
  await exited;
}
report({ median_us: median(times), p99_us: percentile(times, 99) });
