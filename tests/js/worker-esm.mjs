// worker_threads from ES modules: named and default imports, a module file
// as the worker (with top-level await), import.meta in the worker.
import assert from 'assert';
import { once } from 'events';
import workerThreads, { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  assert.strictEqual(workerThreads.Worker, Worker);
  const w = new Worker(new URL(import.meta.url), { workerData: { from: 'main' } });
  const [message] = await once(w, 'message');
  assert.deepStrictEqual(message, { url: import.meta.url, workerData: { from: 'main' }, waited: true });
  assert.deepStrictEqual(await once(w, 'exit'), [0]);

  // A worker module that fails while it loads.
  const bad = new Worker(new URL('data:text/javascript,import "./nowhere.mjs"'));
  const [error] = await once(bad, 'error');
  assert.match(error.message, /Cannot find module/);
  console.log('ok');
} else {
  const waited = await new Promise((resolve) => setTimeout(() => resolve(true), 1));
  parentPort.postMessage({ url: import.meta.url, workerData, waited });
}
