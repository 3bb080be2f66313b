// Case 3 on qjs, event-driven only: both sides sleep in their event loops
// between messages (onmessage handlers). os.Worker has neither a blocking
// nor a polling receive, so there is no busy variant.
import * as os from 'os';
import { runMain } from './run-main.mjs';
import { params, report, timeEventTrips } from '../common.mjs';

const parent = os.Worker.parent;
if (parent) {
  parent.onmessage = ({ data }) => {
    if (data === null) parent.onmessage = null;
    else parent.postMessage(data);
  };
} else {
  runMain(main);
}

async function main() {
  const { warmup, trips } = params();
  const worker = new os.Worker('./pingpong.mjs');
  const us = await timeEventTrips(warmup, trips, (m) => worker.postMessage(m), (fn) => { worker.onmessage = fn; });
  worker.postMessage(null);
  worker.onmessage = null;
  report({ us_per_trip: us });
}
