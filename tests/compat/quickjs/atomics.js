// Reference (QuickJS workers), "Thread Safety / Atomic Operations", on one
// thread: the wait returns at once since the value is no longer 0, and no
// one waits to be notified.
const sab = new SharedArrayBuffer(4);
const view = new Int32Array(sab);
// Atomic operations are thread-safe
Atomics.store(view, 0, 42);
const value = Atomics.load(view, 0);
// Compare and exchange
Atomics.compareExchange(view, 0, 42, 100);
// Wait/notify for synchronization
console.log(value, view[0]);
console.log(Atomics.wait(view, 0, 0)); // Block until value changes
console.log(Atomics.notify(view, 0, 1)); // Wake one waiting thread
