// Threads started one after another run on OS threads that earlier threads
// ended on (src/core/thread.c, "parked OS threads"), and on spares prepared
// for the kind of entry the last thread had. Nothing of one thread may show
// in the next: its id, name, data, stack, CommonJS or ES module loader.
import { Thread } from 'weft';
import assert from 'assert';
import fs from 'fs';

function first(thread) {
  return new Promise((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
  });
}

async function run(entry, options) {
  const t = new Thread(entry, options);
  const message = await first(t);
  assert.strictEqual(await t.exited, 0);
  return { id: t.id, message };
}

const cjs = "const w = require('weft'); w.parent.postMessage([typeof require, w.threadName, w.data])";
const esm = "import { parent, threadName, data } from 'weft'; parent.postMessage([typeof require, threadName, data])";

// Entry kinds alternate, and repeat, so that a spare made after a CommonJS
// entry (the loader preloaded) and one made after a module (not preloaded)
// each meet both kinds.
const kinds = ['cjs', 'cjs', 'esm', 'esm', 'cjs', 'esm', 'cjs', 'esm'];
const ids = [];
for (const [i, kind] of kinds.entries()) {
  const options = { source: true, name: `t${i}`, data: i };
  if (kind === 'esm') options.type = 'module';
  const { id, message } = await run(kind === 'cjs' ? cjs : esm, options);
  assert.deepStrictEqual(message, [kind === 'cjs' ? 'function' : 'undefined', `t${i}`, i]);
  ids.push(id);
}
assert.strictEqual(new Set(ids).size, ids.length);
assert.deepStrictEqual([...ids].sort((a, b) => a - b), ids);

// An ES module entry that needs the CommonJS loader after all (it imports a
// CommonJS file) gets it, on a spare prepared without it.
const mixed = await run(
  `import { add } from '${import.meta.dirname}/fixtures/cjs/add.js'; import { parent } from 'weft';`
  + ' parent.postMessage(add(2, 3))',
  { source: true, type: 'module' });
assert.strictEqual(mixed.message, 5);

// Deep recursion fills a thread's stack; the OS thread gives most of those
// pages back when it parks. The threads after it recurse as deep again.
const deep = () => {
  let depth = 0;
  const down = () => { depth++; down(); };
  try { down(); } catch (e) { require('weft').parent.postMessage([e instanceof RangeError, depth]); }
};
const depths = [];
for (let i = 0; i < 3; i++) {
  const { message: [isRangeError, depth] } = await run(deep);
  assert.ok(isRangeError);
  depths.push(depth);
}
assert.ok(depths.every((d) => d > 100 && d > depths[0] / 2 && d < depths[0] * 2), `depths ${depths}`);

// A thread on a reused OS thread stops when terminated, mid-loop.
const spin = new Thread("require('weft').parent.postMessage('spinning'); for (;;) {}", { source: true });
assert.strictEqual(await first(spin), 'spinning');
assert.strictEqual(await spin.terminate(), 1);

// Sixty threads one after another leave only a few OS threads behind.
for (let i = 0; i < 60; i++) await run("require('weft').parent.postMessage(0)", { source: true });
const tasks = fs.readdirSync('/proc/self/task').length;
assert.ok(tasks <= 8, `${tasks} OS threads`);
console.log('ok');
