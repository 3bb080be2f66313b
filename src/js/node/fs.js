// Node's `fs` module: synchronous, callback and promise file system calls
// over the C binding of src/modules/fs.c (which runs the callback and promise
// forms on libuv's threadpool). `fs/promises` is this module's `promises`.
//
// Differences from Node (docs/node-compat.md has them all):
// - There is no Buffer in weft: binary results (readFileSync without an
//   encoding, readdir with encoding 'buffer', FileHandle reads into new
//   memory) are Uint8Array. Every function that takes a Buffer takes any
//   TypedArray or DataView, as Node does.
// - Not implemented: streams (createReadStream/createWriteStream), watch and
//   watchFile, opendir/Dir, cp, chown/lchown/fchown, readv/writev, statfs,
//   and AbortSignal options.
// - readdir({ recursive: true }) descends into directories by their file type
//   and does not follow symbolic links to directories.
// - A FileHandle left open is not closed when it is collected.

import { fs as binding } from 'weft:internal/native/fs';
import {
  invalidArgType, invalidArgValue, makeError, outOfRange, validateBoolean, validateFunction,
  validateInt32, validateInteger, validateObject, validateUint32,
} from 'weft:internal/errors';
import { isDate, isArrayBufferView } from 'weft:internal/types';
import { load } from 'weft:internal/load';
import { join as joinPath, resolve as resolvePath, relative as relativePath } from 'weft:node/path';

export const constants = binding.constants;

const {
  O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_SYNC,
  S_IFMT, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFLNK, S_IFSOCK,
  UV_DIRENT_FILE, UV_DIRENT_DIR, UV_DIRENT_LINK, UV_DIRENT_FIFO, UV_DIRENT_SOCKET,
  UV_DIRENT_CHAR, UV_DIRENT_BLOCK,
} = constants;

export const { F_OK, R_OK, W_OK, X_OK } = constants;

// ---------------------------------------------------------------------------
// Arguments

// Node's isURL: duck-typed, so URL objects from another realm pass.
function isURL(value) {
  return Boolean(value?.href && value.protocol && value.auth === undefined && value.path === undefined);
}

// A path argument as a string: strings, Uint8Arrays (UTF-8) and file: URLs.
function getPath(value, name = 'path') {
  let path = value;
  if (typeof path !== 'string') {
    if (isArrayBufferView(path) && !(path instanceof DataView)) path = binding.decode(toBytes(path), 'utf8');
    else if (isURL(path)) path = load('weft:node/url').fileURLToPath(path);
    else throw invalidArgType(name, ['string', 'Buffer', 'URL'], value);
  }
  if (path.includes('\u0000')) {
    throw invalidArgValue(name, value, 'must be a string, Uint8Array, or URL without null bytes');
  }
  return path;
}

function getFd(fd, name = 'fd') {
  validateInt32(fd, name, 0);
  return fd;
}

// The bytes of any ArrayBufferView as a Uint8Array over the same memory.
function toBytes(view) {
  if (view instanceof Uint8Array) return view;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function checkBuffer(buffer, name = 'buffer') {
  if (!isArrayBufferView(buffer)) throw invalidArgType(name, ['Buffer', 'TypedArray', 'DataView'], buffer);
  return toBytes(buffer);
}

// Data to write: a string in `encoding`, or any ArrayBufferView.
function dataBytes(data, encoding, name = 'data') {
  if (typeof data === 'string') return binding.encode(data, encoding ?? 'utf8');
  if (isArrayBufferView(data)) return toBytes(data);
  throw invalidArgType(name, ['string', 'Buffer', 'TypedArray', 'DataView'], data);
}

const encodings = {
  utf8: 'utf8', 'utf-8': 'utf8', latin1: 'latin1', binary: 'latin1', ascii: 'ascii',
  ucs2: 'utf16le', 'ucs-2': 'utf16le', utf16le: 'utf16le', 'utf-16le': 'utf16le',
  hex: 'hex', base64: 'base64', base64url: 'base64url',
};

// The binding's name of an encoding; null for raw bytes ('buffer' or none).
function getEncoding(encoding) {
  if (encoding == null || encoding === 'buffer') return null;
  const found = typeof encoding === 'string' ? (encodings[encoding] ?? encodings[encoding.toLowerCase()]) : undefined;
  if (found === undefined) throw invalidArgValue('encoding', encoding, 'is invalid encoding');
  return found;
}

// Options that may be an encoding name, merged over `defaults`.
function getOptions(options, defaults) {
  if (options == null || typeof options === 'function') return defaults;
  if (typeof options === 'string') return { ...defaults, encoding: options };
  if (typeof options !== 'object') throw invalidArgType('options', ['string', 'Object'], options);
  return { ...defaults, ...options };
}

const flagTable = {
  r: O_RDONLY,
  rs: O_RDONLY | O_SYNC,
  sr: O_RDONLY | O_SYNC,
  'r+': O_RDWR,
  'rs+': O_RDWR | O_SYNC,
  'sr+': O_RDWR | O_SYNC,
  w: O_TRUNC | O_CREAT | O_WRONLY,
  wx: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  xw: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'w+': O_TRUNC | O_CREAT | O_RDWR,
  'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  a: O_APPEND | O_CREAT | O_WRONLY,
  ax: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  xa: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  as: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  sa: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'a+': O_APPEND | O_CREAT | O_RDWR,
  'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
  'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};

function stringToFlags(flags, name = 'flags') {
  if (typeof flags === 'number') return flags;
  if (flags == null) return O_RDONLY;
  const value = typeof flags === 'string' && Object.hasOwn(flagTable, flags) ? flagTable[flags] : undefined;
  if (value === undefined) throw invalidArgValue(name, flags, 'is invalid');
  return value;
}

// A file mode: a number or an octal string.
function parseFileMode(value, name, def) {
  value ??= def;
  if (typeof value === 'string') {
    if (!/^[0-7]+$/.test(value)) {
      throw invalidArgValue(name, value, 'must be a 32-bit unsigned integer or an octal string');
    }
    value = parseInt(value, 8);
  }
  validateUint32(value, name);
  return value;
}

// Seconds since the epoch, for utimes.
function toUnixTimestamp(time, name = 'time') {
  // eslint-disable-next-line eqeqeq
  if (typeof time === 'string' && +time == time) return +time;
  if (Number.isFinite(time)) return time < 0 ? Date.now() / 1000 : time;
  if (isDate(time)) return time.getTime() / 1000;
  throw invalidArgType(name, ['Date', 'Time in seconds'], time);
}

function getCallback(cb) {
  validateFunction(cb, 'cb');
  return cb;
}

// A binding callback that converts the result before calling `cb`.
function convertTo(cb, convert) {
  return (err, value) => {
    if (err) {
      cb(err);
      return;
    }
    let result;
    try {
      result = convert(value);
    } catch (e) {
      cb(e);
      return;
    }
    cb(null, result);
  };
}

function decodeResult(value, encoding) {
  if (value === undefined) return value;
  if (encoding === null) return binding.encode(value, 'utf8');
  return encoding === 'utf8' ? value : binding.decode(binding.encode(value, 'utf8'), encoding);
}

// ---------------------------------------------------------------------------
// Stats and Dirent

function dateOf(ms) {
  return new Date(ms);
}

function hasType(stats, type) {
  const mode = stats.mode;
  return typeof mode === 'bigint' ? (mode & BigInt(S_IFMT)) === BigInt(type) : (mode & S_IFMT) === type;
}

class StatsBase {
  isDirectory() { return hasType(this, S_IFDIR); }
  isFile() { return hasType(this, S_IFREG); }
  isBlockDevice() { return hasType(this, S_IFBLK); }
  isCharacterDevice() { return hasType(this, S_IFCHR); }
  isSymbolicLink() { return hasType(this, S_IFLNK); }
  isFIFO() { return hasType(this, S_IFIFO); }
  isSocket() { return hasType(this, S_IFSOCK); }
}
export class Stats extends StatsBase {
  constructor(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks,
    atimeMs, mtimeMs, ctimeMs, birthtimeMs) {
    super();
    this.dev = dev;
    this.mode = mode;
    this.nlink = nlink;
    this.uid = uid;
    this.gid = gid;
    this.rdev = rdev;
    this.blksize = blksize;
    this.ino = ino;
    this.size = size;
    this.blocks = blocks;
    this.atimeMs = atimeMs;
    this.mtimeMs = mtimeMs;
    this.ctimeMs = ctimeMs;
    this.birthtimeMs = birthtimeMs;
    this.atime = dateOf(atimeMs);
    this.mtime = dateOf(mtimeMs);
    this.ctime = dateOf(ctimeMs);
    this.birthtime = dateOf(birthtimeMs);
  }
}

class BigIntStats extends StatsBase {
  constructor(f) {
    super();
    const ns = (i) => f[i] * 1000000000n + f[i + 1];
    const ms = (i) => f[i] * 1000n + f[i + 1] / 1000000n;
    this.dev = f[0];
    this.mode = f[1];
    this.nlink = f[2];
    this.uid = f[3];
    this.gid = f[4];
    this.rdev = f[5];
    this.blksize = f[6];
    this.ino = f[7];
    this.size = f[8];
    this.blocks = f[9];
    this.atimeMs = ms(10);
    this.mtimeMs = ms(12);
    this.ctimeMs = ms(14);
    this.birthtimeMs = ms(16);
    this.atimeNs = ns(10);
    this.mtimeNs = ns(12);
    this.ctimeNs = ns(14);
    this.birthtimeNs = ns(16);
    this.atime = dateOf(Number(this.atimeMs));
    this.mtime = dateOf(Number(this.mtimeMs));
    this.ctime = dateOf(Number(this.ctimeMs));
    this.birthtime = dateOf(Number(this.birthtimeMs));
  }
}

// Stats from the binding's array: the fields of src/modules/fs.c's ST_*.
function makeStats(f) {
  if (f instanceof BigInt64Array) return new BigIntStats(f);
  const ms = (i) => f[i] * 1e3 + f[i + 1] / 1e6;
  return new Stats(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9],
    ms(10), ms(12), ms(14), ms(16));
}

const kType = Symbol('type');

export class Dirent {
  constructor(name, type, path) {
    this.name = name;
    this.parentPath = path;
    this.path = path;
    this[kType] = type;
  }

  isDirectory() { return this[kType] === UV_DIRENT_DIR; }
  isFile() { return this[kType] === UV_DIRENT_FILE; }
  isBlockDevice() { return this[kType] === UV_DIRENT_BLOCK; }
  isCharacterDevice() { return this[kType] === UV_DIRENT_CHAR; }
  isSymbolicLink() { return this[kType] === UV_DIRENT_LINK; }
  isFIFO() { return this[kType] === UV_DIRENT_FIFO; }
  isSocket() { return this[kType] === UV_DIRENT_SOCKET; }
}

function statOptions(options) {
  if (options === undefined || options === null) return { bigint: false, throwIfNoEntry: true };
  validateObject(options, 'options');
  return options;
}

function isMissing(err) {
  return err?.code === 'ENOENT' || err?.code === 'ENOTDIR';
}

// Node's SystemError, for ERR_FS_EISDIR.
class SystemError extends Error {}
Object.defineProperty(SystemError.prototype, 'name', { value: 'SystemError', writable: true, configurable: true });

function errFsEisdir(path) {
  const info = { code: 'EISDIR', message: 'is a directory', path, syscall: 'rm', errno: 21 };
  return makeError(SystemError, 'ERR_FS_EISDIR', `Path is a directory: rm returned EISDIR (is a directory) ${path}`,
    { info, errno: 21, syscall: 'rm', path });
}

// ---------------------------------------------------------------------------
// Whole files

function readFileArgs(path, options) {
  options = getOptions(options, { encoding: null, flag: 'r' });
  const encoding = getEncoding(options.encoding);
  const flags = stringToFlags(options.flag);
  const target = typeof path === 'number' ? getFd(path, 'fd') : getPath(path);
  return { target, encoding, flags };
}

export function readFileSync(path, options) {
  const { target, encoding, flags } = readFileArgs(path, options);
  const bytes = binding.readFile(target, flags);
  return encoding ? binding.decode(bytes, encoding) : bytes;
}

export function readFile(path, options, cb) {
  cb = getCallback(cb || options);
  const { target, encoding, flags } = readFileArgs(path, options);
  binding.readFile(target, flags, encoding ? convertTo(cb, (bytes) => binding.decode(bytes, encoding)) : cb);
}

function writeFileArgs(file, data, options, flag) {
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag });
  const bytes = dataBytes(data, typeof data === 'string' ? (getEncoding(options.encoding) ?? 'utf8') : 'utf8');
  const flags = stringToFlags(options.flag ?? flag);
  const mode = parseFileMode(options.mode, 'mode', 0o666);
  const target = typeof file === 'number' ? getFd(file, 'fd') : getPath(file, 'path');
  return [target, bytes, flags, mode, null];
}

export function writeFileSync(file, data, options) {
  binding.writeFile(...writeFileArgs(file, data, options, 'w'));
}

export function writeFile(file, data, options, cb) {
  cb = getCallback(cb || options);
  binding.writeFile(...writeFileArgs(file, data, options, 'w'), cb);
}

export function appendFileSync(file, data, options) {
  binding.writeFile(...writeFileArgs(file, data, options, 'a'));
}

export function appendFile(file, data, options, cb) {
  cb = getCallback(cb || options);
  binding.writeFile(...writeFileArgs(file, data, options, 'a'), cb);
}

// ---------------------------------------------------------------------------
// Existence, access, stats

export function existsSync(path) {
  try {
    path = getPath(path);
    binding.access(path, F_OK);
    return true;
  } catch {
    return false;
  }
}

// Deprecated in Node, still used: cb(exists), no error argument.
export function exists(path, cb) {
  validateFunction(cb, 'cb');
  try {
    path = getPath(path);
  } catch {
    queueMicrotask(() => cb(false));
    return;
  }
  binding.access(path, F_OK, (err) => cb(!err));
}

function accessMode(mode) {
  mode ??= F_OK;
  validateInteger(mode, 'mode', 0, 7);
  return mode;
}

export function accessSync(path, mode) {
  binding.access(getPath(path), accessMode(mode));
}

export function access(path, mode, cb) {
  if (typeof mode === 'function') {
    cb = mode;
    mode = F_OK;
  }
  cb = getCallback(cb);
  binding.access(getPath(path), accessMode(mode), cb);
}

function statSyncWith(fn, target, options) {
  options = statOptions(options);
  try {
    return makeStats(fn(target, options.bigint === true));
  } catch (err) {
    if (options.throwIfNoEntry === false && isMissing(err)) return undefined;
    throw err;
  }
}

export function statSync(path, options) {
  return statSyncWith(binding.stat, getPath(path), options);
}

export function lstatSync(path, options) {
  return statSyncWith(binding.lstat, getPath(path), options);
}

export function fstatSync(fd, options) {
  return statSyncWith(binding.fstat, getFd(fd), options);
}

function statAsync(fn, target, options, cb) {
  if (typeof options === 'function') {
    cb = options;
    options = undefined;
  }
  cb = getCallback(cb);
  options = statOptions(options);
  fn(target, options.bigint === true, convertTo(cb, makeStats));
}

export function stat(path, options, cb) {
  statAsync(binding.stat, getPath(path), options, cb);
}

export function lstat(path, options, cb) {
  statAsync(binding.lstat, getPath(path), options, cb);
}

export function fstat(fd, options, cb) {
  statAsync(binding.fstat, getFd(fd), options, cb);
}

// ---------------------------------------------------------------------------
// Directories

function direntsOf(dir, [names, types]) {
  return names.map((name, i) => new Dirent(name, types[i], dir));
}

function namesIn(names, encoding) {
  return encoding === 'utf8' ? names : names.map((name) => decodeResult(name, encoding));
}

function readdirOptions(options) {
  options = getOptions(options, { encoding: 'utf8', withFileTypes: false, recursive: false });
  return {
    encoding: getEncoding(options.encoding),
    withFileTypes: Boolean(options.withFileTypes),
    recursive: Boolean(options.recursive),
  };
}

// readdir({ recursive: true }): breadth first, names relative to `base`.
function addRecursive(base, dir, [names, types], options, out, queue) {
  for (let i = 0; i < names.length; i++) {
    const full = joinPath(dir, names[i]);
    out.push(options.withFileTypes ? new Dirent(names[i], types[i], dir)
      : decodeResult(relativePath(base, full), options.encoding));
    if (types[i] === UV_DIRENT_DIR) queue.push(full);
  }
}

export function readdirSync(path, options) {
  path = getPath(path);
  options = readdirOptions(options);
  if (options.recursive) {
    const out = [];
    const queue = [path];
    for (let i = 0; i < queue.length; i++) {
      addRecursive(path, queue[i], binding.readdir(queue[i], true), options, out, queue);
    }
    return out;
  }
  const result = binding.readdir(path, options.withFileTypes);
  return options.withFileTypes ? direntsOf(path, result) : namesIn(result, options.encoding);
}

export function readdir(path, options, cb) {
  cb = getCallback(cb || options);
  path = getPath(path);
  options = readdirOptions(options);
  if (!options.recursive) {
    binding.readdir(path, options.withFileTypes, convertTo(cb, (result) => (
      options.withFileTypes ? direntsOf(path, result) : namesIn(result, options.encoding))));
    return;
  }
  const out = [];
  const queue = [path];
  let next = 0;
  const more = () => {
    if (next >= queue.length) {
      cb(null, out);
      return;
    }
    const dir = queue[next++];
    binding.readdir(dir, true, (err, result) => {
      if (err) {
        cb(err);
        return;
      }
      addRecursive(path, dir, result, options, out, queue);
      more();
    });
  };
  more();
}

function mkdirArgs(path, options) {
  let mode = 0o777;
  let recursive = false;
  if (typeof options === 'number' || typeof options === 'string') {
    mode = parseFileMode(options, 'mode');
  } else if (options != null) {
    validateObject(options, 'options');
    if (options.recursive !== undefined) {
      validateBoolean(options.recursive, 'options.recursive');
      recursive = options.recursive;
    }
    if (options.mode !== undefined) mode = parseFileMode(options.mode, 'options.mode');
  }
  return [getPath(path), mode, recursive];
}

export function mkdirSync(path, options) {
  return binding.mkdir(...mkdirArgs(path, options));
}

export function mkdir(path, options, cb) {
  if (typeof options === 'function') {
    cb = options;
    options = undefined;
  }
  cb = getCallback(cb);
  const args = mkdirArgs(path, options);
  binding.mkdir(...args, args[2] ? cb : (err) => cb(err));
}

function mkdtempArgs(prefix, options) {
  options = getOptions(options, { encoding: 'utf8' });
  return [getPath(prefix, 'prefix'), getEncoding(options.encoding)];
}

export function mkdtempSync(prefix, options) {
  const [path, encoding] = mkdtempArgs(prefix, options);
  return decodeResult(binding.mkdtemp(path), encoding);
}

export function mkdtemp(prefix, options, cb) {
  cb = getCallback(cb || options);
  const [path, encoding] = mkdtempArgs(prefix, options);
  binding.mkdtemp(path, convertTo(cb, (p) => decodeResult(p, encoding)));
}

function rmOptions(options) {
  if (options === undefined) return { force: false, recursive: false };
  validateObject(options, 'options');
  const { force = false, recursive = false, maxRetries = 0, retryDelay = 100 } = options;
  validateBoolean(force, 'options.force');
  validateBoolean(recursive, 'options.recursive');
  validateInt32(maxRetries, 'options.maxRetries', 0);
  validateInt32(retryDelay, 'options.retryDelay', 0);
  return { force, recursive };
}

function isDirStats(f) {
  return (Number(f[1]) & S_IFMT) === S_IFDIR;
}

export function rmSync(path, options) {
  path = getPath(path);
  const { force, recursive } = rmOptions(options);
  let st;
  try {
    st = binding.lstat(path, false);
  } catch (err) {
    if (force && err.code === 'ENOENT') return;
    throw err;
  }
  if (isDirStats(st) && !recursive) throw errFsEisdir(path);
  binding.rm(path);
}

export function rm(path, options, cb) {
  if (typeof options === 'function') {
    cb = options;
    options = undefined;
  }
  cb = getCallback(cb);
  path = getPath(path);
  const { force, recursive } = rmOptions(options);
  binding.lstat(path, false, (err, st) => {
    if (err) {
      cb(force && err.code === 'ENOENT' ? null : err);
      return;
    }
    if (isDirStats(st) && !recursive) {
      cb(errFsEisdir(path));
      return;
    }
    binding.rm(path, (e) => cb(e));
  });
}

function rmdirRecursive(options) {
  if (options === undefined) return false;
  validateObject(options, 'options');
  return options.recursive === true;
}

export function rmdirSync(path, options) {
  path = getPath(path);
  if (rmdirRecursive(options)) binding.rm(path);
  else binding.rmdir(path);
}

export function rmdir(path, options, cb) {
  if (typeof options === 'function') {
    cb = options;
    options = undefined;
  }
  cb = getCallback(cb);
  path = getPath(path);
  if (rmdirRecursive(options)) binding.rm(path, (e) => cb(e));
  else binding.rmdir(path, (e) => cb(e));
}

// ---------------------------------------------------------------------------
// Names and links

export function unlinkSync(path) {
  binding.unlink(getPath(path));
}

export function unlink(path, cb) {
  cb = getCallback(cb);
  binding.unlink(getPath(path), (e) => cb(e));
}

export function renameSync(oldPath, newPath) {
  binding.rename(getPath(oldPath, 'oldPath'), getPath(newPath, 'newPath'));
}

export function rename(oldPath, newPath, cb) {
  cb = getCallback(cb);
  binding.rename(getPath(oldPath, 'oldPath'), getPath(newPath, 'newPath'), undefined, (e) => cb(e));
}

export function linkSync(existingPath, newPath) {
  binding.link(getPath(existingPath, 'existingPath'), getPath(newPath, 'newPath'));
}

export function link(existingPath, newPath, cb) {
  cb = getCallback(cb);
  binding.link(getPath(existingPath, 'existingPath'), getPath(newPath, 'newPath'), undefined, (e) => cb(e));
}

function symlinkType(type) {
  if (type == null) return 0;
  if (type === 'dir') return constants.UV_FS_SYMLINK_DIR;
  if (type === 'junction') return constants.UV_FS_SYMLINK_JUNCTION;
  if (type === 'file') return 0;
  throw invalidArgValue('type', type, "must be one of: 'dir', 'file', 'junction'");
}

export function symlinkSync(target, path, type) {
  binding.symlink(getPath(target, 'target'), getPath(path), symlinkType(type));
}

export function symlink(target, path, type, cb) {
  if (typeof type === 'function') {
    cb = type;
    type = undefined;
  }
  cb = getCallback(cb);
  binding.symlink(getPath(target, 'target'), getPath(path), symlinkType(type), (e) => cb(e));
}

function encodingOption(options) {
  return getEncoding(getOptions(options, { encoding: 'utf8' }).encoding);
}

export function readlinkSync(path, options) {
  return decodeResult(binding.readlink(getPath(path, 'oldPath')), encodingOption(options));
}

export function readlink(path, options, cb) {
  cb = getCallback(cb || options);
  const encoding = encodingOption(options);
  binding.readlink(getPath(path, 'oldPath'), convertTo(cb, (p) => decodeResult(p, encoding)));
}

function copyMode(mode) {
  mode ??= 0;
  validateInteger(mode, 'mode', 0, 7);
  return mode;
}

export function copyFileSync(src, dest, mode) {
  binding.copyFile(getPath(src, 'src'), getPath(dest, 'dest'), copyMode(mode));
}

export function copyFile(src, dest, mode, cb) {
  if (typeof mode === 'function') {
    cb = mode;
    mode = 0;
  }
  cb = getCallback(cb);
  binding.copyFile(getPath(src, 'src'), getPath(dest, 'dest'), copyMode(mode), (e) => cb(e));
}

// realpathSync resolves the path first and reports the first missing part
// (syscall lstat), as Node's JavaScript implementation; .native is realpath(3).
export function realpathSync(path, options) {
  return decodeResult(binding.realpath(resolvePath(getPath(path)), false), encodingOption(options));
}

realpathSync.native = function native(path, options) {
  return decodeResult(binding.realpath(getPath(path), true), encodingOption(options));
};

export function realpath(path, options, cb) {
  cb = getCallback(cb || options);
  const encoding = encodingOption(options);
  binding.realpath(resolvePath(getPath(path)), false, convertTo(cb, (p) => decodeResult(p, encoding)));
}

realpath.native = function native(path, options, cb) {
  cb = getCallback(cb || options);
  const encoding = encodingOption(options);
  binding.realpath(getPath(path), true, convertTo(cb, (p) => decodeResult(p, encoding)));
};

export function chmodSync(path, mode) {
  binding.chmod(getPath(path), parseFileMode(mode, 'mode'));
}

export function chmod(path, mode, cb) {
  cb = getCallback(cb);
  binding.chmod(getPath(path), parseFileMode(mode, 'mode'), (e) => cb(e));
}

export function fchmodSync(fd, mode) {
  binding.fchmod(getFd(fd), parseFileMode(mode, 'mode'));
}

export function fchmod(fd, mode, cb) {
  cb = getCallback(cb);
  binding.fchmod(getFd(fd), parseFileMode(mode, 'mode'), (e) => cb(e));
}

function truncLength(len) {
  len ??= 0;
  validateInteger(len, 'len');
  return Math.max(0, len);
}

export function truncateSync(path, len) {
  if (typeof path === 'number') return ftruncateSync(path, len);
  binding.truncate(getPath(path), truncLength(len));
}

export function truncate(path, len, cb) {
  if (typeof len === 'function') {
    cb = len;
    len = 0;
  }
  if (typeof path === 'number') return ftruncate(path, len, cb);
  cb = getCallback(cb);
  binding.truncate(getPath(path), truncLength(len), (e) => cb(e));
}

export function ftruncateSync(fd, len) {
  binding.truncate(getFd(fd), truncLength(len));
}

export function ftruncate(fd, len, cb) {
  if (typeof len === 'function') {
    cb = len;
    len = 0;
  }
  cb = getCallback(cb);
  binding.truncate(getFd(fd), truncLength(len), (e) => cb(e));
}

export function fsyncSync(fd) {
  binding.fsync(getFd(fd), false);
}

export function fsync(fd, cb) {
  cb = getCallback(cb);
  binding.fsync(getFd(fd), false, (e) => cb(e));
}

export function fdatasyncSync(fd) {
  binding.fsync(getFd(fd), true);
}

export function fdatasync(fd, cb) {
  cb = getCallback(cb);
  binding.fsync(getFd(fd), true, (e) => cb(e));
}

export function utimesSync(path, atime, mtime) {
  binding.utimes(getPath(path), toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), false);
}

export function utimes(path, atime, mtime, cb) {
  cb = getCallback(cb);
  binding.utimes(getPath(path), toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), false,
    (e) => cb(e));
}

export function lutimesSync(path, atime, mtime) {
  binding.utimes(getPath(path), toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), true);
}

export function lutimes(path, atime, mtime, cb) {
  cb = getCallback(cb);
  binding.utimes(getPath(path), toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), true,
    (e) => cb(e));
}

export function futimesSync(fd, atime, mtime) {
  binding.utimes(getFd(fd), toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), false);
}

export function futimes(fd, atime, mtime, cb) {
  cb = getCallback(cb);
  binding.utimes(getFd(fd), toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), false,
    (e) => cb(e));
}

// ---------------------------------------------------------------------------
// File descriptors

function openArgs(path, flags, mode) {
  return [getPath(path), stringToFlags(flags ?? 'r'), parseFileMode(mode, 'mode', 0o666)];
}

export function openSync(path, flags, mode) {
  return binding.open(...openArgs(path, flags, mode));
}

export function open(path, flags, mode, cb) {
  if (typeof flags === 'function') {
    cb = flags;
    flags = undefined;
    mode = undefined;
  } else if (typeof mode === 'function') {
    cb = mode;
    mode = undefined;
  }
  cb = getCallback(cb);
  binding.open(...openArgs(path, flags, mode), cb);
}

export function closeSync(fd) {
  binding.close(getFd(fd));
}

export function close(fd, cb = () => {}) {
  cb = getCallback(cb);
  binding.close(getFd(fd), (e) => cb(e));
}

function validatePosition(position, length) {
  if (typeof position === 'number') {
    validateInteger(position, 'position', -1);
  } else if (typeof position === 'bigint') {
    const max = 2n ** 63n - 1n - BigInt(length);
    if (position < -1n || position > max) throw outOfRange('position', `>= -1 && <= ${max}`, position);
  } else {
    throw invalidArgType('position', ['integer', 'bigint'], position);
  }
}

// The (buffer, offset, length, position) of a read, as Node checks them;
// null when there is nothing to read.
function readArgs(buffer, offsetOrOptions, length, position, nargs) {
  const bytes = checkBuffer(buffer);
  let offset = offsetOrOptions;
  if (nargs <= 3 || (offsetOrOptions !== null && typeof offsetOrOptions === 'object')) {
    if (offsetOrOptions != null) validateObject(offsetOrOptions, 'options', { nullable: true });
    ({ offset = 0, length = bytes.byteLength - offset, position = null } = offsetOrOptions ?? {});
  }
  if (offset === undefined) offset = 0;
  else validateInteger(offset, 'offset', 0);
  length |= 0;
  if (length === 0) return null;
  if (bytes.byteLength === 0) throw invalidArgValue('buffer', buffer, 'is empty and cannot be written');
  if (length < 0) throw outOfRange('length', '>= 0', length);
  if (offset + length > bytes.byteLength) throw outOfRange('length', `<= ${bytes.byteLength - offset}`, length);
  if (position == null) position = -1;
  validatePosition(position, length);
  return [bytes, offset, length, position];
}

export function readSync(fd, buffer, offsetOrOptions, length, position) {
  fd = getFd(fd);
  const args = readArgs(buffer, offsetOrOptions, length, position, arguments.length);
  return args === null ? 0 : binding.read(fd, ...args);
}

export function read(fd, buffer, offsetOrOptions, length, position, cb) {
  fd = getFd(fd);
  let nargs = arguments.length;
  if (typeof buffer === 'function') {
    // read(fd, cb): into a new 16 KiB buffer
    cb = buffer;
    buffer = new Uint8Array(16384);
    offsetOrOptions = undefined;
    nargs = 2;
  } else if (typeof offsetOrOptions === 'function') {
    cb = offsetOrOptions;
    offsetOrOptions = undefined;
    nargs = 2;
  } else if (isArrayBufferView(buffer) && typeof length === 'function') {
    cb = length;
    length = undefined;
    nargs = 3;
  } else if (!isArrayBufferView(buffer) && buffer !== null && typeof buffer === 'object') {
    // read(fd, { buffer, offset, length, position }, cb)
    cb = offsetOrOptions;
    ({ buffer = new Uint8Array(16384), ...offsetOrOptions } = buffer);
    nargs = 3;
  }
  cb = getCallback(cb);
  const args = readArgs(buffer, offsetOrOptions, length, position, nargs);
  if (args === null) {
    queueMicrotask(() => cb(null, 0, buffer));
    return;
  }
  binding.read(fd, ...args, (err, n) => (err ? cb(err) : cb(null, n, buffer)));
}

// write(fd, buffer[, offset[, length[, position]]]) or
// write(fd, string[, position[, encoding]]): [bytes, offset, length, position]
function writeArgs(buffer, offsetOrOptions, length, position) {
  if (isArrayBufferView(buffer)) {
    const bytes = toBytes(buffer);
    let offset = offsetOrOptions;
    if (offset !== null && typeof offset === 'object') {
      ({ offset = 0, length = bytes.byteLength - offset, position = null } = offsetOrOptions);
    }
    if (typeof offset !== 'number') offset = 0;
    else validateInteger(offset, 'offset', 0);
    if (typeof length !== 'number') length = bytes.byteLength - offset;
    if (typeof position !== 'number' && typeof position !== 'bigint') position = null;
    if (offset > bytes.byteLength) throw outOfRange('offset', `<= ${bytes.byteLength}`, offset);
    if (length > bytes.byteLength - offset) throw outOfRange('length', `<= ${bytes.byteLength - offset}`, length);
    validateInt32(length, 'length', 0);
    return [bytes, offset, length, position ?? -1];
  }
  if (typeof buffer !== 'string') throw invalidArgType('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], buffer);
  // offsetOrOptions is the position and length the encoding.
  const bytes = binding.encode(buffer, getEncoding(length ?? 'utf8') ?? 'utf8');
  const pos = typeof offsetOrOptions === 'number' || typeof offsetOrOptions === 'bigint' ? offsetOrOptions : -1;
  return [bytes, 0, bytes.byteLength, pos];
}

export function writeSync(fd, buffer, offsetOrOptions, length, position) {
  fd = getFd(fd);
  return binding.write(fd, ...writeArgs(buffer, offsetOrOptions, length, position));
}

export function write(fd, buffer, offsetOrOptions, length, position, cb) {
  fd = getFd(fd);
  const args = [offsetOrOptions, length, position, cb];
  // The callback is the last function argument.
  const last = args.findIndex((a) => typeof a === 'function');
  if (last >= 0) {
    cb = args[last];
    args.fill(undefined, last);
  }
  [offsetOrOptions, length, position] = args;
  cb = getCallback(cb);
  binding.write(fd, ...writeArgs(buffer, offsetOrOptions, length, position),
    (err, n) => (err ? cb(err) : cb(null, n, buffer)));
}

// ---------------------------------------------------------------------------
// Promises

// Calls a binding function with a callback, as a promise.
function call(fn, ...args) {
  return new Promise((resolve, reject) => {
    fn(...args, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

const kFd = Symbol('kFd');

function closedError(syscall) {
  const err = new Error('file closed');
  err.code = 'EBADF';
  err.syscall = syscall;
  return err;
}

// A FileHandle's descriptor, for an operation named `syscall`.
function fdOf(handle, syscall) {
  if (handle[kFd] === -1) throw closedError(syscall);
  return handle[kFd];
}

// fs.promises.open's result. Every method rejects once the handle is closed.
export class FileHandle {
  constructor(fd) {
    this[kFd] = fd;
  }

  get fd() {
    return this[kFd];
  }

  async close() {
    if (this[kFd] === -1) return;
    const fd = this[kFd];
    this[kFd] = -1;
    await call(binding.close, fd);
  }

  async read(buffer, offsetOrOptions, length, position) {
    const fd = fdOf(this, 'read');
    let nargs = arguments.length + 1;
    if (buffer === undefined || (!isArrayBufferView(buffer) && buffer !== null && typeof buffer === 'object')) {
      // read([{ buffer, offset, length, position }])
      ({ buffer = new Uint8Array(16384), ...offsetOrOptions } = buffer ?? {});
      nargs = 3;
    }
    const args = readArgs(buffer, offsetOrOptions, length, position, nargs);
    const bytesRead = args === null ? 0 : await call(binding.read, fd, ...args);
    return { bytesRead, buffer };
  }

  async write(buffer, offsetOrOptions, length, position) {
    const fd = fdOf(this, 'write');
    const bytesWritten = await call(binding.write, fd, ...writeArgs(buffer, offsetOrOptions, length, position));
    return { bytesWritten, buffer };
  }

  async readFile(options) {
    return promises.readFile(this, options);
  }

  async writeFile(data, options) {
    return promises.writeFile(this, data, options);
  }

  async appendFile(data, options) {
    return promises.appendFile(this, data, options);
  }

  async stat(options) {
    const fd = fdOf(this, 'fstat');
    options = statOptions(options);
    return makeStats(await call(binding.fstat, fd, options.bigint === true));
  }

  async truncate(len) {
    await call(binding.truncate, fdOf(this, 'ftruncate'), truncLength(len));
  }

  async sync() {
    await call(binding.fsync, fdOf(this, 'fsync'), false);
  }

  async datasync() {
    await call(binding.fsync, fdOf(this, 'fdatasync'), true);
  }

  async chmod(mode) {
    await call(binding.fchmod, fdOf(this, 'fchmod'), parseFileMode(mode, 'mode'));
  }

  async utimes(atime, mtime) {
    await call(binding.utimes, fdOf(this, 'futime'), toUnixTimestamp(atime, 'atime'),
      toUnixTimestamp(mtime, 'mtime'), false);
  }

  async [Symbol.asyncDispose]() {
    await this.close();
  }
}

// A FileHandle's descriptor, or a path; for readFile/writeFile.
function fileTarget(file, syscall) {
  if (file instanceof FileHandle) return fdOf(file, syscall);
  return getPath(file);
}

export const promises = {
  async access(path, mode) {
    await call(binding.access, getPath(path), accessMode(mode));
  },

  async appendFile(file, data, options) {
    options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'a' });
    const target = fileTarget(file, 'write');
    const [, bytes, flags, mode] = writeFileArgs(typeof target === 'number' ? target : file, data, options, 'a');
    await call(binding.writeFile, target, bytes, flags, mode, null);
  },

  async copyFile(src, dest, mode) {
    await call(binding.copyFile, getPath(src, 'src'), getPath(dest, 'dest'), copyMode(mode));
  },

  async chmod(path, mode) {
    await call(binding.chmod, getPath(path), parseFileMode(mode, 'mode'));
  },

  async link(existingPath, newPath) {
    await call(binding.link, getPath(existingPath, 'existingPath'), getPath(newPath, 'newPath'), undefined);
  },

  async lstat(path, options) {
    options = statOptions(options);
    return makeStats(await call(binding.lstat, getPath(path), options.bigint === true));
  },

  async lutimes(path, atime, mtime) {
    await call(binding.utimes, getPath(path), toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), true);
  },

  async mkdir(path, options) {
    const args = mkdirArgs(path, options);
    const first = await call(binding.mkdir, ...args);
    return args[2] ? first : undefined;
  },

  async mkdtemp(prefix, options) {
    const [path, encoding] = mkdtempArgs(prefix, options);
    return decodeResult(await call(binding.mkdtemp, path), encoding);
  },

  async open(path, flags, mode) {
    return new FileHandle(await call(binding.open, ...openArgs(path, flags, mode)));
  },

  async readdir(path, options) {
    return new Promise((resolve, reject) => {
      readdir(path, options, (err, result) => (err ? reject(err) : resolve(result)));
    });
  },

  async readFile(path, options) {
    options = getOptions(options, { encoding: null, flag: 'r' });
    const encoding = getEncoding(options.encoding);
    const flags = stringToFlags(options.flag);
    const target = fileTarget(path, 'read');
    const bytes = await call(binding.readFile, target, flags);
    return encoding ? binding.decode(bytes, encoding) : bytes;
  },

  async readlink(path, options) {
    const encoding = encodingOption(options);
    return decodeResult(await call(binding.readlink, getPath(path)), encoding);
  },

  async realpath(path, options) {
    const encoding = encodingOption(options);
    return decodeResult(await call(binding.realpath, getPath(path), true), encoding);
  },

  async rename(oldPath, newPath) {
    await call(binding.rename, getPath(oldPath, 'oldPath'), getPath(newPath, 'newPath'), undefined);
  },

  async rm(path, options) {
    return new Promise((resolve, reject) => {
      rm(path, options, (err) => (err ? reject(err) : resolve()));
    });
  },

  async rmdir(path, options) {
    return new Promise((resolve, reject) => {
      rmdir(path, options, (err) => (err ? reject(err) : resolve()));
    });
  },

  async stat(path, options) {
    options = statOptions(options);
    return makeStats(await call(binding.stat, getPath(path), options.bigint === true));
  },

  async symlink(target, path, type) {
    await call(binding.symlink, getPath(target, 'target'), getPath(path), symlinkType(type));
  },

  async truncate(path, len) {
    await call(binding.truncate, getPath(path), truncLength(len));
  },

  async unlink(path) {
    await call(binding.unlink, getPath(path));
  },

  async utimes(path, atime, mtime) {
    await call(binding.utimes, getPath(path), toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), false);
  },

  async writeFile(file, data, options) {
    options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'w' });
    const target = fileTarget(file, 'write');
    const [, bytes, flags, mode] = writeFileArgs(typeof target === 'number' ? target : file, data, options, 'w');
    await call(binding.writeFile, target, bytes, flags, mode, null);
  },

  constants,
};

// ---------------------------------------------------------------------------

export default {
  access, accessSync, appendFile, appendFileSync, chmod, chmodSync, close, closeSync, constants,
  copyFile, copyFileSync, Dirent, exists, existsSync, fchmod, fchmodSync, fdatasync, fdatasyncSync,
  fstat, fstatSync, fsync, fsyncSync, ftruncate, ftruncateSync, futimes, futimesSync, link, linkSync,
  lstat, lstatSync, lutimes, lutimesSync, mkdir, mkdirSync, mkdtemp, mkdtempSync, open, openSync,
  promises, read, readdir, readdirSync, readFile, readFileSync, readlink, readlinkSync, readSync,
  realpath, realpathSync, rename, renameSync, rm, rmdir, rmdirSync, rmSync, stat, Stats, statSync,
  symlink, symlinkSync, truncate, truncateSync, unlink, unlinkSync, utimes, utimesSync, write,
  writeFile, writeFileSync, writeSync, F_OK, R_OK, W_OK, X_OK,
};
