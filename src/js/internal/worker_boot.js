// The worker's side of a worker_threads Worker.
//
// A Worker is a weft Thread whose entry is a small ES module importing this
// one first (see weft:internal/worker_parent), so that what Node sets up
// before a worker's script runs is in place when the user's code starts:
// process.env (the env option), process.argv[1], process.execArgv, the
// stdio options, Node's port behaviour, and the control channel to the
// parent. The Thread's `data` is the worker's configuration and its
// capabilities hold the control port; a thread started otherwise has no
// such port, and this module then does nothing.
//
// The control channel carries what Node's internal port carries: stdio, the
// parent's memory report requests, and BroadcastChannel joins on their way
// to the hub (weft:internal/worker_broadcast).

import { capabilities, data, isMainThread, stats, threadId } from 'weft:lib/weft';
import { makeError } from 'weft:internal/errors';
import { load } from 'weft:internal/load';
import { modules } from 'weft:internal/native';

// The capability that marks a thread started by a Worker.
export const CONTROL = 'weft:worker_threads';

// The port to the parent's Worker object, or null.
export const control = isMainThread ? null : capabilities[CONTROL] ?? null;

// The Worker's options as its parent resolved them, or null.
export const config = control ? data : null;

// The engine's memory report, for the parent's worker.getHeapSnapshot().
// QuickJS has no heap snapshots; this is what it can tell about its heap.
function memoryReport() {
  return JSON.stringify({
    format: 'weft-memory-report',
    engine: `QuickJS ${process.versions.quickjs}`,
    threadId,
    memoryUsage: process.memoryUsage(),
    stats: stats(),
  }, null, 2);
}

function boot() {
  process.argv[1] = config.argv1;
  process.execArgv = config.execArgv;
  if (config.sharedEnv) load('weft:internal/worker_env').adoptSharedEnv(config.sharedEnv);
  else process.env = config.env;
  // The working directory belongs to the whole process.
  process.chdir = () => {
    throw makeError(TypeError, 'ERR_WORKER_UNSUPPORTED_OPERATION', 'process.chdir() is not supported in workers');
  };
  // The stdio module loads only for the stdio options or process.stdin.
  let toStdin;
  const stdio = () => (toStdin ??= load('weft:internal/worker_stdio').workerStdio(control, config));
  if (config.stdin || config.stdout || config.stderr) {
    stdio();
  } else {
    Object.defineProperty(process, 'stdin', { get: () => (stdio(), process.stdin), configurable: true, enumerable: true });
  }
  control.on('message', (message) => {
    if (message.type === 'stdin') toStdin(message.chunk);
    else if (message.type === 'report') control.postMessage({ type: 'report', id: message.id, report: memoryReport() });
  });
  // The control channel alone does not keep the worker alive.
  control.unref();
}

if (config) boot();

// Runs the worker's script: imports a module file (a promise), or runs
// `eval` source as CommonJS. (ES module source is the entry module itself:
// weft:internal/worker_parent.)
export function runEntry() {
  if (config.kind === 'file') {
    // A file that fails to load or throws is an uncaught exception, as in
    // Node, not the unhandled rejection of import().
    return modules.importModule(config.url).catch((err) => queueMicrotask(() => { throw err; }));
  }
  load('weft:internal/cjs').runMain('[worker eval]', config.source);
  return undefined;
}
