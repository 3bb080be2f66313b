// BroadcastChannel: a message reaches every other channel of the same name,
// in this thread, in workers, and in workers' workers; never the sender.
const assert = require('assert');
const { once } = require('events');
const { BroadcastChannel, Worker, isMainThread, workerData } = require('worker_threads');

if (!isMainThread) {
  const bc = new BroadcastChannel('news');
  if (workerData === 'parent of a worker') {
    new Worker(__filename, { workerData: 'nested' });
  }
  bc.onmessage = (event) => {
    if (event.data === 'roll call') {
      bc.postMessage(`here: ${workerData}`);
      bc.close();
    }
  };
  // Ready once the main thread hears this (joins travel up through the
  // parents, so a worker's channel may join the hub a little later).
  bc.postMessage(`joined: ${workerData}`);
  return;
}

(async () => {
  assert.throws(() => new BroadcastChannel(), { code: 'ERR_MISSING_ARGS' });

  const main = new BroadcastChannel('news');
  const same = new BroadcastChannel('news');
  const other = new BroadcastChannel('sports');
  assert.strictEqual(main.name, 'news');
  other.onmessage = () => assert.fail('another name');
  const own = [];
  main.addEventListener('message', (event) => own.push(event.data));
  const heard = [];
  same.onmessage = (event) => {
    assert.strictEqual(event.type, 'message');
    heard.push(event.data);
  };

  const joined = new Promise((resolve) => {
    const waiting = new Set(['joined: flat', 'joined: parent of a worker', 'joined: nested']);
    main.onmessage = (event) => {
      waiting.delete(event.data);
      if (waiting.size === 0) resolve();
    };
  });
  const workers = [
    new Worker(__filename, { workerData: 'flat' }),
    new Worker(__filename, { workerData: 'parent of a worker' }),
  ];
  const exited = Promise.all(workers.map((w) => once(w, 'exit')));
  await joined;
  main.onmessage = null;

  const answers = new Promise((resolve) => {
    const got = [];
    main.onmessage = (event) => {
      got.push(event.data);
      if (got.length === 3) resolve(got.sort());
    };
  });
  main.postMessage('roll call');
  assert.deepStrictEqual(await answers, ['here: flat', 'here: nested', 'here: parent of a worker']);
  await exited;

  // The channel in this thread heard everything but never its own messages.
  assert.ok(heard.includes('roll call'));
  assert.ok(!own.includes('roll call'));

  main.close();
  main.close();
  assert.throws(() => main.postMessage('x'), { name: 'InvalidStateError', message: 'BroadcastChannel is closed.' });
  assert.throws(() => same.postMessage(() => {}), { name: 'DataCloneError' });
  same.close();
  other.unref();
  console.log('ok');
})();
