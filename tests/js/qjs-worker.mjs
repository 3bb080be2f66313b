// os.Worker beyond the reference: relative paths, Worker.parent, nested
// workers, terminate(), a missing or broken file through onerror, messages
// kept while no handler is set, SharedArrayBuffer with Atomics.wait, and the
// QuickJS rule that a handler keeps its thread alive.
import * as os from 'os';

const log = (...a) => console.log(...a);

function once(worker) {
  return new Promise((resolve) => {
    worker.onmessage = (e) => {
      worker.onmessage = null;
      resolve(e.data);
    };
  });
}

function failure(worker) {
  return new Promise((resolve) => {
    worker.onerror = (err) => {
      worker.onerror = null;
      resolve(err);
    };
  });
}

// No Worker.parent on the main thread, as in qjs.
log('parent on main:', 'parent' in os.Worker);

// A path relative to this module, whatever the current directory.
os.chdir('/');
const echo = new os.Worker('./fixtures/qjs/echo.js');
echo.postMessage({ hello: [1, 2n, new Map([[1, 'one']])] });
log('echo:', await once(echo));

// A bare name is relative to this module too (qjs: to the current directory).
const bare = new os.Worker('fixtures/qjs/echo.js');
bare.postMessage('bare');
log('bare:', await once(bare));
bare.postMessage('bye'); // the echo worker ends after 'bye'

// Invalid handlers, as quickjs-libc.
try {
  echo.onmessage = 42;
} catch (err) {
  log('onmessage = 42:', err.name, err.message);
}
log('onmessage is null:', echo.onmessage === null);

// Messages that come while onmessage is null wait for the next handler.
echo.postMessage('first');
echo.postMessage('second');
await os.sleepAsync(50);
const got = [];
await new Promise((resolve) => {
  echo.onmessage = (e) => {
    got.push(e.data);
    if (got.length === 2) {
      echo.onmessage = null;
      resolve();
    }
  };
});
log('kept while no handler:', got);

// terminate() stops a worker that loops forever.
const spin = new os.Worker('./fixtures/qjs/spin.js');
await once(spin); // it is running
log('terminate:', await spin.terminate());
spin.postMessage('ignored after terminate');

// A missing file and a broken one are reported through onerror.
const missing = new os.Worker('./fixtures/qjs/no-such-worker.js');
const err1 = await failure(missing);
log('missing:', err1.code, err1.message.includes('no-such-worker.js'));
missing.postMessage('nobody listens'); // does nothing
const broken = new os.Worker('./fixtures/qjs/syntax-error.js');
const err2 = await failure(broken);
log('broken:', err2.name);

// A worker's uncaught error, later on.
const thrower = new os.Worker('./fixtures/qjs/echo.js');
thrower.postMessage('throw');
const err3 = await failure(thrower);
log('thrown in a handler:', err3.name, err3.message);

// Nested workers (qjs refuses them): the middle worker relays.
const outer = new os.Worker('./fixtures/qjs/nested.js');
outer.postMessage(3);
log('nested:', await once(outer));

// SharedArrayBuffer: the worker blocks in Atomics.wait until notified.
const sab = new SharedArrayBuffer(8);
const view = new Int32Array(sab);
const waiter = new os.Worker('./fixtures/qjs/waiter.js');
waiter.postMessage(view);
const ready = once(waiter);
await os.sleepAsync(20);
Atomics.store(view, 0, 7);
Atomics.notify(view, 0);
log('atomics:', await ready, Atomics.load(view, 1));
