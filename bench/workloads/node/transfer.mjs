// Case 5 on Node: an ArrayBuffer to a worker and back, moved by the transfer
// list both ways, 64 MB and 4 KB.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, now, median } from '../common.mjs';

if (!isMainThread) {
  parentPort.on('message', (buffer) => {
    if (buffer === null) process.exit(0);
    parentPort.postMessage(buffer, [buffer]);
  });
} else {
  const { bytes, trips } = params();
  const worker = new Worker(new URL(import.meta.url));
  const exited = once(worker, 'exit');
  const roundTrips = async (size) => {
    let buffer = new ArrayBuffer(size);
    new Uint8Array(buffer).fill(7);
    const times = [];
    for (let i = 0; i < trips; i++) {
      const t0 = now();
      worker.postMessage(buffer, [buffer]);
      [buffer] = await once(worker, 'message');
      times.push((now() - t0) * 1000);
    }
    if (buffer.byteLength !== size) throw new Error(`came back with ${buffer.byteLength} bytes`);
    return median(times);
  };
  const small = await roundTrips(4096);
  const large = await roundTrips(bytes);
  report({ us_64mb: large, us_4kb: small, large_over_small: large / small });
  worker.postMessage(null);
  await exited;
}
