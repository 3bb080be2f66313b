// @exit: 5
// process.exit() ends at once, even inside try/finally and pending work;
// 'exit' listeners run once and may not schedule more work.
setTimeout(() => console.log('timer must not run'), 0);
Promise.resolve().then(() => console.log('microtask must not run'));
process.on('exit', (code) => {
  console.log(`exit listener ${code}`);
  setTimeout(() => console.log('never'), 0);
});
function deep(n) {
  if (n === 0) {
    try {
      process.exit(5);
    } catch (e) {
      console.log('catch must not run');
    } finally {
      console.log('finally must not run');
    }
  }
  deep(n - 1);
}
deep(10);
console.log('after exit must not run');
