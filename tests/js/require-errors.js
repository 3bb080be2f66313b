// Bad require() input: clear errors with Node's codes.
const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };
function error(fn) {
  try { fn(); } catch (e) { return e; }
  throw new Error('expected an error');
}

let e = error(() => require('./fixtures/no-such-module'));
check(e.code === 'MODULE_NOT_FOUND', `code ${e.code}`);
check(e.message.startsWith("Cannot find module './fixtures/no-such-module'"), e.message);
check(e.message.includes(__filename), 'the message names the requiring file');

e = error(() => require('no-such-package-anywhere'));
check(e.code === 'MODULE_NOT_FOUND' && e.message.includes("'no-such-package-anywhere'"), e.message);

e = error(() => require('node:no-such-builtin'));
check(e.code === 'ERR_UNKNOWN_BUILTIN_MODULE' && e.message === 'No such built-in module: node:no-such-builtin', e.message);

e = error(() => require(42));
check(e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE', 'non-string id');
check(e.message === 'The "id" argument must be of type string. Received type number (42)', e.message);

e = error(() => require(''));
check(e.code === 'ERR_INVALID_ARG_VALUE', 'empty id');

e = error(() => require('./fixtures/esm/tla.mjs'));
check(e.code === 'ERR_REQUIRE_ASYNC_MODULE', `require of top-level await: ${e.code}`);

e = error(() => require('./fixtures/esm/missing-import.mjs'));
check(e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes('does-not-exist.mjs'), e.message);
check(e.message.includes('missing-import.mjs'), 'names the importing module');
console.log('ok');
