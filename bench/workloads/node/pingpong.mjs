// Case 3 on Node: round trip of a small object between the main thread and
// a worker.
//   mode 'event': both sides sleep in their event loops between messages
//   ('message' listeners).
//   mode 'busy': both sides poll their end of a MessageChannel with
//   receiveMessageOnPort() in a tight loop (Node has no blocking receive);
//   neither side ever sleeps.
import { Worker, MessageChannel, isMainThread, parentPort, workerData, receiveMessageOnPort } from 'node:worker_threads';
import { once } from 'node:events';
import { params, report, timeEventTrips, timeBusyTrips } from '../common.mjs';

function poll(port) {
  for (;;) {
    const received = receiveMessageOnPort(port);
    if (received) return received.message;
  }
}

if (!isMainThread) {
  if (workerData?.port) {
    const { port } = workerData;
    for (;;) {
      const message = poll(port);
      if (message === null) break;
      port.postMessage(message);
    }
    port.close();
  } else {
    parentPort.on('message', (message) => {
      if (message === null) process.exit(0);
      parentPort.postMessage(message);
    });
  }
} else {
  const { mode, warmup, trips } = params();
  const us = mode === 'event' ? await eventDriven(warmup, trips) : await busy(warmup, trips);
  report({ us_per_trip: us });
}

async function eventDriven(warmup, trips) {
  const worker = new Worker(new URL(import.meta.url));
  const us = await timeEventTrips(warmup, trips, (m) => worker.postMessage(m), (fn) => worker.on('message', fn));
  worker.postMessage(null);
  await once(worker, 'exit');
  return us;
}

async function busy(warmup, trips) {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL(import.meta.url), { workerData: { port: port2 }, transferList: [port2] });
  const us = timeBusyTrips(warmup, trips, (m) => port1.postMessage(m), () => poll(port1));
  port1.postMessage(null);
  port1.close();
  await once(worker, 'exit');
  return us;
}
