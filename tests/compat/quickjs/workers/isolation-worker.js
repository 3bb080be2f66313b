import * as os from 'os';
globalThis.fromWorker = 'worker only';
os.Worker.parent.postMessage({
  seesParentGlobal: typeof globalThis.fromParent !== 'undefined',
  ownGlobal: globalThis.fromWorker,
});
