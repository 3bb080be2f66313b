// Case 7 on Node: tiny tasks (x => x + 1), either on piscina (pool
// 'piscina') or on the same minimal pool as weft's workload over
// worker_threads (pool 'mini'); `inFlight` tasks per thread outstanding.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, now } from '../common.mjs';

if (!isMainThread) {
  const task = (x) => x + 1;
  parentPort.on('message', (msg) => {
    if (msg === null) process.exit(0);
    parentPort.postMessage({ id: msg.id, result: task(msg.x) });
  });
} else {
  const { pool: kind, threads, inFlight, tasks } = params();
  const pool = kind === 'piscina' ? await piscina(threads, inFlight) : new MiniPool(threads);
  await runTasks(pool, threads * inFlight * 10, threads * inFlight);
  const t0 = now();
  await runTasks(pool, tasks, threads * inFlight);
  const tasksPerSecond = tasks / ((now() - t0) / 1000);
  await pool.close();
  report({ tasks_per_s: tasksPerSecond });
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

// The same minimal pool as weft/pool.mjs.
function MiniPool(size) {
  const pending = new Map();
  const workers = [];
  let nextId = 0;
  let next = 0;
  for (let i = 0; i < size; i++) {
    const worker = new Worker(new URL(import.meta.url));
    worker.on('message', ({ id, result }) => {
      pending.get(id)(result);
      pending.delete(id);
    });
    workers.push(worker);
  }
  this.run = (x) => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    workers[next].postMessage({ id, x });
    next = (next + 1) % size;
  });
  this.close = () => Promise.all(workers.map((w) => {
    const exited = once(w, 'exit');
    w.postMessage(null);
    return exited;
  }));
}

// Runs `total` tasks keeping `window` of them outstanding.
function runTasks(pool, total, window) {
  return new Promise((resolve) => {
    let started = 0;
    let finished = 0;
    const startOne = () => {
      pool.run(started++).then(() => {
        if (++finished === total) resolve();
        else if (started < total) startOne();
      });
    };
    for (let i = 0; i < Math.min(window, total); i++) startOne();
  });
}
