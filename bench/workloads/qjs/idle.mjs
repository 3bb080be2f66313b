// Case 2 on qjs: resident memory of idle workers (see weft/idle.mjs for the
// two modes). qjs has no memoryUsage(): RSS comes from /proc/self/status.
import * as os from 'os';
import * as std from 'std';
import { params, report, progress, now } from '../common.mjs';

const { mode, threads: target, batch, rssLimit } = params();
const rss = () => Number(/VmRSS:\s*(\d+) kB/.exec(std.loadFile('/proc/self/status'))[1]) * 1024;
const sleep = (ms) => new Promise((resolve) => os.setTimeout(resolve, ms));
const live = [];

function startBatch(n) {
  const ready = [];
  for (let i = 0; i < n; i++) {
    const worker = new os.Worker('./idle-thread.mjs');
    live.push(worker);
    ready.push(new Promise((resolve) => { worker.onmessage = resolve; }));
  }
  return Promise.all(ready);
}

// One worker first, so that what every process pays once is not counted
// per worker. It cannot be stopped from here: it is left idle and not counted.
await startBatch(1);
live.pop();
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
    progress((s) => { std.err.puts(s); std.err.flush(); }, { threads: live.length, rss_mb: rss() / 2 ** 20 });
  }
  report({ max_threads: live.length, rss_mb: rss() / 2 ** 20, seconds: (now() - t0) / 1000, stop });
}
std.out.flush();
std.exit(0);
