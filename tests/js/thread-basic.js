// A thread from a module file: start data, events in order, messages both
// ways, exit code, identity and statistics.
const { Thread, isMainThread, threadId, parent } = require('weft');
const assert = require('assert');

assert.strictEqual(isMainThread, true);
assert.strictEqual(threadId, 0);
assert.strictEqual(parent, null);

const events = [];
const t = new Thread('./fixtures/threads/echo.js', { data: { n: 1, list: [1, 2] }, name: 'echoer' });
assert.ok(Number.isInteger(t.id) && t.id > 0);
assert.strictEqual(t.name, 'echoer');
assert.ok(['starting', 'online'].includes(t.state));

t.on('online', () => events.push('online'));
let running;
t.on('message', (m) => {
  events.push(m);
  if (m.hello) {
    running = t.stats();
    t.postMessage('ping');
    t.postMessage({ deep: { map: new Map([[1, 'one']]) } });
  } else if (m.echo && m.echo.deep) {
    assert.strictEqual(m.echo.deep.map.get(1), 'one');
    t.postMessage('stop');
  }
});
t.on('exit', (code) => {
  events.push(`exit ${code}`);
  assert.deepStrictEqual(events[0], 'online');
  assert.deepStrictEqual(events[1], { hello: { n: 1, list: [1, 2] }, name: 'echoer', isMainThread: false });
  assert.deepStrictEqual(events[2], { echo: 'ping' });
  assert.strictEqual(events[4], 'exit 0');
  assert.strictEqual(t.exitCode, 0);
  assert.strictEqual(t.state, 'exited');
  const s = t.stats();
  assert.strictEqual(s.state, 'exited');
  assert.ok(s.messagesOut >= 3, `messagesOut ${s.messagesOut}`);
  assert.ok(s.messagesIn >= 3, `messagesIn ${s.messagesIn}`);
  assert.ok(s.cpuTime > 0, JSON.stringify(s));
  assert.strictEqual(s.heapUsed, 0, 'the heap is freed at exit');
  assert.strictEqual(running.state, 'online');
  assert.ok(running.heapUsed > 0 && running.heapLimit === 0, JSON.stringify(running));
  console.log('ok');
});
t.exited.then((code) => assert.strictEqual(code, 0));
