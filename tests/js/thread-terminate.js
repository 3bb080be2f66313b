// terminate() stops a thread wherever it is, and resolves with exit code 1.
const { Thread, Channel } = require('weft');
const assert = require('assert');

const states = {
  'tight loop': 'for (;;) {}',
  'deep recursion': 'function f(n) { return n === 0 ? 0 : f(n - 1) + 1; } for (;;) { try { f(1e6); } catch {} }',
  'pending promise': 'new Promise(() => {}); setInterval(() => {}, 100000);',
  'idle loop': 'setTimeout(() => {}, 1e9);',
  'blocking receive': "require('weft').parent.receive();",
  'blocking receive with timeout': "for (;;) require('weft').parent.receive({ timeout: 50 });",
  'Atomics.wait': 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);',
  'Atomics.wait with timeout': 'for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);',
  'try/finally loop': 'for (;;) { try { for (;;) {} } catch (e) {} finally { for (;;) {} } }',
  'microtask loop': 'function spin() { Promise.resolve().then(spin); } spin();',
};

(async () => {
  for (const [state, source] of Object.entries(states)) {
    const t = new Thread(`require('weft').parent.postMessage('running'); ${source}`, { source: true });
    const errors = [];
    t.on('error', (e) => errors.push(e));
    await new Promise((resolve) => t.once('message', resolve));
    // Give the thread time to get into the state.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const code = await t.terminate();
    assert.strictEqual(code, 1, `${state}: exit code ${code}`);
    assert.strictEqual(errors.length, 0, `${state}: no error event for terminate()`);
    assert.strictEqual(t.state, 'exited');
  }

  // terminate() before the thread got going, and twice.
  const early = new Thread('for (;;) {}', { source: true });
  const [a, b] = await Promise.all([early.terminate(), early.terminate()]);
  assert.strictEqual(a, 1);
  assert.strictEqual(b, 1);

  // A thread blocked receiving on a channel port.
  const { port1, port2 } = new Channel();
  const waiter = new Thread(`const { capabilities, parent } = require('weft');
    parent.postMessage('waiting'); capabilities.port.receive();`, { source: true, capabilities: { port: port2 } });
  await new Promise((resolve) => waiter.once('message', resolve));
  assert.strictEqual(await waiter.terminate(), 1);
  port1.close();
  console.log('ok');
})();
