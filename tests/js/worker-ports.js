// MessagePort as worker_threads has it: EventEmitter and EventTarget styles,
// onmessage, start, close, and Node's rule that 'message' listeners ref the
// port (removing the last one unrefs it, so the thread can end).
const assert = require('assert');
const { MessageChannel, MessagePort } = require('worker_threads');
const { Channel } = require('weft');

const order = [];
const c = new MessageChannel();
assert.ok(c instanceof MessageChannel && c instanceof Channel);
assert.ok(c.port1 instanceof MessagePort);

// A once() listener: after it fires, nothing keeps the process alive, as in
// Node (this test would never end otherwise).
c.port2.once('message', (m) => order.push(`once ${m}`));
assert.strictEqual(c.port2.hasRef(), true);
c.port1.postMessage('a');

// EventTarget style and onmessage.
const d = new MessageChannel();
d.port2.addEventListener('message', (event) => order.push(`event ${event.data}`), { once: true });
d.port1.postMessage('b');
const e = new MessageChannel();
e.port2.onmessage = (event) => {
  order.push(`onmessage ${event.data}`);
  e.port2.onmessage = null; // unrefs
};
assert.strictEqual(typeof e.port2.onmessage, 'function');
assert.strictEqual(e.port2.onmessageerror, null);
e.port2.onmessageerror = () => {};
assert.strictEqual(typeof e.port2.onmessageerror, 'function');
e.port1.postMessage('c');

// unref(): a listening port that does not keep the process alive.
const f = new MessageChannel();
f.port2.on('message', () => assert.fail('not delivered: the process ended first'));
f.port2.unref();
assert.strictEqual(f.port2.hasRef(), false);

// close(): both ends see 'close' (a started end: see docs/node-compat.md).
const g = new MessageChannel();
g.port2.on('message', () => {});
g.port1.on('close', () => order.push('close 1'));
g.port2.on('close', () => order.push('close 2'));
g.port1.close();

// Removing a listener with off() unrefs too.
const h = new MessageChannel();
const listener = () => {};
h.port1.on('message', listener);
assert.strictEqual(h.port1.hasRef(), true);
h.port1.off('message', listener);
assert.strictEqual(h.port1.hasRef(), false);
h.port1.on('message', listener);
h.port1.removeAllListeners();
assert.strictEqual(h.port1.hasRef(), false);

process.on('exit', () => {
  assert.deepStrictEqual(order.sort(), ['close 1', 'close 2', 'event b', 'once a', 'onmessage c']);
  console.log('ok');
});
