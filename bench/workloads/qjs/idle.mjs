// Case 2 on qjs: resident memory of idle workers (measureIdle in
// ../common.mjs). qjs has no memoryUsage(): RSS comes from /proc/self/status.
import * as os from 'os';
import * as std from 'std';
import { runMain } from './run-main.mjs';
import { params, report, measureIdle } from '../common.mjs';

function rss() {
  const file = std.open('/proc/self/status', 'r');
  const kb = Number(/VmRSS:\s*(\d+) kB/.exec(file.readAsString())[1]);
  file.close();
  return kb * 1024;
}
// os.Worker objects must stay referenced, or their message handlers go.
const live = [];

async function main() {
  report(await measureIdle(params(), {
    start() {
      const worker = new os.Worker('./idle-thread.mjs');
      live.push(worker);
      return new Promise((resolve) => { worker.onmessage = resolve; });
    },
    // os.Worker cannot be stopped from outside: the first one stays, not counted.
    dropFirst: () => live.shift(),
    rss,
    sleep: (ms) => new Promise((resolve) => os.setTimeout(resolve, ms)),
    write: (s) => { std.err.puts(s); std.err.flush(); },
  }));
  std.out.flush();
  std.exit(0);
}

runMain(main);
