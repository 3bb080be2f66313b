// QuickJS's 'std' module on weft: `import * as std from 'std'` in an ES
// module gives this (see docs/quickjs-compat.md). quickjs-libc's own module
// does the work; only exit() and evalScript() are weft's, because the libc
// versions end the whole process and replace weft's interrupt handler.

import { evalScript as nativeEvalScript } from 'weft:qjs/native';
import { libcStd, installHelpers } from 'weft:qjs/helpers';

const libc = libcStd();
installHelpers();

export const {
  gc, loadScript, getenv, setenv, unsetenv, getenviron, urlGet, loadFile, strerror, parseExtJSON,
  open, popen, fdopen, tmpfile, puts, printf, sprintf, SEEK_SET, SEEK_CUR, SEEK_END, out, err,
} = libc;

// Names that cannot be bindings of their own here.
const stdin = libc.in;
const errnos = libc.Error;
export { stdin as in, errnos as Error };

// Ends the calling thread (the whole process when called on the main
// thread): the thread's 'exit' listeners run, nothing else. quickjs-libc's
// exit() would end every thread at once.
export function exit(status) {
  let code;
  try {
    code = Number(status) | 0; // ToInt32, as JS_ToInt32
  } catch {
    code = -1;
  }
  process.exit(code);
}

export function evalScript(source, options) {
  return nativeEvalScript(source, options);
}
