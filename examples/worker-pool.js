// A worker pool with Node's worker_threads, run by weft unchanged: CPU work
// (counting primes) cut into tasks and spread over one worker per core, then
// timed against the same work on the main thread alone.
//
//   weft examples/worker-pool.js [threads] [limit]
const { Worker, isMainThread, parentPort } = require('worker_threads');
const fs = require('fs');

// The CPU work: how many primes lie in [from, to), by trial division.
function countPrimes(from, to) {
  let count = 0;
  for (let n = Math.max(from, 2); n < to; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

if (!isMainThread) {
  // A worker: one task at a time, for as long as the pool lives.
  parentPort.on('message', ({ from, to }) => parentPort.postMessage(countPrimes(from, to)));
  return;
}

class WorkerPool {
  #idle = [];
  #queue = [];
  #workers = [];

  constructor(size) {
    for (let i = 0; i < size; i++) this.#addWorker();
  }

  #addWorker() {
    const worker = new Worker(__filename);
    worker.on('message', (result) => {
      worker.task.resolve(result);
      this.#release(worker);
    });
    worker.on('error', (err) => {
      // A task that kills its worker fails; a fresh worker takes its place.
      worker.task?.reject(err);
      this.#workers.splice(this.#workers.indexOf(worker), 1);
      this.#addWorker();
    });
    this.#workers.push(worker);
    this.#release(worker);
  }

  #release(worker) {
    worker.task = null;
    const next = this.#queue.shift();
    if (next) this.#start(worker, next);
    else this.#idle.push(worker);
  }

  #start(worker, task) {
    worker.task = task;
    worker.postMessage(task.data);
  }

  run(data) {
    return new Promise((resolve, reject) => {
      const task = { data, resolve, reject };
      const worker = this.#idle.pop();
      if (worker) this.#start(worker, task);
      else this.#queue.push(task);
    });
  }

  close() {
    return Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

// The CPUs Linux has online, e.g. "0-3" or "0,2-5" (weft has no `os` module).
function cpuCount() {
  return fs.readFileSync('/sys/devices/system/cpu/online', 'utf8').trim().split(',')
    .map((range) => range.split('-').map(Number))
    .reduce((n, [first, last = first]) => n + last - first + 1, 0);
}

(async () => {
  const threads = Number(process.argv[2] ?? cpuCount());
  const limit = Number(process.argv[3] ?? 600000);
  const chunk = Math.ceil(limit / (threads * 8));
  const tasks = [];
  for (let from = 0; from < limit; from += chunk) tasks.push({ from, to: Math.min(from + chunk, limit) });

  let start = performance.now();
  const serial = tasks.reduce((sum, { from, to }) => sum + countPrimes(from, to), 0);
  const serialMs = performance.now() - start;

  const pool = new WorkerPool(threads);
  start = performance.now();
  const counts = await Promise.all(tasks.map((task) => pool.run(task)));
  const poolMs = performance.now() - start;
  await pool.close();

  const parallel = counts.reduce((a, b) => a + b, 0);
  console.log(`primes below ${limit}: ${parallel} (main thread alone: ${serial})`);
  console.log(`${tasks.length} tasks, main thread alone: ${serialMs.toFixed(0)} ms`);
  console.log(`${tasks.length} tasks, pool of ${threads} workers: ${poolMs.toFixed(0)} ms`);
  console.log(`speed-up: ${(serialMs / poolMs).toFixed(2)}x on ${threads} threads`);
})();
