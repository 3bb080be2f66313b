// The vm module: contexts in the same thread, the sandbox linked to the
// context's global, Script, errors, collection of dropped contexts, and
// contexts inside threads (terminated while running, freed at exit).
const vm = require('vm');
const assert = require('assert');
const { Thread } = require('weft');

// --- createContext and the sandbox
const sandbox = { x: 2, log: [] };
assert.strictEqual(vm.createContext(sandbox), sandbox);
assert.strictEqual(vm.createContext(sandbox), sandbox, 'a context is returned as it is');
assert.strictEqual(vm.isContext(sandbox), true);
assert.strictEqual(vm.isContext({}), false);
assert.deepStrictEqual(Object.keys(sandbox), ['x', 'log'], 'nothing enumerable added');

assert.strictEqual(vm.runInContext('x * 21', sandbox), 42);
vm.runInContext('y = x + 1; var z = 10; function f() { return z; } x = 5; log.push("in")', sandbox);
assert.strictEqual(sandbox.x, 5, 'writes to sandbox properties land at once');
assert.strictEqual(sandbox.y, 3, 'new globals come back');
assert.strictEqual(sandbox.z, 10, 'var declarations come back');
assert.strictEqual(typeof sandbox.f, 'function');
assert.strictEqual(sandbox.f(), 10);
assert.deepStrictEqual(sandbox.log, ['in']);
sandbox.x = 7;
sandbox.z = 11;
sandbox.added = 'later';
assert.strictEqual(vm.runInContext('x', sandbox), 7, 'outside writes are seen inside');
assert.strictEqual(vm.runInContext('z', sandbox), 11);
assert.strictEqual(vm.runInContext('added', sandbox), 'later');
assert.strictEqual(vm.runInContext('y = 100; y', sandbox), 100);
assert.strictEqual(sandbox.y, 100);
// A function defined inside keeps seeing the sandbox after the run.
const readX = vm.runInContext('(function () { return x; })', sandbox);
sandbox.x = 8;
assert.strictEqual(readX(), 8);
vm.runInContext('delete y', sandbox);
assert.strictEqual('y' in sandbox, false, 'deleting a global inside deletes it from the sandbox');

// The context's own builtins; none of weft's globals.
assert.strictEqual(vm.runInContext('typeof Array + typeof Promise + typeof JSON', sandbox), 'functionfunctionobject');
assert.strictEqual(vm.runInNewContext('typeof console'), 'undefined');
assert.strictEqual(vm.runInNewContext('typeof process'), 'undefined');
assert.strictEqual(vm.runInNewContext('typeof setTimeout'), 'undefined');
const arr = vm.runInNewContext('[1, 2]');
assert.strictEqual(Array.isArray(arr), true);
assert.strictEqual(arr instanceof Array, false, 'another realm');
assert.strictEqual(vm.runInNewContext('this.constructor === Object && globalThis === this'), true);
assert.strictEqual(vm.runInNewContext('a + b', { a: 1, b: 2 }), 3);
assert.strictEqual(vm.runInNewContext('Object.getPrototypeOf(InternalError.prototype) === RangeError.prototype'),
  true);
assert.strictEqual(vm.runInNewContext('function r() { return r(); } try { r(); } catch (e) { e instanceof RangeError }'),
  true, 'stack overflow is a RangeError there too');
assert.match(vm.runInNewContext('Atomics.wait.toString()'), /native code/);

// Values cross both ways.
const shared = { n: 1 };
vm.runInNewContext('obj.n++; obj.fn = () => obj.n;', { obj: shared });
assert.strictEqual(shared.n, 2);
assert.strictEqual(shared.fn(), 2);

// Promises made inside settle through the thread's microtask queue.
const pending = vm.runInNewContext('Promise.resolve(5).then((v) => v * 2)');

// --- runInThisContext
globalThis.vmGlobal = 3;
assert.strictEqual(vm.runInThisContext('vmGlobal + 1'), 4);
assert.strictEqual(vm.runInThisContext('typeof require'), 'undefined', 'global scope, not the module scope');
vm.runInThisContext('var madeByThis = 1');
assert.strictEqual(globalThis.madeByThis, 1);

// --- Script
const script = new vm.Script('count = (typeof count === "number" ? count : 0) + 1', { filename: 'counter.js' });
const c1 = vm.createContext({});
const c2 = vm.createContext({ count: 10 });
script.runInContext(c1);
script.runInContext(c1);
script.runInContext(c2);
assert.strictEqual(c1.count, 2);
assert.strictEqual(c2.count, 11);
assert.strictEqual(script.runInNewContext({ count: 41 }), 42);
assert.strictEqual(script.runInThisContext(), 1);
assert.strictEqual(globalThis.count, 1);
assert.strictEqual(new vm.Script('1 + 1', 'named.js').runInThisContext(), 2);

// Errors: thrown inside, syntax, file names in stacks.
assert.throws(() => vm.runInNewContext('throw new TypeError("boom")'), (err) => {
  assert.strictEqual(err.name, 'TypeError');
  assert.strictEqual(err.message, 'boom');
  assert.strictEqual(err instanceof TypeError, false, "the context's own TypeError");
  return true;
});
assert.throws(() => new vm.Script('let let'), (err) => err.name === 'SyntaxError');
assert.throws(() => vm.runInNewContext('(', {}), (err) => err.name === 'SyntaxError');
assert.throws(() => vm.runInNewContext('null.x', {}, { filename: 'boom.js' }), (err) => {
  assert.match(err.stack, /boom\.js:1/);
  return true;
});
assert.throws(() => vm.runInNewContext('\nnull.x', {}, { filename: 'off.js', lineOffset: 10 }), (err) => {
  assert.match(err.stack, /off\.js:12/);
  return true;
});
assert.throws(() => vm.runInContext('1', {}), {
  name: 'TypeError',
  code: 'ERR_INVALID_ARG_TYPE',
  message: 'The "contextifiedObject" argument must be an vm.Context. Received an instance of Object',
});
assert.throws(() => vm.isContext(1), {
  code: 'ERR_INVALID_ARG_TYPE',
  message: 'The "object" argument must be of type object. Received type number (1)',
});
assert.throws(() => vm.createContext(1), {
  code: 'ERR_INVALID_ARG_TYPE',
  message: 'The "contextObject" argument must be of type object. Received type number (1)',
});
assert.throws(() => vm.createContext(Object.freeze({})), TypeError);
assert.throws(() => new vm.Script('1', { filename: 1 }), { code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => vm.runInNewContext('1', {}, { timeout: -1 }), { code: 'ERR_OUT_OF_RANGE' });
assert.throws(() => vm.createContext({}, { name: 5 }), { code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => new vm.Script('1').runInContext({}), { code: 'ERR_INVALID_ARG_TYPE' });

// --- compileFunction
assert.strictEqual(vm.compileFunction('return a + b', ['a', 'b'])(1, 2), 3);
assert.strictEqual(vm.compileFunction('return a + c', ['a'], { contextExtensions: [{ c: 100 }] })(1), 101);
assert.strictEqual(vm.compileFunction('return typeof console', [], { parsingContext: vm.createContext({}) })(),
  'undefined');

// --- many contexts, dropped: the collector takes them
{
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 3000; i++) {
    const sb = { i };
    vm.createContext(sb);
    vm.runInContext('var j = i * 2; globalThis.self = globalThis; function g() { return j; }', sb);
    assert.strictEqual(sb.g(), i * 2);
  }
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 64 * 1024 * 1024, `dropped contexts are collected (heap grew ${grown})`);
}

(async () => {
  assert.strictEqual(await pending, 10);

  // A thread busy in a context is terminated like any other.
  const busy = new Thread(`const vm = require('vm');
require('weft').parent.postMessage('running');
vm.runInNewContext('for (;;) {}');`, { source: true });
  await new Promise((resolve) => busy.once('message', resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.strictEqual(await busy.terminate(), 1);

  // A thread that makes contexts (and leaves some alive) exits cleanly.
  const maker = new Thread(`const vm = require('vm');
globalThis.kept = [];
for (let i = 0; i < 50; i++) kept.push(vm.createContext({ i, kept }));
vm.runInContext('kept.push(() => i)', kept[0]);
require('weft').parent.postMessage(vm.runInContext('i + 1', kept[49]));`, { source: true });
  const answer = await new Promise((resolve) => maker.once('message', resolve));
  assert.strictEqual(answer, 50);
  await new Promise((resolve) => maker.once('exit', resolve));
  console.log('ok');
})();
