// Node's worker_threads documentation, port.postMessage(value[, transferList]).
//
// The document's comment predates the reference markers that Node's
// util.inspect prints for circular structures, as weft's does:
// <ref *1> { foo: [Circular *1] } (the expected output).
const { MessageChannel } = require('worker_threads');
const { port1, port2 } = new MessageChannel();

port1.on('message', (message) => console.log(message));

const circularData = {};
circularData.foo = circularData;
// Prints: { foo: [Circular] }
port2.postMessage(circularData);

// ---- test harness, not part of the example: port1's 'message' listener keeps
// the process alive for good (in Node too), so the test closes it once the
// message has been printed.
port1.once('message', () => port1.close());
