// Behaviour of the builtin `path` module (POSIX flavour), checked against
// the results Node gives.
import path from 'node:path';
import * as named from 'path';
import { join, posix, sep } from 'path';

const show = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function eq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

function eqObject(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

function throwsTypeError(fn, message, what) {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof TypeError)) throw new Error(`${what}: expected a TypeError, got ${err}`);
    eq(err.code, 'ERR_INVALID_ARG_TYPE', `${what} code`);
    eq(err.message, message, `${what} message`);
    return;
  }
  throw new Error(`${what}: expected a TypeError, nothing was thrown`);
}

// --- module shape
eq(path.sep, '/', 'sep');
eq(path.delimiter, ':', 'delimiter');
eq(path.posix, path, 'posix is the module itself');
eq(typeof path.win32.join, 'function', 'win32 exists');
eq(named.default, path, 'default export');
eq(named.join, path.join, 'named join');
eq(join, path.join, 'import { join }');
eq(posix, path, 'import { posix }');
eq(sep, '/', 'import { sep }');
for (const name of ['resolve', 'normalize', 'isAbsolute', 'join', 'relative', 'dirname', 'basename',
  'extname', 'format', 'parse', 'toNamespacedPath']) {
  eq(typeof path[name], 'function', `path.${name}`);
  eq(named[name], path[name], `named export ${name}`);
}

// --- normalize
const normalizeCases = [
  ['', '.'], ['.', '.'], ['./', './'], ['..', '..'], ['../', '../'], ['/', '/'], ['//', '/'],
  ['/foo/bar//baz/asdf/quux/..', '/foo/bar/baz/asdf'], ['a/b/../../..', '..'], ['a/./b/', 'a/b/'],
  ['/..', '/'], ['/../a/..', '/'], ['./fixtures///b/../b/c.js', 'fixtures/b/c.js'], ['a//b//../b', 'a/b'],
  ['../../a/../b', '../../b'], ['...', '...'], ['a/.../b', 'a/.../b'], ['bar/foo../../', 'bar/'],
  ['bar/foo../..', 'bar'], ['bar/foo../../baz', 'bar/baz'], ['../foo../../../bar', '../../bar'],
  ['/a/b/c/../../../x/y/z', '/x/y/z'], ['///..//./foo/.//bar', '/foo/bar'],
];
for (const [input, expected] of normalizeCases) eq(path.normalize(input), expected, `normalize(${show(input)})`);

// --- join
const joinCases = [
  [[], '.'], [[''], '.'], [['', ''], '.'], [['.', 'x/b', '..', '/b/c.js'], 'x/b/c.js'],
  [['/.', 'x/b', '..', '/b/c.js'], '/x/b/c.js'], [['/foo', '../../../bar'], '/bar'],
  [['foo', '../../../bar'], '../../bar'], [['foo/', '../../../bar'], '../../bar'],
  [['foo/x', '../../../bar'], '../bar'], [['foo/x', './bar'], 'foo/x/bar'], [['foo/x/', './bar'], 'foo/x/bar'],
  [['foo/x/', '.', 'bar'], 'foo/x/bar'], [['./'], './'], [['.', './'], './'], [['.', '.', '.'], '.'],
  [['', '/foo'], '/foo'], [['', '', '/foo'], '/foo'], [['/', '/foo'], '/foo'], [['/', '//foo'], '/foo'],
  [['/', '', '/foo'], '/foo'], [[' ', 'foo'], ' /foo'], [['/', '..', '..'], '/'], [['a', 'b/'], 'a/b/'],
];
for (const [args, expected] of joinCases) eq(path.join(...args), expected, `join(${args.map(show)})`);

// --- resolve
const cwd = globalThis.process?.cwd?.() ?? '/';
eq(path.resolve('/var/lib', '../', 'file/'), '/var/file', 'resolve 1');
eq(path.resolve('/var/lib', '/../', 'file/'), '/file', 'resolve 2');
eq(path.resolve('/some/dir', '.', '/absolute/'), '/absolute', 'resolve 3');
eq(path.resolve('/foo/tmp.3/', '../tmp.3/cycles/root.js'), '/foo/tmp.3/cycles/root.js', 'resolve 4');
eq(path.resolve('/a', 'b', '', 'c'), '/a/b/c', 'resolve skips empty strings');
eq(path.resolve(), cwd, 'resolve() is the cwd');
eq(path.resolve(''), cwd, "resolve('') is the cwd");
eq(path.resolve('a/b'), path.join(cwd, 'a/b'), 'resolve relative to the cwd');
eq(path.resolve('/'), '/', 'resolve root');

// --- isAbsolute
for (const [input, expected] of [['/home/foo', true], ['/home/foo/..', true], ['bar/', false], ['./baz', false],
  ['', false], ['//server', true], ['.', false]]) {
  eq(path.isAbsolute(input), expected, `isAbsolute(${show(input)})`);
}

// --- relative
const relativeCases = [
  ['/var/lib', '/var', '..'], ['/var/lib', '/bin', '../../bin'], ['/var/lib', '/var/lib', ''],
  ['/var/lib', '/var/apache', '../apache'], ['/var/', '/var/lib', 'lib'], ['/', '/var/lib', 'var/lib'],
  ['/foo/test', '/foo/test/bar/package.json', 'bar/package.json'], ['/Users/a/web/b/test/mails', '/Users/a/web/b', '../..'],
  ['/foo/bar/baz-quux', '/foo/bar/baz', '../baz'], ['/foo/bar/baz', '/foo/bar/baz-quux', '../baz-quux'],
  ['/baz-quux', '/baz', '../baz'], ['/baz', '/baz-quux', '../baz-quux'], ['/page1/page2/foo', '/', '../../..'],
  ['/data/orandea/test/aaa', '/data/orandea/impl/bbb', '../../impl/bbb'], ['a/b', 'a/b/c/d', 'c/d'], ['a', 'a', ''],
];
for (const [from, to, expected] of relativeCases) eq(path.relative(from, to), expected, `relative(${show(from)}, ${show(to)})`);

// --- dirname
const dirnameCases = [
  ['/a/b/', '/a'], ['/a/b', '/a'], ['/a', '/'], ['', '.'], ['/', '/'], ['////', '/'], ['//a', '//'],
  ['foo', '.'], ['a/b', 'a'], ['a/b/', 'a'], ['/a//b', '/a/'], ['./a', '.'], ['../a/b', '../a'],
];
for (const [input, expected] of dirnameCases) eq(path.dirname(input), expected, `dirname(${show(input)})`);

// --- basename
const basenameCases = [
  [['/quux/asdf/file.html'], 'file.html'], [['/quux/asdf/file.html', '.html'], 'file'], [['file.js', '.js'], 'file'],
  [['file.js/', '.js'], 'file'], [['.js', '.js'], ''], [['a/.js', '.js'], '.js'], [['/dir/basename.ext'], 'basename.ext'],
  [['basename.ext'], 'basename.ext'], [['basename.ext/'], 'basename.ext'], [['basename.ext//'], 'basename.ext'],
  [['aaa/bbb', '/bbb'], 'bbb'], [['aaa/bbb', 'a/bbb'], 'bbb'], [['aaa/bbb', 'bbb'], 'bbb'], [['aaa/bbb//', 'bbb'], 'bbb'],
  [['aaa/bbb', 'bb'], 'b'], [['aaa/bbb', 'b'], 'bb'], [['/aaa/bbb', '/bbb'], 'bbb'], [['/aaa/bbb', 'a/bbb'], 'bbb'],
  [['/aaa/bbb', 'bbb'], 'bbb'], [['/aaa/bbb//', 'bbb'], 'bbb'], [['/aaa/bbb', 'bb'], 'b'], [['/aaa/'], 'aaa'],
  [['/aaa/b'], 'b'], [['/a/b'], 'b'], [['//a'], 'a'], [['a', 'a'], ''], [['/'], ''], [[''], ''], [['a/', '.a'], 'a/'],
  [['file.tar.gz', '.gz'], 'file.tar'], [['file', ''], 'file'],
];
for (const [args, expected] of basenameCases) eq(path.basename(...args), expected, `basename(${args.map(show)})`);

// --- extname
const extnameCases = [
  ['', ''], ['/path/to/file', ''], ['/path/to/file.ext', '.ext'], ['/path.to/file.ext', '.ext'],
  ['/path.to/file', ''], ['/path.to/.file', ''], ['/path.to/.file.ext', '.ext'], ['/path/to/f.ext', '.ext'],
  ['/path/to/..ext', '.ext'], ['/path/to/..', ''], ['file', ''], ['file.ext', '.ext'], ['.file', ''],
  ['.file.ext', '.ext'], ['/file', ''], ['/file.ext', '.ext'], ['/.file', ''], ['/.file.ext', '.ext'],
  ['.path/file.ext', '.ext'], ['file.ext.ext', '.ext'], ['file.', '.'], ['.', ''], ['./', ''], ['.file.ext', '.ext'],
  ['..', ''], ['../', ''], ['..file.ext', '.ext'], ['..file', '.file'], ['..file.', '.'], ['..file..', '.'],
  ['...', '.'], ['...ext', '.ext'], ['....', '.'], ['file.ext/', '.ext'], ['file.ext//', '.ext'], ['file/', ''],
  ['file//', ''], ['file./', '.'], ['file.//', '.'], ['index.html', '.html'], ['index.coffee.md', '.md'],
];
for (const [input, expected] of extnameCases) eq(path.extname(input), expected, `extname(${show(input)})`);

// --- parse and format
const parseCases = [
  ['/home/user/dir/file.txt', { root: '/', dir: '/home/user/dir', base: 'file.txt', ext: '.txt', name: 'file' }],
  ['', { root: '', dir: '', base: '', ext: '', name: '' }],
  ['/', { root: '/', dir: '/', base: '', ext: '', name: '' }],
  ['//', { root: '/', dir: '/', base: '', ext: '', name: '' }],
  ['./file', { root: '', dir: '.', base: 'file', ext: '', name: 'file' }],
  ['a/b/.bashrc', { root: '', dir: 'a/b', base: '.bashrc', ext: '', name: '.bashrc' }],
  ['/x/y.tar.gz/', { root: '/', dir: '/x', base: 'y.tar.gz', ext: '.gz', name: 'y.tar' }],
  ['file.', { root: '', dir: '', base: 'file.', ext: '.', name: 'file' }],
  ['..', { root: '', dir: '', base: '..', ext: '', name: '..' }],
  // Node's own corner case: at the root, '..' is parsed as name '.' and ext '.'.
  ['/..', { root: '/', dir: '/', base: '..', ext: '.', name: '.' }],
];
for (const [input, expected] of parseCases) {
  eqObject(path.parse(input), expected, `parse(${show(input)})`);
  const back = path.format(path.parse(input));
  eq(path.parse(back).base, expected.base, `format(parse(${show(input)})) keeps the base`);
}
const formatCases = [
  [{ root: '/ignored', dir: '/home/user/dir', base: 'file.txt' }, '/home/user/dir/file.txt'],
  [{ root: '/', base: 'file.txt', ext: 'ignored' }, '/file.txt'],
  [{ root: '/', name: 'file', ext: '.txt' }, '/file.txt'],
  [{ name: 'file', ext: 'txt' }, 'file.txt'],
  [{ dir: 'a', name: 'b' }, 'a/b'],
  [{}, ''],
  [{ root: '/', dir: '/' }, '/'],
];
for (const [input, expected] of formatCases) eq(path.format(input), expected, `format(${JSON.stringify(input)})`);

// --- toNamespacedPath
eq(path.toNamespacedPath('/a/b'), '/a/b', 'toNamespacedPath is the identity');
eq(path.toNamespacedPath(42), 42, 'toNamespacedPath leaves non-strings alone');

// --- argument validation
const notStrings = [
  [42, 'type number (42)'], [null, 'null'], [undefined, 'undefined'], [{}, 'an instance of Object'],
  [[], 'an instance of Array'], [true, 'type boolean (true)'], [() => {}, 'function '],
];
for (const [value, received] of notStrings) {
  const tail = `must be of type string. Received ${received}`;
  for (const name of ['normalize', 'isAbsolute', 'dirname', 'basename', 'extname', 'parse']) {
    throwsTypeError(() => path[name](value), `The "path" argument ${tail}`, `${name}(${received})`);
  }
  throwsTypeError(() => path.join('a', value), `The "path" argument ${tail}`, `join('a', ${received})`);
  throwsTypeError(() => path.resolve('/a', value), `The "paths[1]" argument ${tail}`, `resolve('/a', ${received})`);
  throwsTypeError(() => path.relative(value, 'a'), `The "from" argument ${tail}`, `relative(${received}, 'a')`);
  throwsTypeError(() => path.relative('a', value), `The "to" argument ${tail}`, `relative('a', ${received})`);
  if (value !== undefined) {
    throwsTypeError(() => path.basename('a', value), `The "suffix" argument ${tail}`, `basename('a', ${received})`);
  }
}
throwsTypeError(() => path.resolve(1, 'a'), 'The "paths[0]" argument must be of type string. Received type number (1)',
  'resolve(1, "a")');
// As in Node, arguments before the last absolute one are never looked at.
eq(path.resolve(1, '/a'), '/a', 'resolve(1, "/a")');
for (const [value, received] of [[null, 'null'], [42, 'type number (42)'], ['a/b', "type string ('a/b')"],
  [[], 'an instance of Array'], [undefined, 'undefined']]) {
  throwsTypeError(() => path.format(value), `The "pathObject" argument must be of type object. Received ${received}`,
    `format(${received})`);
}

console.log('ok');
