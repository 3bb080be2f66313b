// Case 6 on Node: structured clone of the ~1 MB graph, with the global
// structuredClone and through a worker's port (see weft/clone.mjs).
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, now, buildGraph, payloadBytes } from '../common.mjs';

if (!isMainThread) {
  parentPort.on('message', (graph) => {
    if (graph === null) process.exit(0);
    parentPort.postMessage(graph.users.length);
  });
} else {
  const { copies } = params();
  const graph = buildGraph();
  const mb = payloadBytes(graph) / 1e6;

  structuredClone(graph);
  let t0 = now();
  for (let i = 0; i < copies; i++) structuredClone(graph);
  const local = (mb * copies) / ((now() - t0) / 1000);

  const worker = new Worker(new URL(import.meta.url));
  const exited = once(worker, 'exit');
  const send = () => {
    const answer = once(worker, 'message');
    worker.postMessage(graph);
    return answer;
  };
  await send();
  t0 = now();
  for (let i = 0; i < copies; i++) await send();
  const port = (mb * copies) / ((now() - t0) / 1000);
  report({ local_mb_s: local, port_mb_s: port, payload_mb: mb });
  worker.postMessage(null);
  await exited;
}
