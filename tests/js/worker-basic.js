// worker_threads' Worker: events in Node's order, messages both ways, the
// module's values in each thread, exit codes.
const assert = require('assert');
const {
  Worker, isMainThread, parentPort, workerData, threadId, resourceLimits,
} = require('worker_threads');

if (!isMainThread) {
  parentPort.postMessage({ threadId, workerData, resourceLimits, argv: process.argv.slice(1) });
  parentPort.on('message', (m) => {
    if (m === 'exit') process.exit(3);
    parentPort.postMessage(`echo ${m}`);
  });
  return;
}

assert.strictEqual(threadId, 0);
assert.strictEqual(parentPort, null);
assert.strictEqual(workerData, null);
assert.deepStrictEqual(resourceLimits, {});
assert.strictEqual(require('node:worker_threads'), require('worker_threads'));

const events = [];
const w = new Worker(__filename, { workerData: { n: 1, list: [1, 2], when: new Date(0) }, argv: ['a', 2] });
assert.ok(Number.isInteger(w.threadId) && w.threadId > 0);
const id = w.threadId;
w.on('online', () => events.push('online'));
w.on('message', (m) => {
  events.push(m);
  if (typeof m === 'object') {
    w.postMessage('one');
    w.postMessage('two');
  } else if (m === 'echo two') {
    w.postMessage('exit');
  }
});
w.on('error', (e) => events.push(`error ${e.message}`));
w.on('exit', (code) => {
  events.push(`exit ${code}`);
  assert.deepStrictEqual(events, [
    'online',
    {
      threadId: id,
      workerData: { n: 1, list: [1, 2], when: new Date(0) },
      resourceLimits: { maxYoungGenerationSizeMb: 0, maxOldGenerationSizeMb: 0, codeRangeSizeMb: 0, stackSizeMb: 4 },
      argv: [__filename, 'a', '2'],
    },
    'echo one',
    'echo two',
    'exit 3',
  ]);
  // After 'exit', as in Node.
  assert.strictEqual(w.threadId, -1);
  assert.deepStrictEqual(w.resourceLimits, {});
  console.log('ok');
});
