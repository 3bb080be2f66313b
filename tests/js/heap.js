// The runtime heap in use (the default): see fixtures/heap/body.js.
require('./fixtures/heap/body.js')().catch((e) => {
  console.error(e);
  process.exit(1);
});
