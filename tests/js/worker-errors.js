// A worker's failures: uncaught exceptions and rejections become the
// Worker's 'error' event with exit code 1, running out of memory is
// ERR_WORKER_OUT_OF_MEMORY, process.exit() ends only the worker.
const assert = require('assert');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

// This file as a worker: failures in a worker file's top-level code.
if (!isMainThread) {
  if (workerData === 'handled') {
    process.on('uncaughtException', (e) => parentPort.postMessage(`uncaughtException: ${e.message}`));
    process.on('unhandledRejection', () => parentPort.postMessage('not a rejection'));
    throw new Error('top-level');
  }
  const a = [];
  for (;;) a.push(new Array(1000).fill(a.length));
}

function run(source, options) {
  return new Promise((resolve) => {
    const w = new Worker(source, { eval: true, ...options });
    const events = [];
    w.on('online', () => events.push('online'));
    w.on('message', (m) => events.push(m));
    w.on('error', (e) => events.push(e));
    w.on('exit', (code) => resolve({ code, events }));
  });
}

(async () => {
  let r = await run('require("worker_threads").parentPort.postMessage("before"); throw new TypeError("thrown")');
  assert.strictEqual(r.code, 1);
  assert.strictEqual(r.events.length, 3);
  assert.deepStrictEqual(r.events.slice(0, 2), ['online', 'before']);
  assert.ok(r.events[2] instanceof TypeError);
  assert.strictEqual(r.events[2].message, 'thrown');
  assert.match(r.events[2].stack, /\[worker eval\]:1:/);

  r = await run('setTimeout(() => { throw new RangeError("later"); }, 1)');
  assert.strictEqual(r.code, 1);
  assert.strictEqual(r.events[1].message, 'later');

  r = await run('Promise.reject(new Error("rejected"))');
  assert.strictEqual(r.code, 1);
  assert.strictEqual(r.events[1].message, 'rejected');

  // process.exit() ends the worker with its code; the process goes on.
  r = await run('process.on("exit", (c) => require("worker_threads").parentPort.postMessage(`exit ${c}`)); process.exit(5); throw new Error("not reached")');
  assert.deepStrictEqual(r, { code: 5, events: ['online', 'exit 5'] });
  r = await run('process.exitCode = 4');
  assert.strictEqual(r.code, 4);

  // resourceLimits.maxOldGenerationSizeMb is a hard heap limit.
  r = await run('const a = []; for (;;) a.push(new Array(1000).fill(a.length));', { resourceLimits: { maxOldGenerationSizeMb: 8 } });
  assert.strictEqual(r.code, 1);
  const oom = r.events.find((e) => e instanceof Error);
  assert.strictEqual(oom.code, 'ERR_WORKER_OUT_OF_MEMORY');
  assert.strictEqual(oom.message, 'Worker terminated due to reaching memory limit: JS heap out of memory');
  assert.strictEqual(oom.name, 'Error');

  // The same from a worker file's top-level code.
  const file = await new Promise((resolve) => {
    const w = new Worker(__filename, { workerData: 'oom', resourceLimits: { maxOldGenerationSizeMb: 8 } });
    w.on('error', (e) => w.on('exit', (code) => resolve({ code, e })));
  });
  assert.strictEqual(file.code, 1);
  assert.strictEqual(file.e.code, 'ERR_WORKER_OUT_OF_MEMORY');

  // A throw in a worker file's top-level code is an uncaught exception.
  const handled = new Worker(__filename, { workerData: 'handled' });
  assert.deepStrictEqual(await require('events').once(handled, 'message'), ['uncaughtException: top-level']);
  assert.deepStrictEqual(await require('events').once(handled, 'exit'), [0]);

  // resourceLimits.stackSizeMb: deep recursion is a RangeError the worker can catch.
  r = await run(`function f(n) { return n === 0 ? 0 : f(n - 1) + 1; }
    try { f(1e6); } catch (e) { require("worker_threads").parentPort.postMessage(e instanceof RangeError); }`,
  { resourceLimits: { stackSizeMb: 1 } });
  assert.deepStrictEqual(r, { code: 0, events: ['online', true] });

  // The working directory belongs to the process.
  r = await run('process.chdir("/")');
  assert.strictEqual(r.events[1].message, 'process.chdir() is not supported in workers');
  assert.strictEqual(process.cwd(), __dirname);

  // An 'error' nobody listens to is thrown in the parent, as in Node: here
  // an uncaughtException listener sees it.
  const seen = new Promise((resolve) => process.once('uncaughtException', resolve));
  new Worker('throw new Error("unheard")', { eval: true });
  assert.strictEqual((await seen).message, 'unheard');
  console.log('ok');
})();
