// @exit: 1
// An uncaught exception prints the source line and the stack with
// file:line:col, runs 'exit' listeners with code 1, and stops the loop.
setTimeout(() => console.log('timer must not run'), 0);
process.on('exit', (code) => console.log(`exit ${code}`));
function thrower() {
  throw new TypeError('boom');
}
thrower();
