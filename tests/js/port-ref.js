// As in Node: the first 'message' listener refs a port (its thread stays to
// receive), removing the last one unrefs it, so nothing hangs around.
const { Thread, Channel } = require('weft');
const assert = require('assert');

const t = new Thread(() => {
  require('weft').parent.once('message', (m) => require('weft').parent.postMessage(m + 1));
});
t.postMessage(1);
t.on('message', (m) => assert.strictEqual(m, 2));
t.on('exit', (code) => {
  assert.strictEqual(code, 0, 'the thread ends once its only listener fired');
  const { port1, port2 } = new Channel(); // both held: a collected end closes the channel
  const listener = () => {};
  port1.on('message', listener);
  assert.strictEqual(port1.hasRef(), true);
  port1.off('message', listener);
  assert.strictEqual(port1.hasRef(), false, 'no listener, no ref: the process can end');
  port1.onmessageerror = () => {};
  assert.strictEqual(typeof port1.onmessageerror, 'function');
  port2.close();

  // A listener added after the peer sent and closed still gets the message.
  const late = new Channel();
  late.port2.postMessage('sent before close');
  late.port2.close();
  late.port1.once('message', (m) => {
    assert.strictEqual(m, 'sent before close');
    console.log('ok');
  });
});
