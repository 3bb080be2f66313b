// Node's `path` module, POSIX flavour.
//
// Results match Node's character for character, including its corner cases
// (dirname('//a') is '//', parse('/..').ext is '.'), because programs compare
// paths as strings.

import { invalidArgType, validateString } from 'weft:internal/errors';

export const sep = '/';
export const delimiter = ':';

// ---------------------------------------------------------------------------
// Helpers

// Resolves '.' and '..' segments and drops empty ones. Leading '..' segments
// are kept for relative paths (allowAboveRoot) and dropped for absolute ones,
// since nothing is above '/'.
function normalizeSegments(path, allowAboveRoot) {
  const out = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') {
      out.push(segment);
    } else if (out.length > 0 && out[out.length - 1] !== '..') {
      out.pop();
    } else if (allowAboveRoot) {
      out.push('..');
    }
  }
  return out.join('/');
}

// The last segment of `path` as [start, end) indexes, ignoring trailing
// slashes; no scan goes below `floor`. end is -1 when there is no segment.
function lastSegment(path, floor = 0) {
  let end = path.length;
  while (end > floor && path[end - 1] === '/') end--;
  if (end === floor) return { start: floor, end: -1 };
  const slash = path.lastIndexOf('/', end - 1);
  return { start: slash < floor ? floor : slash + 1, end };
}

// Index of the dot that starts the extension of path[start, end), or -1.
// A leading dot (".profile") does not start an extension, nor does "..".
// `segmentStart` is where Node's own scan believes the segment starts; it
// differs from `start` only for a root-level segment of an absolute path,
// which reproduces Node's parse('/..') quirk.
function extensionDot(path, start, end, segmentStart = start) {
  const dot = path.lastIndexOf('.', end - 1);
  if (dot <= start) return -1;
  const isDoubleDot = dot === end - 1 && dot === segmentStart + 1 && path[dot - 1] === '.';
  return isDoubleDot ? -1 : dot;
}

function cwd() {
  // QuickJS without weft's process object has no working directory to ask.
  return globalThis.process?.cwd?.() ?? '/';
}

// ---------------------------------------------------------------------------
// The API

export function resolve(...paths) {
  let resolved = '';
  let absolute = false;
  // Right to left, until an absolute path is found; the cwd comes last.
  for (let i = paths.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? paths[i] : cwd();
    validateString(path, `paths[${i}]`);
    if (path.length === 0) continue;
    resolved = `${path}/${resolved}`;
    absolute = path[0] === '/';
  }
  const normalized = normalizeSegments(resolved, !absolute);
  if (absolute) return `/${normalized}`;
  return normalized.length > 0 ? normalized : '.';
}

export function normalize(path) {
  validateString(path, 'path');
  if (path.length === 0) return '.';
  const absolute = path[0] === '/';
  const trailingSlash = path[path.length - 1] === '/';
  let normalized = normalizeSegments(path, !absolute);
  if (normalized.length === 0) {
    if (absolute) return '/';
    return trailingSlash ? './' : '.';
  }
  if (trailingSlash) normalized += '/';
  return absolute ? `/${normalized}` : normalized;
}

export function isAbsolute(path) {
  validateString(path, 'path');
  return path.length > 0 && path[0] === '/';
}

export function join(...paths) {
  const parts = [];
  for (const path of paths) {
    validateString(path, 'path');
    if (path.length > 0) parts.push(path);
  }
  return parts.length === 0 ? '.' : normalize(parts.join('/'));
}

export function relative(from, to) {
  validateString(from, 'from');
  validateString(to, 'to');
  if (from === to) return '';
  const fromParts = resolve(from).split('/').filter(Boolean);
  const toParts = resolve(to).split('/').filter(Boolean);
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
  const up = fromParts.slice(common).map(() => '..');
  return [...up, ...toParts.slice(common)].join('/');
}

export function dirname(path) {
  validateString(path, 'path');
  if (path.length === 0) return '.';
  const hasRoot = path[0] === '/';
  // Skip the trailing slashes and the last segment; the cut is the slash run
  // before it. Index 0 is never a cut: it is the root.
  let end = path.length - 1;
  while (end >= 1 && path[end] === '/') end--;
  while (end >= 1 && path[end] !== '/') end--;
  if (end < 1) return hasRoot ? '/' : '.';
  // POSIX leaves a leading '//' implementation-defined; Node keeps it.
  if (hasRoot && end === 1) return '//';
  return path.slice(0, end);
}

export function basename(path, suffix) {
  if (suffix !== undefined) validateString(suffix, 'suffix');
  validateString(path, 'path');
  if (suffix !== undefined && suffix.length > 0 && suffix.length <= path.length) {
    return suffix === path ? '' : basenameWithSuffix(path, suffix);
  }
  const { start, end } = lastSegment(path);
  return end === -1 ? '' : path.slice(start, end);
}

// Node scans right to left, matching the suffix as it goes. Its results in odd
// cases are kept because they are observable: a suffix equal to the whole
// name is not removed (basename('a/.js', '.js') is '.js'), and a partial match
// returns the tail with its trailing slashes (basename('a/', '.a') is 'a/').
function basenameWithSuffix(path, suffix) {
  let start = 0;
  let end = -1;
  let segmentEnd = -1;
  let suffixIndex = suffix.length - 1;
  for (let i = path.length - 1; i >= 0; i--) {
    if (path[i] === '/') {
      if (segmentEnd !== -1) {
        start = i + 1;
        break;
      }
      continue;
    }
    if (segmentEnd === -1) segmentEnd = i + 1;
    if (suffixIndex < 0) continue;
    if (path[i] === suffix[suffixIndex]) {
      if (--suffixIndex === -1) end = i;
    } else {
      suffixIndex = -1;
      end = segmentEnd;
    }
  }
  if (start === end) end = segmentEnd;
  else if (end === -1) end = path.length;
  return path.slice(start, end);
}

export function extname(path) {
  validateString(path, 'path');
  const { start, end } = lastSegment(path);
  if (end === -1) return '';
  const dot = extensionDot(path, start, end);
  return dot === -1 ? '' : path.slice(dot, end);
}

export function format(pathObject) {
  if (pathObject === null || typeof pathObject !== 'object' || Array.isArray(pathObject)) {
    throw invalidArgType('pathObject', 'object', pathObject);
  }
  const { root, name, ext } = pathObject;
  const dir = pathObject.dir || root;
  // A missing leading dot on ext is added, as Node 20 does.
  const base = pathObject.base || `${name || ''}${ext ? `${ext[0] === '.' ? '' : '.'}${ext}` : ''}`;
  if (!dir) return base;
  return dir === root ? `${dir}${base}` : `${dir}/${base}`;
}

export function parse(path) {
  validateString(path, 'path');
  const parsed = { root: '', dir: '', base: '', ext: '', name: '' };
  if (path.length === 0) return parsed;
  const absolute = path[0] === '/';
  if (absolute) parsed.root = '/';

  const floor = absolute ? 1 : 0;
  const { start, end } = lastSegment(path, floor);
  if (end !== -1) {
    // Node's scan starts the segment at 0 when it reaches the root.
    const segmentStart = start === floor ? 0 : start;
    const dot = extensionDot(path, start, end, segmentStart);
    parsed.base = path.slice(start, end);
    parsed.name = dot === -1 ? parsed.base : path.slice(start, dot);
    parsed.ext = dot === -1 ? '' : path.slice(dot, end);
  }
  if (start > floor) parsed.dir = path.slice(0, start - 1);
  else if (absolute) parsed.dir = '/';
  return parsed;
}

// Windows namespaced paths have no POSIX meaning; Node returns the input.
export function toNamespacedPath(path) {
  return path;
}

// Old name of toNamespacedPath, still used by some npm packages.
export const _makeLong = toNamespacedPath;

const path = {
  resolve,
  normalize,
  isAbsolute,
  join,
  relative,
  toNamespacedPath,
  _makeLong,
  dirname,
  basename,
  extname,
  format,
  parse,
  sep,
  delimiter,
  win32: null,
  posix: null,
};
path.posix = path;
// weft runs on POSIX systems only and has no Windows path implementation;
// `win32` is the POSIX object so code that merely touches it keeps working.
path.win32 = path;

export const posix = path;
export const win32 = path;

export default path;
