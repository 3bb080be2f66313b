// The run that the default build's profile is recorded from (scripts/pgo.sh).
// Profile-guided optimization lays out the engine and the core for the paths
// this run takes, so it takes the paths programs take: ordinary JavaScript
// (objects, strings, arrays, closures, classes, regular expressions, JSON,
// promises) and every kind of traffic between threads (starts and exits,
// streams and round trips of assorted values, transfers, shared memory).
// It checks what it computes: a profile of a run gone wrong would optimize
// the wrong paths, so a wrong result fails the build.
import { Thread, Channel, isMainThread, parent, capabilities } from 'weft';

function check(what, ok) {
  if (!ok)
    throw new Error(`pgo-train: ${what} went wrong`);
}

// ---- ordinary JavaScript ----------------------------------------------------

class Vec {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
  add(o) {
    return new Vec(this.x + o.x, this.y + o.y);
  }
  get length() {
    return Math.hypot(this.x, this.y);
  }
}

function plainJavaScript(rounds) {
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    const rows = [];
    for (let i = 0; i < 200; i++)
      rows.push({ id: i, name: `row-${i}`, tags: ['a', 'b', String(i % 7)], score: (i * 37) % 101 / 3 });
    const json = JSON.stringify(rows);
    const back = JSON.parse(json);
    const sorted = back.slice().sort((a, b) => a.score - b.score || a.id - b.id);
    const names = sorted.filter((row) => row.tags.includes('3')).map((row) => row.name.toUpperCase());
    const words = json.match(/row-\d+/g).join(' ').split(' ');
    const counts = new Map();
    for (const w of words)
      counts.set(w.length, (counts.get(w.length) ?? 0) + 1);
    const seen = new Set(words.map((w) => w.slice(-1)));
    let v = new Vec(0, 0);
    for (let i = 0; i < 100; i++)
      v = v.add(new Vec(i % 3, i % 5));
    const adders = Array.from({ length: 50 }, (_, i) => (x) => x + i);
    total += names.length + counts.size + seen.size + Math.round(v.length) +
      adders.reduce((acc, f) => f(acc), 0) + back.length;
  }
  return total;
}

async function promises(n) {
  let sum = 0;
  const step = async (i) => {
    await null;
    return i * 2;
  };
  for (let i = 0; i < n; i++)
    sum += await step(i);
  const all = await Promise.all(Array.from({ length: n }, (_, i) => Promise.resolve(i)));
  return sum + all.length;
}

// ---- threads ----------------------------------------------------------------

// What the streams carry: the small objects of a stream and a mix of what
// structured clone knows.
function assorted(i) {
  switch (i % 8) {
  case 0: return { i, s: 'hello' };
  case 1: return [i, `text ${i}`, i / 3, true, null];
  case 2: return { id: i, when: new Date(i * 1000), nested: { list: [1, 2, 3], flag: i % 2 === 0 } };
  case 3: return new Map([[i, 'one'], ['two', { n: i }]]);
  case 4: return new Set([i, i + 1, 'x']);
  case 5: return new Float64Array([i, i + 0.5, -i]);
  case 6: return `a string message number ${i} ${'é'.repeat(i % 5)}`;
  default: return new RangeError(`error ${i}`);
  }
}

function worker() {
  const { mode } = capabilities;
  if (mode === 'echo') {
    parent.on('message', (m) => {
      if (m === null)
        process.exit(0);
      parent.postMessage(m);
    });
  } else if (mode === 'receive') {
    const { port } = capabilities;
    for (;;) {
      const { message } = port.receive();
      if (message === null)
        break;
      port.postMessage(message);
    }
  } else if (mode === 'stream') {
    parent.once('message', (count) => {
      for (let i = 0; i < count; i++)
        parent.postMessage(assorted(i));
      process.exit(0);
    });
  } else if (mode === 'atomics') {
    const cells = new Int32Array(capabilities.shared);
    for (let i = 1; i <= 200; i++) {
      Atomics.wait(cells, 0, i - 1);
      Atomics.add(cells, 1, i);
      Atomics.store(cells, 2, i);
      Atomics.notify(cells, 2);
    }
  } else if (mode === 'transfer') {
    parent.on('message', (buffer) => {
      if (buffer === null)
        process.exit(0);
      parent.postMessage(buffer, [buffer]);
    });
  }
}

const self = new URL(import.meta.url);
const start = (mode, extra = {}) => new Thread(self, { capabilities: { mode, ...extra } });

async function starts(n) {
  for (let i = 0; i < n; i++) {
    const t = start('echo');
    const back = new Promise((resolve) => t.once('message', resolve));
    t.postMessage(i);
    check('a started thread', (await back) === i);
    t.postMessage(null);
    await t.exited;
  }
}

async function stream(count) {
  const t = start('stream');
  let received = 0;
  const done = new Promise((resolve) => t.on('message', () => {
    if (++received === count)
      resolve();
  }));
  t.postMessage(count);
  await done;
  await t.exited;
}

async function eventTrips(n) {
  const t = start('echo');
  for (let i = 0; i < n; i++) {
    const m = assorted(i);
    const back = new Promise((resolve) => t.once('message', resolve));
    t.postMessage(m);
    const got = await back;
    check('a round trip', typeof got === typeof m);
  }
  t.postMessage(null);
  await t.exited;
}

async function busyTrips(n) {
  const { port1, port2 } = new Channel();
  const t = start('receive', { port: port2 });
  for (let i = 0; i < n; i++) {
    port1.postMessage({ id: i, tag: 'ping', at: [i] });
    check('a blocking receive', port1.receive().message.id === i);
  }
  port1.postMessage(null);
  await t.exited;
}

async function transfers(n) {
  const t = start('transfer');
  let buffer = new ArrayBuffer(1 << 16);
  for (let i = 0; i < n; i++) {
    const back = new Promise((resolve) => t.once('message', resolve));
    t.postMessage(buffer, [buffer]);
    check('a transfer', buffer.byteLength === 0);
    buffer = await back;
  }
  t.postMessage(null);
  await t.exited;
}

async function sharedMemory() {
  const shared = new SharedArrayBuffer(16);
  const cells = new Int32Array(shared);
  const t = start('atomics', { shared });
  for (let i = 1; i <= 200; i++) {
    Atomics.store(cells, 0, i);
    Atomics.notify(cells, 0);
    while (Atomics.load(cells, 2) !== i)
      Atomics.wait(cells, 2, i - 1, 10);
  }
  await t.exited;
  check('shared memory', cells[1] === 200 * 201 / 2);
}

function clones(n) {
  for (let i = 0; i < n; i++) {
    const v = assorted(i);
    const c = structuredClone({ v, again: v, list: [v, i] });
    check('structuredClone', c.again === c.v && c.list[1] === i);
  }
}

async function stopped(n) {
  for (let i = 0; i < n; i++) {
    const t = new Thread(() => {
      for (;;);
    });
    await new Promise((resolve) => t.once('online', resolve));
    await t.terminate();
  }
}

if (!isMainThread) {
  worker();
} else {
  check('plain JavaScript', plainJavaScript(60) > 0);
  check('promises', (await promises(20000)) > 0);
  clones(20000);
  await starts(100);
  await stream(300000);
  await eventTrips(5000);
  await busyTrips(20000);
  await transfers(2000);
  await sharedMemory();
  await stopped(20);
}
