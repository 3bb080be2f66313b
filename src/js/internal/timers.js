// Node's timers on libuv: each Timeout owns a native Timer (uv_timer_t);
// immediates are a JavaScript queue run by one native check handle.

import { process as native } from 'weft:internal/native';
import { timers as binding } from 'weft:internal/native/timers';
import { validateFunction } from 'weft:internal/errors';

const TIMEOUT_MAX = 2 ** 31 - 1;
const byId = new Map(); // active timers, for clearTimeout(number)
let nextId = 1;

function coerceDelay(delay) {
  delay = Number(delay);
  // Node: anything outside [1, TIMEOUT_MAX] (NaN included) becomes 1 ms.
  if (!(delay >= 1 && delay <= TIMEOUT_MAX)) return 1;
  return Math.trunc(delay);
}

export class Timeout {
  #native;
  #repeat;
  #ref = true;
  #active = false;

  constructor(callback, delay, args, repeat) {
    this._idleTimeout = coerceDelay(delay);
    this._onTimeout = callback;
    this._timerArgs = args;
    this.#repeat = repeat;
    this._id = nextId++;
    this.#native = new binding.Timer(() => this.#fire());
    this.#start();
  }

  #start() {
    const ms = this._idleTimeout;
    this.#native.start(ms, this.#repeat ? ms : 0);
    this.#active = true;
    byId.set(this._id, this);
  }

  #fire() {
    if (!this.#repeat) {
      this.#active = false;
      byId.delete(this._id);
    }
    this._onTimeout(...this._timerArgs);
  }

  get _destroyed() {
    return !this.#active;
  }

  refresh() {
    if (this.#active) this.#start();
    return this;
  }

  ref() {
    this.#ref = true;
    this.#native.setRef(true);
    return this;
  }

  unref() {
    this.#ref = false;
    this.#native.setRef(false);
    return this;
  }

  hasRef() {
    return this.#ref;
  }

  close() {
    clearTimeout(this);
    return this;
  }

  _clear() {
    this.#active = false;
    byId.delete(this._id);
    this.#native.stop();
  }

  [Symbol.toPrimitive]() {
    return this._id;
  }
}

export function setTimeout(callback, delay, ...args) {
  validateFunction(callback, 'callback');
  return new Timeout(callback, delay, args, false);
}

export function setInterval(callback, delay, ...args) {
  validateFunction(callback, 'callback');
  return new Timeout(callback, delay, args, true);
}

export function clearTimeout(timer) {
  if (timer instanceof Timeout) {
    timer._clear();
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const t = byId.get(Number(timer));
    if (t) t._clear();
  }
}

export const clearInterval = clearTimeout;

// ---- immediates ------------------------------------------------------------

let queue = [];
let refed = 0;

export class Immediate {
  #ref = true;

  constructor(callback, args) {
    this._onImmediate = callback;
    this._argv = args;
    this._destroyed = false;
    refed++;
    queue.push(this);
    binding.toggleImmediates(true, true);
  }

  ref() {
    if (!this.#ref && !this._destroyed) {
      this.#ref = true;
      refed++;
      binding.toggleImmediates(true, true);
    }
    return this;
  }

  unref() {
    if (this.#ref && !this._destroyed) {
      this.#ref = false;
      refed--;
      binding.toggleImmediates(queue.length > 0, refed > 0);
    }
    return this;
  }

  hasRef() {
    return this.#ref;
  }

  _settle() {
    this._destroyed = true;
    if (this.#ref) refed--;
  }
}

// Runs the immediates queued before this check phase; those they queue wait
// for the next loop iteration, as in Node. Ticks and microtasks drain after
// each one.
function runImmediates() {
  const batch = queue;
  queue = [];
  for (const im of batch) {
    if (im._destroyed) continue;
    im._settle();
    native.invokeCallback(() => im._onImmediate(...im._argv), im);
  }
  binding.toggleImmediates(queue.length > 0, refed > 0);
}

binding.setImmediateCallback(runImmediates);

export function setImmediate(callback, ...args) {
  validateFunction(callback, 'callback');
  return new Immediate(callback, args);
}

export function clearImmediate(immediate) {
  if (!(immediate instanceof Immediate) || immediate._destroyed) return;
  immediate._settle();
  const i = queue.indexOf(immediate);
  if (i >= 0) queue.splice(i, 1);
  binding.toggleImmediates(queue.length > 0, refed > 0);
}
