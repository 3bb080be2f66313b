// @env: WEFT_SYSTEM_MALLOC=1
// The same as heap.js with malloc for every block.
require('./fixtures/heap/body.js')().catch((e) => {
  console.error(e);
  process.exit(1);
});
