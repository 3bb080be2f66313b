import * as os from 'os';
os.Worker.parent.postMessage('starting');
throw new TypeError('the worker failed');
