// Node's worker_threads documentation, port.postMessage(value[, transferList]).
//
// The document's comment shows the output of Node releases before 14;
// Node 14 itself, whose documentation this is, prints the reference markers
// that the expected output has: <ref *1> { foo: [Circular *1] }.
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
