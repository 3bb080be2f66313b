// Case 2's worker: says it is ready, then sleeps in its event loop, kept
// alive by its handler.
import * as os from 'os';

os.Worker.parent.onmessage = () => {};
os.Worker.parent.postMessage('ready');
