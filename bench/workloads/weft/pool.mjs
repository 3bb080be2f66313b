// Case 7: tiny tasks (x => x + 1) on a pool of `threads` threads. weft has no
// pool API yet, so this is a minimal pool over Thread + postMessage: tasks
// go round-robin, one message per task each way, each run() a promise, and
// the driver keeps `inFlight` tasks per thread outstanding (as piscina's
// concurrentTasksPerWorker does).
import { Thread, isMainThread, parent } from 'weft';
import { params, report, now } from '../common.mjs';

if (!isMainThread) {
  const task = (x) => x + 1;
  parent.on('message', (msg) => {
    if (msg === null) process.exit(0);
    parent.postMessage({ id: msg.id, result: task(msg.x) });
  });
} else {
  const { threads, inFlight, tasks } = params();
  const pool = new MiniPool(threads);
  await runTasks(pool, threads * inFlight * 10, threads * inFlight);
  const t0 = now();
  await runTasks(pool, tasks, threads * inFlight);
  const tasksPerSecond = tasks / ((now() - t0) / 1000);
  await pool.close();
  report({ tasks_per_s: tasksPerSecond });
}

function MiniPool(size) {
  const pending = new Map();
  const threads = [];
  let nextId = 0;
  let next = 0;
  for (let i = 0; i < size; i++) {
    const thread = new Thread(new URL(import.meta.url));
    thread.on('message', ({ id, result }) => {
      pending.get(id)(result);
      pending.delete(id);
    });
    threads.push(thread);
  }
  this.run = (x) => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    threads[next].postMessage({ id, x });
    next = (next + 1) % size;
  });
  this.close = () => Promise.all(threads.map((t) => {
    t.postMessage(null);
    return t.exited;
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
