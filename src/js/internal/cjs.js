// CommonJS: require(), module.exports and the require cache, over the C
// resolver (Node's rules: relative and absolute paths, extensions .js .json
// .cjs .mjs, directories with package.json or index.*, node_modules, builtins).

import { modules as native } from 'weft:internal/native';
import { invalidArgValue, validateString } from 'weft:internal/errors';
import { load as loadBuiltin } from 'weft:internal/load';

const cache = Object.create(null);
let mainModule;

function dirname(path) {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : path.slice(0, i);
}

export class Module {
  constructor(id, parent) {
    this.id = id;
    this.path = dirname(id);
    this.exports = {};
    this.filename = id;
    this.loaded = false;
    this.children = [];
    this.parent = parent;
    if (parent) parent.children.push(this);
  }
}

function builtinExports(id) {
  const ns = loadBuiltin(id);
  return 'default' in ns ? ns.default : ns;
}

function runModule(module, source) {
  const fn = native.compileCommonJS(source, module.filename);
  fn.call(module.exports, module.exports, makeRequire(module), module, module.filename, module.path);
}

function parseJSON(module, source) {
  try {
    module.exports = JSON.parse(source);
  } catch (err) {
    err.message = `${module.filename}: ${err.message}`;
    throw err;
  }
}

// Loads the module with a resolved id. A module in the cache is returned as
// it stands, even half-loaded: that is how Node breaks require cycles.
function load(id, parent) {
  const cached = cache[id];
  if (cached) return cached.exports;
  const format = native.format(id);
  if (format === 'builtin') return builtinExports(id);
  if (format === 'module') return loadBuiltin(id);

  const module = new Module(id, parent);
  cache[id] = module;
  try {
    const source = native.readSource(id);
    if (format === 'json') parseJSON(module, source);
    else runModule(module, source);
  } catch (err) {
    delete cache[id];
    if (parent) parent.children.splice(parent.children.indexOf(module), 1);
    throw err;
  }
  module.loaded = true;
  return module.exports;
}

function resolveFrom(module, request) {
  validateString(request, 'id');
  if (request === '') throw invalidArgValue('id', request, 'must be a non-empty string');
  return native.resolve(request, module.filename, true);
}

function makeRequire(module) {
  function require(request) {
    return load(resolveFrom(module, request), module);
  }
  require.resolve = (request) => {
    const id = resolveFrom(module, request);
    // Builtins resolve to the name the user wrote, as in Node.
    return id.startsWith('weft:') ? request : id;
  };
  require.cache = cache;
  Object.defineProperty(require, 'main', { get: () => mainModule, enumerable: true });
  return require;
}

// The main script when it is CommonJS (or -e source).
export function runMain(filename, source) {
  const module = new Module(filename, null);
  module.id = '.';
  mainModule = module;
  cache[filename] = module;
  runModule(module, source);
  module.loaded = true;
}

// An ES module importing CommonJS or JSON: the exports object.
export function loadForImport(id) {
  return load(id, null);
}
