// Node's ordering of nextTick, microtasks, timers and immediates. It all
// runs inside a timer callback: from the main module, whether a 0 ms timeout
// or an immediate comes first depends on how long start-up took, in Node as
// in weft.
const log = (s) => console.log(s);
const late = [];
let seenImmediates = 0;
process.on('exit', () => late.forEach(log));
setTimeout(main, 0);
function main() {

log('sync start');
setTimeout(() => {
  log('timeout 1');
  process.nextTick(() => log('tick in timeout 1'));
  Promise.resolve().then(() => log('promise in timeout 1'));
}, 0);
setTimeout(() => log('timeout 2'), 0);
setImmediate(() => {
  seenImmediates++;
  log('immediate 1');
  process.nextTick(() => log('tick in immediate 1'));
  // It runs on the next loop turn, before or after the timeouts depending on
  // the clock: only its place among immediates is fixed, so it reports last.
  setImmediate(() => late.push(`immediate queued by immediate 1, after ${seenImmediates} immediates`));
});
setImmediate(() => { seenImmediates++; log('immediate 2'); });
Promise.resolve().then(() => {
  log('promise 1');
  process.nextTick(() => log('tick from promise 1'));
}).then(() => log('promise 2'));
process.nextTick(() => {
  log('tick 1');
  Promise.resolve().then(() => log('promise from tick 1'));
  process.nextTick(() => log('tick from tick 1'));
});
process.nextTick(() => log('tick 2'));
queueMicrotask(() => log('microtask'));
(async () => {
  log('async body');
  await null;
  log('after await');
})();
log('sync end');
}
