// Case 6 on qjs: the ~1 MB graph posted to a worker, which answers with a
// tiny acknowledgement (os.Worker serializes with JS_WriteObject and
// JS_ReadObject). qjs has no global structuredClone, so no 'local' figure.
import * as os from 'os';
import { params, report, now, buildGraph, payloadBytes } from '../common.mjs';

const parent = os.Worker.parent;
if (parent) {
  parent.onmessage = ({ data: graph }) => {
    if (graph === null) parent.onmessage = null;
    else parent.postMessage(graph.users.length);
  };
} else {
  const { copies } = params();
  const graph = buildGraph();
  const mb = payloadBytes(graph) / 1e6;
  const worker = new os.Worker('./clone.mjs');
  const send = () => new Promise((resolve) => {
    worker.onmessage = resolve;
    worker.postMessage(graph);
  });
  await send();
  const t0 = now();
  for (let i = 0; i < copies; i++) await send();
  const port = (mb * copies) / ((now() - t0) / 1000);
  worker.postMessage(null);
  worker.onmessage = null;
  report({ port_mb_s: port, payload_mb: mb });
}
