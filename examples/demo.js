// The weft demo: the runtime and its threads at work.
// Run it with: bash scripts/demo.sh
const { Thread, Channel } = require('weft');

console.log(`weft ${process.version} on QuickJS ${process.versions.quickjs}, libuv ${process.versions.uv}`);

// Node's event-loop order: sync code, nextTick, microtasks, timers, immediates.
const order = [];
setTimeout(() => order.push('timeout'), 0);
setImmediate(() => order.push('immediate'));
Promise.resolve().then(() => order.push('promise'));
process.nextTick(() => order.push('nextTick'));
order.push('sync');

async function main() {
  // Four threads, each with its own heap and event loop, started in a fraction
  // of a millisecond; each sums a slice of 1..N and reports back.
  const N = 4_000_000;
  const t0 = performance.now();
  const parts = await Promise.all([0, 1, 2, 3].map((i) => new Promise((resolve, reject) => {
    const worker = new Thread(({ from, to }) => {
      let sum = 0;
      for (let k = from; k <= to; k++) sum += k;
      require('weft').parent.postMessage(sum);
    }, { data: { from: (i * N) / 4 + 1, to: ((i + 1) * N) / 4 }, name: `summer-${i}` });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  const total = parts.reduce((a, b) => a + b, 0);
  console.log(`4 threads summed 1..${N} = ${total} in ${(performance.now() - t0).toFixed(1)} ms`);

  // Shared memory: threads count into one SharedArrayBuffer with Atomics.
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const counters = [1, 2, 3].map(() => new Thread((buf) => {
    const c = new Int32Array(buf);
    for (let k = 0; k < 10000; k++) Atomics.add(c, 0, 1);
  }, { data: counter.buffer }));
  await Promise.all(counters.map((t) => t.exited));
  console.log(`3 threads incremented a shared counter to ${Atomics.load(counter, 0)}`);

  // A channel handed to a thread as a capability; structured clone keeps Maps,
  // Dates and cycles.
  const { port1, port2 } = new Channel();
  const echo = new Thread(() => {
    const { port } = require('weft').capabilities;
    port.on('message', (m) => { port.postMessage({ got: m, at: new Date(0) }); port.close(); });
  }, { capabilities: { port: port2 } });
  const graph = { name: 'root', tags: new Map([['a', 1]]) };
  graph.self = graph;
  port1.postMessage(graph);
  const [reply] = await Promise.all([new Promise((r) => port1.once('message', r)), echo.exited]);
  console.log('echoed through a channel:', reply);

  // Any thread can be stopped wherever it is, even in an endless loop.
  const spinner = new Thread('for (;;) {}', { source: true });
  await new Promise((r) => spinner.once('online', r));
  const code = await spinner.terminate();
  console.log(`a spinning thread was terminated (exit code ${code}); its stats:`, spinner.stats());

  console.log('event-loop order:', order.join(' -> '));
}

main();
process.on('exit', (code) => console.log(`exiting with code ${code}`));
