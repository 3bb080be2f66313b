// Case 9: terminate() on a thread spinning in a tight loop, timed until the
// thread has exited (the promise terminate() returns resolves).
import { Thread, isMainThread, parent } from 'weft';
import { params, report, now, median, percentile } from '../common.mjs';

if (!isMainThread) {
  parent.postMessage('spinning');
  for (;;);
} else {
  const { stops } = params();
  const times = [];
  for (let i = 0; i < stops; i++) {
    const thread = new Thread(new URL(import.meta.url));
    await new Promise((resolve) => thread.once('message', resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const t0 = now();
    await thread.terminate();
    times.push((now() - t0) * 1000);
  }
  report({ median_us: median(times), p99_us: percentile(times, 99) });
}
