// @exit: 3
// process.exitCode decides the exit code of a natural end; 'exit' sees it.
process.exitCode = 3;
process.on('exit', (code) => console.log(`exit event ${code}`));
setTimeout(() => console.log('timer ran'), 1);
