// Case 8: a fixed amount of CPU-bound work (common.mjs spin) split evenly
// over 1, 2, 4, ... threads; wall time from the first start to the last result.
import { Thread, isMainThread, parent, data } from 'weft';
import { params, report, now, spin } from '../common.mjs';

if (!isMainThread) {
  parent.postMessage(spin(data.iterations));
} else {
  const { iterations, counts } = params();
  const seconds = {};
  for (const n of counts) {
    const t0 = now();
    await Promise.all(Array.from({ length: n }, () => {
      const thread = new Thread(new URL(import.meta.url), { data: { iterations: Math.round(iterations / n) } });
      return new Promise((resolve) => thread.once('message', resolve));
    }));
    seconds[n] = (now() - t0) / 1000;
  }
  report({ seconds, ns_per_iteration: (seconds[1] * 1e9) / iterations });
}
