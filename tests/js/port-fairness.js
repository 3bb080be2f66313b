// A stream of messages shares its thread's loop with timers and immediates
// (src/core/port.c, "turns"): they run while the stream goes on, not after
// it. The sender queues far more than one turn's worth, so the check does
// not depend on the machine's speed.
const { Thread } = require('weft');
const assert = require('assert');

const N = 200000;
const sender = new Thread(
  "const { parent } = require('weft'); parent.once('message', (n) => { for (let i = 0; i < n; i++) parent.postMessage(i); });",
  { source: true });

let received = 0;
let atImmediate = -1;
let atTimeout = -1;
sender.on('message', (i) => {
  assert.strictEqual(i, received, 'messages stay in order across turns');
  if (received++ === 0) {
    setImmediate(() => { atImmediate = received; });
    setTimeout(() => { atTimeout = received; }, 0);
  }
  if (received === N) {
    assert.ok(atImmediate > 0 && atImmediate < N, `setImmediate ran after ${atImmediate} of ${N} messages`);
    assert.ok(atTimeout > 0 && atTimeout < N, `setTimeout ran after ${atTimeout} of ${N} messages`);
    sender.terminate().then(() => console.log('ok'));
  }
});
sender.postMessage(N);
