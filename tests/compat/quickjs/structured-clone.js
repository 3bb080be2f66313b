// Reference (QuickJS workers), "Message Passing / Structured Clone": the
// worker receives a deep copy; changing it does not affect the sender.
// The reference's worker sets msg.number on the event it receives; here the
// worker (workers/clone-worker.js) changes the copy in msg.data and sends it
// back, so that both sides can be printed.
import * as os from 'os';

const worker = new os.Worker('./workers/clone-worker.js');

// Parent (the reference's code)
const data = {
number: 42,
string: 'hello',
array: [1, 2, 3],
object: { nested: true },
};
worker.postMessage(data); // Serialized

// Test scaffolding: show both sides, then let the process end.
worker.onmessage = (e) => {
  console.log('worker changed its copy:', e.data);
  console.log('sender still has:', data);
  console.log('a copy, not the object:', e.data !== data);
  worker.onmessage = null;
};
