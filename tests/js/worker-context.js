// moveMessagePortToContext: a port whose object, and whose messages, belong
// to a vm context.
const assert = require('assert');
const vm = require('vm');
const { MessageChannel, moveMessagePortToContext, Worker } = require('worker_threads');

const context = vm.createContext({});
const { port1, port2 } = new MessageChannel();
port2.postMessage({ queued: 'before the move' });
const moved = moveMessagePortToContext(port1, context);

// The original is unusable; the new object is the context's.
assert.throws(() => port1.postMessage('x'), /transferred/);
assert.strictEqual(Object.getPrototypeOf(moved), vm.runInContext('Object.prototype', context));
assert.strictEqual(moved.onmessage, null);

const received = [];
moved.onmessage = ({ data }) => {
  received.push(data);
  if (received.length === 2) {
    // Values are built with the context's classes, as in Node.
    assert.strictEqual(Object.getPrototypeOf(data), vm.runInContext('Object.prototype', context));
    assert.ok(vm.runInContext('(m) => m instanceof Map', context)(data.map));
    assert.ok(vm.runInContext('(a) => a instanceof Array', context)(data.list));
    assert.deepEqual(data.list, [1, 2, 3]); // loose: the prototypes are the context's
    assert.strictEqual(data.map.get('date').getTime(), 0);
    assert.strictEqual(data.self, data, 'cycles survive');
    assert.ok(data.bytes instanceof vm.runInContext('Uint8Array', context));
    // And posting from the moved port works both ways.
    moved.postMessage({ from: 'the context' });
  }
};
assert.strictEqual(typeof moved.onmessage, 'function');
const value = { list: [1, 2, 3], map: new Map([['date', new Date(0)]]), bytes: new Uint8Array([7]) };
value.self = value;
port2.postMessage(value);
port2.once('message', (m) => {
  assert.deepEqual(received[0], { queued: 'before the move' });
  assert.deepStrictEqual(m, { from: 'the context' });
  moved.close();
  console.log('ok');
});

assert.throws(() => moveMessagePortToContext(port2, {}), {
  code: 'ERR_INVALID_ARG_TYPE',
  message: /The "contextifiedSandbox" argument must be an vm.Context\. Received an instance of Object/, // Node's wording
});
assert.throws(() => moveMessagePortToContext({}, context), {
  code: 'ERR_INVALID_ARG_TYPE',
  message: 'The "port" argument must be a MessagePort instance',
});
assert.strictEqual(typeof Worker, 'function');
