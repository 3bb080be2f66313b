// ES modules: static and dynamic import of ES modules, CommonJS, JSON and
// builtins; import.meta; format rules (.mjs, .cjs, package.json "type",
// syntax detection).
import greet, { value, meta } from './fixtures/esm/lib.mjs';
import cjs, { alpha, beta } from './fixtures/esm/cjs-lib.cjs';
import data from './fixtures/cjs/data.json';
import { add } from './fixtures/cjs/add.js';
import EventEmitter, { EventEmitter as Named } from 'events';
import * as nodeEvents from 'node:events';
import { kind as typeModule } from './fixtures/pkg-module/esm-by-type.js';
import byType from './fixtures/pkg-commonjs/cjs-by-type.js';
import { detected } from './fixtures/detected-esm.js';
import { waited } from './fixtures/esm/tla.mjs';

const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };

check(greet('you') === 'hello you' && value === 42, 'default and named exports');
check(cjs.alpha === 1 && alpha === 1 && beta === 'two', 'CommonJS default and named exports');
check(data.name === 'fixture', 'JSON default export');
check(add(1, 2) === 3, 'CommonJS .js by syntax detection');
check(EventEmitter === Named && nodeEvents.EventEmitter === Named, 'builtins with and without node:');
check(typeModule === 'esm', 'package.json type module');
check(byType.kind === 'cjs', 'package.json type commonjs');
check(detected === 42, '.js with import syntax is an ES module');
check(waited === 'awaited', 'top-level await in a dependency');

const here = decodeURIComponent(import.meta.url.slice('file://'.length));
check(import.meta.url.startsWith('file:///') && here.endsWith('/tests/js/import.mjs'), `import.meta.url ${import.meta.url}`);
check(import.meta.filename === here, 'import.meta.filename');
check(import.meta.dirname === here.slice(0, here.lastIndexOf('/')), 'import.meta.dirname');
check(import.meta.main === true && meta.main === false, 'import.meta.main');
check(meta.filename.endsWith('/fixtures/esm/lib.mjs'), 'import.meta of a dependency');
check(typeof require === 'undefined' && typeof module === 'undefined', 'no CommonJS globals in ES modules');

const dyn = await import('./fixtures/esm/lib.mjs');
check(dyn.default === greet, 'dynamic import returns the same module');
const dynCjs = await import('./fixtures/cjs/counter.js');
check(typeof dynCjs.default.next === 'function', 'dynamic import of CommonJS');
let err;
try { await import('./fixtures/nope.mjs'); } catch (e) { err = e; }
check(err && err.code === 'ERR_MODULE_NOT_FOUND' && err.message.includes('nope.mjs'), 'dynamic import of a missing file rejects');
try { await import('node:nope'); } catch (e) { err = e; }
check(err.code === 'ERR_UNKNOWN_BUILTIN_MODULE', 'unknown builtin');
console.log('ok');
