// Case 2 on qjs: resident memory of idle workers (see weft/idle.mjs for the
// two modes). qjs has no memoryUsage(): RSS comes from /proc/self/status.
import * as os from 'os';
import * as std from 'std';
import { runMain } from './run-main.mjs';
import { params, report, progress, now } from '../common.mjs';

function rss() {
  const file = std.open('/proc/self/status', 'r');
  const kb = Number(/VmRSS:\s*(\d+) kB/.exec(file.readAsString())[1]);
  file.close();
  return kb * 1024;
}
const sleep = (ms) => new Promise((resolve) => os.setTimeout(resolve, ms));
// os.Worker objects must stay referenced, or their message handlers go.
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

async function main() {
  const { mode, threads: target, batch, rssLimit } = params();
  // One worker first, so that what every process pays once is not counted
  // per worker. os.Worker cannot be stopped from outside: it stays, not counted.
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
      progress((s) => { std.err.puts(s); std.err.flush(); }, { max_threads: live.length, rss_mb: rss() / 2 ** 20 });
    }
    report({ max_threads: live.length, rss_mb: rss() / 2 ** 20, seconds: (now() - t0) / 1000, stop });
  }
  std.out.flush();
  std.exit(0);
}

runMain(main);
