// Case 2's thread: says it is ready, then sleeps in its event loop, kept
// alive by its listener.
import { parent } from 'weft';

parent.on('message', () => {});
parent.postMessage('ready');
