// terminate(), ref()/unref(), and a Worker used after its thread ended.
const assert = require('assert');
const { once } = require('events');
const { Worker } = require('worker_threads');

(async () => {
  // A worker in a tight loop, stopped from outside: exit code 1, no 'error'.
  const busy = new Worker('require("worker_threads").parentPort.postMessage("spinning"); for (;;) {}', { eval: true });
  busy.on('error', (e) => assert.fail(e));
  const exits = [];
  busy.on('exit', (code) => exits.push(code));
  await once(busy, 'message');
  const first = busy.terminate();
  const second = busy.terminate();
  assert.ok(first instanceof Promise);
  assert.strictEqual(await first, 1);
  assert.strictEqual(await second, 1);
  assert.deepStrictEqual(exits, [1]);

  // Everything on an ended worker is harmless, as in Node.
  busy.postMessage('ignored');
  busy.ref();
  busy.unref();
  assert.strictEqual(await busy.terminate(), undefined);
  assert.strictEqual(busy.threadId, -1);
  assert.deepStrictEqual(busy.resourceLimits, {});
  assert.deepStrictEqual(busy.performance.eventLoopUtilization(), { idle: 0, active: 0, utilization: 0 });
  await assert.rejects(busy.getHeapSnapshot(), {
    code: 'ERR_WORKER_NOT_RUNNING',
    message: 'Worker instance not running',
  });

  // A worker waiting for messages forever, unref'd: the process may end
  // without it (the 'exit' below never comes).
  const waiting = new Worker('require("worker_threads").parentPort.on("message", () => {})', { eval: true });
  waiting.on('exit', () => assert.fail('the process ends first'));
  await once(waiting, 'online');
  waiting.unref();
  waiting.ref();
  waiting.unref();

  // terminate() of an unref'd worker still settles.
  const idle = new Worker('setInterval(() => {}, 1000)', { eval: true });
  idle.unref();
  assert.strictEqual(await idle.terminate(), 1);
  console.log('ok');
})();
