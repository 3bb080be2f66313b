// Case 2: resident memory of idle threads.
//   mode 'per-thread': RSS growth from 0 to `threads` idle threads, per thread.
//   mode 'max': keep adding idle threads in batches until `limit` threads,
//   until the process's RSS would pass `rssLimit`, or until starting one fails.
import { Thread } from 'weft';
import { params, report, progress, now } from '../common.mjs';

const { mode, threads: target, batch, rssLimit } = params();
const entry = new URL('./idle-thread.mjs', import.meta.url);
const rss = () => process.memoryUsage().rss;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const live = [];

function startBatch(n) {
  const ready = [];
  for (let i = 0; i < n; i++) {
    const thread = new Thread(entry);
    live.push(thread);
    ready.push(new Promise((resolve) => thread.once('message', resolve)));
  }
  return Promise.all(ready);
}

// One thread first, so that what every process pays once (allocator arenas,
// the Thread machinery) is not counted per thread.
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
