// Reference (QuickJS workers), "SharedArrayBuffer": parent and worker use the
// same memory. The reference's worker reads msg.buffer, but QuickJS hands
// handlers an event { data }: the worker (workers/sab-worker.js) reads
// msg.data.buffer. As the parent stores 42 only after posting, the worker
// waits (Atomics.wait) until the store is visible before it loads.
import * as os from 'os';

const worker = new os.Worker('./workers/sab-worker.js');

// Parent
const shared = new SharedArrayBuffer(1024);
const view = new Int32Array(shared);
worker.postMessage({ buffer: shared });
// Both parent and worker can access the same memory
Atomics.store(view, 0, 42);
Atomics.notify(view, 0);

// Test scaffolding: the worker reports what it saw and wrote.
worker.onmessage = (e) => {
  console.log('worker loaded', e.data.value);
  console.log('parent sees the worker\'s store:', Atomics.load(view, 1));
  worker.onmessage = null;
};
