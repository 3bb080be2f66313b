// Bad arguments to new Thread() fail at once with clear errors; nothing starts.
const { Thread } = require('weft');
const assert = require('assert');

assert.throws(() => new Thread(42), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => new Thread(), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => new Thread('./fixtures/threads/no-such-file.js'),
  { code: 'ERR_THREAD_ENTRY_NOT_FOUND', message: /no-such-file\.js/ });
assert.throws(() => new Thread('fixtures/threads/echo.js'), { code: 'ERR_INVALID_ARG_VALUE' });
assert.throws(() => new Thread('./fixtures/threads/echo.js', 'options'), { code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => new Thread('./fixtures/threads/echo.js', { data: () => 1 }), { name: 'DataCloneError' });
assert.throws(() => new Thread('./fixtures/threads/echo.js', { data: Symbol('s') }), { name: 'DataCloneError' });
assert.throws(() => new Thread('./fixtures/threads/echo.js', { limits: { memory: -1 } }), { code: 'ERR_OUT_OF_RANGE' });
assert.throws(() => new Thread('./fixtures/threads/echo.js', { limits: { memory: '1MB' } }), { code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => new Thread('./fixtures/threads/echo.js', { name: 5 }), { code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => new Thread('./fixtures/threads/echo.js', { argv: 'x' }), { code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => new Thread(5, { source: true }), { code: 'ERR_INVALID_ARG_TYPE' });

// Using a thread after it exited: messages are dropped, terminate resolves.
const t = new Thread('1', { source: true });
t.on('exit', async (code) => {
  assert.strictEqual(code, 0);
  t.postMessage('nobody listens');
  assert.strictEqual(await t.terminate(), 0);
  assert.throws(() => t.postMessage(() => {}), { name: 'DataCloneError' });
  console.log('ok');
});
