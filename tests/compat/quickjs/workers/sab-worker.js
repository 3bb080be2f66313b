import * as os from 'os';
// Worker
os.Worker.parent.onmessage = (msg) => {
  const view = new Int32Array(msg.data.buffer);
  Atomics.wait(view, 0, 0); // until the parent's store (scaffolding)
  const value = Atomics.load(view, 0); // 42
  Atomics.store(view, 1, value + 1);
  os.Worker.parent.postMessage({ value });
  os.Worker.parent.onmessage = null;
};
