// Node's worker_threads documentation, Class: MessageChannel.
const { MessageChannel } = require('worker_threads');

const { port1, port2 } = new MessageChannel();
port1.on('message', (message) => console.log('received', message));
port2.postMessage({ foo: 'bar' });
// Prints: received { foo: 'bar' } from the `port1.on('message')` listener

// ---- test harness, not part of the example: port1's 'message' listener keeps
// the process alive for good (in Node too), so the test closes it once the
// message has been printed.
port1.once('message', () => port1.close());
