// What new Worker() runs: paths (relative to process.cwd(), as in Node, not
// to the calling file), file: URLs, data: URLs (ES modules), eval source;
// and the filenames it refuses.
const assert = require('assert');
const path = require('path');
const { pathToFileURL } = require('url');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

if (!isMainThread) {
  parentPort.postMessage({ via: workerData, argv1: process.argv[1], filename: __filename });
  return;
}

// Runs a worker to its end: its messages, errors and exit code.
function run(filename, options) {
  return new Promise((resolve) => {
    const w = new Worker(filename, options);
    const messages = [];
    const errors = [];
    w.on('message', (m) => messages.push(m));
    w.on('error', (e) => errors.push(e));
    w.on('exit', (code) => resolve({ code, messages, errors }));
  });
}

(async () => {
  const self = { via: 'path', argv1: __filename, filename: __filename };

  // Absolute, ./ and ../ paths, resolved against the working directory.
  let r = await run(__filename, { workerData: 'path' });
  assert.deepStrictEqual(r.messages, [self]);
  r = await run(`./${path.basename(__filename)}`, { workerData: 'path' });
  assert.deepStrictEqual(r.messages, [self]);
  process.chdir(path.join(__dirname, 'fixtures'));
  r = await run(`../${path.basename(__filename)}`, { workerData: 'path' });
  assert.deepStrictEqual(r.messages, [self]);
  // From here './worker-entries.js' names a file that is not there, although
  // it sits beside this (calling) file.
  r = await run(`./${path.basename(__filename)}`);
  assert.strictEqual(r.code, 1);
  assert.match(r.errors[0].message, /Cannot find module '.*\/fixtures\/worker-entries\.js'/);
  process.chdir(__dirname);

  // file: URLs, as URL objects.
  r = await run(pathToFileURL(__filename), { workerData: 'path' });
  assert.deepStrictEqual(r.messages, [self]);

  // eval: CommonJS source named [worker eval]; require() works from the
  // working directory.
  r = await run(`
    const { parentPort } = require('worker_threads');
    parentPort.postMessage([__filename, process.argv[1], typeof require('./fixtures/cjs/add.js'), require.main === module]);`,
  { eval: true });
  assert.deepStrictEqual(r.messages, [['[worker eval]', '[worker eval]', 'object', true]]);

  // eval with --input-type=module: ES module source.
  r = await run(`import { parentPort } from 'worker_threads'; parentPort.postMessage(typeof require);`,
    { eval: true, execArgv: ['--input-type=module'] });
  assert.deepStrictEqual(r.messages, ['undefined']);

  // data: URLs are ES modules: percent-encoded or base64.
  const source = "import { parentPort } from 'worker_threads'; parentPort.postMessage('from data: ✓');";
  r = await run(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
  assert.deepStrictEqual(r.messages, ['from data: ✓']);
  const base64 = btoaUtf8(source);
  r = await run(new URL(`data:text/javascript;base64,${base64}`));
  assert.deepStrictEqual(r.messages, ['from data: ✓']);
  assert.throws(() => new Worker(new URL('data:text/plain,1')), { code: 'ERR_UNKNOWN_MODULE_FORMAT', name: 'RangeError' });

  // Refused at once.
  assert.throws(() => new Worker('worker.js'), {
    code: 'ERR_WORKER_PATH',
    name: 'TypeError',
    message: "The worker script or module filename must be an absolute path or a relative path starting with './' or '../'. Received \"worker.js\"",
  });
  assert.throws(() => new Worker('file:///tmp/w.js'), { code: 'ERR_WORKER_PATH', message: /Wrap file:\/\/ URLs with `new URL`/ });
  assert.throws(() => new Worker('data:text/javascript,1'), { code: 'ERR_WORKER_PATH', message: /Wrap data: URLs with `new URL`/ });
  assert.throws(() => new Worker(42), {
    code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "filename" argument must be of type string or an instance of URL. Received type number (42)',
  });
  assert.throws(() => new Worker(new URL('http://example.com/w.js')), { code: 'ERR_INVALID_URL_SCHEME' });
  assert.throws(() => new Worker(pathToFileURL(__filename), { eval: true }), {
    code: 'ERR_INVALID_ARG_VALUE',
    message: /The property 'options.eval' must be false when 'filename' is not a string/,
  });

  // A missing file or a syntax error is the worker's 'error', and exit code 1.
  r = await run('./no-such-worker.js');
  assert.strictEqual(r.code, 1);
  assert.match(r.errors[0].message, /Cannot find module '.*\/tests\/js\/no-such-worker\.js'/);
  r = await run('./fixtures/threads/syntax-error.js');
  assert.strictEqual(r.code, 1);
  assert.ok(r.errors[0] instanceof SyntaxError);
  r = await run('let = ;', { eval: true });
  assert.strictEqual(r.code, 1);
  assert.ok(r.errors[0] instanceof SyntaxError);
  console.log('ok');
})();

function btoaUtf8(text) {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += chars[n >> 18] + chars[(n >> 12) & 63] +
      (i + 1 < bytes.length ? chars[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? chars[n & 63] : '=');
  }
  return out;
}
