// @env: WEFT_SPARE_THREADS=100000
// WEFT_SPARE_THREADS outside 0..64 (or not a number) keeps the default of
// one spare: an absurd value must not make the process start a hundred
// thousand threads, and threads still start.
const { Thread } = require('weft');
const fs = require('fs');
const assert = require('assert');

(async () => {
  for (let i = 0; i < 3; i++) {
    const t = new Thread("require('weft').parent.postMessage('up')", { source: true });
    assert.strictEqual(await new Promise((resolve) => t.once('message', resolve)), 'up');
    assert.strictEqual(await t.exited, 0);
  }
  // However long the pool takes to fill, it never holds more than its
  // target: the OS threads stay few (this one, a spare, a helper or two).
  await new Promise((resolve) => setTimeout(resolve, 300));
  const tasks = fs.readdirSync('/proc/self/task').length;
  assert.ok(tasks <= 8, `${tasks} threads`);
  console.log('ok');
})();
