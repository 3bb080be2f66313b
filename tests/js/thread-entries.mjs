// Thread entries: absolute path, file: URL, source text (CommonJS and
// module), and a function called with the data.
import { Thread } from 'weft';
import assert from 'assert';

function once(thread) {
  return new Promise((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
  });
}

const abs = new Thread(`${import.meta.dirname}/fixtures/threads/echo.js`, { data: 'abs' });
assert.strictEqual((await once(abs)).hello, 'abs');
abs.postMessage('stop');

const url = new Thread(`file://${import.meta.dirname}/fixtures/threads/echo.js`, { data: 'url' });
assert.strictEqual((await once(url)).hello, 'url');
url.postMessage('stop');

const cjs = new Thread("require('weft').parent.postMessage(typeof require + ' ' + require('weft').data)",
  { source: true, data: 'cjs' });
assert.strictEqual(await once(cjs), 'function cjs');

const esm = new Thread("import { parent, data } from 'weft'; parent.postMessage(typeof require + ' ' + data)",
  { source: true, type: 'module', data: 'esm' });
assert.strictEqual(await once(esm), 'undefined esm');

const fn = new Thread((data) => {
  require('weft').parent.postMessage(data.a + data.b);
}, { data: { a: 2, b: 3 } });
assert.strictEqual(await once(fn), 5);

for (const t of [abs, url, cjs, esm, fn]) assert.strictEqual(await t.exited, 0);
console.log('ok');
