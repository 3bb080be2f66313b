// process.env shared between threads (worker_threads' SHARE_ENV).
//
// In Node, SHARE_ENV means the real environment of the process, behind a
// lock. weft threads cannot share a JavaScript object, and weft's
// process.env is a plain object, so the threads that share an environment
// each get a Proxy over one store in a SharedArrayBuffer: a write is seen by
// every sharing thread at its next read.
//
// The store holds the environment as JSON in one of two slots. A writer
// (under a lock) writes the slot not in use, then publishes it by switching
// `active` and bumping `seq`; so a thread stopped in the middle of a write
// (terminate() can stop a thread anywhere) leaves the published slot whole.
// Readers take no lock: they copy the active slot and retry if `seq` moved
// meanwhile (a seqlock). The lock records its holder; a holder that keeps it
// past STEAL_MS has been stopped (the critical section is a copy of a few
// KB), and the lock is taken over.

import { threadId } from 'weft:lib/weft';

const LOCK = 0;
const SEQ = 1;
const ACTIVE = 2;
const LENGTH = 3; // LENGTH + slot: the bytes in each slot
const HEADER = 32;
const MIN_CAPACITY = 1 << 20;
const STEAL_MS = 1000;

const owner = threadId + 1; // never 0, which means "unlocked"

class SharedEnvStore {
  constructor(sab) {
    this.sab = sab;
    this.words = new Int32Array(sab, 0, HEADER / 4);
    this.capacity = (sab.byteLength - HEADER) / 2;
    this.seen = -1;
    this.env = null;
  }

  static create(env) {
    const bytes = encode(env);
    const capacity = Math.max(MIN_CAPACITY, Math.ceil(bytes.length * 4 / 8) * 8);
    const store = new SharedEnvStore(new SharedArrayBuffer(HEADER + 2 * capacity));
    store.#writeSlot(0, bytes);
    return store;
  }

  #slot(index) {
    return new Uint8Array(this.sab, HEADER + index * this.capacity, this.capacity);
  }

  #writeSlot(index, bytes) {
    if (bytes.length > this.capacity) {
      throw new RangeError(`The shared environment (SHARE_ENV) is full: ${bytes.length} bytes, room for ${this.capacity}`);
    }
    this.#slot(index).set(bytes);
    Atomics.store(this.words, LENGTH + index, bytes.length);
  }

  // The environment as it is now (a fresh object only when it changed).
  read() {
    for (;;) {
      const seq = Atomics.load(this.words, SEQ);
      if (seq === this.seen) return this.env;
      const active = Atomics.load(this.words, ACTIVE);
      const length = Atomics.load(this.words, LENGTH + active);
      const bytes = this.#slot(active).slice(0, length);
      if (Atomics.load(this.words, SEQ) !== seq) continue;
      this.env = JSON.parse(new TextDecoder().decode(bytes));
      this.seen = seq;
      return this.env;
    }
  }

  // Applies change(env) to the shared environment and publishes it.
  update(change) {
    this.#lock();
    try {
      const env = { ...this.read() };
      change(env);
      const next = 1 - Atomics.load(this.words, ACTIVE);
      this.#writeSlot(next, encode(env));
      Atomics.store(this.words, ACTIVE, next);
      this.seen = Atomics.add(this.words, SEQ, 1) + 1;
      this.env = env;
    } finally {
      this.#unlock();
    }
  }

  #lock() {
    let holder = 0;
    let since = 0;
    for (;;) {
      const was = Atomics.compareExchange(this.words, LOCK, 0, owner);
      if (was === 0) return;
      if (was !== holder) {
        holder = was;
        since = Date.now();
      } else if (Date.now() - since > STEAL_MS &&
                 Atomics.compareExchange(this.words, LOCK, holder, owner) === holder) {
        return;
      }
      Atomics.wait(this.words, LOCK, was, 50);
    }
  }

  #unlock() {
    Atomics.store(this.words, LOCK, 0);
    Atomics.notify(this.words, LOCK, 1);
  }
}

function encode(env) {
  return new TextEncoder().encode(JSON.stringify(env));
}

// A process.env whose every read and write goes to the store. The target is
// kept equal to the latest snapshot, so the Proxy's invariants always hold.
function envProxy(store) {
  const mirror = {};
  let mirrored = null;
  const sync = () => {
    const env = store.read();
    if (env !== mirrored) {
      for (const key of Object.keys(mirror)) if (!(key in env)) delete mirror[key];
      Object.assign(mirror, env);
      mirrored = env;
    }
    return mirror;
  };
  const set = (key, value) => {
    // Environment values are strings, as in Node.
    store.update((env) => { env[key] = `${value}`; });
    sync();
    return true;
  };
  return new Proxy(mirror, {
    get: (target, key) => (typeof key === 'string' ? sync()[key] : Reflect.get(target, key)),
    set: (target, key, value) => (typeof key === 'string' ? set(key, value) : Reflect.set(target, key, value)),
    defineProperty: (target, key, desc) =>
      (typeof key === 'string' ? set(key, desc.value) : Reflect.defineProperty(target, key, desc)),
    deleteProperty(target, key) {
      if (typeof key !== 'string') return Reflect.deleteProperty(target, key);
      store.update((env) => { delete env[key]; });
      sync();
      return true;
    },
    has: (target, key) => Reflect.has(typeof key === 'string' ? sync() : target, key),
    ownKeys: () => Reflect.ownKeys(sync()),
    getOwnPropertyDescriptor: (target, key) =>
      Reflect.getOwnPropertyDescriptor(typeof key === 'string' ? sync() : target, key),
  });
}

// This thread's shared store, once it shares its environment.
let shared = null;

// The SharedArrayBuffer to hand a Worker started with SHARE_ENV. The first
// time, this thread's own process.env becomes the shared one.
export function shareEnv() {
  if (shared === null) {
    const env = {};
    for (const [key, value] of Object.entries(process.env)) env[key] = `${value}`;
    shared = SharedEnvStore.create(env);
    process.env = envProxy(shared);
  }
  return shared.sab;
}

// In a Worker started with SHARE_ENV: process.env is the parent's.
export function adoptSharedEnv(sab) {
  shared = new SharedEnvStore(sab);
  process.env = envProxy(shared);
}
