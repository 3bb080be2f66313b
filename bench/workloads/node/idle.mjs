// Case 2 on Node: resident memory of idle workers (see weft/idle.mjs for the
// two modes).
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, progress, now } from '../common.mjs';

const { mode, threads: target, batch, rssLimit } = params();
const entry = new URL('./idle-thread.mjs', import.meta.url);
const rss = () => process.memoryUsage().rss;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const live = [];

function startBatch(n) {
  const ready = [];
  for (let i = 0; i < n; i++) {
    const worker = new Worker(entry);
    live.push(worker);
    ready.push(Promise.race([once(worker, 'message'), once(worker, 'error').then(([err]) => { throw err; })]));
  }
  return Promise.all(ready);
}

// One worker first, so that what every process pays once is not counted
// per worker.
await startBatch(1);
await live.pop().terminate();
await sleep(100);
const base = rss();
const t0 = now();

if (mode === 'per-thread') {
  await startBatch(target);
  await sleep(200);
  report({ kb_per_thread: (rss() - base) / target / 1024 });
} else {
  let stop = `reached ${target}`;
  while (live.length < target) {
    const perThread = live.length > 0 ? (rss() - base) / live.length : 0;
    const n = Math.min(batch, target - live.length);
    if (rss() + perThread * n > rssLimit) {
      stop = `RSS would pass ${Math.round(rssLimit / 2 ** 30)} GiB`;
      break;
    }
    try {
      await startBatch(n);
    } catch (err) {
      stop = `start failed: ${err.message}`;
      break;
    }
    progress((s) => process.stderr.write(s), { max_threads: live.length, rss_mb: rss() / 2 ** 20 });
  }
  report({ max_threads: live.length, rss_mb: rss() / 2 ** 20, seconds: (now() - t0) / 1000, stop });
}
process.exit(0);
