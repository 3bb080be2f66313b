// Case 6 on qjs: the ~1 MB graph posted to a worker, which answers with a
// tiny acknowledgement (os.Worker serializes with JS_WriteObject and
// JS_ReadObject). qjs has no global structuredClone, so no 'local' figure.
import * as os from 'os';
import { runMain } from './run-main.mjs';
import { params, report, now, buildGraph, payloadBytes } from '../common.mjs';

const parent = os.Worker.parent;
if (parent) {
  parent.onmessage = ({ data: graph }) => {
    if (graph === null) parent.onmessage = null;
    else parent.postMessage(graph.users.length);
  };
} else {
  runMain(main);
}

async function main() {
  const { copies } = params();
  const graph = buildGraph();
  const mb = payloadBytes(graph) / 1e6;
  const worker = new os.Worker('./clone.mjs');
  // postMessage outside the promise: its error must throw here, since qjs
  // ends the process on a rejection that has no handler yet.
  const send = () => {
    worker.postMessage(graph);
    return new Promise((resolve) => { worker.onmessage = resolve; });
  };
  try {
    await send();
  } catch (err) {
    // JS_WriteObject has no Map: the graph cannot be posted at all.
    report({ skipped: `os.Worker cannot post the graph (${err.message})` });
    worker.postMessage(null);
    worker.onmessage = null;
    return;
  }
  const t0 = now();
  for (let i = 0; i < copies; i++) await send();
  const port = (mb * copies) / ((now() - t0) / 1000);
  worker.postMessage(null);
  worker.onmessage = null;
  report({ port_mb_s: port, payload_mb: mb });
}
