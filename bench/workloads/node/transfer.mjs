// Case 5 on Node: an ArrayBuffer to a worker and back, moved by the transfer
// list both ways, 64 MB and 4 KB taking turns (see weft/transfer.mjs).
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
  const buffers = [new ArrayBuffer(4096), new ArrayBuffer(bytes)];
  for (const b of buffers) new Uint8Array(b).fill(7);
  const times = [[], []];
  for (let i = 0; i < 2 * trips; i++) {
    const which = i % 2;
    const t0 = now();
    worker.postMessage(buffers[which], [buffers[which]]);
    [buffers[which]] = await once(worker, 'message');
    times[which].push((now() - t0) * 1000);
  }
  if (buffers[1].byteLength !== bytes) throw new Error(`came back with ${buffers[1].byteLength} bytes`);
  const [small, large] = times.map(median);
  report({ us_64mb: large, us_4kb: small, large_over_small: large / small });
  worker.postMessage(null);
  await exited;
}
