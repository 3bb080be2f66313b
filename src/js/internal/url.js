// URL and URLSearchParams (WHATWG URL Standard), as Node's global classes.
//
// The parser is the standard's basic URL parser, state for state: special
// schemes (http, https, ws, wss, ftp, file) get hosts, default ports and
// dot-segment handling; other schemes get opaque hosts or opaque paths
// (data:, blob:, mailto:). Results were checked against Node v20.
//
// Differences from Node:
// - Hosts are not run through full IDNA (UTS #46). ASCII hosts are
//   lowercased; a host with other characters is NFKC-normalized, lowercased,
//   its ideographic full stops read as dots, and each non-ASCII label
//   punycode-encoded ('münchen.de' -> 'xn--mnchen-3ya.de'), which covers
//   ordinary international names. Labels are checked only in part (an
//   'xn--' label must be punycode for a label that this mapping leaves
//   unchanged; controls, noncharacters and U+FFFD fail). Not done: the
//   UTS #46 mapping table beyond NFKC and lowercasing, and the bidi, joiner
//   and hyphen rules, so some hosts Node rejects are accepted here.
// - URL.createObjectURL/revokeObjectURL are missing (there is no Blob).
// - Where Node v20's parser (ada) departs from the standard, the standard is
//   followed: a relative reference other than '#...' against a base with an
//   opaque path fails ('g#s' against 'about:blank'; Node resolves it), '..'
//   at the end of a non-special path leaves '/' ('..' against 'sc://h/p' is
//   'sc://h/'; Node gives 'sc://h'), and the host setter on non-special
//   URLs: ':8' changes nothing, 'h:99' on 'sc:/path' keeps the port (Node
//   drops it) and '' on 'sc:/path' gives 'sc:///path' (Node: unchanged).

import { encodeUtf8, TextDecoder } from 'weft:internal/encoding';
import { load } from 'weft:internal/load';
import { invalidThis, makeError, missingArgs, validateFunction } from 'weft:internal/errors';

const kCustomInspect = Symbol.for('nodejs.util.inspect.custom');

const specialSchemes = { __proto__: null, ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };
const isSpecialScheme = (scheme) => scheme in specialSchemes;
const defaultPort = (scheme) => (isSpecialScheme(scheme) ? specialSchemes[scheme] : null);

// ---------------------------------------------------------------------------
// Percent-encoding

// The encode sets, as tables of the ASCII code points they hold; every set
// also holds everything above U+007E.
function encodeSet(base, chars) {
  const table = new Uint8Array(128);
  if (base !== null) table.set(base);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return table;
}
const c0Set = encodeSet(null, '');
for (let c = 0; c < 0x20; c++) c0Set[c] = 1;
c0Set[0x7f] = 1;
const fragmentSet = encodeSet(c0Set, ' "<>`');
const querySet = encodeSet(c0Set, ' "#<>');
const specialQuerySet = encodeSet(querySet, "'");
// The standard has since added '^' to the path set; Node v20 does not encode it.
const pathSet = encodeSet(querySet, '?`{}');
const userinfoSet = encodeSet(pathSet, '/:;=@[\\]^|');
const componentSet = encodeSet(userinfoSet, '$%&+,');
const formSet = encodeSet(componentSet, "!'()~");

const hex = [];
for (let i = 0; i < 256; i++) hex.push(`%${i.toString(16).toUpperCase().padStart(2, '0')}`);

// UTF-8 percent-encodes the code points of `input` that are in `set`.
function percentEncode(input, set, spaceAsPlus = false) {
  let out = '';
  let start = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c < 0x80) {
      if (spaceAsPlus && c === 0x20) {
        out += `${input.slice(start, i)}+`;
        start = i + 1;
      } else if (set[c] === 1) {
        out += input.slice(start, i) + hex[c];
        start = i + 1;
      }
      continue;
    }
    // Everything above ASCII is in every set: encode the whole run.
    let j = i;
    while (j < input.length && input.charCodeAt(j) >= 0x80) j++;
    out += input.slice(start, i);
    for (const byte of encodeUtf8(input.slice(i, j))) out += hex[byte];
    start = j;
    i = j - 1;
  }
  return start === 0 ? input : out + input.slice(start);
}

const isHexDigit = (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

// The bytes of `input` (UTF-8) with %XX sequences decoded.
function percentDecode(input) {
  const bytes = encodeUtf8(input);
  const out = new Uint8Array(bytes.length);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length && isHexDigit(bytes[i + 1]) && isHexDigit(bytes[i + 2])) {
      out[j++] = parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16);
      i += 2;
    } else {
      out[j++] = b;
    }
  }
  return out.subarray(0, j);
}

// UTF-8 without BOM, invalid sequences as U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const decodeUtf8 = (bytes) => utf8Decoder.decode(bytes);

// Lone surrogates as U+FFFD, as WebIDL's USVString conversion does.
export function toUSVString(value) {
  const s = `${value}`;
  return typeof s.toWellFormed === 'function' ? s.toWellFormed() : s.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

// ---------------------------------------------------------------------------
// Hosts

const forbiddenHost = new Uint8Array(128);
for (const c of [0x0, 0x9, 0xa, 0xd, 0x20, 0x23, 0x2f, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x7c]) {
  forbiddenHost[c] = 1;
}
const forbiddenDomain = forbiddenHost.slice();
for (let c = 0; c < 0x20; c++) forbiddenDomain[c] = 1;
forbiddenDomain[0x25] = 1;
forbiddenDomain[0x7f] = 1;
const isForbiddenHost = (c) => c < 0x80 && forbiddenHost[c] === 1;
const isForbiddenDomain = (c) => c < 0x80 && forbiddenDomain[c] === 1;

function parseIPv4Number(input) {
  if (input === '') return NaN;
  let radix = 10;
  if (input.length >= 2 && input[0] === '0' && (input[1] === 'x' || input[1] === 'X')) {
    input = input.slice(2);
    radix = 16;
  } else if (input.length >= 2 && input[0] === '0') {
    input = input.slice(1);
    radix = 8;
  }
  if (input === '') return 0;
  const valid = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (!valid.test(input)) return NaN;
  return parseInt(input, radix);
}

function isDigits(s) {
  for (let i = 0; i < s.length; i++) {
    if (!isAsciiDigit(s.charCodeAt(i))) return false;
  }
  return true;
}

function endsInANumber(input) {
  // Most hosts end in a letter that no number has ('0x1f' and '0xa' are numbers).
  const lastChar = input.charCodeAt(input.length - 1) | 0x20;
  if (lastChar >= 0x67 && lastChar <= 0x7a && lastChar !== 0x78) return false;
  const parts = input.split('.');
  if (parts[parts.length - 1] === '') {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  if (last !== '' && isDigits(last)) return true;
  return !Number.isNaN(parseIPv4Number(last));
}

// The serialized IPv4 address, or undefined on failure.
function parseIPv4(input) {
  const parts = input.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4) return undefined;
  const numbers = parts.map(parseIPv4Number);
  if (numbers.some(Number.isNaN)) return undefined;
  if (numbers.slice(0, -1).some((n) => n > 255)) return undefined;
  const last = numbers[numbers.length - 1];
  if (last >= 256 ** (5 - numbers.length)) return undefined;
  let address = last;
  for (let i = 0; i < numbers.length - 1; i++) address += numbers[i] * 256 ** (3 - i);
  const octets = [];
  for (let i = 0; i < 4; i++) {
    octets.unshift(address % 256);
    address = Math.floor(address / 256);
  }
  return octets.join('.');
}

// The eight 16-bit pieces of an IPv6 address, or undefined on failure.
function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let p = 0;
  const c = (i = p) => (i < input.length ? input.charCodeAt(i) : -1);
  const isDigit = (ch) => ch >= 0x30 && ch <= 0x39;
  if (c() === 0x3a) {
    if (c(p + 1) !== 0x3a) return undefined;
    p += 2;
    compress = ++pieceIndex;
  }
  while (c() !== -1) {
    if (pieceIndex === 8) return undefined;
    if (c() === 0x3a) {
      if (compress !== null) return undefined;
      p++;
      compress = ++pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && c() !== -1 && isHexDigit(c())) {
      value = value * 0x10 + parseInt(input[p], 16);
      p++;
      length++;
    }
    if (c() === 0x2e) {
      if (length === 0) return undefined;
      p -= length;
      if (pieceIndex > 6) return undefined;
      let numbersSeen = 0;
      while (c() !== -1) {
        let ipv4Piece = null;
        if (numbersSeen > 0) {
          if (c() === 0x2e && numbersSeen < 4) p++;
          else return undefined;
        }
        if (!isDigit(c())) return undefined;
        while (isDigit(c())) {
          const number = c() - 0x30;
          if (ipv4Piece === null) ipv4Piece = number;
          else if (ipv4Piece === 0) return undefined;
          else ipv4Piece = ipv4Piece * 10 + number;
          if (ipv4Piece > 255) return undefined;
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return undefined;
      break;
    } else if (c() === 0x3a) {
      p++;
      if (c() === -1) return undefined;
    } else if (c() !== -1) {
      return undefined;
    }
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const tmp = address[compress + swaps - 1];
      address[compress + swaps - 1] = address[pieceIndex];
      address[pieceIndex] = tmp;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return undefined;
  }
  return address;
}

function serializeIPv6(address) {
  // The first longest run of two or more zero pieces is compressed.
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (address[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      out += i === 0 ? '::' : ':';
      i += bestLength - 1;
      continue;
    }
    out += address[i].toString(16);
    if (i !== 7) out += ':';
  }
  return out;
}

// Punycode (RFC 3492): its parameters, the threshold of digit k and the
// bias adaptation (section 6.1), shared by encoding and decoding.
const PUNY_BASE = 36;
const PUNY_T_MIN = 1;
const PUNY_T_MAX = 26;

function punycodeThreshold(k, bias) {
  if (k <= bias) return PUNY_T_MIN;
  return k >= bias + PUNY_T_MAX ? PUNY_T_MAX : k - bias;
}

function punycodeAdapt(delta, numPoints, first) {
  delta = first ? Math.floor(delta / 700) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((PUNY_BASE - PUNY_T_MIN) * PUNY_T_MAX) >> 1) {
    delta = Math.floor(delta / (PUNY_BASE - PUNY_T_MIN));
    k += PUNY_BASE;
  }
  return k + Math.floor(((PUNY_BASE - PUNY_T_MIN + 1) * delta) / (delta + 38));
}

// Punycode of one label.
function punycodeEncode(input) {
  const codePoints = Array.from(input, (ch) => ch.codePointAt(0));
  const digit = (d) => String.fromCharCode(d < 26 ? d + 97 : d + 22);
  let output = codePoints.filter((cp) => cp < 0x80).map((cp) => String.fromCharCode(cp)).join('');
  const basicLength = output.length;
  let handled = basicLength;
  if (basicLength > 0) output += '-';
  let n = 128;
  let delta = 0;
  let bias = 72;
  while (handled < codePoints.length) {
    let m = Infinity;
    for (const cp of codePoints) if (cp >= n && cp < m) m = cp;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const cp of codePoints) {
      if (cp < n) delta++;
      if (cp === n) {
        let q = delta;
        for (let k = PUNY_BASE; ; k += PUNY_BASE) {
          const t = punycodeThreshold(k, bias);
          if (q < t) break;
          output += digit(t + ((q - t) % (PUNY_BASE - t)));
          q = Math.floor((q - t) / (PUNY_BASE - t));
        }
        output += digit(q);
        bias = punycodeAdapt(delta, handled + 1, handled === basicLength);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return output;
}

// Punycode decoding of one label (for domainToUnicode); undefined if invalid.
export function punycodeDecode(input) {
  const dash = input.lastIndexOf('-');
  const output = [];
  for (let i = 0; i < Math.max(dash, 0); i++) {
    if (input.charCodeAt(i) >= 0x80) return undefined;
    output.push(input.charCodeAt(i));
  }
  let n = 128;
  let bias = 72;
  let i = 0;
  for (let pos = dash > 0 ? dash + 1 : 0; pos < input.length;) {
    const oldi = i;
    let w = 1;
    for (let k = PUNY_BASE; ; k += PUNY_BASE) {
      if (pos >= input.length) return undefined;
      const c = input.charCodeAt(pos++);
      const d = c - 48 < 10 ? c - 22 : c - 65 < 26 ? c - 65 : c - 97 < 26 ? c - 97 : PUNY_BASE;
      if (d >= PUNY_BASE) return undefined;
      i += d * w;
      const t = punycodeThreshold(k, bias);
      if (d < t) break;
      w *= PUNY_BASE - t;
    }
    bias = punycodeAdapt(i - oldi, output.length + 1, oldi === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return undefined;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

function isAscii(s) {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return false;
  }
  return true;
}
// Replacement characters (from invalid UTF-8) and noncharacters.
const disallowed = /[\u0000-\u001f\u007f-\u009f\ufffd\ufdd0-\ufdef\ufffe\uffff]|[\ud83f\ud87f\ud8bf\ud8ff\ud93f\ud97f\ud9bf\ud9ff\uda3f\uda7f\udabf\udaff\udb3f\udb7f\udbbf\udbff][\udffe\udfff]/;

// An approximation of UTS #46 ToASCII (see the top of this file); undefined
// on failure.
export function domainToASCII(domain) {
  let result;
  if (isAscii(domain)) {
    result = domain.toLowerCase();
  } else {
    // Soft hyphens and zero-width joiners map to nothing.
    const mapped = domain.normalize('NFKC').toLowerCase().replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
      .replace(/[\u3002\uff0e\uff61]/g, '.');
    if (disallowed.test(mapped)) return undefined;
    const labels = mapped.split('.');
    if (labels.some((label) => label.startsWith('xn--') && !isAscii(label))) return undefined;
    result = labels.map((label) => (isAscii(label) ? label : `xn--${punycodeEncode(label)}`)).join('.');
  }
  if (result === '') return undefined;
  // A punycode label must decode to a label that mapping leaves as it is.
  for (const label of result.includes('xn--') ? result.split('.') : []) {
    if (!label.startsWith('xn--')) continue;
    const decoded = punycodeDecode(label.slice(4));
    if (decoded === undefined || decoded === '' || isAscii(decoded) || disallowed.test(decoded) ||
        decoded.normalize('NFKC').toLowerCase() !== decoded) {
      return undefined;
    }
  }
  for (let i = 0; i < result.length; i++) {
    if (isForbiddenDomain(result.charCodeAt(i))) return undefined;
  }
  return result;
}

// The standard's host parser: the serialized host, or undefined on failure.
function parseHost(input, isOpaque) {
  if (input.startsWith('[')) {
    if (!input.endsWith(']')) return undefined;
    const address = parseIPv6(input.slice(1, -1));
    return address === undefined ? undefined : `[${serializeIPv6(address)}]`;
  }
  if (isOpaque) {
    for (let i = 0; i < input.length; i++) {
      if (isForbiddenHost(input.charCodeAt(i))) return undefined;
    }
    return percentEncode(input, c0Set);
  }
  const domain = !input.includes('%') && isAscii(input) ? input : decodeUtf8(percentDecode(input));
  const asciiDomain = domainToASCII(domain);
  if (asciiDomain === undefined) return undefined;
  if (endsInANumber(asciiDomain)) return parseIPv4(asciiDomain);
  return asciiDomain;
}

// ---------------------------------------------------------------------------
// The URL record and the basic URL parser

class URLRecord {
  constructor() {
    this.scheme = '';
    this.username = '';
    this.password = '';
    this.host = null;
    this.port = null;
    this.path = []; // a string for an opaque path
    this.query = null;
    this.fragment = null;
  }

  get special() {
    return isSpecialScheme(this.scheme);
  }

  get opaquePath() {
    return typeof this.path === 'string';
  }

  get includesCredentials() {
    return this.username !== '' || this.password !== '';
  }

  get cannotHaveCredentialsOrPort() {
    return this.host === null || this.host === '' || this.scheme === 'file';
  }

  shortenPath() {
    if (this.scheme === 'file' && this.path.length === 1 && isNormalizedDriveLetter(this.path[0])) return;
    this.path.pop();
  }
}

const isAsciiAlpha = (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiDigit = (c) => c >= 0x30 && c <= 0x39;
const isAsciiAlphanumeric = (c) => isAsciiAlpha(c) || isAsciiDigit(c);

const isDriveLetter = (s) => s.length === 2 && isAsciiAlpha(s.charCodeAt(0)) && (s[1] === ':' || s[1] === '|');
const isNormalizedDriveLetter = (s) => isDriveLetter(s) && s[1] === ':';

// Does `input` start with a Windows drive letter at index i?
function startsWithDriveLetter(input, i) {
  if (input.length - i < 2) return false;
  const c1 = input.charCodeAt(i + 1);
  if (!isAsciiAlpha(input.charCodeAt(i)) || (c1 !== 0x3a && c1 !== 0x7c)) return false;
  if (input.length - i === 2) return true;
  const c = input.charCodeAt(i + 2);
  return c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23;
}

const isSchemeChar = (c) => isAsciiAlphanumeric(c) || c === 0x2b || c === 0x2d || c === 0x2e;
const isAuthorityDelimiter = (c, special) => c === 0x40 || c === 0x2f || c === 0x3f || c === 0x23 ||
  (special && c === 0x5c);
const isPathDelimiter = (c, special, stateOverride) => c === 0x2f || (special && c === 0x5c) ||
  (!stateOverride && (c === 0x3f || c === 0x23));

const isSingleDot = (s) => s === '.' || s.toLowerCase() === '%2e';
const isDoubleDot = (s) => {
  switch (s.toLowerCase()) {
    case '..': case '.%2e': case '%2e.': case '%2e%2e': return true;
    default: return false;
  }
};

// The parser's states.
const ST_SCHEME_START = 1;
const ST_SCHEME = 2;
const ST_NO_SCHEME = 3;
const ST_SPECIAL_RELATIVE_OR_AUTHORITY = 4;
const ST_PATH_OR_AUTHORITY = 5;
const ST_RELATIVE = 6;
const ST_RELATIVE_SLASH = 7;
const ST_SPECIAL_AUTHORITY_SLASHES = 8;
const ST_SPECIAL_AUTHORITY_IGNORE_SLASHES = 9;
const ST_AUTHORITY = 10;
const ST_HOST = 11;
const ST_HOSTNAME = 12;
const ST_PORT = 13;
const ST_FILE = 14;
const ST_FILE_SLASH = 15;
const ST_FILE_HOST = 16;
const ST_PATH_START = 17;
const ST_PATH = 18;
const ST_OPAQUE_PATH = 19;
const ST_QUERY = 20;
const ST_FRAGMENT = 21;

const EOF = -1;
const FAILURE = Symbol('failure');

// The credentials, host and port a relative URL takes from its base.
function copyAuthority(url, base) {
  url.username = base.username;
  url.password = base.password;
  url.host = base.host;
  url.port = base.port;
}

// The basic URL parser. Returns a URLRecord, or FAILURE; with `url` and
// `stateOverride` it changes `url` in place (the setters) and returns
// FAILURE or undefined.
function basicParse(input, base, url, stateOverride) {
  if (url === undefined) {
    url = new URLRecord();
    // eslint-disable-next-line no-control-regex
    if (input.length > 0 && (input.charCodeAt(0) <= 0x20 || input.charCodeAt(input.length - 1) <= 0x20)) {
      input = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
    }
  }
  if (input.includes('\t') || input.includes('\n') || input.includes('\r')) input = input.replace(/[\t\n\r]/g, '');
  // The input is a USVString: surrogates come in pairs. The parser steps
  // through UTF-16 code units; every delimiter is ASCII, and runs of other
  // characters are copied or percent-encoded whole, so pairs stay together.

  let state = stateOverride || ST_SCHEME_START;
  let buffer = '';
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  const result = stateOverride ? undefined : url;

  for (let pointer = 0; ; pointer++) {
    const c = pointer < input.length ? input.charCodeAt(pointer) : EOF;

    switch (state) {
      case ST_SCHEME_START:
        if (c !== EOF && isAsciiAlpha(c)) {
          buffer += input[pointer].toLowerCase();
          state = ST_SCHEME;
        } else if (!stateOverride) {
          state = ST_NO_SCHEME;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case ST_SCHEME:
        if (c !== EOF && isSchemeChar(c)) {
          let j = pointer + 1;
          while (j < input.length && isSchemeChar(input.charCodeAt(j))) j++;
          buffer += input.slice(pointer, j).toLowerCase();
          pointer = j - 1;
        } else if (c === 0x3a) {
          if (stateOverride) {
            if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return undefined;
            if ((url.includesCredentials || url.port !== null) && buffer === 'file') return undefined;
            if (url.scheme === 'file' && url.host === '') return undefined;
          }
          url.scheme = buffer;
          if (stateOverride) {
            if (url.port === defaultPort(url.scheme)) url.port = null;
            return undefined;
          }
          buffer = '';
          if (url.scheme === 'file') {
            state = ST_FILE;
          } else if (url.special && base !== null && base.scheme === url.scheme) {
            state = ST_SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (url.special) {
            state = ST_SPECIAL_AUTHORITY_SLASHES;
          } else if (input.charCodeAt(pointer + 1) === 0x2f) {
            state = ST_PATH_OR_AUTHORITY;
            pointer++;
          } else {
            url.path = '';
            state = ST_OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          buffer = '';
          state = ST_NO_SCHEME;
          pointer = -1;
        } else {
          return FAILURE;
        }
        break;

      case ST_NO_SCHEME:
        if (base === null || (base.opaquePath && c !== 0x23)) return FAILURE;
        if (base.opaquePath && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = '';
          state = ST_FRAGMENT;
        } else if (base.scheme !== 'file') {
          state = ST_RELATIVE;
          pointer--;
        } else {
          state = ST_FILE;
          pointer--;
        }
        break;

      case ST_SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2f && input.charCodeAt(pointer + 1) === 0x2f) {
          state = ST_SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = ST_RELATIVE;
          pointer--;
        }
        break;

      case ST_PATH_OR_AUTHORITY:
        if (c === 0x2f) {
          state = ST_AUTHORITY;
        } else {
          state = ST_PATH;
          pointer--;
        }
        break;

      case ST_RELATIVE:
        url.scheme = base.scheme;
        if (c === 0x2f) {
          state = ST_RELATIVE_SLASH;
        } else if (url.special && c === 0x5c) {
          state = ST_RELATIVE_SLASH;
        } else {
          copyAuthority(url, base);
          url.path = [...base.path];
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = ST_QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = ST_FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            url.shortenPath();
            state = ST_PATH;
            pointer--;
          }
        }
        break;

      case ST_RELATIVE_SLASH:
        if (url.special && (c === 0x2f || c === 0x5c)) {
          state = ST_SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2f) {
          state = ST_AUTHORITY;
        } else {
          copyAuthority(url, base);
          state = ST_PATH;
          pointer--;
        }
        break;

      case ST_SPECIAL_AUTHORITY_SLASHES:
        if (c === 0x2f && input.charCodeAt(pointer + 1) === 0x2f) {
          state = ST_SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = ST_SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer--;
        }
        break;

      case ST_SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2f && c !== 0x5c) {
          state = ST_AUTHORITY;
          pointer--;
        }
        break;

      case ST_AUTHORITY:
        if (c === 0x40) {
          if (atSignSeen) buffer = `%40${buffer}`;
          atSignSeen = true;
          for (const cp of buffer) {
            if (cp === ':' && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const encoded = percentEncode(cp, userinfoSet);
            if (passwordTokenSeen) url.password += encoded;
            else url.username += encoded;
          }
          buffer = '';
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (url.special && c === 0x5c)) {
          if (atSignSeen && buffer === '') return FAILURE;
          pointer -= buffer.length + 1;
          buffer = '';
          state = ST_HOST;
        } else {
          let j = pointer + 1;
          while (j < input.length && !isAuthorityDelimiter(input.charCodeAt(j), url.special)) j++;
          buffer += input.slice(pointer, j);
          pointer = j - 1;
        }
        break;

      case ST_HOST:
      case ST_HOSTNAME:
        if (stateOverride && url.scheme === 'file') {
          pointer--;
          state = ST_FILE_HOST;
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === '') return FAILURE;
          if (stateOverride === ST_HOSTNAME) return FAILURE;
          const host = parseHost(buffer, !url.special);
          if (host === undefined) return FAILURE;
          url.host = host;
          buffer = '';
          state = ST_PORT;
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (url.special && c === 0x5c)) {
          pointer--;
          if (url.special && buffer === '') return FAILURE;
          if (stateOverride && buffer === '' && (url.includesCredentials || url.port !== null)) return FAILURE;
          const host = parseHost(buffer, !url.special);
          if (host === undefined) return FAILURE;
          url.host = host;
          buffer = '';
          state = ST_PATH_START;
          if (stateOverride) return undefined;
        } else {
          if (c === 0x5b) insideBrackets = true;
          if (c === 0x5d) insideBrackets = false;
          buffer += input[pointer];
        }
        break;

      case ST_PORT:
        if (c !== EOF && isAsciiDigit(c)) {
          buffer += input[pointer];
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (url.special && c === 0x5c) ||
                   stateOverride) {
          if (buffer !== '') {
            const port = parseInt(buffer, 10);
            if (port > 65535) return FAILURE;
            url.port = port === defaultPort(url.scheme) ? null : port;
            buffer = '';
            if (stateOverride) return undefined;
          }
          if (stateOverride) return FAILURE;
          state = ST_PATH_START;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case ST_FILE:
        url.scheme = 'file';
        url.host = '';
        if (c === 0x2f || c === 0x5c) {
          state = ST_FILE_SLASH;
        } else if (base !== null && base.scheme === 'file') {
          url.host = base.host;
          url.path = [...base.path];
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = ST_QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = ST_FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            if (!startsWithDriveLetter(input, pointer)) url.shortenPath();
            else url.path = [];
            state = ST_PATH;
            pointer--;
          }
        } else {
          state = ST_PATH;
          pointer--;
        }
        break;

      case ST_FILE_SLASH:
        if (c === 0x2f || c === 0x5c) {
          state = ST_FILE_HOST;
        } else {
          if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            if (!startsWithDriveLetter(input, pointer) && base.path.length > 0 &&
                isNormalizedDriveLetter(base.path[0])) {
              url.path.push(base.path[0]);
            }
          }
          state = ST_PATH;
          pointer--;
        }
        break;

      case ST_FILE_HOST:
        if (c === EOF || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          pointer--;
          if (!stateOverride && isDriveLetter(buffer)) {
            // buffer is kept for the path state: a drive letter, not a host.
            state = ST_PATH;
          } else if (buffer === '') {
            url.host = '';
            if (stateOverride) return undefined;
            state = ST_PATH_START;
          } else {
            let host = parseHost(buffer, !url.special);
            if (host === undefined) return FAILURE;
            if (host === 'localhost') host = '';
            url.host = host;
            if (stateOverride) return undefined;
            buffer = '';
            state = ST_PATH_START;
          }
        } else {
          buffer += input[pointer];
        }
        break;

      case ST_PATH_START:
        if (url.special) {
          state = ST_PATH;
          if (c !== 0x2f && c !== 0x5c) pointer--;
        } else if (!stateOverride && c === 0x3f) {
          url.query = '';
          state = ST_QUERY;
        } else if (!stateOverride && c === 0x23) {
          url.fragment = '';
          state = ST_FRAGMENT;
        } else if (c !== EOF) {
          state = ST_PATH;
          if (c !== 0x2f) pointer--;
        } else if (stateOverride && url.host === null) {
          url.path.push('');
        }
        break;

      case ST_PATH: {
        const slash = c === 0x2f || (url.special && c === 0x5c);
        if (c === EOF || slash || (!stateOverride && (c === 0x3f || c === 0x23))) {
          if (isDoubleDot(buffer)) {
            url.shortenPath();
            if (!slash) url.path.push('');
          } else if (isSingleDot(buffer) && !slash) {
            url.path.push('');
          } else if (!isSingleDot(buffer)) {
            if (url.scheme === 'file' && url.path.length === 0 && isDriveLetter(buffer)) {
              buffer = `${buffer[0]}:`;
            }
            url.path.push(buffer);
          }
          buffer = '';
          if (c === 0x3f) {
            url.query = '';
            state = ST_QUERY;
          }
          if (c === 0x23) {
            url.fragment = '';
            state = ST_FRAGMENT;
          }
        } else {
          // The run of plain characters up to the next delimiter.
          let j = pointer + 1;
          while (j < input.length && !isPathDelimiter(input.charCodeAt(j), url.special, stateOverride)) j++;
          buffer += percentEncode(input.slice(pointer, j), pathSet);
          pointer = j - 1;
        }
        break;
      }

      case ST_OPAQUE_PATH:
        if (c === 0x3f) {
          url.query = '';
          state = ST_QUERY;
        } else if (c === 0x23) {
          url.fragment = '';
          state = ST_FRAGMENT;
        } else if (c !== EOF) {
          let j = pointer + 1;
          while (j < input.length && input.charCodeAt(j) !== 0x3f && input.charCodeAt(j) !== 0x23) j++;
          url.path += percentEncode(input.slice(pointer, j), c0Set);
          pointer = j - 1;
        }
        break;

      case ST_QUERY:
        if ((!stateOverride && c === 0x23) || c === EOF) {
          url.query += percentEncode(buffer, url.special ? specialQuerySet : querySet);
          buffer = '';
          if (c === 0x23) {
            url.fragment = '';
            state = ST_FRAGMENT;
          }
        } else {
          let j = pointer + 1;
          while (j < input.length && (stateOverride || input.charCodeAt(j) !== 0x23)) j++;
          buffer += input.slice(pointer, j);
          pointer = j - 1;
        }
        break;

      case ST_FRAGMENT:
        if (c !== EOF) {
          url.fragment += percentEncode(input.slice(pointer), fragmentSet);
          pointer = input.length - 1;
        }
        break;

      default:
        throw new Error(`weft: bad URL parser state ${state}`);
    }
    // A state that steps back at the end sees the end again.
    if (pointer >= input.length) break;
  }
  return result;
}

function serializePath(url) {
  if (url.opaquePath) return url.path;
  let out = '';
  for (const segment of url.path) out += `/${segment}`;
  return out;
}

function serializeURL(url, excludeFragment = false) {
  let out = `${url.scheme}:`;
  if (url.host !== null) {
    out += '//';
    if (url.includesCredentials) {
      out += url.username;
      if (url.password !== '') out += `:${url.password}`;
      out += '@';
    }
    out += url.host;
    if (url.port !== null) out += `:${url.port}`;
  }
  if (url.host === null && !url.opaquePath && url.path.length > 1 && url.path[0] === '') out += '/.';
  out += serializePath(url);
  if (url.query !== null) out += `?${url.query}`;
  if (!excludeFragment && url.fragment !== null) out += `#${url.fragment}`;
  return out;
}

function serializeOrigin(url) {
  switch (url.scheme) {
    case 'blob': {
      const pathURL = basicParse(serializePath(url), null);
      if (pathURL !== FAILURE && (pathURL.scheme === 'http' || pathURL.scheme === 'https')) {
        return serializeOrigin(pathURL);
      }
      return 'null';
    }
    case 'ftp': case 'http': case 'https': case 'ws': case 'wss':
      return `${url.scheme}://${url.host}${url.port === null ? '' : `:${url.port}`}`;
    default:
      return 'null';
  }
}

// With no query and no fragment, an opaque path loses its trailing spaces.
function stripTrailingSpaces(url) {
  if (!url.opaquePath || url.fragment !== null || url.query !== null) return;
  url.path = url.path.replace(/ +$/, '');
}

// ---------------------------------------------------------------------------
// application/x-www-form-urlencoded

function parseForm(input) {
  const list = [];
  for (const sequence of input.split('&')) {
    if (sequence === '') continue;
    const eq = sequence.indexOf('=');
    const name = eq === -1 ? sequence : sequence.slice(0, eq);
    const value = eq === -1 ? '' : sequence.slice(eq + 1);
    list.push([
      decodeUtf8(percentDecode(name.replaceAll('+', ' '))),
      decodeUtf8(percentDecode(value.replaceAll('+', ' '))),
    ]);
  }
  return list;
}

function serializeForm(list) {
  return list.map(([name, value]) => `${percentEncode(name, formSet, true)}=${percentEncode(value, formSet, true)}`)
    .join('&');
}

// ---------------------------------------------------------------------------
// URLSearchParams

const kList = Symbol('list');
const kURL = Symbol('url');

function paramsOf(self) {
  if (self === null || typeof self !== 'object' || !(kList in self) || !Object.hasOwn(self, kList)) {
    throw invalidThis('URLSearchParams');
  }
  return self;
}

// The URL's query follows a change of its search params.
function updateURL(params) {
  const url = params[kURL];
  if (url === null) return;
  const serialized = serializeForm(params[kList]);
  url.query = serialized === '' ? null : serialized;
  if (url.query === null) stripTrailingSpaces(url);
}

function invalidTuple() {
  return makeError(TypeError, 'ERR_INVALID_TUPLE', 'Each query pair must be an iterable [name, value] tuple');
}

export class URLSearchParams {
  constructor(init = undefined) {
    Object.defineProperty(this, kList, { value: [], writable: true });
    Object.defineProperty(this, kURL, { value: null, writable: true });
    if (init === undefined || init === null) return;
    if (typeof init === 'object' || typeof init === 'function') {
      const method = init[Symbol.iterator];
      if (method === this[Symbol.iterator] && init instanceof URLSearchParams) {
        this[kList] = init[kList].map(([name, value]) => [name, value]);
      } else if (method != null) {
        if (typeof method !== 'function') {
          throw makeError(TypeError, 'ERR_ARG_NOT_ITERABLE', 'Query pairs must be iterable');
        }
        for (const pair of Reflect.apply(method, init, [])) {
          if (pair === null || (typeof pair !== 'object' && typeof pair !== 'function') ||
              typeof pair[Symbol.iterator] !== 'function') {
            throw invalidTuple();
          }
          const items = [...pair];
          if (items.length !== 2) throw invalidTuple();
          this[kList].push([toUSVString(items[0]), toUSVString(items[1])]);
        }
      } else {
        // Keys that differ only by lone surrogates become one name: the last value wins.
        const seen = new Map();
        for (const key of Reflect.ownKeys(init)) {
          // An enumerable symbol key throws, as WebIDL's conversion to a string does.
          if (!Object.prototype.propertyIsEnumerable.call(init, key)) continue;
          const name = toUSVString(key);
          const value = toUSVString(init[key]);
          if (seen.has(name)) {
            seen.get(name)[1] = value;
          } else {
            const entry = [name, value];
            seen.set(name, entry);
            this[kList].push(entry);
          }
        }
      }
    } else {
      let text = toUSVString(init);
      if (text.startsWith('?')) text = text.slice(1);
      this[kList] = parseForm(text);
    }
  }

  get size() {
    return paramsOf(this)[kList].length;
  }

  append(name, value) {
    paramsOf(this);
    if (arguments.length < 2) throw missingArgs('name', 'value');
    this[kList].push([toUSVString(name), toUSVString(value)]);
    updateURL(this);
  }

  delete(name, value = undefined) {
    paramsOf(this);
    if (arguments.length < 1) throw missingArgs('name');
    name = toUSVString(name);
    if (value !== undefined) {
      value = toUSVString(value);
      this[kList] = this[kList].filter(([n, v]) => n !== name || v !== value);
    } else {
      this[kList] = this[kList].filter(([n]) => n !== name);
    }
    updateURL(this);
  }

  get(name) {
    paramsOf(this);
    if (arguments.length < 1) throw missingArgs('name');
    name = toUSVString(name);
    const entry = this[kList].find(([n]) => n === name);
    return entry === undefined ? null : entry[1];
  }

  getAll(name) {
    paramsOf(this);
    if (arguments.length < 1) throw missingArgs('name');
    name = toUSVString(name);
    return this[kList].filter(([n]) => n === name).map(([, v]) => v);
  }

  has(name, value = undefined) {
    paramsOf(this);
    if (arguments.length < 1) throw missingArgs('name');
    name = toUSVString(name);
    if (value !== undefined) {
      value = toUSVString(value);
      return this[kList].some(([n, v]) => n === name && v === value);
    }
    return this[kList].some(([n]) => n === name);
  }

  set(name, value) {
    paramsOf(this);
    if (arguments.length < 2) throw missingArgs('name', 'value');
    name = toUSVString(name);
    value = toUSVString(value);
    const list = this[kList];
    const first = list.findIndex(([n]) => n === name);
    if (first === -1) {
      list.push([name, value]);
    } else {
      list[first] = [name, value];
      this[kList] = list.filter(([n], i) => i <= first || n !== name);
    }
    updateURL(this);
  }

  // Stable, by the names' UTF-16 code units.
  sort() {
    paramsOf(this);
    this[kList] = this[kList]
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => {
        const x = a.entry[0];
        const y = b.entry[0];
        if (x !== y) return x < y ? -1 : 1;
        return a.index - b.index;
      })
      .map(({ entry }) => entry);
    updateURL(this);
  }

  entries() {
    return new URLSearchParamsIterator(paramsOf(this), 'entries');
  }

  forEach(callback, thisArg = undefined) {
    paramsOf(this);
    validateFunction(callback, 'callback');
    // Entries added during the walk are visited, as the live list is read.
    for (let i = 0; i < this[kList].length; i++) {
      const [name, value] = this[kList][i];
      Reflect.apply(callback, thisArg, [value, name, this]);
    }
  }

  keys() {
    return new URLSearchParamsIterator(paramsOf(this), 'keys');
  }

  values() {
    return new URLSearchParamsIterator(paramsOf(this), 'values');
  }

  toString() {
    return serializeForm(paramsOf(this)[kList]);
  }

  [kCustomInspect](depth, options, inspect = load('weft:internal/inspect').inspect) {
    paramsOf(this);
    if (typeof depth === 'number' && depth < 0) return options.stylize('[Object]', 'special');
    const inner = { ...options };
    if (depth !== null) inner.depth = depth - 1;
    const output = this[kList].map(([name, value]) => `${inspect(name, inner)} => ${inspect(value, inner)}`);
    // eslint-disable-next-line no-control-regex
    const plain = (s) => s.replace(/\u001b\[\d\d?m/g, '');
    const length = output.reduce((sum, item) => sum + plain(item).length + 2, -2);
    const name = this.constructor?.name ?? 'URLSearchParams';
    if (length > (options.breakLength ?? 80)) return `${name} {\n  ${output.join(',\n  ')} }`;
    if (output.length > 0) return `${name} { ${output.join(', ')} }`;
    return `${name} {}`;
  }
}

Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, configurable: true,
});
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });
for (const key of ['size', 'append', 'delete', 'get', 'getAll', 'has', 'set', 'sort', 'entries', 'forEach', 'keys',
  'values', 'toString']) {
  Object.defineProperty(URLSearchParams.prototype, key, { enumerable: true });
}

const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

// Iterators read the live list: entries appended while iterating are seen.
class URLSearchParamsIterator {
  #params;
  #kind;
  #index = 0;

  constructor(params, kind) {
    this.#params = params;
    this.#kind = kind;
  }

  next() {
    if (!(#params in this)) throw invalidThis('URLSearchParamsIterator');
    const list = this.#params[kList];
    if (this.#index >= list.length) return { value: undefined, done: true };
    const [name, value] = list[this.#index++];
    const result = this.#kind === 'keys' ? name : this.#kind === 'values' ? value : [name, value];
    return { value: result, done: false };
  }

  [kCustomInspect](depth, options, inspect = load('weft:internal/inspect').inspect) {
    if (typeof depth === 'number' && depth < 0) return options.stylize('[Object]', 'special');
    const inner = { ...options };
    if (depth !== null) inner.depth = depth - 1;
    const list = this.#params[kList].slice(this.#index);
    const items = list.map(([name, value]) => (this.#kind === 'keys' ? name : this.#kind === 'values' ? value
      : [name, value]));
    const output = items.map((item) => inspect(item, inner));
    const body = output.join(', ');
    return `URLSearchParams Iterator { ${body === '' ? '' : `${body} `}}`;
  }
}

Object.setPrototypeOf(URLSearchParamsIterator.prototype, IteratorPrototype);
Object.defineProperty(URLSearchParamsIterator.prototype, Symbol.toStringTag, {
  value: 'URLSearchParams Iterator', configurable: true,
});
Object.defineProperty(URLSearchParamsIterator.prototype, 'next', { enumerable: true });

// ---------------------------------------------------------------------------
// URL

// Node v20 raises this one as a plain TypeError ("TypeError: Invalid URL")
// with code, input and base properties.
function invalidURL(input, base) {
  const err = new TypeError('Invalid URL');
  err.code = 'ERR_INVALID_URL';
  err.input = input;
  if (base !== undefined) err.base = base;
  return err;
}

// Parses `url` against `base` (strings or undefined): a URLRecord or FAILURE.
function parseWithBase(url, base) {
  let baseRecord = null;
  if (base !== undefined) {
    baseRecord = basicParse(base, null);
    if (baseRecord === FAILURE) return FAILURE;
  }
  return basicParse(url, baseRecord);
}

const kRecord = Symbol('record');
const kParams = Symbol('params');

function recordOf(self) {
  if (self === null || typeof self !== 'object' || !Object.hasOwn(self, kRecord)) {
    throw new TypeError('Receiver must be an instance of class URL');
  }
  return self[kRecord];
}

// Resets the URL's search params from its query.
function syncParams(self) {
  const params = self[kParams];
  if (params !== undefined) params[kList] = parseForm(self[kRecord].query ?? '');
}

export class URL {
  constructor(url, base = undefined) {
    if (arguments.length === 0) throw missingArgs('url');
    url = toUSVString(url);
    if (base !== undefined) base = toUSVString(base);
    const record = parseWithBase(url, base);
    if (record === FAILURE) throw invalidURL(url, base);
    Object.defineProperty(this, kRecord, { value: record, writable: true });
    Object.defineProperty(this, kParams, { value: undefined, writable: true });
  }

  static canParse(url, base = undefined) {
    if (arguments.length === 0) throw missingArgs('url');
    url = toUSVString(url);
    if (base !== undefined) base = toUSVString(base);
    return parseWithBase(url, base) !== FAILURE;
  }

  static parse(url, base = undefined) {
    if (arguments.length === 0) throw missingArgs('url');
    try {
      return new URL(url, base);
    } catch {
      return null;
    }
  }

  toString() {
    return serializeURL(recordOf(this));
  }

  get href() {
    return serializeURL(recordOf(this));
  }

  set href(value) {
    recordOf(this);
    value = toUSVString(value);
    const record = basicParse(value, null);
    if (record === FAILURE) throw invalidURL(value);
    this[kRecord] = record;
    if (this[kParams] !== undefined) this[kParams][kURL] = record;
    syncParams(this);
  }

  get origin() {
    return serializeOrigin(recordOf(this));
  }

  get protocol() {
    return `${recordOf(this).scheme}:`;
  }

  set protocol(value) {
    const record = recordOf(this);
    basicParse(`${toUSVString(value)}:`, null, record, ST_SCHEME_START);
  }

  get username() {
    return recordOf(this).username;
  }

  set username(value) {
    const record = recordOf(this);
    if (record.cannotHaveCredentialsOrPort) return;
    record.username = percentEncode(toUSVString(value), userinfoSet);
  }

  get password() {
    return recordOf(this).password;
  }

  set password(value) {
    const record = recordOf(this);
    if (record.cannotHaveCredentialsOrPort) return;
    record.password = percentEncode(toUSVString(value), userinfoSet);
  }

  get host() {
    const { host, port } = recordOf(this);
    if (host === null) return '';
    return port === null ? host : `${host}:${port}`;
  }

  set host(value) {
    const record = recordOf(this);
    if (record.opaquePath) return;
    basicParse(toUSVString(value), null, record, ST_HOST);
  }

  get hostname() {
    return recordOf(this).host ?? '';
  }

  set hostname(value) {
    const record = recordOf(this);
    if (record.opaquePath) return;
    basicParse(toUSVString(value), null, record, ST_HOSTNAME);
  }

  get port() {
    const { port } = recordOf(this);
    return port === null ? '' : String(port);
  }

  set port(value) {
    const record = recordOf(this);
    if (record.cannotHaveCredentialsOrPort) return;
    value = toUSVString(value);
    if (value === '') {
      record.port = null;
      return;
    }
    basicParse(value, null, record, ST_PORT);
  }

  get pathname() {
    return serializePath(recordOf(this));
  }

  set pathname(value) {
    const record = recordOf(this);
    if (record.opaquePath) return;
    record.path = [];
    basicParse(toUSVString(value), null, record, ST_PATH_START);
  }

  get search() {
    const { query } = recordOf(this);
    return query === null || query === '' ? '' : `?${query}`;
  }

  set search(value) {
    const record = recordOf(this);
    value = toUSVString(value);
    if (value === '') {
      record.query = null;
      stripTrailingSpaces(record);
    } else {
      record.query = '';
      basicParse(value.startsWith('?') ? value.slice(1) : value, null, record, ST_QUERY);
    }
    syncParams(this);
  }

  get searchParams() {
    recordOf(this);
    if (this[kParams] === undefined) {
      const params = new URLSearchParams();
      params[kURL] = this[kRecord];
      params[kList] = parseForm(this[kRecord].query ?? '');
      this[kParams] = params;
    }
    return this[kParams];
  }

  get hash() {
    const { fragment } = recordOf(this);
    return fragment === null || fragment === '' ? '' : `#${fragment}`;
  }

  set hash(value) {
    const record = recordOf(this);
    value = toUSVString(value);
    if (value === '') {
      record.fragment = null;
      stripTrailingSpaces(record);
      return;
    }
    record.fragment = '';
    basicParse(value.startsWith('#') ? value.slice(1) : value, null, record, ST_FRAGMENT);
  }

  toJSON() {
    return serializeURL(recordOf(this));
  }

  [kCustomInspect](depth, options, inspect = load('weft:internal/inspect').inspect) {
    recordOf(this);
    if (typeof depth === 'number' && depth < 0) return this;
    const constructor = Object.getPrototypeOf(this)?.constructor ?? URL;
    const obj = { __proto__: { constructor } };
    for (const key of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
      'pathname', 'search', 'searchParams', 'hash']) {
      obj[key] = this[key];
    }
    return `${constructor.name} ${inspect(obj, options)}`;
  }
}

Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
for (const key of ['toString', 'href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
  'pathname', 'search', 'searchParams', 'hash', 'toJSON']) {
  Object.defineProperty(URL.prototype, key, { enumerable: true });
}

// For the `url` module.
export { parseHost };
