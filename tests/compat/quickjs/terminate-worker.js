// Reference (QuickJS workers), "Worker Lifecycle / Terminating Workers": the
// parent asks the worker to exit; the worker says goodbye, and (QuickJS's
// rule) ends once its script is done and its handler is cleared. The
// reference's worker code is in workers/exit-worker.js; it reads msg.type
// where QuickJS's event has msg.data.type. Scaffolding prints what happens.
import * as os from 'os';

const worker = new os.Worker('./workers/exit-worker.js');
worker.onmessage = (msg) => {
  console.log('parent got', msg.data);
  if (msg.data.type === 'goodbye') worker.onmessage = null;
};
// Parent
worker.postMessage({ type: 'exit' });
