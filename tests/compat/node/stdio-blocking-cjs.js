// Node's worker_threads documentation, Notes: "Synchronous blocking of stdio"
// (the CommonJS version).
//
// Adapted: the busy loop runs 1e7 times instead of 1e10. QuickJS is an
// interpreter: 1e10 empty iterations take it minutes (V8's compiler, a few
// seconds). The example's point, a main thread busy in a loop while the
// worker prints, is the same. (In weft a worker writes its output itself,
// so 'foo' is not held back by the loop; docs/node-compat.md.)
'use strict';

const {
  Worker,
  isMainThread,
} = require('worker_threads');

if (isMainThread) {
  new Worker(__filename);
  for (let n = 0; n < 1e7; n++) {}
} else {
  // This output will be blocked by the for loop in the main thread.
  console.log('foo');
}
