// The pool's compute-worker.js: squares the task's data.
import * as os from 'os';
os.Worker.parent.onmessage = (msg) => {
  const n = msg.data.data;
  os.Worker.parent.postMessage({ input: n, output: n * n });
};
