// SharedArrayBuffer memory is shared between threads (not copied), and
// Atomics.wait/notify work across them.
const { Thread } = require('weft');
const assert = require('assert');

(async () => {
  const sab = new SharedArrayBuffer(16);
  const view = new Int32Array(sab);
  const t = new Thread(`const { data, parent } = require('weft');
    const v = new Int32Array(data);
    Atomics.store(v, 1, 42);                 // seen by the creator
    parent.postMessage('stored');
    const r = Atomics.wait(v, 0, 0);         // until the creator notifies
    parent.postMessage([r, Atomics.load(v, 0)]);
    Atomics.add(v, 2, 1);`, { source: true, data: sab });
  const messages = [];
  t.on('message', (m) => messages.push(m));
  while (messages.length === 0) await new Promise((r) => setTimeout(r, 1));
  assert.strictEqual(messages[0], 'stored');
  assert.strictEqual(Atomics.load(view, 1), 42, 'a write in the thread is visible here');
  // Wait until the thread sleeps in Atomics.wait, then wake it.
  let woken = 0;
  while (woken === 0) {
    Atomics.store(view, 0, 7);
    woken = Atomics.notify(view, 0, 1);
    if (woken === 0) {
      Atomics.store(view, 0, 0);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  await t.exited;
  assert.deepStrictEqual(messages[1], ['ok', 7]);
  assert.strictEqual(Atomics.load(view, 2), 1);

  // wait's other results, and argument checks.
  assert.strictEqual(Atomics.wait(view, 3, 1, 0), 'not-equal');
  assert.strictEqual(Atomics.wait(view, 3, 0, 1), 'timed-out');
  assert.strictEqual(Atomics.notify(view, 3), 0);
  assert.throws(() => Atomics.wait(new Int32Array(4), 0, 0, 0), TypeError, 'non-shared buffer');
  assert.throws(() => Atomics.wait(new Float64Array(sab), 0, 0, 0), TypeError);
  assert.throws(() => Atomics.wait(view, 99, 0, 0), RangeError);
  const big = new BigInt64Array(new SharedArrayBuffer(8));
  assert.strictEqual(Atomics.wait(big, 0, 1n, 0), 'not-equal');

  // Many threads increment one counter.
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const workers = [];
  for (let i = 0; i < 4; i++) {
    workers.push(new Thread(`const v = new Int32Array(require('weft').data);
      for (let i = 0; i < 10000; i++) Atomics.add(v, 0, 1);`, { source: true, data: counter.buffer }));
  }
  await Promise.all(workers.map((w) => w.exited));
  assert.strictEqual(Atomics.load(counter, 0), 40000);
  console.log('ok');
})();
