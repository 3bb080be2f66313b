// Case 1's thread: the least a thread can do, tell its parent it runs.
import { parent } from 'weft';

parent.postMessage(0);
