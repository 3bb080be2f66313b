// Case 5: an ArrayBuffer goes to a thread and back, moved by the transfer
// list both ways. Two sizes: `bytes` (64 MB) and 4 KB; equal times mean the
// transfer does not depend on the size.
import { Thread, isMainThread, parent } from 'weft';
import { params, report, now, median } from '../common.mjs';

if (!isMainThread) {
  parent.on('message', (buffer) => {
    if (buffer === null) process.exit(0);
    parent.postMessage(buffer, [buffer]);
  });
} else {
  const { bytes, trips } = params();
  const thread = new Thread(new URL(import.meta.url));
  const roundTrips = async (size) => {
    let buffer = new ArrayBuffer(size);
    new Uint8Array(buffer).fill(7);
    const times = [];
    for (let i = 0; i < trips; i++) {
      const t0 = now();
      thread.postMessage(buffer, [buffer]);
      buffer = await new Promise((resolve) => thread.once('message', resolve));
      times.push((now() - t0) * 1000);
    }
    if (buffer.byteLength !== size) throw new Error(`came back with ${buffer.byteLength} bytes`);
    return median(times);
  };
  const small = await roundTrips(4096);
  const large = await roundTrips(bytes);
  report({ us_64mb: large, us_4kb: small, large_over_small: large / small });
  thread.postMessage(null);
  await thread.exited;
}
