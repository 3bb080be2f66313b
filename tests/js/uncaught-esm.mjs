// An ES module whose evaluation throws is an uncaught exception (reported
// once, seen by 'uncaughtException' listeners), not an unhandled rejection.
let seen = 0;
process.on('uncaughtException', (err, origin) => {
  seen++;
  console.log(`caught: ${err.message} (${origin})`);
});
process.on('unhandledRejection', () => console.log('must not be called'));
process.on('exit', () => console.log(`reported ${seen} time(s)`));
throw new Error('module body failed');
