// Case 1 on qjs: from new os.Worker() to the parent receiving the worker's
// first message. os.Worker has no exit event: each worker ends by itself
// after its message, while the next one starts.
import * as os from 'os';
import { runMain } from './run-main.mjs';
import { params, report, now, median, percentile } from '../common.mjs';

async function main() {
  const { starts } = params();
  const times = [];
  for (let i = 0; i < starts; i++) {
    const t0 = now();
    const worker = new os.Worker('./start-thread.mjs');
    await new Promise((resolve) => { worker.onmessage = resolve; });
    times.push((now() - t0) * 1000);
    worker.onmessage = null;
  }
  report({ median_us: median(times), p99_us: percentile(times, 99) });
}

runMain(main);
