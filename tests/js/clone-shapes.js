// Structured clone of many small objects of many shapes, the case the clone's
// shape keepers and key cache speed up (src/core/clone.c): whatever is kept
// or evicted between messages, every clone has the right keys, in order,
// with the right values.
const { Thread, Channel } = require('weft');
const assert = require('assert');

function shapes() {
  const out = [];
  // 1 to 12 keys (keepers hold up to 8), in two orders each.
  for (let n = 1; n <= 12; n++) {
    const keys = Array.from({ length: n }, (_, i) => `k${i}`);
    for (const order of [keys, [...keys].reverse()]) {
      const o = {};
      order.forEach((k, i) => { o[k] = i * n; });
      out.push(o);
    }
  }
  // Keys past the key cache's 24 bytes, non-ASCII keys, a lone surrogate.
  out.push({ ['x'.repeat(25)]: 1, ['y'.repeat(100)]: 2 });
  out.push({ ключ: 'значение', '🔑': '🔒', '\ud800': 'lone' });
  // Integer-like keys come first, in ascending order, including indices
  // past 2^31 (string keys to the engine); keys that only start with a
  // digit, or are numbers but not indices, keep their place.
  out.push({ b: 1, 2: 'two', a: 0, 1: 'one' });
  out.push({ z: 1, 4294967294: 'last index', 3000000000: 'big', 7: 'seven' });
  out.push({ '1a': 1, b: 2, '4294967295': 'not an index', '-1': 'neither', '01': 'nor' });
  // The same shapes with nested values (the general path).
  out.push({ z: {}, 4294967294: 'last index', '1a': [1] });
  // More distinct keys than the key cache holds.
  const wide = {};
  for (let i = 0; i < 40; i++) wide[`key_${i}`] = i;
  out.push(wide);
  // Nested objects sharing shapes, repeated references.
  const shared = { x: 1, y: 2 };
  out.push({ a: { x: 1, y: 2 }, b: [{ x: 3, y: 4 }, { y: 5, x: 6 }], c: shared, d: shared });
  return out;
}

function check(copy, original) {
  assert.deepStrictEqual(copy, original);
  assert.deepStrictEqual(Object.keys(copy), Object.keys(original));
}

// Over and over, so that keepers and cached keys are made, hit and evicted.
const all = shapes();
for (let round = 0; round < 50; round++) {
  for (const o of all) check(structuredClone(o), o);
}
const { c, d } = structuredClone(all[all.length - 1]);
assert.strictEqual(c, d);

// Short strings (which the reader keeps by their bytes) and long ones, many
// more than it keeps, including non-ASCII and lone surrogates, come back
// equal every time.
const strings = ['', 'a', 'hello', 'hello ', 'Hello', 'ключ', '🔑', '\ud800', '\udc00x', 'x'.repeat(24), 'x'.repeat(25)];
for (let i = 0; i < 100; i++) strings.push(`s${i}`);
for (let round = 0; round < 3; round++) {
  for (const str of strings) {
    assert.strictEqual(structuredClone(str), str);
    check(structuredClone({ str, again: str, [str]: str }), { str, again: str, [str]: str });
  }
}

// An object that refers to itself after its first keys, with more after.
const selfish = { p: 1, q: 'two' };
selfish.me = selfish;
selfish.r = 3;
for (let i = 0; i < 3; i++) {
  const copy = structuredClone(selfish);
  assert.strictEqual(copy.me, copy);
  assert.deepStrictEqual(Object.keys(copy), ['p', 'q', 'me', 'r']);
  assert.deepStrictEqual([copy.p, copy.q, copy.r], [1, 'two', 3]);
}
// A clone with a kept shape gets keys of its own: adding or deleting one
// changes it alone.
const twins = [structuredClone({ t: 1, u: 2 }), structuredClone({ t: 3, u: 4 })];
twins[0].v = 5;
delete twins[1].t;
assert.deepStrictEqual(twins, [{ t: 1, u: 2, v: 5 }, { u: 4 }]);
const frozen = Object.freeze(structuredClone({ t: 6, u: 7 }));
assert.deepStrictEqual(structuredClone({ t: 8, u: 9 }), { t: 8, u: 9 });
assert.ok(Object.isFrozen(frozen) && !Object.isFrozen(structuredClone({ t: 0, u: 0 })));

// Symbol keys and non-enumerable keys are not cloned.
const hidden = { a: 1, [Symbol('s')]: 2, b: 'x' };
Object.defineProperty(hidden, 'h', { value: 3, enumerable: false });
for (let i = 0; i < 3; i++) {
  const copy = structuredClone(hidden);
  check(copy, { a: 1, b: 'x' });
  assert.deepStrictEqual(Object.getOwnPropertySymbols(copy), []);
  assert.strictEqual(Object.getOwnPropertyNames(copy).includes('h'), false);
}

// A getter that deletes a later key: that key is skipped. One that adds a
// key: the new key is not sent (the keys were taken before).
const deleting = { get a() { delete this.b; return 1; }, b: 2, c: 3 };
check(structuredClone(deleting), { a: 1, c: 3 });
const adding = { get a() { this.z = 9; return 1; }, b: 2 };
check(structuredClone(adding), { a: 1, b: 2 });
// Same keys as a kept shape, but one is an accessor on the original.
for (let i = 0; i < 3; i++) check(structuredClone({ k0: 0 }), { k0: 0 });
check(structuredClone({ get k0() { return 'got'; } }), { k0: 'got' });

// Each side remembers the shape of the last small object it wrote as a
// whole message or read, with its keys' bytes: objects that look like the
// remembered one and are not (an object value, another prototype, fewer,
// more, other or reordered keys, other flags) come back as they are.
function lookalikes() {
  const bare = Object.create(null);
  bare.i = 5;
  bare.s = 'd';
  return [
    { i: 1, s: 'a' }, { i: 2, s: 'b' }, { i: 3, s: { nested: [1] } }, { i: 4, s: 'c' },
    bare, { i: 6, s: 'e' }, { i: 7 }, { i: 8, s: 'f', t: 1 }, { i: 9, t: 'g' },
    { s: 'h', i: 10 }, Object.freeze({ i: 11, s: 'i' }), { i: 12, s: 13n },
    { i: 14, s: 'j' }, [{ i: 15, s: 'k' }, { i: 16, s: 'l' }], { i: 17, s: 'm' },
    { i: 18, [Symbol('x')]: 1, s: 'n' }, { i: 19, s: 'o' },
  ];
}
{
  const { port1, port2 } = new Channel();
  for (let round = 0; round < 3; round++) {
    for (const o of lookalikes()) {
      const plain = Array.isArray(o) ? o : Object.fromEntries(Object.entries(o));
      check(structuredClone(o), plain);
      port1.postMessage(o);
      check(port2.receive().message, plain);
    }
  }
  port1.close();
  port2.close();
}

// receive() gives { message } every time, whatever was kept.
const { port1, port2 } = new Channel();
for (let i = 0; i < 20; i++) {
  port1.postMessage(all[i % all.length]);
  const r = port2.receive();
  assert.deepStrictEqual(Object.keys(r), ['message']);
  check(r.message, all[i % all.length]);
}
assert.strictEqual(port2.tryReceive(), undefined);
assert.strictEqual(port2.receive({ timeout: 1 }), undefined);
port1.close();
port2.close();

// Through a thread and back: both sides build the same shapes.
const echo = new Thread(() => {
  const { parent } = require('weft');
  parent.on('message', (m) => {
    if (m === null) parent.close();
    else parent.postMessage(m);
  });
});
const N = 2000;
let got = 0;
echo.on('message', (m) => {
  check(m, all[got % all.length]);
  if (++got === N) {
    echo.postMessage(null);
    console.log('ok', got);
  }
});
for (let i = 0; i < N; i++) echo.postMessage(all[i % all.length]);
