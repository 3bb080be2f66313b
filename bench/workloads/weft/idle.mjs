// Case 2: resident memory of idle threads (the measurement and its two modes
// are measureIdle in ../common.mjs).
import { Thread } from 'weft';
import { params, report, measureIdle } from '../common.mjs';

const entry = new URL('./idle-thread.mjs', import.meta.url);
const live = [];

report(await measureIdle(params(), {
  start() {
    const thread = new Thread(entry);
    live.push(thread);
    return new Promise((resolve) => thread.once('message', resolve));
  },
  dropFirst: () => live.shift().terminate(),
  rss: () => process.memoryUsage().rss,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  write: (s) => process.stderr.write(s),
}));
process.exit(0);
