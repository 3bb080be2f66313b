// Case 6: structured clone of a ~1 MB object graph (common.mjs), in MB/s of
// payload. 'local': the global structuredClone (write and read in one
// thread). 'port': posted to a thread, which answers with a tiny
// acknowledgement once it has the copy (write here, read there), one at a time.
import { Thread, isMainThread, parent } from 'weft';
import { params, report, measureClone } from '../common.mjs';

if (!isMainThread) {
  parent.on('message', (graph) => {
    if (graph === null) process.exit(0);
    parent.postMessage(graph.users.length);
  });
} else {
  const thread = new Thread(new URL(import.meta.url));
  report(await measureClone(params().copies, (graph) => new Promise((resolve) => {
    thread.once('message', resolve);
    thread.postMessage(graph);
  })));
  thread.postMessage(null);
  await thread.exited;
}
