// Case 7 on qjs: tiny tasks (x => x + 1) on the same minimal pool as weft's
// workload (miniPool in ../common.mjs), over os.Worker; `inFlight` tasks per
// thread outstanding.
import * as os from 'os';
import { runMain } from './run-main.mjs';
import { params, report, miniPool, measurePool } from '../common.mjs';

const parent = os.Worker.parent;
if (parent) {
  const task = (x) => x + 1;
  parent.onmessage = ({ data: msg }) => {
    if (msg === null) parent.onmessage = null;
    else parent.postMessage({ id: msg.id, result: task(msg.x) });
  };
} else {
  runMain(main);
}

async function main() {
  const p = params();
  const pool = miniPool(p.threads, (onResult) => {
    const worker = new os.Worker('./pool.mjs');
    worker.onmessage = ({ data }) => onResult(data);
    return {
      post: (msg) => worker.postMessage(msg),
      // os.Worker has no exit event: dropping its handler lets it end.
      close: () => {
        worker.postMessage(null);
        worker.onmessage = null;
      },
    };
  });
  report(await measurePool(pool, p));
}
