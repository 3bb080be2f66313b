// Case 4: a thread posts `messages` objects {i, s: 'hello'} as fast as it
// can; the main thread receives them with a 'message' listener. The clock
// runs from the 'go' message to the last message received.
import { Thread, isMainThread, parent } from 'weft';
import { params, report, now } from '../common.mjs';

if (!isMainThread) {
  parent.once('message', (count) => {
    for (let i = 0; i < count; i++) parent.postMessage({ i, s: 'hello' });
    process.exit(0);
  });
} else {
  const { messages } = params();
  const thread = new Thread(new URL(import.meta.url));
  await new Promise((resolve) => thread.once('online', resolve));
  let received = 0;
  const done = new Promise((resolve) => {
    thread.on('message', () => {
      if (++received === messages) resolve(now());
    });
  });
  const t0 = now();
  thread.postMessage(messages);
  const t1 = await done;
  report({ msgs_per_s: messages / ((t1 - t0) / 1000) });
  await thread.exited;
}
