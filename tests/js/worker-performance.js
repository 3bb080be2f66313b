// worker.performance.eventLoopUtilization() and worker.getHeapSnapshot().
const assert = require('assert');
const { once } = require('events');
const { Worker } = require('worker_threads');

(async () => {
  const w = new Worker(`
    const { parentPort } = require('worker_threads');
    parentPort.on('message', (ms) => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      parentPort.postMessage('done');
    });`, { eval: true });
  // Zero until 'online'.
  assert.deepStrictEqual(w.performance.eventLoopUtilization(), { idle: 0, active: 0, utilization: 0 });
  await once(w, 'online');

  const start = w.performance.eventLoopUtilization();
  w.postMessage(100);
  await once(w, 'message');
  const end = w.performance.eventLoopUtilization();
  for (const u of [start, end]) {
    assert.deepStrictEqual(Object.keys(u), ['idle', 'active', 'utilization']);
    assert.ok(u.idle >= 0 && u.active >= 0);
  }
  // The busy 100 ms count as active time (CPU time, which a loaded machine
  // shares out: only its growth is certain).
  const delta = w.performance.eventLoopUtilization(end, start);
  assert.strictEqual(delta.active, end.active - start.active);
  assert.strictEqual(delta.idle, end.idle - start.idle);
  assert.ok(delta.active > 0, `active ${delta.active}`);
  const since = w.performance.eventLoopUtilization(start);
  assert.ok(since.active >= delta.active && since.utilization >= 0 && since.utilization <= 1);

  // The memory report: a readable stream of JSON (not V8's snapshot format).
  const stream = await w.getHeapSnapshot();
  let text = '';
  for await (const chunk of stream) text += chunk;
  const report = JSON.parse(text);
  assert.strictEqual(report.format, 'weft-memory-report');
  assert.match(report.engine, /^QuickJS /);
  assert.strictEqual(report.threadId, w.threadId);
  assert.ok(report.memoryUsage.heapUsed > 0);
  assert.ok(report.stats.heapUsed > 0);

  // A request still waiting when the worker ends is rejected.
  const busy = new Worker('for (;;) {}', { eval: true });
  await once(busy, 'online');
  const pending = busy.getHeapSnapshot();
  await busy.terminate();
  await assert.rejects(pending, { code: 'ERR_WORKER_NOT_RUNNING' });
  await w.terminate();
  console.log('ok');
})();
