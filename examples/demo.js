// The weft demo: the runtime at work on one thread (threads come with the
// `weft` module). Run it with: bash scripts/demo.sh
const { EventEmitter } = require('events');

console.log(`weft ${process.version} on QuickJS ${process.versions.quickjs}, libuv ${process.versions.uv}`);
console.log('process.argv:', process.argv.slice(1));

// Node's event-loop order: sync code, nextTick, microtasks, timers, immediates.
const order = [];
setTimeout(() => order.push('timeout'), 0);
setImmediate(() => order.push('immediate'));
Promise.resolve().then(() => order.push('promise'));
process.nextTick(() => order.push('nextTick'));
order.push('sync');

// console formatting of nested, circular and keyed values.
const graph = { name: 'root', tags: new Set(['a', 'b']), meta: new Map([['created', new Date(0)]]) };
graph.self = graph;
console.log('a circular graph:', graph);

// An EventEmitter ticking on an interval.
const clock = new EventEmitter();
let ticks = 0;
clock.on('tick', (n) => console.log(`tick ${n} at +${Math.round(performance.now())} ms`));
const interval = setInterval(() => {
  clock.emit('tick', ++ticks);
  if (ticks === 3) {
    clearInterval(interval);
    console.log('event-loop order:', order.join(' -> '));
  }
}, 20);

process.on('exit', (code) => console.log(`exiting with code ${code}`));
