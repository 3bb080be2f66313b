// Reference (QuickJS workers), "Debugging Workers / Worker Errors": onerror
// gets the worker's uncaught error. The reference's worker.js is a worker
// that fails here (workers/failing-worker.js); the example is unchanged.
import * as os from 'os';
const worker = new os.Worker('./workers/failing-worker.js');
worker.onerror = (error) => {
console.error('Worker error:', error);
};
worker.onmessageerror = (error) => {
console.error('Message deserialization error:', error);
};
