// Case 6 on Node: structured clone of the ~1 MB graph, with the global
// structuredClone and through a worker's port (see weft/clone.mjs).
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, measureClone } from '../common.mjs';

if (!isMainThread) {
  parentPort.on('message', (graph) => {
    if (graph === null) process.exit(0);
    parentPort.postMessage(graph.users.length);
  });
} else {
  const worker = new Worker(new URL(import.meta.url));
  const exited = once(worker, 'exit');
  report(await measureClone(params().copies, (graph) => {
    const answer = once(worker, 'message');
    worker.postMessage(graph);
    return answer;
  }));
  worker.postMessage(null);
  await exited;
}
