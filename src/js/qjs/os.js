// QuickJS's 'os' module on weft: `import * as os from 'os'` in an ES module
// gives this (see docs/quickjs-compat.md).
//
// quickjs-libc's own module does the file and process functions. What
// depends on its event loop is rebuilt on weft's: timers on weft's uv
// timers, fd handlers and signals on uv watchers (weft:qjs/native), and
// os.Worker on the weft module's Thread and MessagePort, nothing beneath.

import {
  loadLibc, newPoll, newSignal, resetSignal, sleep as nativeSleep, callerFile, updateTime, READABLE, WRITABLE,
} from 'weft:qjs/native';
import { timers } from 'weft:internal/native/timers';
import { installHelpers } from 'weft:qjs/helpers';
import { Thread, parent as parentPort, isMainThread } from 'weft:lib/weft';

const libc = loadLibc('os');
installHelpers();

export const {
  open, O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_TRUNC,
  close, seek, read, write, isatty, ttyGetWinSize, ttySetRaw, remove, rename,
  SIGINT, SIGABRT, SIGFPE, SIGILL, SIGSEGV, SIGTERM, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
  SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU,
  now, platform, getcwd, chdir, mkdir, readdir,
  S_IFMT, S_IFIFO, S_IFCHR, S_IFDIR, S_IFBLK, S_IFREG, S_IFSOCK, S_IFLNK, S_ISGID, S_ISUID,
  stat, utimes, realpath, lstat, symlink, readlink, exec, getpid, waitpid, WNOHANG,
  pipe, kill, dup, dup2,
} = libc;

const { Timer } = timers;

// JS_ToInt64 as quickjs-libc applies it to delays: NaN is 0, the rest
// truncated; negative delays fire at once.
function toDelay(delay) {
  let d = Number(delay);
  if (Number.isNaN(d)) return 0;
  d = Math.trunc(d);
  if (d < 0) return 0;
  return d > 2 ** 53 ? 2 ** 53 : d;
}

// ---- sleep ---------------------------------------------------------------------

// Blocks the thread; unlike quickjs-libc's, terminate() ends it.
export function sleep(delay) {
  return nativeSleep(delay);
}

// ---- timers --------------------------------------------------------------------

const activeTimers = new Map(); // id -> Timer
let nextTimerId = 1;

// setTimeout(func, delay) -> a timer id (an integer), as quickjs-libc.
export function setTimeout(func, delay) {
  if (typeof func !== 'function') throw new TypeError('not a function');
  const ms = toDelay(delay);
  const id = nextTimerId;
  nextTimerId = nextTimerId === 0x7fffffff ? 1 : nextTimerId + 1;
  const timer = new Timer(() => {
    activeTimers.delete(id);
    func();
  });
  updateTime(); // from now, as quickjs-libc counts
  timer.start(ms, 0);
  activeTimers.set(id, timer);
  return id;
}

export function clearTimeout(id) {
  const key = Number(id) | 0;
  const timer = activeTimers.get(key);
  if (timer) {
    timer.stop();
    activeTimers.delete(key);
  }
}

// A promise resolved after `delay` ms.
export function sleepAsync(delay) {
  const ms = toDelay(delay);
  return new Promise((resolve) => {
    const timer = new Timer(() => resolve());
    updateTime();
    timer.start(ms, 0);
  });
}

// ---- fd handlers ---------------------------------------------------------------

// fd -> { poll, fns: [read, write] }. A file that cannot be polled (a
// regular file) is always ready, as select() reports it: its handlers are
// called once per loop turn.
const rwHandlers = new Map();

function updatePoll(h) {
  const events = (h.fns[0] ? READABLE : 0) | (h.fns[1] ? WRITABLE : 0);
  if (h.poll) {
    h.poll.start(events);
  } else if (!h.immediate) {
    h.immediate = setImmediate(() => firePoll(h, 0, READABLE | WRITABLE));
  }
}

function firePoll(h, status, events) {
  if (h.immediate) h.immediate = null;
  if (rwHandlers.get(h.fd) !== h) return;
  // quickjs-libc calls one handler per readiness, the read handler first.
  const fn = (status < 0 || events & READABLE) && h.fns[0] ? h.fns[0]
    : (status < 0 || events & WRITABLE) && h.fns[1] ? h.fns[1] : null;
  if (fn) fn();
  if (!h.poll && rwHandlers.get(h.fd) === h) updatePoll(h);
}

function setHandler(fd, func, which) {
  fd = Number(fd) | 0;
  let h = rwHandlers.get(fd);
  if (func === null) {
    if (!h) return;
    h.fns[which] = null;
    if (!h.fns[0] && !h.fns[1]) {
      rwHandlers.delete(fd);
      if (h.poll) h.poll.close();
      if (h.immediate) clearImmediate(h.immediate);
    } else {
      updatePoll(h);
    }
    return;
  }
  if (typeof func !== 'function') throw new TypeError('not a function');
  if (!h) {
    h = { fd, fns: [null, null], poll: null, immediate: null };
    try {
      h.poll = newPoll(fd, (status, events) => firePoll(h, status, events));
    } catch (err) {
      if (err.code !== 'EPERM') throw err;
    }
    rwHandlers.set(fd, h);
  }
  h.fns[which] = func;
  updatePoll(h);
}

export function setReadHandler(fd, func) {
  setHandler(fd, func, 0);
}

export function setWriteHandler(fd, func) {
  setHandler(fd, func, 1);
}

// ---- signals -------------------------------------------------------------------

const signalHandlers = new Map(); // signum -> { watcher, fn }

// signal(sig, func): func called on the main thread's loop when sig arrives;
// null restores the default action, undefined ignores the signal. Like
// quickjs-libc, only the main thread may set handlers, and a handler does
// not keep the thread alive.
export function signal(sig, func) {
  if (!isMainThread) throw new TypeError('signal handler can only be set in the main thread');
  const num = Number(sig) >>> 0;
  if (num >= 64) throw new RangeError('invalid signal number');
  const old = signalHandlers.get(num);
  if (func === null || func === undefined) {
    if (old) {
      signalHandlers.delete(num);
      old.watcher.close();
    }
    resetSignal(num, func === undefined);
    return;
  }
  if (typeof func !== 'function') throw new TypeError('not a function');
  if (old) {
    old.fn = func;
    return;
  }
  const entry = { fn: func, watcher: null };
  entry.watcher = newSignal(() => entry.fn());
  entry.watcher.start(num);
  entry.watcher.setRef(false);
  signalHandlers.set(num, entry);
}

// ---- Worker --------------------------------------------------------------------

const kParent = Symbol('os.Worker.parent');

function dirname(file) {
  const i = file.lastIndexOf('/');
  return i <= 0 ? '/' : file.slice(0, i);
}

function exists(path) {
  const [, err] = libc.stat(path);
  return err === 0;
}

// quickjs-libc resolves './' and '../' against the calling module and takes
// other names as they are (from the current directory). weft resolves every
// relative name against the calling module and falls back to the current
// directory for names that do not start with a dot.
function workerPath(spec, from) {
  if (spec.startsWith('file:')) return decodeURIComponent(spec.replace(/^file:\/\/(localhost)?/, ''));
  if (spec.startsWith('/')) return spec;
  const cwd = libc.getcwd()[0];
  const base = from && from.startsWith('/') ? dirname(from) : cwd;
  const near = `${base}/${spec}`;
  if (spec.startsWith('./') || spec.startsWith('../') || exists(near)) return near;
  const here = `${cwd}/${spec}`;
  return exists(here) ? here : near;
}

function reportUnhandled(err) {
  // Like qjs, which prints a worker's uncaught error; the parent goes on.
  console.error('Uncaught', err);
}

// new os.Worker(path): a module running in its own thread. While it runs,
// the worker keeps its creator alive if `onmessage` (QuickJS's rule) or
// `onerror` is set; `onerror` gets its uncaught error (or a file that cannot
// be loaded), `onmessageerror` a message that could not be deserialized.
export class Worker {
  #thread = null;     // at the creator: the weft Thread
  #port = null;       // in the worker (Worker.parent): the port to the creator
  #listening = false;
  #onmessage = null;
  #onerror = null;
  #onmessageerror = null;
  #pending = [];      // messages that came while onmessage was null
  #flushing = null;
  #ended = false;

  constructor(path, port) {
    if (path === kParent) {
      this.#port = port;
      return;
    }
    const spec = String(path);
    const file = workerPath(spec, callerFile());
    try {
      this.#thread = new Thread(file, { name: spec });
    } catch (err) {
      // Reported like an error of the worker, once the caller could set
      // onerror; the timer keeps the thread alive until then.
      this.#ended = true;
      new Timer(() => this.#error(err)).start(0, 0);
      return;
    }
    const t = this.#thread;
    t.unref();
    t.on('message', (value) => this.#receive(value));
    t.on('messageerror', (err) => this.#messageError(err));
    t.on('error', (err) => this.#error(err));
    t.on('exit', () => {
      this.#ended = true;
    });
  }

  postMessage(message, transfer) {
    if (this.#port) this.#port.postMessage(message, transfer);
    else if (this.#thread && !this.#ended) this.#thread.postMessage(message, transfer);
  }

  get onmessage() {
    return this.#onmessage;
  }

  set onmessage(func) {
    if (func === null || func === undefined) {
      this.#onmessage = null;
      this.#updateRef();
      return;
    }
    if (typeof func !== 'function') throw new TypeError('not a function');
    this.#onmessage = func;
    this.#updateRef();
    if (this.#pending.length > 0) this.#flushSoon();
  }

  get onerror() {
    return this.#onerror;
  }

  set onerror(func) {
    this.#onerror = typeof func === 'function' ? func : null;
    this.#updateRef();
  }

  get onmessageerror() {
    return this.#onmessageerror;
  }

  set onmessageerror(func) {
    this.#onmessageerror = typeof func === 'function' ? func : null;
    if (this.#port && this.#onmessageerror) this.#updateRef();
  }

  // Beyond QuickJS: stops the worker wherever it is; resolves with its exit
  // code.
  terminate() {
    if (this.#port) throw new TypeError('a worker cannot terminate its parent');
    this.#onmessage = null;
    this.#pending.length = 0;
    if (!this.#thread) return Promise.resolve(1);
    // Alive until the exit is known, so that the promise settles.
    if (!this.#ended) this.#thread.ref();
    this.#ended = true;
    return this.#thread.terminate();
  }

  #listen() {
    if (this.#listening) return;
    this.#listening = true;
    this.#port.on('message', (value) => this.#receive(value));
    this.#port.on('messageerror', (err) => this.#messageError(err));
  }

  // QuickJS's rule: a handler keeps the thread waiting for messages. At the
  // creator, onerror counts too, so that a worker's failure is always heard.
  #updateRef() {
    if (this.#port) {
      this.#listen();
      if (this.#onmessage) this.#port.ref();
      else this.#port.unref();
    } else if (this.#thread && !this.#ended) {
      if (this.#onmessage || this.#onerror) this.#thread.ref();
      else this.#thread.unref();
    }
  }

  #receive(value) {
    const fn = this.#onmessage;
    if (fn && this.#pending.length === 0) {
      fn.call(this, { data: value });
    } else if (!this.#ended || this.#port) {
      this.#pending.push(value);
      if (fn) this.#flushSoon();
    }
  }

  // Messages kept while onmessage was null go out one per loop turn, as
  // quickjs-libc reads one message per poll.
  #flushSoon() {
    if (this.#flushing) return;
    this.#flushing = new Timer(() => {
      this.#flushing = null;
      const fn = this.#onmessage;
      if (!fn || this.#pending.length === 0) return;
      const value = this.#pending.shift();
      if (this.#pending.length > 0) this.#flushSoon();
      fn.call(this, { data: value });
    });
    this.#flushing.start(0, 0);
  }

  #error(err) {
    const fn = this.#onerror;
    if (fn) fn.call(this, err);
    else reportUnhandled(err);
  }

  #messageError(err) {
    const fn = this.#onmessageerror;
    if (fn) fn.call(this, err);
  }
}

// In a thread, os.Worker.parent talks to its creator (absent on the main
// thread, as in qjs).
if (parentPort) {
  Object.defineProperty(Worker, 'parent', {
    value: new Worker(kParent, parentPort), writable: true, enumerable: true, configurable: true,
  });
}
