// Reference (QuickJS workers), "Memory Isolation": each worker has its own
// runtime, heap and global object; nothing is shared by default.
import * as os from 'os';

globalThis.fromParent = 'visible in the parent only';
const worker = new os.Worker('./workers/isolation-worker.js');
worker.onmessage = (e) => {
  console.log(e.data);
  console.log('parent global after the worker wrote its own:', globalThis.fromWorker);
  worker.onmessage = null;
};
