// Builtin modules loaded on demand, once per thread: a thread pays only for
// what it uses (startup time and memory per thread are weft's promise).

import { modules } from 'weft:internal/native';

const loaded = new Map();

// The namespace of the builtin module with this id, evaluated on first use.
export function load(id) {
  let ns = loaded.get(id);
  if (ns === undefined) {
    ns = modules.importSync(id);
    loaded.set(id, ns);
  }
  return ns;
}

export function isLoaded(id) {
  return loaded.has(id);
}
