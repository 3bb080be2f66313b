// The console global: Node's methods and formatting (weft:internal/inspect),
// written synchronously to stdout and stderr.

import { process as native } from 'weft:internal/native';
import { load } from 'weft:internal/load';

// inspect is the largest builtin: a thread loads it on its first console
// call instead of at start-up.
let formatter;
function fmt() {
  formatter ??= load('weft:internal/inspect');
  return formatter;
}
const format = (...args) => fmt().format(...args);
const formatWithOptions = (...args) => fmt().formatWithOptions(...args);
export const inspect = (...args) => fmt().inspect(...args);

const counts = new Map();
const timers = new Map();
let indent = '';

function write(fd, text) {
  if (indent !== '') text = indent + text.replaceAll('\n', `\n${indent}`);
  native.write(fd, `${text}\n`);
}

function label(value) {
  return value === undefined ? 'default' : `${value}`;
}

function elapsed(name) {
  const start = timers.get(name);
  if (start === undefined) {
    write(2, `Warning: No such label '${name}' for console.timeEnd()`);
    return undefined;
  }
  const ms = native.now() - start;
  return ms < 1000 ? `${+ms.toFixed(3)}ms` : `${+(ms / 1000).toFixed(3)}s`;
}

export const console = {
  log: (...args) => write(1, format(...args)),
  info: (...args) => write(1, format(...args)),
  debug: (...args) => write(1, format(...args)),
  error: (...args) => write(2, format(...args)),
  warn: (...args) => write(2, format(...args)),
  dir: (value, options) => write(1, inspect(value, { customInspect: false, ...options })),
  dirxml: (...args) => write(1, format(...args)),
  trace(...args) {
    const stack = new Error().stack.split('\n').slice(1).join('\n');
    write(2, `Trace${args.length ? `: ${format(...args)}` : ''}\n${stack.trimEnd()}`);
  },
  assert(value, ...args) {
    if (value) return;
    if (args.length === 0) write(2, 'Assertion failed');
    else write(2, `Assertion failed: ${format(...args)}`);
  },
  count(name) {
    const key = label(name);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    write(1, `${key}: ${n}`);
  },
  countReset(name) {
    counts.delete(label(name));
  },
  time(name) {
    timers.set(label(name), native.now());
  },
  timeLog(name, ...data) {
    const key = label(name);
    const took = elapsed(key);
    if (took !== undefined) write(1, `${key}: ${took}${data.length ? ` ${formatWithOptions({}, ...data)}` : ''}`);
  },
  timeEnd(name) {
    const key = label(name);
    const took = elapsed(key);
    if (took !== undefined) {
      timers.delete(key);
      write(1, `${key}: ${took}`);
    }
  },
  group(...args) {
    if (args.length) write(1, format(...args));
    indent += '  ';
  },
  groupEnd() {
    indent = indent.slice(2);
  },
};
console.groupCollapsed = console.group;
