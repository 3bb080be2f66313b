// The process object: an EventEmitter over the "process" binding, with
// Node's nextTick queue and exit sequence.

import { process as native } from 'weft:internal/native';
import { EventEmitter } from 'weft:internal/event_emitter';
import { invalidArgType, validateFunction } from 'weft:internal/errors';

// ---- nextTick ----------------------------------------------------------------

let ticks = [];

function nextTick(callback, ...args) {
  validateFunction(callback, 'callback');
  if (exiting) return;
  ticks.push({ callback, args });
  if (ticks.length === 1) native.setTicksPending(true);
}

// Runs every queued tick, then the microtasks, until both are empty (Node's
// processTicksAndRejections). A throwing tick leaves the rest queued: the C
// side reports the error and calls again.
export function processTicks() {
  do {
    while (ticks.length > 0) {
      const batch = ticks;
      ticks = [];
      for (let i = 0; i < batch.length; i++) {
        const { callback, args } = batch[i];
        try {
          callback(...args);
        } catch (err) {
          ticks = batch.slice(i + 1).concat(ticks);
          throw err;
        }
      }
    }
    native.setTicksPending(false);
    native.runMicrotasks();
  } while (ticks.length > 0);
}

// ---- exit ------------------------------------------------------------------

let exiting = false;
let exitCode;

function toExitCode(code) {
  if (code === undefined || code === null) return undefined;
  if (typeof code === 'string' && /^-?\d+$/.test(code)) return Number(code);
  if (!Number.isInteger(code)) throw invalidArgType('code', 'of type number', code);
  return code;
}

// Emits 'exit' once. Returns the code the thread ends with.
export function emitExit(code) {
  if (!exiting) {
    exiting = true;
    if (code !== undefined) exitCode = code;
    process.emit('exit', exitCode ?? 0);
  }
  return exitCode ?? 0;
}

function exit(code) {
  code = toExitCode(code);
  if (code !== undefined) exitCode = code;
  native.exit(emitExit());
}

// ---- the object ------------------------------------------------------------

function hrtime(previous) {
  const now = native.hrtimeBigint();
  let sec = Number(now / 1000000000n);
  let nsec = Number(now % 1000000000n);
  if (previous !== undefined) {
    if (!Array.isArray(previous)) throw invalidArgType('time', 'an instance of Array', previous);
    sec -= previous[0];
    nsec -= previous[1];
    if (nsec < 0) {
      sec -= 1;
      nsec += 1e9;
    }
  }
  return [sec, nsec];
}
hrtime.bigint = native.hrtimeBigint;

function makeStream(fd) {
  const stream = new EventEmitter();
  stream.fd = fd;
  stream.isTTY = native.isatty(fd);
  stream.writable = true;
  stream.write = (chunk, encoding, callback) => {
    if (typeof encoding === 'function') callback = encoding;
    if (typeof chunk !== 'string' && !ArrayBuffer.isView(chunk)) {
      throw invalidArgType('chunk', 'of type string or an instance of Buffer or Uint8Array', chunk);
    }
    native.write(fd, chunk);
    if (typeof callback === 'function') nextTick(callback);
    return true;
  };
  stream.end = (chunk, encoding, callback) => {
    if (chunk !== undefined && typeof chunk !== 'function') stream.write(chunk, encoding);
    const cb = [chunk, encoding, callback].find((f) => typeof f === 'function');
    if (cb) nextTick(cb);
  };
  return stream;
}

const startTime = native.now();

const argv = native.getArgv();

export const process = new EventEmitter();
Object.assign(process, {
  argv,
  argv0: argv[0],
  execPath: argv[0],
  execArgv: [],
  env: native.getEnv(),
  pid: native.pid,
  platform: native.platform,
  arch: native.arch,
  version: `v${native.version}`,
  versions: { weft: native.version, quickjs: native.quickjsVersion, uv: native.uvVersion },
  release: { name: 'weft' },
  title: 'weft',
  exit,
  nextTick,
  hrtime,
  cwd: native.cwd,
  chdir: native.chdir,
  uptime: () => (native.now() - startTime) / 1000,
  memoryUsage: Object.assign(() => native.memoryUsage(), { rss: () => native.memoryUsage().rss }),
  stdout: makeStream(1),
  stderr: makeStream(2),
  emitWarning(warning, type = 'Warning') {
    const text = warning instanceof Error ? `${warning.name}: ${warning.message}` : `${type}: ${warning}`;
    nextTick(() => {
      if (process.listenerCount('warning') > 0) {
        process.emit('warning', warning instanceof Error ? warning : Object.assign(new Error(String(warning)), { name: type }));
      } else {
        native.write(2, `(weft:${native.pid}) ${text}\n`);
      }
    });
  },
});
Object.defineProperty(process, 'exitCode', {
  get: () => exitCode,
  set: (code) => { exitCode = toExitCode(code); },
  enumerable: true,
  configurable: true,
});
// As in Node, a getter: the parent changes when it dies.
Object.defineProperty(process, 'ppid', { get: () => native.ppid, enumerable: true, configurable: true });
Object.defineProperty(process, Symbol.toStringTag, { value: 'process', configurable: true });
