// Node's worker_threads documentation, "Considerations when transferring
// TypedArrays and Buffers".
//
// Adapted: the document's snippet posts on a `port` it does not define; the
// first line (the only addition) makes one.
const { port1: port } = new (require('worker_threads').MessageChannel)();

const ab = new ArrayBuffer(10);
const u1 = new Uint8Array(ab);
const u2 = new Uint16Array(ab);

console.log(u2.length);  // prints 5

port.postMessage(u1, [u1.buffer]);

console.log(u2.length);  // prints 0
