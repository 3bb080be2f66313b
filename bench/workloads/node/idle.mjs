// Case 2 on Node: resident memory of idle workers (measureIdle in
// ../common.mjs).
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, measureIdle } from '../common.mjs';

const entry = new URL('./idle-thread.mjs', import.meta.url);
const live = [];

report(await measureIdle(params(), {
  start() {
    const worker = new Worker(entry);
    live.push(worker);
    return Promise.race([once(worker, 'message'), once(worker, 'error').then(([err]) => { throw err; })]);
  },
  dropFirst: () => live.shift().terminate(),
  rss: () => process.memoryUsage().rss,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  write: (s) => process.stderr.write(s),
}));
process.exit(0);
