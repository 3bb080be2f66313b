// What qjs gives every QuickJS script besides the modules (quickjs-libc's
// js_std_add_helpers): the globals `print` and `scriptArgs`. weft defines
// them when a module first imports 'os' or 'std', so that Node-style code
// never sees them; `console` stays weft's own.

import { loadLibc } from 'weft:qjs/native';

let std;

// quickjs-libc's 'std' namespace, loaded once per thread.
export function libcStd() {
  std ??= loadLibc('std');
  return std;
}

function print(...args) {
  // As quickjs-libc: each argument converted to a string, separated by
  // spaces, through stdio's stdout (shared with std.out and std.printf).
  let line = '';
  for (let i = 0; i < args.length; i++) line += (i ? ' ' : '') + String(args[i]);
  libcStd().out.puts(`${line}\n`);
}

let installed = false;

export function installHelpers() {
  if (installed) return;
  installed = true;
  libcStd();
  const define = (name, value) => {
    if (!Object.prototype.hasOwnProperty.call(globalThis, name)) {
      Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
    }
  };
  define('print', print);
  // qjs: the script and its arguments (argv from the script name on).
  define('scriptArgs', process.argv.slice(1));
}
