// The BroadcastChannel hub: the thread holding every BroadcastChannel of the
// process, by name (see weft:internal/worker_broadcast). Each member is a
// port whose other end is a BroadcastChannel object in some thread.

import { parent } from 'weft:lib/weft';

const groups = new Map(); // name -> Set of ports

parent.on('message', ({ name, port }) => {
  let group = groups.get(name);
  if (group === undefined) groups.set(name, (group = new Set()));
  group.add(port);
  port.on('message', (message) => {
    for (const member of group) if (member !== port) member.postMessage(message);
  });
  port.on('close', () => {
    group.delete(port);
    if (group.size === 0) groups.delete(name);
  });
});
