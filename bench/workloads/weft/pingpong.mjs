// Case 3: round trip of a small object between the main thread and a thread.
//   mode 'event': both sides sleep in their event loops between messages
//   ('message' listeners).
//   mode 'busy': both sides wait in the blocking port.receive(), which spins
//   briefly before it parks the thread, on the two ends of a Channel.
import { Thread, Channel, isMainThread, parent, capabilities } from 'weft';
import { params, report, timeEventTrips, timeBusyTrips } from '../common.mjs';

if (!isMainThread) {
  if (capabilities.port) {
    const { port } = capabilities;
    for (;;) {
      const { message } = port.receive();
      if (message === null) break;
      port.postMessage(message);
    }
  } else {
    parent.on('message', (message) => {
      if (message === null) process.exit(0);
      parent.postMessage(message);
    });
  }
} else {
  const { mode, warmup, trips } = params();
  const us = mode === 'event' ? await eventDriven(warmup, trips) : await busy(warmup, trips);
  report({ us_per_trip: us });
}

async function eventDriven(warmup, trips) {
  const thread = new Thread(new URL(import.meta.url));
  const us = await timeEventTrips(warmup, trips, (m) => thread.postMessage(m), (fn) => thread.on('message', fn));
  thread.postMessage(null);
  await thread.exited;
  return us;
}

async function busy(warmup, trips) {
  const { port1, port2 } = new Channel();
  const thread = new Thread(new URL(import.meta.url), { capabilities: { port: port2 } });
  const us = timeBusyTrips(warmup, trips, (m) => port1.postMessage(m), () => port1.receive());
  port1.postMessage(null);
  await thread.exited;
  return us;
}
