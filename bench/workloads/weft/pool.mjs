// Case 7: tiny tasks (x => x + 1) on a pool of `threads` threads. weft has no
// pool API yet, so this is the minimal pool of ../common.mjs (miniPool) over
// Thread + postMessage.
import { Thread, isMainThread, parent } from 'weft';
import { params, report, miniPool, measurePool } from '../common.mjs';

if (!isMainThread) {
  const task = (x) => x + 1;
  parent.on('message', (msg) => {
    if (msg === null) process.exit(0);
    parent.postMessage({ id: msg.id, result: task(msg.x) });
  });
} else {
  const p = params();
  const pool = miniPool(p.threads, (onResult) => {
    const thread = new Thread(new URL(import.meta.url));
    thread.on('message', onResult);
    return {
      post: (msg) => thread.postMessage(msg),
      close: () => {
        thread.postMessage(null);
        return thread.exited;
      },
    };
  });
  report(await measurePool(pool, p));
}
