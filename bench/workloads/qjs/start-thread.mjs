// Case 1's worker: the least a worker can do, tell its parent it runs.
import * as os from 'os';

os.Worker.parent.postMessage(0);
