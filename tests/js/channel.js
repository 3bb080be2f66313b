// Channels: two linked ports, transferable to threads; FIFO, close, blocking
// and non-blocking receive, async iteration.
const { Thread, Channel, MessagePort } = require('weft');
const assert = require('assert');

(async () => {
  assert.throws(() => new MessagePort(), TypeError);
  const { port1, port2 } = new Channel();
  assert.ok(port1 instanceof MessagePort && port2 instanceof MessagePort);
  assert.strictEqual(port1.state, 'open');

  // Same-thread: queued messages wait for start; order is kept.
  for (let i = 0; i < 5; i++) port1.postMessage(i);
  assert.deepStrictEqual(port2.tryReceive(), { message: 0 });
  assert.deepStrictEqual(port2.receive({ timeout: 10 }), { message: 1 });
  const got = [];
  await new Promise((resolve) => {
    port2.on('message', (m) => { got.push(m); if (got.length === 3) resolve(); });
  });
  assert.deepStrictEqual(got, [2, 3, 4]);
  assert.strictEqual(port1.tryReceive(), undefined);
  assert.strictEqual(port1.receive({ timeout: 5 }), undefined, 'receive times out');

  // onmessage gets a MessageEvent-like object; addEventListener too.
  const viaOnmessage = new Promise((resolve) => { port2.onmessage = (e) => resolve(e.data); });
  port1.postMessage('event');
  assert.strictEqual(await viaOnmessage, 'event');
  // A new handler replaces the old one (one listener, not two); null, or
  // anything but a function, removes it.
  const seen = [];
  port2.removeAllListeners('message');
  port2.onmessage = () => seen.push('first');
  const second = (e) => seen.push(`second ${e.data} ${e.type} ${e.target === port2}`);
  port2.onmessage = second;
  assert.strictEqual(port2.onmessage, second);
  assert.strictEqual(port2.listenerCount('message'), 1);
  await new Promise((resolve) => { port2.once('message', resolve); port1.postMessage('again'); });
  assert.deepStrictEqual(seen, ['second again message true']);
  port2.onmessage = 'not a function';
  assert.strictEqual(port2.onmessage, null);
  assert.strictEqual(port2.listenerCount('message'), 0);
  port2.onmessageerror = second;
  assert.strictEqual(port2.onmessageerror, second);
  assert.strictEqual(port2.onmessage, null, 'the two handlers are apart');
  port2.onmessageerror = null;
  assert.strictEqual(port2.listenerCount('messageerror'), 0);
  port2.removeAllListeners('message');

  // Close: the other side sees 'close' after what was already queued;
  // posting on a closed port does nothing.
  const order = [];
  port2.on('message', (m) => order.push(m));
  const closed2 = new Promise((resolve) => port2.once('close', resolve));
  const closed1 = new Promise((resolve) => port1.once('close', resolve));
  port1.postMessage('last');
  port1.close();
  port1.postMessage('after close');
  await closed2;
  await closed1;
  assert.deepStrictEqual(order, ['last']);
  assert.strictEqual(port1.state, 'closed');
  assert.strictEqual(port2.receive(), undefined, 'receive on a closed port returns at once');

  // A port transferred to a thread; the thread answers on it.
  const ch = new Channel();
  const t = new Thread(`const { capabilities } = require('weft');
    capabilities.reply.on('message', (m) => { capabilities.reply.postMessage(m * 2); capabilities.reply.close(); });`,
  { source: true, capabilities: { reply: ch.port2 } });
  assert.strictEqual(ch.port2.state, 'transferred');
  assert.throws(() => ch.port2.postMessage(1), { code: 'ERR_INVALID_STATE' });
  ch.port1.postMessage(21);
  const answers = [];
  for await (const m of ch.port1) answers.push(m);
  assert.deepStrictEqual(answers, [42]);
  await t.exited;

  // Ports travel inside messages too (transfer list), and keep their queue.
  const a = new Channel();
  const b = new Channel();
  b.port1.postMessage('queued before transfer');
  const relay = new Thread(`const { parent } = require('weft');
    parent.once('message', ({ port }) => {
      port.once('message', (m) => { port.postMessage('relayed: ' + m); port.close(); parent.close(); });
    });`, { source: true });
  relay.postMessage({ port: b.port2 }, [b.port2]);
  const reply = await new Promise((resolve) => b.port1.once('message', resolve));
  assert.strictEqual(reply, 'relayed: queued before transfer');
  a.port1.close();
  await relay.exited;

  // Transfer-list errors.
  const c = new Channel();
  assert.throws(() => c.port1.postMessage(c.port1, [c.port1]), { name: 'DataCloneError' });
  assert.throws(() => c.port1.postMessage({ p: c.port2 }), { name: 'DataCloneError' }, 'a port must be in the transfer list');
  assert.throws(() => c.port1.postMessage(null, [c.port2, c.port2]), { name: 'DataCloneError' });
  c.port2.close();
  assert.throws(() => port1.postMessage(null, [c.port2]), { name: 'DataCloneError' }, 'a closed port cannot be transferred');
  c.port1.close();
  console.log('ok');
})();

// Bad options to receive() fail at once, naming what was wrong; the port
// stays usable.
{
  const { port1, port2 } = new Channel();
  const typeError = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' };
  assert.throws(() => port1.receive('x'), { ...typeError, message: /"options" argument must be of type object/ });
  assert.throws(() => port1.receive(null), typeError);
  assert.throws(() => port1.receive({ timeout: '5' }), { ...typeError, message: /"options.timeout" property must be of type number/ });
  assert.throws(() => port1.receive({ timeout: NaN }), typeError);
  assert.throws(() => port1.receive({ timeout: -1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  port2.postMessage('still works');
  assert.deepStrictEqual(port1.receive({}), { message: 'still works' });
  port1.close();
}
