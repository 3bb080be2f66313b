// Case 6: structured clone of a ~1 MB object graph (common.mjs), in MB/s of
// payload. 'local': the global structuredClone (write and read in one
// thread). 'port': posted to a thread, which answers with a tiny
// acknowledgement once it has the copy (write here, read there), one at a time.
import { Thread, isMainThread, parent } from 'weft';
import { params, report, now, buildGraph, payloadBytes } from '../common.mjs';

if (!isMainThread) {
  parent.on('message', (graph) => {
    if (graph === null) process.exit(0);
    parent.postMessage(graph.users.length);
  });
} else {
  const { copies } = params();
  const graph = buildGraph();
  const mb = payloadBytes(graph) / 1e6;

  structuredClone(graph);
  let t0 = now();
  for (let i = 0; i < copies; i++) structuredClone(graph);
  const local = (mb * copies) / ((now() - t0) / 1000);

  const thread = new Thread(new URL(import.meta.url));
  const send = () => new Promise((resolve) => {
    thread.once('message', resolve);
    thread.postMessage(graph);
  });
  await send();
  t0 = now();
  for (let i = 0; i < copies; i++) await send();
  const port = (mb * copies) / ((now() - t0) / 1000);
  report({ local_mb_s: local, port_mb_s: port, payload_mb: mb });
  thread.postMessage(null);
  await thread.exited;
}
