// worker_threads' Worker: the parent's side of a worker.
//
// A Worker is a weft Thread. Its entry is a small module that loads
// weft:internal/worker_boot first (which sets the worker up from the Thread's
// `data`: env, argv, execArgv, stdio) and then runs the user's script: it
// imports the module file, runs `eval` source as CommonJS, or, for ES module
// source (data: URLs), is that source. Beside the Thread's own port (the
// user's messages, online/error/exit), each Worker has a control channel to
// its worker for stdio, memory reports and BroadcastChannel joins.

import { Channel, Thread } from 'weft:lib/weft';
import { EventEmitter } from 'weft:internal/event_emitter';
import {
  invalidArgType, invalidArgValue, makeError, validateObject, validateString,
} from 'weft:internal/errors';
import { load } from 'weft:internal/load';
import { CONTROL, config as ownConfig } from 'weft:internal/worker_boot';
import { withoutUntransferable } from 'weft:internal/worker_ports';

// Loaded by the first Worker made, not by every thread that imports
// worker_threads (most workers only use parentPort).
const stdio = () => load('weft:internal/worker_stdio');
const url = () => load('weft:node/url');

export const SHARE_ENV = Symbol.for('nodejs.worker_threads.SHARE_ENV');

// The Thread's entry for each kind of worker. `eval` source runs from a
// CommonJS entry: an error it throws then ends the thread synchronously, as
// weft's limits expect (see docs/node-compat.md on memory limits).
function threadEntry(entry) {
  switch (entry.kind) {
    case 'file':
      return ["import { runEntry } from 'weft:internal/worker_boot'; await runEntry();", 'module'];
    case 'classic':
      return ["require('weft:internal/worker_boot').runEntry();", 'commonjs'];
    default:
      // On the source's first line, so that its line numbers stay right.
      return [`import 'weft:internal/worker_boot'; ${entry.source}`, 'module'];
  }
}

const MB = 1024 * 1024;

// ---- the entry ------------------------------------------------------------------

function isURL(value) {
  return typeof value === 'object' && value !== null && typeof value.href === 'string' &&
    typeof value.protocol === 'string';
}

function workerPathError(filename) {
  return makeError(TypeError, 'ERR_WORKER_PATH',
    "The worker script or module filename must be an absolute path or a relative path starting with './' or '../'." +
    (filename.startsWith('file://') ? ' Wrap file:// URLs with `new URL`.' : '') +
    (filename.startsWith('data:text/javascript') ? ' Wrap data: URLs with `new URL`.' : '') +
    ` Received "${filename}"`);
}

// { kind: 'file' | 'classic' | 'module', url, source, argv1 }, resolved as
// Node does: relative paths against process.cwd(), not the calling file.
function entryOf(filename, options, execArgv) {
  if (options.eval) {
    if (typeof filename !== 'string') {
      throw invalidArgValue('options.eval', options.eval, "must be false when 'filename' is not a string");
    }
    const kind = execArgv.includes('--input-type=module') ? 'module' : 'classic';
    return { kind, source: filename, argv1: '[worker eval]' };
  }
  if (isURL(filename) && filename.protocol === 'data:') {
    const source = load('weft:internal/worker_data_url').dataURLSource(filename.href);
    return { kind: 'module', source, argv1: '[worker eval]' };
  }
  let path;
  if (isURL(filename)) path = url().fileURLToPath(filename);
  else if (typeof filename !== 'string') throw invalidArgType('filename', ['string', 'URL'], filename);
  else if (filename.startsWith('/') || /^\.\.?\//.test(filename)) path = load('weft:node/path').resolve(filename);
  else throw workerPathError(filename);
  return { kind: 'file', url: url().pathToFileURL(path).href, argv1: path };
}

// ---- options --------------------------------------------------------------------

// Node's options that belong to the whole process (or to V8's heap, which
// resourceLimits covers); the others are accepted and shown in
// process.execArgv, and only --input-type changes anything.
const PROCESS_WIDE = ['--title', '--max-old-space-size', '--max-semi-space-size', '--stack-size'];

function validateExecArgv(execArgv) {
  if (!Array.isArray(execArgv)) throw invalidArgType('options.execArgv', 'Array', execArgv);
  const invalid = execArgv.filter((arg) => typeof arg !== 'string' || !arg.startsWith('-') ||
    PROCESS_WIDE.some((name) => arg === name || arg.startsWith(`${name}=`)));
  if (invalid.length > 0) {
    throw makeError(Error, 'ERR_WORKER_INVALID_EXEC_ARGV',
      `Initiated Worker with invalid execArgv flags: ${invalid.map(String).join(', ')}`);
  }
}

// { env } (a copy, values as strings) or { sharedEnv } (SHARE_ENV's store).
function envOf(env) {
  if (env === SHARE_ENV) return { sharedEnv: load('weft:internal/worker_env').shareEnv() };
  if (env !== undefined && env !== null && typeof env !== 'object') {
    throw invalidArgType('options.env', ['Object', 'undefined', 'null', 'worker_threads.SHARE_ENV'], env);
  }
  const copy = {};
  for (const [key, value] of Object.entries(env ?? process.env)) copy[key] = `${value}`;
  return { env: copy };
}

const LIMITS = ['maxYoungGenerationSizeMb', 'maxOldGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'];

// The limits as worker.resourceLimits reports them: the numbers given, else
// 0 (no limit, or nothing QuickJS has), and weft's default stack of 4 MB.
function resourceLimitsOf(given) {
  const limits = { maxYoungGenerationSizeMb: 0, maxOldGenerationSizeMb: 0, codeRangeSizeMb: 0, stackSizeMb: 4 };
  if (typeof given === 'object' && given !== null) {
    for (const key of LIMITS) {
      const value = given[key];
      if (typeof value === 'number' && value > 0 && Number.isFinite(value)) limits[key] = value;
    }
  }
  return limits;
}

// ---- errors ---------------------------------------------------------------------

function notRunning() {
  return makeError(Error, 'ERR_WORKER_NOT_RUNNING', 'Worker instance not running');
}

// weft reports an unlisted port as a DataCloneError; Node has its own code.
function nodeCloneError(err) {
  if (err?.name === 'DataCloneError' && /not listed in transferList/.test(err.message)) {
    return makeError(TypeError, 'ERR_MISSING_MESSAGE_PORT_IN_TRANSFER_LIST',
      'MessagePort was found in message but not listed in transferList');
  }
  return err;
}

// Node's wording for a worker that ran out of memory (weft says "Thread").
function nodeError(err) {
  if (err instanceof RangeError && err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return makeError(Error, 'ERR_WORKER_OUT_OF_MEMORY',
      'Worker terminated due to reaching memory limit: JS heap out of memory');
  }
  return err;
}

// ---- event loop utilization -----------------------------------------------------

function utilization(now, util1, util2) {
  let { idle, active } = now;
  if (util2) {
    idle = util1.idle - util2.idle;
    active = util1.active - util2.active;
  } else if (util1) {
    idle -= util1.idle;
    active -= util1.active;
  }
  return { idle, active, utilization: active / (idle + active) };
}

// ---- Worker ---------------------------------------------------------------------

export class Worker extends EventEmitter {
  #thread;
  #control;
  #limits;
  #stdin = null;
  #stdout;
  #stderr;
  #onlineAt = 0;
  #exited = false;
  #requests = new Map();
  #lastRequest = 0;

  constructor(filename, options = {}) {
    super();
    validateObject(options, 'options');
    const execArgv = options.execArgv ?? process.execArgv;
    validateExecArgv(execArgv);
    if (options.argv != null && !Array.isArray(options.argv)) throw invalidArgType('options.argv', 'Array', options.argv);
    if (options.name !== undefined) validateString(options.name, 'options.name');
    if (options.transferList != null && !Array.isArray(options.transferList)) {
      throw invalidArgType('options.transferList', 'Array', options.transferList);
    }
    const entry = entryOf(filename, options, execArgv);
    this.#limits = resourceLimitsOf(options.resourceLimits);

    const { port1: control, port2: remote } = new Channel();
    const config = {
      kind: entry.kind,
      url: entry.url,
      source: entry.kind === 'classic' ? entry.source : undefined,
      argv1: entry.argv1,
      execArgv: [...execArgv],
      ...envOf(options.env),
      workerData: options.workerData,
      resourceLimits: this.#limits,
      stdin: Boolean(options.stdin),
      // Output normally goes straight to the file descriptors; in a worker
      // whose own output goes to its parent, it goes through this one's.
      stdout: Boolean(options.stdout || ownConfig?.stdout),
      stderr: Boolean(options.stderr || ownConfig?.stderr),
    };
    const [source, type] = threadEntry(entry);
    try {
      this.#thread = new Thread(source, {
        source: true,
        type,
        data: config,
        capabilities: { [CONTROL]: remote },
        transfer: withoutUntransferable(options.transferList),
        argv: options.argv ?? [],
        name: options.name,
        limits: {
          memory: this.#limits.maxOldGenerationSizeMb > 0 ? this.#limits.maxOldGenerationSizeMb * MB : undefined,
          stack: this.#limits.stackSizeMb * MB,
        },
      });
    } catch (err) {
      control.close();
      throw nodeCloneError(err);
    }
    this.#control = control;
    const { WorkerReadable, WorkerWritable } = stdio();
    this.#stdout = new WorkerReadable();
    this.#stderr = new WorkerReadable();
    if (config.stdout && !options.stdout) this.#stdout.pipe(process.stdout);
    if (config.stderr && !options.stderr) this.#stderr.pipe(process.stderr);
    if (options.stdin) this.#stdin = new WorkerWritable((chunk) => control.postMessage({ type: 'stdin', chunk }));
    control.on('message', (message) => this.#onControl(message));
    control.unref();

    const thread = this.#thread;
    thread.on('online', () => {
      this.#onlineAt = performance.now();
      this.emit('online');
    });
    thread.on('message', (value) => this.emit('message', value));
    thread.on('messageerror', (error) => this.emit('messageerror', error));
    thread.on('error', (error) => this.emit('error', nodeError(error)));
    thread.on('exit', (code) => this.#onExit(code));

    this.performance = { eventLoopUtilization: (util1, util2) => this.#eventLoopUtilization(util1, util2) };
  }

  #onControl(message) {
    switch (message.type) {
      case 'stdout':
        this.#stdout.push(message.chunk);
        break;
      case 'stderr':
        this.#stderr.push(message.chunk);
        break;
      case 'report': {
        const request = this.#requests.get(message.id);
        this.#requests.delete(message.id);
        const stream = new (stdio().WorkerReadable)();
        stream.push(message.report);
        stream.push(null);
        request?.resolve(stream);
        break;
      }
      case 'broadcast':
        load('weft:internal/worker_broadcast').joinBroadcast(message.name, message.port);
        break;
    }
  }

  #onExit(code) {
    // What the worker sent on the control channel before it ended (its last
    // output, say) comes before 'exit', as Node drains its ports first. The
    // worker's end closed with the worker: the channel reads closed already,
    // but what was queued before the close is still there to take (when the
    // thread's notices were delivered first, all of it); tryReceive() gives
    // undefined once nothing is left, and closes this end.
    for (;;) {
      const received = this.#control.tryReceive();
      if (received === undefined) break;
      this.#onControl(received.message);
    }
    this.#exited = true;
    for (const { reject } of this.#requests.values()) reject(notRunning());
    this.#requests.clear();
    this.#stdout.push(null);
    this.#stderr.push(null);
    this.emit('exit', code);
  }

  postMessage(value, transferList) {
    if (this.#exited) return;
    try {
      this.#thread.postMessage(value, withoutUntransferable(transferList));
    } catch (err) {
      throw nodeCloneError(err);
    }
  }

  // Resolves with the exit code once 'exit' is emitted (with undefined for a
  // worker that had exited already, as in Node).
  terminate() {
    if (this.#exited) return Promise.resolve();
    this.#thread.ref(); // the promise settles even when the worker was unref'd
    return this.#thread.terminate();
  }

  ref() {
    if (!this.#exited) this.#thread.ref();
  }

  unref() {
    if (!this.#exited) this.#thread.unref();
  }

  get threadId() {
    return this.#exited ? -1 : this.#thread.id;
  }

  get resourceLimits() {
    return this.#exited ? {} : { ...this.#limits };
  }

  get stdin() {
    return this.#stdin;
  }

  get stdout() {
    return this.#stdout;
  }

  get stderr() {
    return this.#stderr;
  }

  // A readable stream of the worker's memory report (JSON): QuickJS cannot
  // write V8's heap snapshot format. The worker answers from its event loop.
  getHeapSnapshot() {
    if (this.#exited) return Promise.reject(notRunning());
    const id = ++this.#lastRequest;
    return new Promise((resolve, reject) => {
      this.#requests.set(id, { resolve, reject });
      this.#control.postMessage({ type: 'report', id });
    });
  }

  // Node's definition: idle is the time the worker's event loop waited for
  // something to do (libuv's idle-time metric, plus weft's waits before the
  // thread has a loop), active the rest of the time since 'online'.
  #eventLoopUtilization(util1, util2) {
    if (this.#onlineAt === 0 || this.#exited) return { idle: 0, active: 0, utilization: 0 };
    const wall = performance.now() - this.#onlineAt;
    const idle = Math.min(this.#thread.stats().idleTime, wall);
    return utilization({ idle, active: wall - idle }, util1, util2);
  }
}
