// Reference (QuickJS workers), "Worker Lifecycle / Creating Workers", with
// the reference's worker.js (workers/worker.js here): construction succeeds;
// the worker waits for messages, and the parent, which sets no handler, ends.
import * as os from 'os';
try {
const worker = new os.Worker('./workers/worker.js');
console.log('Worker created successfully');
} catch (err) {
console.error('Failed to create worker:', err);
}
