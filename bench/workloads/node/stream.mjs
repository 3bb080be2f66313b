// Case 4 on Node: a worker posts `messages` objects {i, s: 'hello'} as fast
// as it can; the main thread receives them with a 'message' listener.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, now } from '../common.mjs';

if (!isMainThread) {
  parentPort.once('message', (count) => {
    for (let i = 0; i < count; i++) parentPort.postMessage({ i, s: 'hello' });
    process.exit(0);
  });
} else {
  const { messages } = params();
  const worker = new Worker(new URL(import.meta.url));
  const exited = once(worker, 'exit');
  await once(worker, 'online');
  let received = 0;
  const done = new Promise((resolve) => {
    worker.on('message', () => {
      if (++received === messages) resolve(now());
    });
  });
  const t0 = now();
  worker.postMessage(messages);
  const t1 = await done;
  report({ msgs_per_s: messages / ((t1 - t0) / 1000) });
  await exited;
}
