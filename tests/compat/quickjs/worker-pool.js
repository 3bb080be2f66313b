// Reference (QuickJS workers), "Worker Pool Pattern", unchanged but for its
// evident typo: submit() called this.procesQueue(), fixed to
// this.processQueue(). The reference gives no compute-worker.js: ours is in
// workers/compute-worker.js. Scaffolding after the example orders the
// results (four workers answer in any order) and ends the pool.
import * as os from 'os';
class WorkerPool {
constructor(size, scriptPath) {
this.workers = [];
this.queue = [];
this.nextWorker = 0;
for (let i = 0; i < size; i++) {
const worker = new os.Worker(scriptPath);
worker.busy = false;
worker.onmessage = (msg) => this.handleMessage(worker, msg);
this.workers.push(worker);
}
}
submit(task) {
return new Promise((resolve, reject) => {
this.queue.push({ task, resolve, reject });
this.processQueue(); // the reference: this.procesQueue();
});
}
processQueue() {
while (this.queue.length > 0) {
const worker = this.workers.find(w => !w.busy);
if (!worker) break;
const { task, resolve, reject } = this.queue.shift();
worker.busy = true;
worker.currentResolve = resolve;
worker.currentReject = reject;
worker.postMessage(task);
}
}
handleMessage(worker, msg) {
worker.busy = false;
if (worker.currentResolve) {
worker.currentResolve(msg);
worker.currentResolve = null;
worker.currentReject = null;
}
this.processQueue();
}
}
// Usage
const pool = new WorkerPool(4, './workers/compute-worker.js');
for (let i = 0; i < 100; i++) {
pool.submit({ data: i }).then(result => {
console.log('Result:', result);
});
}

// ---- test scaffolding (not in the reference) ----
// Results are logged as they come; keep the lines and print them in order
// once all 100 are in, with how many tasks each worker took; then end the
// workers (they wait for messages forever, as in qjs).
const lines = [];
const log = console.log;
console.log = (...args) => lines.push(args);
const perWorker = new Map();
let handled = 0;
const handleMessage = WorkerPool.prototype.handleMessage;
WorkerPool.prototype.handleMessage = function (worker, msg) {
  perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
  handleMessage.call(this, worker, msg);
  if (++handled === 100) {
    // After the last result's own .then callback.
    Promise.resolve().then(() => {
      console.log = log;
      lines.sort((a, b) => a[1].data.input - b[1].data.input);
      for (const args of lines) console.log(...args);
      const counts = [...perWorker.values()];
      console.log('tasks done:', counts.reduce((a, b) => a + b, 0), 'by', counts.length, 'workers');
      for (const w of pool.workers) w.terminate();
    });
  }
};
