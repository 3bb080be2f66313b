// A thread's failures reach its creator as events; the process goes on.
const { Thread } = require('weft');
const assert = require('assert');

async function run(entry, options) {
  const t = new Thread(entry, options);
  const errors = [];
  t.on('error', (e) => errors.push(e));
  const code = await t.exited;
  return { code, errors };
}

(async () => {
  let r = await run('./fixtures/threads/throws.js');
  assert.strictEqual(r.code, 1);
  assert.strictEqual(r.errors.length, 1);
  assert.ok(r.errors[0] instanceof TypeError, 'the error keeps its type');
  assert.strictEqual(r.errors[0].message, 'thrown in a thread');
  assert.match(r.errors[0].stack, /throws\.js:2:/);

  r = await run('./fixtures/threads/syntax-error.js');
  assert.strictEqual(r.code, 1);
  assert.ok(r.errors[0] instanceof SyntaxError);
  assert.match(r.errors[0].stack, /syntax-error\.js:2:/);

  r = await run('Promise.reject(new RangeError("rejected in a thread"))', { source: true });
  assert.strictEqual(r.code, 1);
  assert.strictEqual(r.errors[0].message, 'rejected in a thread');

  r = await run('throw { plain: "object" }', { source: true });
  assert.strictEqual(r.code, 1);
  assert.deepStrictEqual(r.errors[0], { plain: 'object' });

  // An uncaughtException listener inside the thread keeps it alive.
  r = await run(`process.on('uncaughtException', (e) => require('weft').parent.postMessage(e.message));
                 setTimeout(() => { throw new Error('handled'); }, 1);`, { source: true });
  assert.strictEqual(r.code, 0);
  assert.strictEqual(r.errors.length, 0);

  // process.exit() in a thread ends only the thread, with its code; the
  // message posted before it still arrives, before 'exit'.
  const t = new Thread('./fixtures/threads/exits.mjs');
  const seen = [];
  t.on('message', (m) => seen.push(m));
  t.on('exit', (code) => seen.push(`exit ${code}`));
  assert.strictEqual(await t.exited, 7);
  assert.deepStrictEqual(seen, ['before exit', 'exit 7']);

  // A stack overflow is a RangeError inside the thread.
  r = await run(`function f() { return f() + 1; }
                 try { f(); } catch (e) { require('weft').parent.postMessage(e instanceof RangeError); }`, { source: true });
  assert.strictEqual(r.code, 0);
  console.log('ok');
})();
