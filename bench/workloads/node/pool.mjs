// Case 7 on Node: tiny tasks (x => x + 1), either on piscina (pool
// 'piscina') or on the same minimal pool as weft's workload over
// worker_threads (pool 'mini'); `inFlight` tasks per thread outstanding.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, miniPool, measurePool } from '../common.mjs';

if (!isMainThread) {
  const task = (x) => x + 1;
  parentPort.on('message', (msg) => {
    if (msg === null) process.exit(0);
    parentPort.postMessage({ id: msg.id, result: task(msg.x) });
  });
} else {
  const p = params();
  const pool = p.pool === 'piscina' ? await piscina(p.threads, p.inFlight) : miniPool(p.threads, spawn);
  report(await measurePool(pool, p));
}

async function piscina(threads, inFlight) {
  const { default: Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: new URL('./pool-task.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: inFlight,
  });
  return { run: (x) => pool.run(x), close: () => pool.destroy() };
}

function spawn(onResult) {
  const worker = new Worker(new URL(import.meta.url));
  worker.on('message', onResult);
  return {
    post: (msg) => worker.postMessage(msg),
    close: () => {
      const exited = once(worker, 'exit');
      worker.postMessage(null);
      return exited;
    },
  };
}
