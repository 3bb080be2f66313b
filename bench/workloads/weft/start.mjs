// Case 1: from new Thread() to the parent receiving the thread's first
// message. Threads start one at a time, each after the previous one exited,
// so that every start is measured on a quiet process.
import { Thread } from 'weft';
import { params, report, now, median, percentile } from '../common.mjs';

const { starts } = params();
const entry = new URL('./start-thread.mjs', import.meta.url);
const times = [];
for (let i = 0; i < starts; i++) {
  const t0 = now();
  const thread = new Thread(entry);
  await new Promise((resolve) => thread.once('message', resolve));
  times.push((now() - t0) * 1000);
  await thread.exited;
}
report({ median_us: median(times), p99_us: percentile(times, 99) });
