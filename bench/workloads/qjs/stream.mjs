// Case 4 on qjs: a worker posts `messages` objects {i, s: 'hello'} as fast
// as it can; the main thread receives them in its onmessage handler.
import * as os from 'os';
import { runMain } from './run-main.mjs';
import { params, report, now } from '../common.mjs';

const parent = os.Worker.parent;
if (parent) {
  parent.onmessage = ({ data: count }) => {
    parent.onmessage = null;
    for (let i = 0; i < count; i++) parent.postMessage({ i, s: 'hello' });
  };
  parent.postMessage('online');
} else {
  runMain(main);
}

async function main() {
  const { messages } = params();
  const worker = new os.Worker('./stream.mjs');
  await new Promise((resolve) => { worker.onmessage = resolve; });
  let received = 0;
  const done = new Promise((resolve) => {
    worker.onmessage = () => {
      if (++received === messages) resolve(now());
    };
  });
  const t0 = now();
  worker.postMessage(messages);
  const t1 = await done;
  worker.onmessage = null;
  report({ msgs_per_s: messages / ((t1 - t0) / 1000) });
}
