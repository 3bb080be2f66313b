// stats().idleTime counts the time a thread's loop waits with nothing to do,
// both before it has a uv loop (message-only) and after (timers).
const { Thread } = require('weft');
const assert = require('assert');

const start = performance.now(); // before the threads exist: idle time is within
const waiting = new Thread("require('weft').parent.on('message', () => {})", { source: true });
const ticking = new Thread('setInterval(() => {}, 5)', { source: true });

// However slow the machine (sanitizers, load), each thread soon waits: poll
// until both have idled, within a generous bound, instead of a fixed delay.
function idled(t) {
  const { idleTime, cpuTime } = t.stats();
  assert.ok(idleTime >= 0 && cpuTime >= 0);
  assert.ok(idleTime <= performance.now() - start, `idleTime ${idleTime} within the wall time`);
  return idleTime > 0;
}

const deadline = Date.now() + 30000;
const poll = setInterval(async () => {
  const both = [waiting, ticking].map(idled).every(Boolean);
  if (!both && Date.now() < deadline) return;
  clearInterval(poll);
  assert.ok(both, 'both threads idled within 30 s');
  await Promise.all([waiting.terminate(), ticking.terminate()]);
  assert.ok(waiting.stats().idleTime > 0, 'kept after exit');
  console.log('ok');
}, 10);
