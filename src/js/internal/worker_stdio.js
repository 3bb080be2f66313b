// The stdio of a Worker: worker.stdout/stderr (readable) and worker.stdin
// (writable) in the parent, process.stdin and redirected process.stdout/
// stderr and console in the worker. Data travels as { type, chunk } messages
// on the worker's control channel (see weft:internal/worker_parent).
//
// weft has no stream module: these are small EventEmitters with the parts of
// Node's Readable and Writable that stdio code uses ('data', 'end',
// 'finish', pause/resume, read, pipe, setEncoding, async iteration). weft has
// no Buffer either, so chunks are strings (UTF-8 text).

import { EventEmitter } from 'weft:internal/event_emitter';
import { invalidArgType } from 'weft:internal/errors';
import { load } from 'weft:internal/load';

function toText(chunk, decoder) {
  if (typeof chunk === 'string') return chunk;
  if (ArrayBuffer.isView(chunk)) return decoder.decode(chunk, { stream: true });
  throw invalidArgType('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
}

export class WorkerReadable extends EventEmitter {
  #buffer = [];
  #flowing = null; // null: not yet read; Node's readableFlowing
  #ended = false;
  #endEmitted = false;
  #started = false; // read() or flowing: Node emits 'end' only then
  #onRead;

  // onRead() is called when a consumer first starts reading.
  constructor(onRead) {
    super();
    this.#onRead = onRead;
  }

  get readable() { return !this.#endEmitted; }
  get readableEnded() { return this.#endEmitted; }
  get readableFlowing() { return this.#flowing; }

  // Data from the other side; null ends the stream.
  push(chunk) {
    if (chunk === null) {
      this.#ended = true;
    } else if (this.#flowing && this.#buffer.length === 0) {
      this.emit('data', chunk);
    } else {
      this.#buffer.push(chunk);
    }
    this.#maybeEnd();
    return !this.#ended;
  }

  on(type, listener) {
    super.on(type, listener);
    if (type === 'data' && this.#flowing !== false) this.resume();
    return this;
  }

  resume() {
    if (this.#flowing !== true) {
      this.#start();
      this.#flowing = true;
      process.nextTick(() => this.#flow());
    }
    return this;
  }

  pause() {
    this.#flowing = false;
    return this;
  }

  isPaused() {
    return this.#flowing === false;
  }

  // Chunks are text already; the encoding is accepted for compatibility.
  setEncoding() {
    return this;
  }

  // Everything buffered, or null.
  read() {
    this.#start();
    const text = this.#buffer.length === 0 ? null : this.#buffer.join('');
    this.#buffer = [];
    this.#maybeEnd();
    return text;
  }

  pipe(destination, options) {
    this.on('data', (chunk) => destination.write(chunk));
    const std = destination === process.stdout || destination === process.stderr;
    if (options?.end !== false && !std) this.once('end', () => destination.end());
    return destination;
  }

  #start() {
    if (this.#started) return;
    this.#started = true;
    this.#onRead?.();
  }

  #flow() {
    while (this.#flowing && this.#buffer.length > 0) this.emit('data', this.#buffer.shift());
    this.#maybeEnd();
  }

  #maybeEnd() {
    if (!this.#ended || this.#endEmitted || this.#buffer.length > 0 || this.#flowing === false || !this.#started) return;
    this.#endEmitted = true;
    process.nextTick(() => {
      this.emit('end');
      this.emit('close');
    });
  }

  async *[Symbol.asyncIterator]() {
    const queue = [];
    let wake = null;
    let done = false;
    this.on('data', (chunk) => { queue.push(chunk); wake?.(); });
    this.once('end', () => { done = true; wake?.(); });
    for (;;) {
      if (queue.length > 0) yield queue.shift();
      else if (done) return;
      else await new Promise((resolve) => { wake = resolve; });
    }
  }
}

export class WorkerWritable extends EventEmitter {
  #send;
  #decoder = new TextDecoder();
  #ended = false;

  // send(chunk) delivers text; send(null) ends the other side.
  constructor(send) {
    super();
    this.#send = send;
  }

  get writable() { return !this.#ended; }
  get writableEnded() { return this.#ended; }

  write(chunk, encoding, callback) {
    if (typeof encoding === 'function') callback = encoding;
    const text = toText(chunk, this.#decoder);
    if (!this.#ended) this.#send(text);
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  }

  end(chunk, encoding, callback) {
    if (typeof chunk === 'function') callback = chunk;
    else if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    if (typeof encoding === 'function') callback = encoding;
    if (!this.#ended) {
      this.#ended = true;
      this.#send(null);
      process.nextTick(() => {
        this.emit('finish');
        this.emit('close');
      });
    }
    if (typeof callback === 'function') process.nextTick(callback);
    return this;
  }
}

// ---- inside the worker ---------------------------------------------------------

// process.stdout or process.stderr writing to the parent's worker.stdout or
// worker.stderr instead of the file descriptor.
function redirect(stream, type, control) {
  const decoder = new TextDecoder();
  stream.write = (chunk, encoding, callback) => {
    if (typeof encoding === 'function') callback = encoding;
    control.postMessage({ type, chunk: toText(chunk, decoder) });
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  };
}

// Node's console methods over process.stdout and process.stderr (weft's own
// console writes to the file descriptors directly).
function streamConsole() {
  const { format, formatWithOptions, inspect } = load('weft:node/util');
  const counts = new Map();
  const timers = new Map();
  let indent = '';
  const write = (stream, text) => {
    const shifted = indent === '' ? text : indent + text.replaceAll('\n', `\n${indent}`);
    stream.write(`${shifted}\n`);
  };
  const out = (...args) => write(process.stdout, format(...args));
  const err = (...args) => write(process.stderr, format(...args));
  const label = (name) => (name === undefined ? 'default' : `${name}`);
  const elapsed = (key) => {
    const start = timers.get(key);
    if (start === undefined) {
      err(`Warning: No such label '${key}' for console.timeEnd()`);
      return undefined;
    }
    const ms = performance.now() - start;
    return ms < 1000 ? `${+ms.toFixed(3)}ms` : `${+(ms / 1000).toFixed(3)}s`;
  };
  return {
    log: out,
    info: out,
    debug: out,
    dirxml: out,
    error: err,
    warn: err,
    dir: (value, options) => write(process.stdout, inspect(value, { customInspect: false, ...options })),
    trace: (...args) => {
      const stack = new Error().stack.split('\n').slice(1).join('\n');
      err(`Trace${args.length ? `: ${format(...args)}` : ''}\n${stack.trimEnd()}`);
    },
    assert: (value, ...args) => {
      if (!value) err(args.length === 0 ? 'Assertion failed' : `Assertion failed: ${format(...args)}`);
    },
    count: (name) => {
      const key = label(name);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      out(`${key}: ${counts.get(key)}`);
    },
    countReset: (name) => counts.delete(label(name)),
    time: (name) => timers.set(label(name), performance.now()),
    timeLog: (name, ...data) => {
      const took = elapsed(label(name));
      if (took !== undefined) out(`${label(name)}: ${took}${data.length ? ` ${formatWithOptions({}, ...data)}` : ''}`);
    },
    timeEnd: (name) => {
      const took = elapsed(label(name));
      if (took !== undefined) {
        timers.delete(label(name));
        out(`${label(name)}: ${took}`);
      }
    },
    group: (...args) => {
      if (args.length) out(...args);
      indent += '  ';
    },
    groupCollapsed: (...args) => {
      if (args.length) out(...args);
      indent += '  ';
    },
    groupEnd: () => { indent = indent.slice(2); },
  };
}

// Sets up the worker's side of the stdio options. `control` is the port to
// the parent; returns the handler for the stdin messages on it.
export function workerStdio(control, { stdin, stdout, stderr }) {
  if (stdout) redirect(process.stdout, 'stdout', control);
  if (stderr) redirect(process.stderr, 'stderr', control);
  if (stdout || stderr) globalThis.console = streamConsole();

  // Reading stdin keeps the worker alive until the parent ends it.
  let reading = false;
  const input = new WorkerReadable(() => {
    reading = true;
    control.ref();
  });
  input.fd = 0;
  input.once('end', () => {
    if (reading) control.unref();
  });
  if (!stdin) input.push(null);
  Object.defineProperty(process, 'stdin', { value: input, writable: true, configurable: true, enumerable: true });
  return (chunk) => input.push(chunk);
}
