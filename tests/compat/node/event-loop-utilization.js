// ---- test harness, not part of the example (which follows it unchanged):
// what the example prints varies from run to run, in Node too, so the test
// prints what the document says about it instead: the worker keeps taking
// messages while it is busy, and the parent can read its event loop
// utilization all along.
//
// weft measures the worker's CPU time, not its loop's idle time, so `idle`
// here is the time the worker was not on a CPU; the document's remark that
// a busy worker accumulates no idle time holds only approximately
// (docs/node-compat.md).
const { isMainThread: harnessInMain } = require('worker_threads');
const printed = [];
const print = console.log;
console.log = (value) => printed.push(value);
process.on('exit', () => {
  if (harnessInMain) {
    const ok = printed.length > 0 && printed.every((u) => typeof u.idle === 'number' &&
      typeof u.active === 'number' && u.utilization >= 0 && u.utilization <= 1);
    print('parent: read the utilization while the worker ran:', ok);
  } else {
    print('worker: took messages while busy:', printed.includes('msg'));
  }
});

// Node's worker_threads documentation, worker.performance.eventLoopUtilization().
const { Worker, isMainThread, parentPort } = require('worker_threads');

if (isMainThread) {
  const worker = new Worker(__filename);
  setInterval(() => {
    worker.postMessage('hi');
    console.log(worker.performance.eventLoopUtilization());
  }, 100).unref();
  return;
}

parentPort.on('message', () => console.log('msg')).unref();

(function r(n) {
  if (--n < 0) return;
  const t = Date.now();
  while (Date.now() - t < 300);
  setImmediate(r, n);
})(10);
