// CommonJS: require() of files, JSON, directories, packages and builtins; the
// cache; cycles; module, exports, __filename, __dirname.
const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };
const path = require('path');

check(typeof module === 'object' && module.exports === exports, 'module and exports');
check(__filename === path.join(__dirname, 'require.js'), `__filename ${__filename}`);
check(require.main === module, 'require.main is the main module');
check(module.id === '.', 'main module id');

const { add, loadedFrom } = require('./fixtures/cjs/add');
check(add(2, 3) === 5, 'relative require without extension');
check(loadedFrom === path.join(__dirname, 'fixtures/cjs/add.js'), '__filename inside a module');
check(require(path.join(__dirname, 'fixtures/cjs/add.js')).add === add, 'absolute path gives the same module');
check(require('./fixtures/cjs/../cjs/add.js').add === add, '.. segments resolve to the same module');

const c1 = require('./fixtures/cjs/counter.js');
const c2 = require('./fixtures/cjs/counter');
check(c1 === c2 && globalThis.counterEvaluations === 1, 'a module is evaluated once');
check(require.cache[require.resolve('./fixtures/cjs/counter')].exports === c1, 'require.cache');
delete require.cache[require.resolve('./fixtures/cjs/counter')];
check(require('./fixtures/cjs/counter') !== c1 && globalThis.counterEvaluations === 2, 'deleting from the cache reloads');

const data = require('./fixtures/cjs/data.json');
check(data.name === 'fixture' && data.list.length === 3, 'JSON module');
check(require('./fixtures/cjs/data') === data, 'JSON without extension');
let jsonErr;
try { require('./fixtures/cjs/broken.json'); } catch (e) { jsonErr = e; }
check(jsonErr instanceof SyntaxError && jsonErr.message.includes('broken.json'), 'bad JSON names the file');

check(require('./fixtures/cjs/dir-index') === 'from index.js', 'directory with index.js');
check(require('./fixtures/cjs/dir-main') === 'from package main', 'directory with package.json main');
check(require('./fixtures/uses-pkg').name === 'fake-pkg', 'packages in node_modules folders up from the requiring file');
check(require('./fixtures/cjs/this-is-exports').thisIsExports, 'this is module.exports');
check(require('./fixtures/cjs/this-is-exports').wrapperArgs, 'wrapper arguments');

const a = require('./fixtures/cycle/a.js');
check(a.seenInA === 'a, before b', `cycle sees the partial exports (${a.seenInA})`);
check(a.fromA === 'a, done', 'cycle completes');

let bodyErr;
try { require('./fixtures/cjs/throws'); } catch (e) { bodyErr = e; }
check(bodyErr && bodyErr.message === 'module body failed', 'a throwing module body propagates');
let again;
try { require('./fixtures/cjs/throws'); } catch (e) { again = e; }
check(again && again !== bodyErr, 'a failed module is not cached');

check(require('events') === require('node:events'), 'builtins with and without node:');
check(typeof require('events').EventEmitter === 'function', 'require(events)');
check(require.resolve('events') === 'events' && require.resolve('node:path') === 'node:path', 'require.resolve of builtins');

const esm = require('./fixtures/esm/lib.mjs');
check(esm.value === 42 && esm.default('x') === 'hello x', 'require of an ES module gives its namespace');

module.exports = { done: true };
console.log('ok');
