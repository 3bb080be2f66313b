// SHARE_ENV: the parent and its workers see one process.env; every write is
// seen by the others at their next read.
const assert = require('assert');
const { once } = require('events');
const { Worker, SHARE_ENV, isMainThread, parentPort, workerData } = require('worker_threads');

if (!isMainThread) {
  if (workerData === 'nested') {
    // A worker sharing its environment with a worker of its own.
    const w = new Worker('process.env.NESTED = "deep"', { eval: true, env: SHARE_ENV });
    w.on('exit', () => parentPort.postMessage(process.env.NESTED));
  } else if (workerData === 'writer') {
    // Each writer sets keys of its own, many times.
    for (let i = 0; i < 50; i++) process.env[`KEY_${require('worker_threads').threadId}`] = String(i);
  } else {
    parentPort.postMessage(process.env.FROM_PARENT);
    process.env.FROM_WORKER = 'set in the worker';
    process.env.NUMBER = 7;
    delete process.env.TO_DELETE;
    parentPort.once('message', () => parentPort.postMessage(process.env.LATER));
  }
  return;
}

(async () => {
  process.env.FROM_PARENT = 'set in the parent';
  process.env.TO_DELETE = 'x';
  const w = new Worker(__filename, { env: SHARE_ENV });
  const [seen] = await once(w, 'message');
  assert.strictEqual(seen, 'set in the parent');
  // A change made in the parent while the worker runs reaches it.
  process.env.LATER = 'after the start';
  w.postMessage('read');
  const [later] = await once(w, 'message');
  assert.strictEqual(later, 'after the start');
  await once(w, 'exit');
  assert.strictEqual(process.env.FROM_WORKER, 'set in the worker');
  assert.strictEqual(process.env.NUMBER, '7', 'values are strings');
  assert.strictEqual('TO_DELETE' in process.env, false);
  assert.ok(Object.keys(process.env).includes('FROM_WORKER'));
  assert.deepStrictEqual({ ...process.env }.FROM_PARENT, 'set in the parent');

  // Nested sharing reaches the top.
  const nested = new Worker(__filename, { env: SHARE_ENV, workerData: 'nested' });
  const [deep] = await once(nested, 'message');
  assert.strictEqual(deep, 'deep');
  assert.strictEqual(process.env.NESTED, 'deep');

  // Concurrent writers lose nothing.
  const writers = Array.from({ length: 4 }, () => new Worker(__filename, { env: SHARE_ENV, workerData: 'writer' }));
  await Promise.all(writers.map((t) => once(t, 'exit')));
  assert.strictEqual(Object.keys(process.env).filter((k) => k.startsWith('KEY_')).length, 4);
  assert.ok(Object.entries(process.env).filter(([k]) => k.startsWith('KEY_')).every(([, v]) => v === '49'));

  // A worker without SHARE_ENV gets a copy of the shared environment.
  const copy = new Worker('process.env.FROM_COPY = "1"; require("worker_threads").parentPort.postMessage(process.env.NESTED)', { eval: true });
  const [copied] = await once(copy, 'message');
  assert.strictEqual(copied, 'deep');
  await once(copy, 'exit');
  assert.strictEqual(process.env.FROM_COPY, undefined);
  console.log('ok');
})();
