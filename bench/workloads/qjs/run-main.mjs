// Runs a qjs workload's async main(). Top-level await is avoided: with it,
// qjs 2025-04-26 can miss a worker's message that resolves a Promise.all,
// while an async main() runs in the normal event loop. An error ends the
// process at once (qjs would only print it and wait on its workers).
import * as std from 'std';

export function runMain(main) {
  main().catch((err) => {
    std.err.puts(`${err}\n${err.stack ?? ''}\n`);
    std.exit(1);
  });
}
