// Case 5: an ArrayBuffer goes to a thread and back, moved by the transfer
// list both ways. Two sizes, `bytes` (64 MB) and 4 KB, taking turns so that
// any drift of the machine hits both; equal times mean the transfer does not
// depend on the size.
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
  const buffers = [new ArrayBuffer(4096), new ArrayBuffer(bytes)];
  for (const b of buffers) new Uint8Array(b).fill(7);
  const times = [[], []];
  for (let i = 0; i < 2 * trips; i++) {
    const which = i % 2;
    const t0 = now();
    thread.postMessage(buffers[which], [buffers[which]]);
    buffers[which] = await new Promise((resolve) => thread.once('message', resolve));
    times[which].push((now() - t0) * 1000);
  }
  if (buffers[1].byteLength !== bytes) throw new Error(`came back with ${buffers[1].byteLength} bytes`);
  const [small, large] = times.map(median);
  report({ us_64mb: large, us_4kb: small, large_over_small: large / small });
  thread.postMessage(null);
  await thread.exited;
}
