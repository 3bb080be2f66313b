// Messages between threads with worker_threads: MessageChannel ports handed
// to a worker, transfers, shared memory, receiveMessageOnPort,
// markAsUntransferable, and the values and ports that cannot be sent.
const assert = require('assert');
const { once } = require('events');
const {
  Worker, MessageChannel, MessagePort, isMainThread, parentPort, workerData,
  receiveMessageOnPort, markAsUntransferable, isMarkedAsUntransferable,
} = require('worker_threads');

if (!isMainThread) {
  // workerData.port came in the transferList; answer on it, then on every
  // port sent later.
  workerData.port.postMessage({ isPort: workerData.port instanceof MessagePort });
  workerData.port.close();
  parentPort.on('message', ({ port, buffer, shared }) => {
    if (port) {
      port.postMessage('hello on a sent port');
      port.close();
    }
    if (buffer) parentPort.postMessage(buffer.byteLength);
    if (shared) {
      new Int32Array(shared)[0] = 99;
      parentPort.postMessage('written');
      parentPort.close(); // the worker may end now
    }
  });
  return;
}

(async () => {
  const data = new MessageChannel();
  const w = new Worker(__filename, { workerData: { port: data.port1 }, transferList: [data.port1] });
  assert.deepStrictEqual((await once(data.port2, 'message'))[0], { isPort: true });

  const sub = new MessageChannel();
  w.postMessage({ port: sub.port1 }, [sub.port1]);
  assert.deepStrictEqual(await once(sub.port2, 'message'), ['hello on a sent port']);
  assert.throws(() => sub.port1.postMessage('x'), /transferred/);

  // A transferred ArrayBuffer is detached here; a SharedArrayBuffer is shared.
  const buffer = new ArrayBuffer(16);
  w.postMessage({ buffer }, [buffer]);
  assert.strictEqual(buffer.byteLength, 0);
  assert.deepStrictEqual(await once(w, 'message'), [16]);
  const shared = new SharedArrayBuffer(4);
  w.postMessage({ shared });
  await once(w, 'message');
  assert.strictEqual(new Int32Array(shared)[0], 99);
  await once(w, 'exit');

  // Ports in workerData or a message must be in the transfer list.
  const loose = new MessageChannel();
  const missing = { code: 'ERR_MISSING_MESSAGE_PORT_IN_TRANSFER_LIST', name: 'TypeError' };
  assert.throws(() => new Worker(__filename, { workerData: { port: loose.port1 } }), missing);
  const idle = new Worker('require("worker_threads").parentPort.once("message", () => {})', { eval: true });
  assert.throws(() => idle.postMessage({ port: loose.port1 }), missing);

  // Values that cannot be cloned: nothing is sent, the worker is not made.
  assert.throws(() => new Worker(__filename, { workerData: { f() {} } }), { name: 'DataCloneError' });
  assert.throws(() => idle.postMessage(Symbol('s')), { name: 'DataCloneError' });
  assert.throws(() => idle.postMessage({ p: Promise.resolve() }), { name: 'DataCloneError' });
  // Closed and duplicate ports in the transfer list.
  const closed = new MessageChannel();
  closed.port1.close();
  assert.throws(() => idle.postMessage(closed.port1, [closed.port1]), { name: 'DataCloneError', message: /closed/ });
  assert.throws(() => idle.postMessage(loose.port1, [loose.port1, loose.port1]), { name: 'DataCloneError', message: /duplicate/ });
  assert.throws(() => idle.postMessage(null, 'not a list'), TypeError);
  idle.postMessage('done');
  await once(idle, 'exit');

  // receiveMessageOnPort takes a queued message without any event.
  const { port1, port2 } = new MessageChannel();
  port2.on('message', () => assert.fail('no event for a received message'));
  port1.postMessage({ n: 1 });
  port1.postMessage({ n: 2 });
  assert.deepStrictEqual(receiveMessageOnPort(port2), { message: { n: 1 } });
  assert.deepStrictEqual(receiveMessageOnPort(port2), { message: { n: 2 } });
  assert.strictEqual(receiveMessageOnPort(port2), undefined);
  assert.throws(() => receiveMessageOnPort({}), {
    code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "port" argument must be an instance of MessagePort. Received an instance of Object',
  });
  port2.close();

  // markAsUntransferable: cloned instead of moved.
  const pooled = new ArrayBuffer(8);
  markAsUntransferable(pooled);
  markAsUntransferable(1); // primitives are ignored
  assert.strictEqual(isMarkedAsUntransferable(pooled), true);
  assert.strictEqual(isMarkedAsUntransferable(new ArrayBuffer(1)), false);
  const c = new MessageChannel();
  c.port1.postMessage(pooled, [pooled]);
  c.port1.postMessage(pooled, { transfer: [pooled] });
  assert.strictEqual(pooled.byteLength, 8);
  assert.strictEqual(receiveMessageOnPort(c.port2).message.byteLength, 8);
  const movable = new ArrayBuffer(4);
  c.port1.postMessage(movable, [movable]);
  assert.strictEqual(movable.byteLength, 0, 'unmarked buffers still move');
  c.port1.close();
  console.log('ok');
})();
