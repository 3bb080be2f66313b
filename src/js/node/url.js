// Node's `url` module: the WHATWG URL classes and the helpers between file
// URLs and paths (POSIX paths; weft runs on POSIX systems).
//
// Not implemented: the legacy API (url.parse, url.resolve, url.format of
// legacy objects, Url).

import { URL, URLSearchParams, domainToASCII as toASCII, parseHost, punycodeDecode } from 'weft:internal/url';
import { invalidArgType, makeError, missingArgs, validateString } from 'weft:internal/errors';
import { resolve } from 'weft:node/path';

export { URL, URLSearchParams };

// Node's isURL: duck-typed, so URL objects from another realm pass.
function isURL(value) {
  return Boolean(value?.href && value.protocol && value.auth === undefined && value.path === undefined);
}

export function fileURLToPath(path) {
  if (typeof path === 'string') path = new URL(path);
  else if (!isURL(path)) throw invalidArgType('path', ['string', 'URL'], path);
  if (path.protocol !== 'file:') throw makeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  if (path.hostname !== '') {
    const platform = globalThis.process?.platform ?? 'linux';
    throw makeError(TypeError, 'ERR_INVALID_FILE_URL_HOST', `File URL host must be "localhost" or empty on ${platform}`);
  }
  const { pathname } = path;
  if (/%2f/i.test(pathname)) {
    throw makeError(TypeError, 'ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters');
  }
  return decodeURIComponent(pathname);
}

// Characters a path may hold that the URL parser would take for syntax or
// drop; the parser percent-encodes the rest.
const pathChars = { '%': '%25', '\\': '%5C', '\n': '%0A', '\r': '%0D', '\t': '%09', '?': '%3F', '#': '%23' };

export function pathToFileURL(filepath) {
  validateString(filepath, 'path');
  let resolved = resolve(filepath);
  // resolve() drops a trailing slash, which names a directory.
  if (filepath.endsWith('/') && !resolved.endsWith('/')) resolved += '/';
  return new URL(`file://${resolved.replace(/[%\\\n\r\t?#]/g, (ch) => pathChars[ch])}`);
}

// The ASCII form of a domain ('' when it is not valid), as hosts are parsed.
export function domainToASCII(domain) {
  if (arguments.length < 1) throw missingArgs('domain');
  return parseHost(`${domain}`, false) ?? '';
}

// The Unicode form of a domain: punycode labels decoded ('' when not valid).
export function domainToUnicode(domain) {
  if (arguments.length < 1) throw missingArgs('domain');
  const ascii = toASCII(`${domain}`);
  if (ascii === undefined) return '';
  const labels = ascii.split('.').map((label) => (label.startsWith('xn--') ? punycodeDecode(label.slice(4)) : label));
  return labels.includes(undefined) ? '' : labels.join('.');
}

export function urlToHttpOptions(url) {
  const { hostname, pathname, port, username, password, search } = url;
  const options = {
    __proto__: null,
    ...url,
    protocol: url.protocol,
    hostname: hostname && hostname[0] === '[' ? hostname.slice(1, -1) : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ''}${search || ''}`,
    href: url.href,
  };
  if (port !== '') options.port = Number(port);
  if (username || password) options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  return options;
}

export default {
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  pathToFileURL,
  fileURLToPath,
  urlToHttpOptions,
};
