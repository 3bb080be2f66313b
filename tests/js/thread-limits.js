// Memory, stack and CPU limits stop only the offending thread.
const { Thread } = require('weft');
const assert = require('assert');

async function outcome(source, limits) {
  const t = new Thread(source, { source: true, limits });
  const errors = [];
  const reasons = [];
  t.on('error', (e) => errors.push(e));
  t.on('exit', (code, reason) => reasons.push(reason));
  const code = await t.exited;
  return { code, errors, reason: reasons[0], stats: t.stats() };
}

(async () => {
  // Allocating past the memory limit: ERR_WORKER_OUT_OF_MEMORY, exit code 1,
  // even when the thread tries to catch the error.
  let r = await outcome('const a = []; for (;;) { try { a.push(new Array(1000).fill(1)); } catch (e) {} }',
    { memory: 8 * 1024 * 1024 });
  assert.strictEqual(r.code, 1);
  assert.strictEqual(r.reason, 'out-of-memory');
  assert.strictEqual(r.errors.length, 1);
  assert.strictEqual(r.errors[0].code, 'ERR_WORKER_OUT_OF_MEMORY');
  assert.strictEqual(r.stats.heapLimit, 8 * 1024 * 1024);

  // Strings too (flat ones: QuickJS builds concatenations as ropes).
  r = await outcome("const a = []; for (let i = 0; ; i++) a.push('x'.repeat(1e5) + i);", { memory: 4 * 1024 * 1024 });
  assert.strictEqual(r.code, 1);
  assert.strictEqual(r.errors[0].code, 'ERR_WORKER_OUT_OF_MEMORY');

  // CPU time.
  r = await outcome('for (;;) {}', { cpu: 50 });
  assert.strictEqual(r.code, 1);
  assert.strictEqual(r.reason, 'cpu-limit');
  assert.strictEqual(r.errors[0].code, 'ERR_THREAD_CPU_LIMIT');
  assert.ok(r.stats.cpuTime >= 50, `cpuTime ${r.stats.cpuTime}`);

  // A small stack: deep recursion is a catchable RangeError.
  r = await outcome(`function f(n) { return n === 0 ? 0 : f(n - 1) + 1; }
    let caught = false; try { f(1e6); } catch (e) { caught = e instanceof RangeError; }
    if (!caught) throw new Error('no RangeError');`, { stack: 512 * 1024 });
  assert.strictEqual(r.code, 0, r.errors.join());

  // The process and other threads carry on.
  const ok = await outcome("require('weft').parent.postMessage('fine')");
  assert.strictEqual(ok.code, 0);
  console.log('ok');
})();
