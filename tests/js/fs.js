// The fs module: synchronous and callback calls, Node's errors (message,
// code, errno, syscall, path, dest) and argument checks. Works in a fresh
// directory under /tmp that it removes at the end.
const fs = require('fs');
const path = require('path');
const assert = require('assert');

const tmp = fs.mkdtempSync('/tmp/weft-fs-');
assert.match(tmp, /^\/tmp\/weft-fs-[A-Za-z0-9]{6}$/);
const p = (...parts) => path.join(tmp, ...parts);

// An error of a failed system call, as Node makes it.
function sysError(fn, code, syscall, where, dest) {
  let caught;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected ${code} from ${syscall}`);
  assert.strictEqual(caught.code, code);
  assert.strictEqual(caught.syscall, syscall);
  assert.strictEqual(typeof caught.errno, 'number');
  assert.ok(caught.errno < 0, 'errno is negative');
  assert.ok(caught instanceof Error);
  let message = `${code}: `;
  assert.ok(caught.message.startsWith(message), caught.message);
  message = `, ${syscall}`;
  if (where !== undefined) {
    assert.strictEqual(caught.path, where);
    message += ` '${where}'`;
    if (dest !== undefined) {
      assert.strictEqual(caught.dest, dest);
      message += ` -> '${dest}'`;
    }
  } else {
    assert.ok(!('path' in caught), 'no path');
  }
  assert.ok(caught.message.endsWith(message), `${caught.message} ends with ${message}`);
  return caught;
}

function codeError(fn, name, code, message) {
  assert.throws(fn, (err) => {
    assert.strictEqual(err.name, name);
    assert.strictEqual(err.code, code);
    if (message !== undefined) assert.strictEqual(err.message, message);
    return true;
  });
}

// --- the exact Node message of the most common error
{
  const err = sysError(() => fs.readFileSync(p('missing')), 'ENOENT', 'open', p('missing'));
  assert.strictEqual(err.message, `ENOENT: no such file or directory, open '${p('missing')}'`);
  assert.strictEqual(err.errno, -2);
  assert.deepStrictEqual(Object.keys(err), ['errno', 'code', 'syscall', 'path']);
}

// --- writing and reading whole files
fs.writeFileSync(p('a.txt'), 'héllo wörld\n');
assert.strictEqual(fs.readFileSync(p('a.txt'), 'utf8'), 'héllo wörld\n');
assert.strictEqual(fs.readFileSync(p('a.txt'), { encoding: 'utf-8' }), 'héllo wörld\n');
{
  const bytes = fs.readFileSync(p('a.txt'));
  assert.ok(bytes instanceof Uint8Array, 'binary reads are Uint8Array');
  assert.strictEqual(bytes.length, 14);
  assert.deepStrictEqual([...bytes.subarray(0, 3)], [0x68, 0xc3, 0xa9]);
}
fs.appendFileSync(p('a.txt'), 'more');
assert.strictEqual(fs.readFileSync(p('a.txt'), 'utf8'), 'héllo wörld\nmore');
fs.writeFileSync(p('a.txt'), new Uint8Array([1, 2, 3, 250]));
assert.deepStrictEqual([...fs.readFileSync(p('a.txt'))], [1, 2, 3, 250]);
fs.writeFileSync(p('a.txt'), new Uint16Array([0x4241]));
assert.strictEqual(fs.readFileSync(p('a.txt'), 'latin1'), 'AB');
fs.writeFileSync(p('a.txt'), new DataView(new Uint8Array([0x43]).buffer));
assert.strictEqual(fs.readFileSync(p('a.txt'), 'ascii'), 'C');
fs.writeFileSync(p('empty'), '');
assert.strictEqual(fs.readFileSync(p('empty')).length, 0);
assert.strictEqual(fs.readFileSync(p('empty'), 'utf8'), '');

// Encodings, both ways: text in UTF-8 and its encoded form.
for (const [encoding, text, encoded] of [
  ['hex', 'héllo', '68c3a96c6c6f'],
  ['base64', 'héllo!', 'aMOpbGxvIQ=='],
  ['base64url', 'héllo!?>', 'aMOpbGxvIT8-'],
]) {
  fs.writeFileSync(p('enc'), text);
  assert.strictEqual(fs.readFileSync(p('enc'), encoding), encoded, `${encoding} out`);
  fs.writeFileSync(p('enc'), encoded, encoding);
  assert.strictEqual(fs.readFileSync(p('enc'), 'utf8'), text, `${encoding} in`);
}
// Text encodings: the bytes written, and the same text read back.
for (const [encoding, text, bytes] of [
  ['latin1', 'hé', [0x68, 0xe9]],
  ['binary', 'hé', [0x68, 0xe9]],
  ['ascii', 'hi', [0x68, 0x69]],
  ['utf16le', 'h€😀', [0x68, 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde]],
  ['ucs2', 'ab', [0x61, 0, 0x62, 0]],
]) {
  fs.writeFileSync(p('enc'), text, encoding);
  assert.deepStrictEqual([...fs.readFileSync(p('enc'))], bytes, `${encoding} bytes`);
  assert.strictEqual(fs.readFileSync(p('enc'), { encoding }), text, `${encoding} text`);
}
fs.writeFileSync(p('enc'), 'aGk', 'base64'); // unpadded input
assert.strictEqual(fs.readFileSync(p('enc'), 'utf8'), 'hi');
fs.writeFileSync(p('enc'), 'é', 'latin1');
assert.deepStrictEqual([...fs.readFileSync(p('enc'))], [0xe9]);
fs.writeFileSync(p('enc'), new Uint8Array([0x61, 0xff, 0xc3, 0x62, 0xe2, 0x82]));
assert.strictEqual(fs.readFileSync(p('enc'), 'utf8'), 'a\ufffd\ufffdb\ufffd', 'invalid UTF-8 becomes U+FFFD');
fs.writeFileSync(p('enc'), 'x\ud800y');
assert.deepStrictEqual([...fs.readFileSync(p('enc'))], [0x78, 0xef, 0xbf, 0xbd, 0x79], 'lone surrogate');

// Flags and modes.
sysError(() => fs.writeFileSync(p('empty'), 'x', { flag: 'wx' }), 'EEXIST', 'open', p('empty'));
fs.writeFileSync(p('mode'), 'x', { mode: 0o600 });
assert.strictEqual(fs.statSync(p('mode')).mode & 0o777, 0o600);
fs.writeFileSync(p('mode'), 'y', { flag: 'a' });
assert.strictEqual(fs.readFileSync(p('mode'), 'utf8'), 'xy');
sysError(() => fs.readFileSync(p('missing'), { flag: 'r+' }), 'ENOENT', 'open', p('missing'));

// Paths as URLs and bytes.
assert.strictEqual(fs.readFileSync(new URL(`file://${p('mode')}`), 'utf8'), 'xy');
assert.strictEqual(fs.readFileSync(new TextEncoder().encode(p('mode')), 'utf8'), 'xy');

// Directories where files are expected, and the other way round.
sysError(() => fs.readFileSync(tmp), 'EISDIR', 'read');
sysError(() => fs.writeFileSync(tmp, 'x'), 'EISDIR', 'open', tmp);
sysError(() => fs.readdirSync(p('mode')), 'ENOTDIR', 'scandir', p('mode'));
sysError(() => fs.readFileSync(p('mode', 'x')), 'ENOTDIR', 'open', p('mode', 'x'));

// --- existence, access, stats
assert.strictEqual(fs.existsSync(p('mode')), true);
assert.strictEqual(fs.existsSync(p('missing')), false);
assert.strictEqual(fs.existsSync(123), false);
assert.strictEqual(fs.existsSync(), false);
fs.accessSync(p('mode'));
fs.accessSync(p('mode'), fs.constants.R_OK | fs.constants.W_OK);
sysError(() => fs.accessSync(p('missing')), 'ENOENT', 'access', p('missing'));
codeError(() => fs.accessSync(p('mode'), 8), 'RangeError', 'ERR_OUT_OF_RANGE');

{
  const st = fs.statSync(p('mode'));
  assert.ok(st instanceof fs.Stats);
  assert.strictEqual(st.isFile(), true);
  assert.strictEqual(st.isDirectory(), false);
  assert.strictEqual(st.isSymbolicLink(), false);
  assert.strictEqual(st.size, 2);
  assert.strictEqual(typeof st.mtimeMs, 'number');
  assert.ok(st.mtime instanceof Date);
  assert.strictEqual(st.mtime.getTime(), Math.floor(st.mtimeMs));
  assert.ok(Math.abs(st.mtimeMs - Date.now()) < 60000, 'mtime is now');
  assert.strictEqual(typeof st.ino, 'number');
  assert.strictEqual(st.nlink, 1);
  assert.strictEqual(fs.statSync(tmp).isDirectory(), true);
  const big = fs.statSync(p('mode'), { bigint: true });
  assert.strictEqual(big.size, 2n);
  assert.strictEqual(typeof big.mtimeNs, 'bigint');
  assert.strictEqual(big.isFile(), true);
  assert.strictEqual(fs.statSync(p('missing'), { throwIfNoEntry: false }), undefined);
  sysError(() => fs.statSync(p('missing')), 'ENOENT', 'stat', p('missing'));
  sysError(() => fs.lstatSync(p('missing')), 'ENOENT', 'lstat', p('missing'));
}

// Symbolic links, realpath, readlink.
fs.symlinkSync(p('mode'), p('link'));
assert.strictEqual(fs.lstatSync(p('link')).isSymbolicLink(), true);
assert.strictEqual(fs.statSync(p('link')).isFile(), true);
assert.strictEqual(fs.readlinkSync(p('link')), p('mode'));
assert.strictEqual(fs.realpathSync(p('link')), fs.realpathSync(p('mode')));
assert.strictEqual(fs.realpathSync.native(p('link')), fs.realpathSync(p('mode')));
sysError(() => fs.realpathSync(p('missing', 'deeper')), 'ENOENT', 'lstat', p('missing'));
sysError(() => fs.realpathSync.native(p('missing')), 'ENOENT', 'realpath', p('missing'));
sysError(() => fs.symlinkSync(p('mode'), p('link')), 'EEXIST', 'symlink', p('mode'), p('link'));
sysError(() => fs.readlinkSync(p('mode')), 'EINVAL', 'readlink', p('mode'));
fs.linkSync(p('mode'), p('hard'));
assert.strictEqual(fs.statSync(p('mode')).nlink, 2);

// --- directories
assert.strictEqual(fs.mkdirSync(p('d')), undefined);
sysError(() => fs.mkdirSync(p('d')), 'EEXIST', 'mkdir', p('d'));
assert.strictEqual(fs.mkdirSync(p('d'), { recursive: true }), undefined, 'recursive on an existing dir');
assert.strictEqual(fs.mkdirSync(p('d', 'e', 'f'), { recursive: true }), p('d', 'e'));
sysError(() => fs.mkdirSync(p('mode'), { recursive: true }), 'EEXIST', 'mkdir', p('mode'));
sysError(() => fs.mkdirSync(p('mode', 'x', 'y'), { recursive: true }), 'ENOTDIR', 'mkdir', p('mode', 'x', 'y'));
sysError(() => fs.mkdirSync(p('missing', 'x')), 'ENOENT', 'mkdir', p('missing', 'x'));
fs.writeFileSync(p('d', 'b.txt'), 'b');
fs.writeFileSync(p('d', 'a.txt'), 'a');
assert.deepStrictEqual(fs.readdirSync(p('d')), ['a.txt', 'b.txt', 'e']);
{
  const entries = fs.readdirSync(p('d'), { withFileTypes: true });
  assert.ok(entries[0] instanceof fs.Dirent);
  assert.deepStrictEqual(entries.map((e) => [e.name, e.isFile(), e.isDirectory()]),
    [['a.txt', true, false], ['b.txt', true, false], ['e', false, true]]);
  assert.strictEqual(entries[0].parentPath, p('d'));
  assert.deepStrictEqual(fs.readdirSync(p('d'), { recursive: true }).sort(),
    ['a.txt', 'b.txt', 'e', 'e/f']);
  const names = fs.readdirSync(p('d'), 'buffer');
  assert.ok(names[0] instanceof Uint8Array);
}
sysError(() => fs.readdirSync(p('missing')), 'ENOENT', 'scandir', p('missing'));
sysError(() => fs.rmdirSync(p('d')), 'ENOTEMPTY', 'rmdir', p('d'));

// rm: Node's checks, then a whole tree.
codeError(() => fs.rmSync(p('d')), 'SystemError', 'ERR_FS_EISDIR',
  `Path is a directory: rm returned EISDIR (is a directory) ${p('d')}`);
sysError(() => fs.rmSync(p('missing')), 'ENOENT', 'lstat', p('missing'));
fs.rmSync(p('missing'), { force: true });
fs.symlinkSync(p('mode'), p('d', 'e', 'f', 'link-out')); // removed, not followed
fs.rmSync(p('d'), { recursive: true });
assert.strictEqual(fs.existsSync(p('d')), false);
assert.strictEqual(fs.existsSync(p('mode')), true);
codeError(() => fs.rmSync(p('mode'), { force: 'yes' }), 'TypeError', 'ERR_INVALID_ARG_TYPE');

// --- names
fs.renameSync(p('hard'), p('hard2'));
sysError(() => fs.renameSync(p('hard'), p('hard3')), 'ENOENT', 'rename', p('hard'), p('hard3'));
fs.copyFileSync(p('mode'), p('copy'));
assert.strictEqual(fs.readFileSync(p('copy'), 'utf8'), 'xy');
sysError(() => fs.copyFileSync(p('mode'), p('copy'), fs.constants.COPYFILE_EXCL), 'EEXIST', 'copyfile',
  p('mode'), p('copy'));
sysError(() => fs.copyFileSync(p('missing'), p('copy2')), 'ENOENT', 'copyfile', p('missing'), p('copy2'));
fs.unlinkSync(p('copy'));
sysError(() => fs.unlinkSync(p('copy')), 'ENOENT', 'unlink', p('copy'));
fs.chmodSync(p('mode'), '644');
assert.strictEqual(fs.statSync(p('mode')).mode & 0o777, 0o644);
fs.truncateSync(p('mode'), 1);
assert.strictEqual(fs.readFileSync(p('mode'), 'utf8'), 'x');
fs.utimesSync(p('mode'), 1000, new Date(2000000));
assert.strictEqual(fs.statSync(p('mode')).mtimeMs, 2000000);
assert.strictEqual(fs.statSync(p('mode')).atimeMs, 1000000);

// --- file descriptors
{
  const fd = fs.openSync(p('fd.txt'), 'w+');
  assert.strictEqual(typeof fd, 'number');
  assert.strictEqual(fs.writeSync(fd, 'hello world'), 11);
  assert.strictEqual(fs.writeSync(fd, new Uint8Array([33, 33, 63]), 1, 1), 1);
  assert.strictEqual(fs.writeSync(fd, 'H', 0), 1);
  const buf = new Uint8Array(32);
  assert.strictEqual(fs.readSync(fd, buf, 0, 32, 0), 12);
  assert.strictEqual(new TextDecoder().decode(buf.subarray(0, 12)), 'Hello world!');
  assert.strictEqual(fs.readSync(fd, buf, 4, 5, 6), 5);
  assert.strictEqual(new TextDecoder().decode(buf.subarray(4, 9)), 'world');
  assert.strictEqual(fs.readSync(fd, buf, { position: 0, length: 1 }), 1);
  assert.strictEqual(fs.readSync(fd, buf, 0, 0, 0), 0);
  assert.strictEqual(fs.fstatSync(fd).size, 12);
  codeError(() => fs.readSync(fd, buf, 0, 33, 0), 'RangeError', 'ERR_OUT_OF_RANGE');
  codeError(() => fs.readSync(fd, 'x', 0, 1, 0), 'TypeError', 'ERR_INVALID_ARG_TYPE');
  fs.ftruncateSync(fd, 5);
  assert.strictEqual(fs.readFileSync(fd, 'utf8'), '', 'readFileSync(fd) reads from the position');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  sysError(() => fs.closeSync(fd), 'EBADF', 'close');
  sysError(() => fs.readSync(fd, buf, 0, 1, 0), 'EBADF', 'read');
  assert.strictEqual(fs.readFileSync(p('fd.txt'), 'utf8'), 'Hello');
  const ro = fs.openSync(p('fd.txt'));
  sysError(() => fs.writeSync(ro, 'x'), 'EBADF', 'write');
  fs.closeSync(ro);
  sysError(() => fs.openSync(p('missing')), 'ENOENT', 'open', p('missing'));
  codeError(() => fs.closeSync(-1), 'RangeError', 'ERR_OUT_OF_RANGE');
  codeError(() => fs.closeSync('1'), 'TypeError', 'ERR_INVALID_ARG_TYPE');
}

// --- bad arguments, with Node's codes and messages
codeError(() => fs.readFileSync({}), 'TypeError', 'ERR_INVALID_ARG_TYPE',
  'The "path" argument must be of type string or an instance of Buffer or URL. Received an instance of Object');
codeError(() => fs.readFileSync(undefined), 'TypeError', 'ERR_INVALID_ARG_TYPE');
codeError(() => fs.readFileSync('/tmp/a\u0000b'), 'TypeError', 'ERR_INVALID_ARG_VALUE');
codeError(() => fs.readFileSync(p('mode'), 'bogus'), 'TypeError', 'ERR_INVALID_ARG_VALUE',
  "The argument 'encoding' is invalid encoding. Received 'bogus'");
codeError(() => fs.readFileSync(p('mode'), 42), 'TypeError', 'ERR_INVALID_ARG_TYPE');
codeError(() => fs.writeFileSync(p('x'), 42), 'TypeError', 'ERR_INVALID_ARG_TYPE',
  'The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. ' +
  'Received type number (42)');
codeError(() => fs.openSync(p('x'), 'z'), 'TypeError', 'ERR_INVALID_ARG_VALUE',
  "The argument 'flags' is invalid. Received 'z'");
codeError(() => fs.mkdirSync(p('x'), { recursive: 1 }), 'TypeError', 'ERR_INVALID_ARG_TYPE');
codeError(() => fs.renameSync(p('x'), 5), 'TypeError', 'ERR_INVALID_ARG_TYPE');
codeError(() => fs.readFile(p('mode')), 'TypeError', 'ERR_INVALID_ARG_TYPE',
  'The "cb" argument must be of type function. Received undefined');
codeError(() => fs.readFile(5.5, () => {}), 'RangeError', 'ERR_OUT_OF_RANGE');
assert.strictEqual(fs.existsSync(p('x')), false, 'nothing made by failed calls');

// --- constants
assert.strictEqual(fs.constants.F_OK, 0);
assert.strictEqual(fs.constants.O_RDONLY, 0);
assert.strictEqual(fs.constants.S_IFDIR, 0o040000);
assert.strictEqual(fs.constants.COPYFILE_EXCL, 1);
assert.strictEqual(fs.F_OK, 0);

// --- the callback forms, one after the other
const steps = [
  (next) => fs.writeFile(p('cb.txt'), 'callback', next),
  (next) => fs.appendFile(p('cb.txt'), '!', next),
  (next) => fs.readFile(p('cb.txt'), 'utf8', (err, text) => {
    assert.ifError(err);
    assert.strictEqual(text, 'callback!');
    next();
  }),
  (next) => fs.readFile(p('cb.txt'), (err, bytes) => {
    assert.ifError(err);
    assert.ok(bytes instanceof Uint8Array);
    next();
  }),
  (next) => fs.readFile(p('missing'), (err, bytes) => {
    assert.strictEqual(err.code, 'ENOENT');
    assert.strictEqual(err.message, `ENOENT: no such file or directory, open '${p('missing')}'`);
    assert.strictEqual(bytes, undefined);
    next();
  }),
  (next) => fs.stat(p('cb.txt'), (err, st) => {
    assert.ifError(err);
    assert.strictEqual(st.size, 9);
    next();
  }),
  (next) => fs.lstat(p('link'), (err, st) => {
    assert.ifError(err);
    assert.strictEqual(st.isSymbolicLink(), true);
    next();
  }),
  (next) => fs.mkdir(p('cbdir', 'sub'), { recursive: true }, (err, first) => {
    assert.ifError(err);
    assert.strictEqual(first, p('cbdir'));
    next();
  }),
  (next) => fs.mkdir(p('cbdir'), (err) => {
    assert.strictEqual(err.code, 'EEXIST');
    next();
  }),
  (next) => fs.readdir(p('cbdir'), { withFileTypes: true }, (err, entries) => {
    assert.ifError(err);
    assert.deepStrictEqual(entries.map((e) => e.name), ['sub']);
    assert.strictEqual(entries[0].isDirectory(), true);
    next();
  }),
  (next) => fs.readdir(tmp, { recursive: true }, (err, names) => {
    assert.ifError(err);
    assert.ok(names.includes('cbdir/sub'));
    next();
  }),
  (next) => fs.access(p('missing'), (err) => {
    assert.strictEqual(err.syscall, 'access');
    next();
  }),
  (next) => fs.exists(p('cb.txt'), (yes) => {
    assert.strictEqual(yes, true);
    next();
  }),
  (next) => fs.rename(p('cb.txt'), p('cb2.txt'), next),
  (next) => fs.copyFile(p('cb2.txt'), p('cb3.txt'), next),
  (next) => fs.realpath(p('cb3.txt'), (err, real) => {
    assert.ifError(err);
    assert.strictEqual(real, fs.realpathSync(p('cb3.txt')));
    next();
  }),
  (next) => fs.open(p('cb3.txt'), 'r+', (err, fd) => {
    assert.ifError(err);
    const buf = new Uint8Array(10);
    fs.read(fd, buf, 2, 4, 0, (e1, n, same) => {
      assert.ifError(e1);
      assert.strictEqual(n, 4);
      assert.strictEqual(same, buf);
      assert.strictEqual(new TextDecoder().decode(buf.subarray(2, 6)), 'call');
      fs.write(fd, 'C', 0, (e2, written) => {
        assert.ifError(e2);
        assert.strictEqual(written, 1);
        fs.fstat(fd, (e3, st) => {
          assert.ifError(e3);
          assert.strictEqual(st.size, 9);
          fs.close(fd, (e4) => {
            assert.ifError(e4);
            assert.strictEqual(fs.readFileSync(p('cb3.txt'), 'utf8'), 'Callback!');
            next();
          });
        });
      });
    });
  }),
  (next) => fs.unlink(p('cb3.txt'), next),
  (next) => fs.unlink(p('cb3.txt'), (err) => {
    assert.strictEqual(err.code, 'ENOENT');
    next();
  }),
  (next) => fs.rm(p('cbdir'), (err) => {
    assert.strictEqual(err.code, 'ERR_FS_EISDIR');
    next();
  }),
  (next) => fs.rm(p('cbdir'), { recursive: true }, next),
  (next) => fs.rmdir(p('cbdir'), (err) => {
    assert.strictEqual(err.code, 'ENOENT');
    next();
  }),
  (next) => fs.mkdtemp(p('t-'), (err, dir) => {
    assert.ifError(err);
    assert.ok(fs.statSync(dir).isDirectory());
    next();
  }),
];

// Many requests at once: the threadpool runs them side by side.
function parallel(next) {
  let left = 50;
  for (let i = 0; i < 50; i++) {
    fs.writeFile(p(`par${i}`), String(i), (err) => {
      assert.ifError(err);
      fs.readFile(p(`par${i}`), 'utf8', (e, text) => {
        assert.ifError(e);
        assert.strictEqual(text, String(i));
        if (--left === 0) next();
      });
    });
  }
}
steps.push(parallel);

let index = 0;
function next(err) {
  assert.ifError(err);
  const step = steps[index++];
  if (step) {
    step(next);
    return;
  }
  fs.rmSync(tmp, { recursive: true });
  assert.strictEqual(fs.existsSync(tmp), false);
  console.log('ok');
}
next();
