// Node's worker_threads documentation, the module's first example.
//
// Adapted: the example loads 'some-js-parsing-library', which does not
// exist; node_modules/some-js-parsing-library here stands in for it. The
// example only defines parseJSAsync; the harness at the end calls it.
const {
  Worker, isMainThread, parentPort, workerData
} = require('worker_threads');

if (isMainThread) {
  module.exports = function parseJSAsync(script) {
    return new Promise((resolve, reject) => {
      const worker = new Worker(__filename, {
        workerData: script
      });
      worker.on('message', resolve);
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0)
          reject(new Error(`Worker stopped with exit code ${code}`));
      });
    });
  };
} else {
  const { parse } = require('some-js-parsing-library');
  const script = workerData;
  parentPort.postMessage(parse(script));
}

// ---- test harness, not part of the example.
if (isMainThread) {
  module.exports('let a = 1; a += 2').then((ast) => console.log(JSON.stringify(ast, null, 2)));
}
