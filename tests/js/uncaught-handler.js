// 'uncaughtException' listeners take over: the process goes on.
process.on('uncaughtException', (err, origin) => {
  console.log(`caught ${err.message} (${origin})`);
});
setTimeout(() => { throw new Error('from timer'); }, 1);
setTimeout(() => console.log('still running'), 20);
throw new Error('from main');
