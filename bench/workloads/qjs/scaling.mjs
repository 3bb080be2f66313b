// Case 8 on qjs: the same CPU-bound work split over 1, 2, 4, ... workers.
import * as os from 'os';
import { runMain } from './run-main.mjs';
import { params, report, now, spin } from '../common.mjs';

const parent = os.Worker.parent;
if (parent) {
  parent.onmessage = ({ data: iterations }) => {
    parent.onmessage = null;
    parent.postMessage(spin(iterations));
  };
} else {
  runMain(main);
}

async function main() {
  const { iterations, counts } = params();
  const seconds = {};
  for (const n of counts) {
    const t0 = now();
    await Promise.all(Array.from({ length: n }, () => {
      const worker = new os.Worker('./scaling.mjs');
      worker.postMessage(Math.round(iterations / n));
      return new Promise((resolve) => {
        worker.onmessage = () => {
          worker.onmessage = null;
          resolve();
        };
      });
    }));
    seconds[n] = (now() - t0) / 1000;
  }
  report({ seconds, ns_per_iteration: (seconds[1] * 1e9) / iterations });
}
