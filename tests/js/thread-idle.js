// stats().idleTime counts the time a thread's loop waits with nothing to do,
// both before it has a uv loop (message-only) and after (timers).
const { Thread } = require('weft');
const assert = require('assert');

const start = performance.now(); // before the threads exist: idle time is within
const waiting = new Thread("require('weft').parent.on('message', () => {})", { source: true });
const ticking = new Thread('setInterval(() => {}, 5)', { source: true });
setTimeout(async () => {
  const wall = performance.now() - start;
  for (const t of [waiting, ticking]) {
    const { idleTime, cpuTime } = t.stats();
    assert.ok(idleTime > 0, `idleTime ${idleTime}`);
    assert.ok(idleTime <= wall, `idleTime ${idleTime} within ${wall} ms`);
    assert.ok(cpuTime >= 0);
  }
  await Promise.all([waiting.terminate(), ticking.terminate()]);
  assert.ok(waiting.stats().idleTime > 0, 'kept after exit');
  console.log('ok');
}, 60);
