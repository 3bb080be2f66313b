// @exit: 1
// A promise rejected with no handler by the time microtasks drain ends the
// process with code 1; a handler attached in the same tick prevents it.
const late = Promise.reject(new Error('handled later in the same tick'));
late.catch(() => console.log('late handler ran'));
async function fails() {
  throw new RangeError('async failure');
}
fails();
setTimeout(() => console.log('timer must not run'), 10);
