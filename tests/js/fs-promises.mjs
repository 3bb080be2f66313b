// fs/promises and fs.promises: the promise forms, FileHandle, and rejections
// with Node's errors. Works in a fresh directory under /tmp.
import fsp from 'fs/promises';
import * as named from 'node:fs/promises';
import fs, { promises, readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert';

assert.strictEqual(fsp, promises, 'fs/promises is fs.promises');
assert.strictEqual(named.readFile, promises.readFile);
assert.strictEqual(named.default, promises);
assert.strictEqual(fs.promises, promises);
assert.strictEqual(named.constants, fs.constants);

const tmp = await fsp.mkdtemp('/tmp/weft-fsp-');
const p = (...parts) => path.join(tmp, ...parts);

async function rejectsWith(promise, code, syscall, where, dest) {
  let caught;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected ${code}`);
  assert.strictEqual(caught.code, code);
  if (syscall !== undefined) {
    assert.strictEqual(caught.syscall, syscall);
    let tail = `, ${syscall}`;
    if (where !== undefined) tail += ` '${where}'`;
    if (dest !== undefined) tail += ` -> '${dest}'`;
    assert.ok(caught.message.endsWith(tail), `${caught.message} ends with ${tail}`);
    assert.ok(caught.errno < 0);
  }
  return caught;
}

// --- whole files
await fsp.writeFile(p('a.txt'), 'promised');
assert.strictEqual(await fsp.readFile(p('a.txt'), 'utf8'), 'promised');
await fsp.appendFile(p('a.txt'), ' land');
assert.strictEqual(await fsp.readFile(p('a.txt'), { encoding: 'utf8' }), 'promised land');
const bytes = await fsp.readFile(p('a.txt'));
assert.ok(bytes instanceof Uint8Array);
assert.strictEqual(bytes.length, 13);
await fsp.writeFile(p('b.bin'), new Uint8Array([0, 255, 128]));
assert.strictEqual(await fsp.readFile(p('b.bin'), 'hex'), '00ff80');
await fsp.writeFile(p('b.bin'), '00ff', 'hex');
assert.deepStrictEqual([...readFileSync(p('b.bin'))], [0, 255]);
{
  const err = await rejectsWith(fsp.readFile(p('missing')), 'ENOENT', 'open', p('missing'));
  assert.strictEqual(err.message, `ENOENT: no such file or directory, open '${p('missing')}'`);
  assert.strictEqual(err.path, p('missing'));
}
await rejectsWith(fsp.readFile(tmp), 'EISDIR', 'read');
await rejectsWith(fsp.writeFile(p('a.txt'), 'x', { flag: 'wx' }), 'EEXIST', 'open', p('a.txt'));

// Argument errors reject (the promise forms never throw synchronously).
await assert.rejects(fsp.readFile(42), { code: 'ERR_INVALID_ARG_TYPE' }); // no fds here, as in Node
await assert.rejects(fsp.readFile({}), {
  name: 'TypeError',
  code: 'ERR_INVALID_ARG_TYPE',
  message: 'The "path" argument must be of type string or an instance of Buffer or URL. Received an instance of Object',
});
await assert.rejects(fsp.writeFile(p('c'), null), { code: 'ERR_INVALID_ARG_TYPE' });
await assert.rejects(fsp.readFile(p('a.txt'), 'nope'), { code: 'ERR_INVALID_ARG_VALUE' });

// --- stats, access, links
const st = await fsp.stat(p('a.txt'));
assert.strictEqual(st.isFile(), true);
assert.strictEqual(st.size, 13);
assert.ok(st.mtime instanceof Date);
assert.strictEqual((await fsp.stat(p('a.txt'), { bigint: true })).size, 13n);
await rejectsWith(fsp.stat(p('missing')), 'ENOENT', 'stat', p('missing'));
await fsp.symlink(p('a.txt'), p('link'));
assert.strictEqual((await fsp.lstat(p('link'))).isSymbolicLink(), true);
assert.strictEqual(await fsp.readlink(p('link')), p('a.txt'));
assert.strictEqual(await fsp.realpath(p('link')), await fsp.realpath(p('a.txt')));
await rejectsWith(fsp.realpath(p('missing')), 'ENOENT', 'realpath', p('missing'));
await fsp.access(p('a.txt'), fs.constants.R_OK);
await rejectsWith(fsp.access(p('missing')), 'ENOENT', 'access', p('missing'));
await fsp.chmod(p('a.txt'), 0o640);
assert.strictEqual((await fsp.stat(p('a.txt'))).mode & 0o777, 0o640);
await fsp.utimes(p('a.txt'), 10, 20);
assert.strictEqual((await fsp.stat(p('a.txt'))).mtimeMs, 20000);

// --- directories
assert.strictEqual(await fsp.mkdir(p('x', 'y', 'z'), { recursive: true }), p('x'));
assert.strictEqual(await fsp.mkdir(p('x', 'y'), { recursive: true }), undefined);
assert.strictEqual(await fsp.mkdir(p('w')), undefined);
await rejectsWith(fsp.mkdir(p('w')), 'EEXIST', 'mkdir', p('w'));
await fsp.writeFile(p('x', 'f.txt'), 'f');
assert.deepStrictEqual(await fsp.readdir(p('x')), ['f.txt', 'y']);
const dirents = await fsp.readdir(p('x'), { withFileTypes: true });
assert.deepStrictEqual(dirents.map((d) => [d.name, d.isDirectory()]), [['f.txt', false], ['y', true]]);
assert.deepStrictEqual((await fsp.readdir(p('x'), { recursive: true })).sort(), ['f.txt', 'y', 'y/z']);
await rejectsWith(fsp.readdir(p('missing')), 'ENOENT', 'scandir', p('missing'));
await rejectsWith(fsp.rmdir(p('x')), 'ENOTEMPTY', 'rmdir', p('x'));
await assert.rejects(fsp.rm(p('x')), { name: 'SystemError', code: 'ERR_FS_EISDIR' });
await rejectsWith(fsp.rm(p('missing')), 'ENOENT', 'lstat', p('missing'));
await fsp.rm(p('missing'), { force: true });
await fsp.rm(p('x'), { recursive: true });
assert.strictEqual(fs.existsSync(p('x')), false);
await fsp.rmdir(p('w'));

// --- names
await fsp.rename(p('a.txt'), p('r.txt'));
await rejectsWith(fsp.rename(p('a.txt'), p('s.txt')), 'ENOENT', 'rename', p('a.txt'), p('s.txt'));
await fsp.copyFile(p('r.txt'), p('c.txt'));
await rejectsWith(fsp.copyFile(p('r.txt'), p('c.txt'), fs.constants.COPYFILE_EXCL), 'EEXIST', 'copyfile',
  p('r.txt'), p('c.txt'));
await fsp.link(p('c.txt'), p('h.txt'));
assert.strictEqual((await fsp.stat(p('c.txt'))).nlink, 2);
await fsp.unlink(p('h.txt'));
await rejectsWith(fsp.unlink(p('h.txt')), 'ENOENT', 'unlink', p('h.txt'));
await fsp.truncate(p('c.txt'), 3);
assert.strictEqual(await fsp.readFile(p('c.txt'), 'utf8'), 'pro');

// --- FileHandle
{
  const fh = await fsp.open(p('fh.txt'), 'w+');
  assert.strictEqual(typeof fh.fd, 'number');
  assert.deepStrictEqual(await fh.write('hello, handle'), { bytesWritten: 13, buffer: 'hello, handle' });
  const data = new Uint8Array([72]);
  const w = await fh.write(data, 0, 1, 0);
  assert.strictEqual(w.bytesWritten, 1);
  assert.strictEqual(w.buffer, data);
  const buf = new Uint8Array(20);
  const r = await fh.read(buf, 0, 20, 0);
  assert.strictEqual(r.bytesRead, 13);
  assert.strictEqual(r.buffer, buf);
  assert.strictEqual(new TextDecoder().decode(buf.subarray(0, 13)), 'Hello, handle');
  const r2 = await fh.read({ buffer: new Uint8Array(5), position: 7 });
  assert.strictEqual(new TextDecoder().decode(r2.buffer), 'handl');
  assert.strictEqual((await fh.stat()).size, 13);
  await fh.truncate(5);
  assert.strictEqual(await fh.readFile('utf8'), '', 'readFile reads from the current position');
  await fh.write('!', 5);
  await fh.sync();
  await fh.close();
  await fh.close(); // a second close does nothing
  assert.strictEqual(fh.fd, -1);
  await assert.rejects(fh.read(buf, 0, 1, 0), { code: 'EBADF', message: 'file closed' });
  assert.strictEqual(await fsp.readFile(p('fh.txt'), 'utf8'), 'Hello!');
  const again = await fsp.open(p('fh.txt'));
  assert.strictEqual(await again.readFile({ encoding: 'utf8' }), 'Hello!');
  assert.strictEqual(await fsp.readFile(again, 'utf8'), '', 'at the end already');
  await again.close();
  const writer = await fsp.open(p('fw.txt'), 'w');
  await writer.writeFile('abc');
  await writer.appendFile(new Uint8Array([100]));
  await writer.close();
  assert.strictEqual(await fsp.readFile(p('fw.txt'), 'utf8'), 'abcd');
  await rejectsWith(fsp.open(p('missing')), 'ENOENT', 'open', p('missing'));
  await assert.rejects(fsp.open(p('fh.txt'), 'q'), { code: 'ERR_INVALID_ARG_VALUE' });
}

// --- many at once
await Promise.all(Array.from({ length: 40 }, (_, i) => fsp.writeFile(p(`n${i}`), `${i}`)));
const texts = await Promise.all(Array.from({ length: 40 }, (_, i) => fsp.readFile(p(`n${i}`), 'utf8')));
assert.deepStrictEqual(texts, Array.from({ length: 40 }, (_, i) => `${i}`));

await fsp.rm(tmp, { recursive: true, force: true });
assert.strictEqual(fs.existsSync(tmp), false);
console.log('ok');
