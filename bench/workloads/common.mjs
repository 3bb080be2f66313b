// Helpers shared by every workload, written so that weft, Node and qjs all
// run them unchanged: only ECMAScript, performance.now() and console.log.

// A workload gets its parameters as one JSON argument from the driver.
export function params() {
  const args = typeof scriptArgs !== 'undefined' ? scriptArgs.slice(1) : process.argv.slice(2);
  return args.length > 0 ? JSON.parse(args[0]) : {};
}

// The driver reads the last line of stdout as the workload's result.
export function report(result) {
  console.log(JSON.stringify(result));
}

// Progress lines go to stderr where the runtime has a way to write there
// (the driver shows them while a long case runs).
export function progress(write, result) {
  write(`progress ${JSON.stringify(result)}\n`);
}

export const now = () => performance.now();

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export const median = (values) => percentile(values, 50);

// ---- case 6: a realistic object graph of about 1 MB ---------------------------

// Deterministic pseudo-random numbers, so every runtime clones the same graph.
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

// Users with nested addresses, tag arrays, score vectors and an event
// history, a Map index by id, and a binary attachment: the mix of a typical
// application message.
export function buildGraph(users = 1850) {
  const rand = lcg(42);
  const word = () => WORDS[Math.floor(rand() * WORDS.length)];
  const list = [];
  const index = new Map();
  for (let i = 0; i < users; i++) {
    const user = {
      id: i,
      name: `${word()} ${word()} #${i}`,
      email: `user${i}@example.test`,
      active: rand() > 0.3,
      balance: Math.round(rand() * 1e6) / 100,
      address: { street: `${Math.floor(rand() * 999)} ${word()} street`, city: word(), zip: String(10000 + i) },
      tags: [word(), word(), word()],
      scores: new Float64Array(8).map(() => rand()),
      history: [],
    };
    for (let j = 0; j < 8; j++) user.history.push({ t: 1700000000000 + j * 60000, kind: word(), value: j * i });
    list.push(user);
    index.set(i, user.name);
  }
  return { version: 3, generated: 'bench', users: list, index, attachment: new Uint8Array(64 * 1024).map((_, k) => k) };
}

// Payload size in bytes: one per string character (all ASCII here), eight per
// number, one per boolean, the bytes of typed arrays, plus property names.
// The same count on every runtime, independent of any wire format.
export function payloadBytes(value) {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return 8;
  if (typeof value === 'boolean') return 1;
  if (value === null || typeof value !== 'object') return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof Map) {
    let n = 0;
    for (const [k, v] of value) n += payloadBytes(k) + payloadBytes(v);
    return n;
  }
  let n = 0;
  for (const key of Object.keys(value)) n += (Array.isArray(value) ? 0 : key.length) + payloadBytes(value[key]);
  return n;
}

// ---- case 8: the CPU-bound loop -----------------------------------------------

// Integer arithmetic only, so that no runtime gains from a library call:
// what is measured is the engine executing JavaScript.
export function spin(iterations) {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 31) + i) % 1000003;
  return x;
}

// ---- case 2: idle threads ----------------------------------------------------

// The measurement of case 2, the same on every runtime; `rt` is how the
// runtime starts and ends threads:
//   start(): starts one thread; a promise that settles once it runs (and
//     rejects when it cannot start);
//   dropFirst(): ends the thread started first (or only forgets it, where
//     threads cannot be ended from outside);
//   rss(), sleep(ms), write(text) (progress on stderr).
// mode 'per-thread': RSS growth from 0 to `threads` idle threads, per thread.
// mode 'max': idle threads in batches until `threads`, until the RSS would
// pass `rssLimit`, or until a start fails.
export async function measureIdle({ mode, threads: target, batch, rssLimit }, rt) {
  let live = 0;
  const startBatch = (n) => {
    live += n;
    return Promise.all(Array.from({ length: n }, () => rt.start()));
  };
  // One thread first, so that what every process pays once (allocator
  // arenas, the thread machinery) is not counted per thread.
  await startBatch(1);
  await rt.dropFirst();
  live--;
  await rt.sleep(100);
  const base = rt.rss();
  const t0 = now();
  if (mode === 'per-thread') {
    await startBatch(target);
    await rt.sleep(200);
    return { kb_per_thread: (rt.rss() - base) / target / 1024 };
  }
  let stop = `reached ${target}`;
  while (live < target) {
    const perThread = live > 0 ? (rt.rss() - base) / live : 0;
    const n = Math.min(batch, target - live);
    if (rt.rss() + perThread * n > rssLimit) {
      stop = `RSS would pass ${Math.round(rssLimit / 2 ** 30)} GiB`;
      break;
    }
    try {
      await startBatch(n);
    } catch (err) {
      stop = `start failed: ${err.message}`;
      break;
    }
    progress(rt.write, { max_threads: live, rss_mb: rt.rss() / 2 ** 20 });
  }
  return { max_threads: live, rss_mb: rt.rss() / 2 ** 20, seconds: (now() - t0) / 1000, stop };
}

// ---- case 7: tiny tasks on a pool ----------------------------------------------

// The minimal pool every runtime's workload uses (round-robin, one message
// per task each way, a promise per task). spawn(onResult) makes one thread
// whose replies go to onResult and returns { post(message), close() }
// (close may return a promise of the thread's end).
export function miniPool(size, spawn) {
  const pending = new Map();
  const onResult = ({ id, result }) => {
    pending.get(id)(result);
    pending.delete(id);
  };
  const threads = Array.from({ length: size }, () => spawn(onResult));
  let nextId = 0;
  let next = 0;
  return {
    run: (x) => new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      threads[next].post({ id, x });
      next = (next + 1) % size;
    }),
    close: () => Promise.all(threads.map((t) => t.close())),
  };
}

// Tasks per second of `pool` ({ run(x), close() }): a warm-up, then `tasks`
// tasks with `inFlight` per thread outstanding (as piscina's
// concurrentTasksPerWorker); the pool is closed afterwards.
export async function measurePool(pool, { threads, inFlight, tasks }) {
  const window = threads * inFlight;
  await runTasks(pool, window * 10, window);
  const t0 = now();
  await runTasks(pool, tasks, window);
  const tasksPerSecond = tasks / ((now() - t0) / 1000);
  await pool.close();
  return { tasks_per_s: tasksPerSecond };
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

// ---- case 3: ping-pong ------------------------------------------------------------

// µs per round trip of {seq, op} over `trips` trips after `warmup`, both
// sides event-driven: send(message) posts to the other side and
// listen(onReply) makes onReply get each reply.
export function timeEventTrips(warmup, trips, send, listen) {
  return new Promise((resolve) => {
    let n = 0;
    let t0;
    listen(() => {
      n++;
      if (n === warmup) t0 = now();
      if (n === warmup + trips) resolve(((now() - t0) * 1000) / trips);
      else send({ seq: n, op: 'ping' });
    });
    send({ seq: 0, op: 'ping' });
  });
}

// The same with both sides busy: receive() waits (blocks or polls) for the
// reply.
export function timeBusyTrips(warmup, trips, send, receive) {
  let t0;
  for (let n = 0; n < warmup + trips; n++) {
    if (n === warmup) t0 = now();
    send({ seq: n, op: 'ping' });
    receive();
  }
  return ((now() - t0) * 1000) / trips;
}

// ---- case 6: cloning the graph --------------------------------------------------

// MB/s of payload cloning buildGraph() `copies` times with the global
// structuredClone ('local') and through send(graph), a promise of the
// thread's acknowledgement ('port'), one copy at a time; one warm-up each.
export async function measureClone(copies, send) {
  const graph = buildGraph();
  const mb = payloadBytes(graph) / 1e6;
  structuredClone(graph);
  let t0 = now();
  for (let i = 0; i < copies; i++) structuredClone(graph);
  const local = (mb * copies) / ((now() - t0) / 1000);
  await send(graph);
  t0 = now();
  for (let i = 0; i < copies; i++) await send(graph);
  const port = (mb * copies) / ((now() - t0) / 1000);
  return { local_mb_s: local, port_mb_s: port, payload_mb: mb };
}
