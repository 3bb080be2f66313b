// Many concurrent senders into one port: nothing lost, nothing duplicated,
// and each sender's messages arrive in its own order.
const { Thread, Channel } = require('weft');
const assert = require('assert');

const SENDERS = 4;
const EACH = 20000;
const { port1, port2 } = new Channel();
const threads = [];
for (let s = 0; s < SENDERS; s++) {
  const { port1: sink, port2: give } = new Channel();
  threads.push(new Thread(`const { capabilities, data } = require('weft');
    for (let i = 0; i < data.each; i++) capabilities.out.postMessage({ s: data.s, i });
    capabilities.out.close();`, { source: true, data: { s, each: EACH }, capabilities: { out: give } }));
  sink.on('message', (m) => port1.postMessage(m));
}
const next = new Array(SENDERS).fill(0);
let total = 0;
port2.on('message', ({ s, i }) => {
  assert.strictEqual(i, next[s], `sender ${s}: got ${i}, expected ${next[s]}`);
  next[s]++;
  if (++total === SENDERS * EACH) {
    assert.deepStrictEqual(next, new Array(SENDERS).fill(EACH));
    port1.close();
    console.log('ok');
  }
});
