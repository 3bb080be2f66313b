// Reference (QuickJS workers), "Worker Basics": creating a worker, sending it
// a message and receiving its reply, with the worker script of "Worker
// Script". The reference's code is unchanged; its 'worker.js' is
// workers/worker.js here, and QuickJS hands handlers an event `{ data }`,
// so the reference's doWork(msg.data) doubles the whole message: NaN.
import * as os from 'os';
// Create a worker from a file
const worker = new os.Worker('./workers/worker.js');
// Send a message to the worker
worker.postMessage({ type: 'start', data: 42 });
// Receive messages from the worker
worker.onmessage = (msg) => {
console.log('Received from worker:', msg);
};

// Test scaffolding (not in the reference): the example waits forever, as in
// qjs; after the reply, clearing onmessage lets the process end.
const show = worker.onmessage;
worker.onmessage = (msg) => {
  show(msg);
  worker.onmessage = null;
};
