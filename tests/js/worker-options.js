// new Worker() options: argv, env, execArgv, resourceLimits, name,
// trackUnmanagedFds, and the errors for options of the wrong type.
const assert = require('assert');
const { Worker, isMainThread, parentPort, resourceLimits } = require('worker_threads');

if (!isMainThread) {
  parentPort.postMessage({
    argv: process.argv.slice(2),
    execArgv: process.execArgv,
    env: { FROM_PARENT: process.env.FROM_PARENT, NUMBER: process.env.NUMBER, HOME: typeof process.env.HOME },
    resourceLimits,
  });
  process.env.FROM_WORKER = 'not shared';
  return;
}

function first(options) {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, options);
    w.once('message', (m) => w.once('exit', () => resolve(m)));
    w.on('error', reject);
  });
}

(async () => {
  // env: a copy of process.env by default (taken when the Worker is made).
  process.env.FROM_PARENT = 'yes';
  let m = await first({ argv: ['x', 1, true], execArgv: ['--no-warnings'] });
  assert.deepStrictEqual(m.argv, ['x', '1', 'true']);
  assert.deepStrictEqual(m.execArgv, ['--no-warnings']);
  assert.deepStrictEqual(m.env, { FROM_PARENT: 'yes', NUMBER: undefined, HOME: typeof process.env.HOME });
  assert.strictEqual(process.env.FROM_WORKER, undefined, 'a copy: the worker\'s changes stay there');

  // env: an object of its own, values as strings; execArgv inherited.
  m = await first({ env: { NUMBER: 42 } });
  assert.deepStrictEqual(m.env, { FROM_PARENT: undefined, NUMBER: '42', HOME: 'undefined' });
  assert.deepStrictEqual(m.execArgv, process.execArgv);

  // resourceLimits: reported as given, in the worker and on the Worker.
  const limits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8, codeRangeSizeMb: 2, stackSizeMb: 2 };
  const w = new Worker('require("worker_threads").parentPort.postMessage(require("worker_threads").resourceLimits)',
    { eval: true, resourceLimits: limits, name: 'limited', trackUnmanagedFds: true });
  assert.deepStrictEqual(w.resourceLimits, limits);
  const [inside] = await require('events').once(w, 'message');
  assert.deepStrictEqual(inside, limits);
  await require('events').once(w, 'exit');
  assert.deepStrictEqual(w.resourceLimits, {});
  // Values that are not positive numbers are ignored, as in Node.
  m = await first({ resourceLimits: { maxOldGenerationSizeMb: '64', stackSizeMb: -1 } });
  assert.deepStrictEqual(m.resourceLimits, { maxYoungGenerationSizeMb: 0, maxOldGenerationSizeMb: 0, codeRangeSizeMb: 0, stackSizeMb: 4 });

  // Options of the wrong type.
  const bad = (options, expected) => assert.throws(() => new Worker(__filename, options), expected);
  bad(null, { code: 'ERR_INVALID_ARG_TYPE', message: 'The "options" argument must be of type object. Received null' });
  bad({ argv: 'x' }, { code: 'ERR_INVALID_ARG_TYPE', message: /"options.argv" property must be an instance of Array/ });
  bad({ execArgv: '--x' }, { code: 'ERR_INVALID_ARG_TYPE', message: /"options.execArgv" property must be an instance of Array/ });
  bad({ execArgv: ['--title=x', 'plain', '--max-old-space-size=9'] }, {
    code: 'ERR_WORKER_INVALID_EXEC_ARGV',
    message: 'Initiated Worker with invalid execArgv flags: --title=x, plain, --max-old-space-size=9',
  });
  bad({ env: 'FOO=1' }, {
    code: 'ERR_INVALID_ARG_TYPE',
    message: /"options.env" property must be of type object or one of undefined, null, or worker_threads.SHARE_ENV/,
  });
  bad({ name: 5 }, { code: 'ERR_INVALID_ARG_TYPE', message: /"options.name" property must be of type string/ });
  bad({ transferList: 'port' }, { code: 'ERR_INVALID_ARG_TYPE', message: /"options.transferList" property must be an instance of Array/ });
  console.log('ok');
})();
