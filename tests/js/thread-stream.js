// Streams into an event-driven receiver: several threads post as fast as
// they can, in bursts with pauses between them (so the receiver spins,
// gathers, parks and is woken in turn); every message arrives once and each
// sender's messages in order. Then a receiver whose mail comes rarely: its
// spinning backs off, so waiting costs it next to no CPU.
const { Thread } = require('weft');
const assert = require('assert');

const SENDERS = 3;
const BURSTS = 20;
const EACH = 1500;

function sender({ id, bursts, each }) {
  const { parent } = require('weft');
  const nap = new Int32Array(new SharedArrayBuffer(4));
  let i = 0;
  for (let b = 0; b < bursts; b++) {
    for (let k = 0; k < each; k++) parent.postMessage({ id, i: i++, s: 'hello' });
    Atomics.wait(nap, 0, 0, b % 3); // 0, 1 or 2 ms
  }
}

const next = new Array(SENDERS).fill(0);
let total = 0;
const done = [];
for (let id = 0; id < SENDERS; id++) {
  const t = new Thread(sender, { data: { id, bursts: BURSTS, each: EACH } });
  t.on('message', (m) => {
    assert.strictEqual(m.id, id);
    assert.strictEqual(m.i, next[id], `sender ${id}: message ${m.i} arrived when ${next[id]} was due`);
    assert.strictEqual(m.s, 'hello');
    next[id]++;
    total++;
  });
  done.push(t.exited);
}

Promise.all(done).then(async () => {
  assert.deepStrictEqual(next, new Array(SENDERS).fill(BURSTS * EACH));
  console.log('stream', total);

  // A message every 2 ms for about half a second.
  const rare = new Thread(() => {
    const { parent } = require('weft');
    parent.on('message', (m) => { if (m === 'stop') parent.close(); });
  });
  await new Promise((resolve) => rare.once('online', resolve));
  const start = performance.now();
  for (let i = 0; i < 250; i++) {
    rare.postMessage(i);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const wall = performance.now() - start;
  const { cpuTime } = rare.stats();
  // Spinning at every wake-up would cost about the whole wall time.
  assert.ok(cpuTime < wall / 4, `idle receiver used ${cpuTime} ms of CPU in ${wall} ms`);
  rare.postMessage('stop');
  await rare.exited;
  console.log('rare receiver stayed idle');
});
