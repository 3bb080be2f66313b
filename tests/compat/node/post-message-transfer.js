// Node's worker_threads documentation, port.postMessage(value[, transferList]):
// copies, transfers, shared memory and ports.
const { MessageChannel } = require('worker_threads');
const { port1, port2 } = new MessageChannel();

port1.on('message', (message) => console.log(message));

const uint8Array = new Uint8Array([ 1, 2, 3, 4 ]);
// This posts a copy of `uint8Array`:
port2.postMessage(uint8Array);
// This does not copy data, but renders `uint8Array` unusable:
port2.postMessage(uint8Array, [ uint8Array.buffer ]);

// The memory for the `sharedUint8Array` will be accessible from both the
// original and the copy received by `.on('message')`:
const sharedUint8Array = new Uint8Array(new SharedArrayBuffer(4));
port2.postMessage(sharedUint8Array);

// This transfers a freshly created message port to the receiver.
// This can be used, for example, to create communication channels between
// multiple `Worker` threads that are children of the same parent thread.
const otherChannel = new MessageChannel();
port2.postMessage({ port: otherChannel.port1 }, [ otherChannel.port1 ]);

// ---- test harness, not part of the example: port1's 'message' listener keeps
// the process alive for good (in Node too), so the test closes it after the
// four messages; it also shows what the example says about the memory.
let received = 0;
port1.on('message', (message) => {
  if (++received === 2) console.log('sender after the transfer:', uint8Array.length);
  if (received === 3) {
    message[0] = 42;
    console.log('shared with the sender:', sharedUint8Array[0]);
  }
  if (received === 4) {
    console.log('port received:', message.port instanceof require('worker_threads').MessagePort);
    port1.close();
  }
});
