// Case 7 on qjs: tiny tasks (x => x + 1) on the same minimal pool as weft's
// workload, over os.Worker; `inFlight` tasks per thread outstanding.
import * as os from 'os';
import { runMain } from './run-main.mjs';
import { params, report, now } from '../common.mjs';

const parent = os.Worker.parent;
if (parent) {
  const task = (x) => x + 1;
  parent.onmessage = ({ data: msg }) => {
    if (msg === null) parent.onmessage = null;
    else parent.postMessage({ id: msg.id, result: task(msg.x) });
  };
} else {
  runMain(main);
}

async function main() {
  const { threads, inFlight, tasks } = params();
  const pool = new MiniPool(threads);
  await runTasks(pool, threads * inFlight * 10, threads * inFlight);
  const t0 = now();
  await runTasks(pool, tasks, threads * inFlight);
  const tasksPerSecond = tasks / ((now() - t0) / 1000);
  pool.close();
  report({ tasks_per_s: tasksPerSecond });
}

// The same minimal pool as weft/pool.mjs.
function MiniPool(size) {
  const pending = new Map();
  const workers = [];
  let nextId = 0;
  let next = 0;
  for (let i = 0; i < size; i++) {
    const worker = new os.Worker('./pool.mjs');
    worker.onmessage = ({ data: { id, result } }) => {
      pending.get(id)(result);
      pending.delete(id);
    };
    workers.push(worker);
  }
  this.run = (x) => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    workers[next].postMessage({ id, x });
    next = (next + 1) % size;
  });
  this.close = () => workers.forEach((w) => {
    w.postMessage(null);
    w.onmessage = null;
  });
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
