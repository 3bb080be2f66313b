// A worker's stdio: by default its output goes to the process's stdout and
// stderr; with stdout/stderr: true it is read from worker.stdout/stderr;
// with stdin: true, worker.stdin feeds its process.stdin.
const assert = require('assert');
const { once } = require('events');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

if (!isMainThread) {
  if (workerData === 'echo') {
    let input = '';
    process.stdin.on('data', (chunk) => { input += chunk; });
    process.stdin.on('end', () => parentPort.postMessage(input.toUpperCase()));
  } else if (workerData === 'nested') {
    // This worker's output is captured: so is that of its own workers.
    new Worker(__filename, { workerData: 'print' });
  } else if (workerData === 'print') {
    console.log('from a nested worker');
  } else if (workerData instanceof SharedArrayBuffer) {
    // Writes, then tells the parent (which is blocked meanwhile) and ends.
    console.log('last words');
    const flag = new Int32Array(workerData);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  } else if (workerData === 'no stdin') {
    process.stdin.on('data', () => parentPort.postMessage('data?'));
    process.stdin.on('end', () => parentPort.postMessage('ended'));
  } else {
    console.log('log from the worker', { n: 1 });
    console.error('error from the worker');
    process.stdout.write(new TextEncoder().encode('bytes ✓\n'));
    console.group('group');
    console.info('indented');
    console.groupEnd();
  }
  return;
}

(async () => {
  // Default: straight to the file descriptors (this test's stdout file).
  let w = new Worker(__filename, { stderr: true });
  await once(w, 'exit');
  console.log('-- after the first worker');

  // Captured: nothing reaches the process's stdout.
  w = new Worker(__filename, { stdout: true, stderr: true });
  let out = '';
  let err = '';
  w.stdout.on('data', (chunk) => { out += chunk; });
  w.stderr.setEncoding('utf8').on('data', (chunk) => { err += chunk; });
  const ended = Promise.all([once(w.stdout, 'end'), once(w.stderr, 'end')]);
  await once(w, 'exit');
  assert.strictEqual(out, "log from the worker { n: 1 }\nbytes ✓\ngroup\n  indented\n");
  assert.strictEqual(err, 'error from the worker\n');
  await ended;
  assert.strictEqual(w.stdout.readableEnded, true);
  assert.strictEqual(w.stdin, null);

  // Read after the fact, and for await.
  w = new Worker(__filename, { stdout: true, stderr: true });
  await once(w, 'exit');
  assert.match(w.stdout.read(), /^log from the worker/);
  w = new Worker(__filename, { stdout: true, stderr: true });
  const chunks = [];
  for await (const chunk of w.stdout) chunks.push(chunk);
  assert.match(chunks.join(''), /indented/);

  // stdin.
  w = new Worker(__filename, { stdin: true, workerData: 'echo' });
  w.stdin.write('hello, ');
  w.stdin.write(new TextEncoder().encode('stdin'));
  w.stdin.end();
  const [echoed] = await once(w, 'message');
  assert.strictEqual(echoed, 'HELLO, STDIN');

  // A worker's workers write to its stdout.
  w = new Worker(__filename, { stdout: true, workerData: 'nested' });
  let nested = '';
  w.stdout.on('data', (chunk) => { nested += chunk; });
  await once(w, 'exit');
  assert.strictEqual(nested, 'from a nested worker\n');

  // Without stdin: true, the worker's process.stdin is empty.
  w = new Worker(__filename, { workerData: 'no stdin' });
  const [first] = await once(w, 'message');
  assert.strictEqual(first, 'ended');
  w = new Worker(__filename, { stdin: true, workerData: 'echo' });
  assert.throws(() => w.stdin.write(5), { code: 'ERR_INVALID_ARG_TYPE' });
  w.stdin.end('x');
  assert.deepStrictEqual(await once(w, 'message'), ['X']);

  // Output written just before the worker ended, while this thread was
  // blocked: its 'online' and 'exit' notices and the output are all queued
  // by the time it looks, the notices first. The output still comes before
  // 'exit' (it used to be lost: the control channel read closed).
  const flag = new Int32Array(new SharedArrayBuffer(4));
  w = new Worker(__filename, { stdout: true, workerData: flag.buffer });
  Atomics.wait(flag, 0, 0, 10000);
  const until = Date.now() + 200; // let it finish ending
  while (Date.now() < until);
  let last = '';
  w.stdout.on('data', (chunk) => { last += chunk; });
  await once(w, 'exit');
  assert.strictEqual(last, 'last words\n');
  console.log('ok');
})();
