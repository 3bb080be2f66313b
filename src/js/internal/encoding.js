// TextEncoder and TextDecoder (WHATWG Encoding Standard).
//
// TextEncoder writes UTF-8, lone surrogates as U+FFFD. TextDecoder reads
// UTF-8, UTF-16LE, UTF-16BE and windows-1252 (which the standard also names
// latin1, ascii, iso-8859-1, ...), with `fatal`, `ignoreBOM` and streaming
// (`{ stream: true }`) as the standard describes them: an invalid sequence
// becomes one U+FFFD per maximal subpart, or a TypeError when fatal.
//
// Differences from Node v20: the legacy single-byte encodings other than
// windows-1252 (iso-8859-2, koi8-r, ...) and the CJK ones are not supported
// (RangeError ERR_ENCODING_NOT_SUPPORTED); windows-1252 decodes bytes
// 0x80-0x9F to the characters of its table (0x80 is '€') as the standard
// says, where Node v20 decodes them as ISO-8859-1 control characters.

import { invalidArgType, invalidThis, makeError, validateObject } from 'weft:internal/errors';
import { load } from 'weft:internal/load';

const kCustomInspect = Symbol.for('nodejs.util.inspect.custom');

// ---------------------------------------------------------------------------
// TextEncoder

// UTF-8 of `input` into `out` from `start`; stops before a character that
// does not fit. Returns [code units read, bytes written].
function utf8Write(input, out, start) {
  const n = input.length;
  const end = out.length;
  let i = 0;
  let j = start;
  while (i < n) {
    let c = input.charCodeAt(i);
    if (c < 0x80) {
      if (j >= end) break;
      out[j++] = c;
      i++;
      continue;
    }
    let units = 1;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? input.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        units = 2;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) {
      if (j + 2 > end) break;
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      if (j + 3 > end) break;
      out[j++] = 0xe0 | (c >> 12);
      out[j++] = 0x80 | ((c >> 6) & 0x3f);
      out[j++] = 0x80 | (c & 0x3f);
    } else {
      if (j + 4 > end) break;
      out[j++] = 0xf0 | (c >> 18);
      out[j++] = 0x80 | ((c >> 12) & 0x3f);
      out[j++] = 0x80 | ((c >> 6) & 0x3f);
      out[j++] = 0x80 | (c & 0x3f);
    }
    i += units;
  }
  return [i, j - start];
}

// The UTF-8 length of a string, lone surrogates counted as U+FFFD.
function utf8Length(input) {
  const n = input.length;
  let length = n;
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      length += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n &&
               input.charCodeAt(i + 1) >= 0xdc00 && input.charCodeAt(i + 1) <= 0xdfff) {
      length += 2; // 4 bytes for 2 code units
      i++;
    } else {
      length += 2;
    }
  }
  return length;
}

export function encodeUtf8(input) {
  // Short strings are written into room for the worst case (3 bytes per
  // UTF-16 unit) and copied out; long ones are measured first.
  if (input.length <= 4096) {
    const room = new Uint8Array(input.length * 3);
    const [, written] = utf8Write(input, room, 0);
    return room.slice(0, written);
  }
  const out = new Uint8Array(utf8Length(input));
  utf8Write(input, out, 0);
  return out;
}

const encoders = new WeakSet();

function checkEncoder(self) {
  if (!encoders.has(self)) throw invalidThis('TextEncoder');
}

export class TextEncoder {
  constructor() {
    encoders.add(this);
  }

  get encoding() {
    checkEncoder(this);
    return 'utf-8';
  }

  encode(input = '') {
    checkEncoder(this);
    return encodeUtf8(`${input}`);
  }

  encodeInto(src, dest) {
    checkEncoder(this);
    if (typeof src !== 'string') throw invalidArgType('src', 'string', src);
    if (!(dest instanceof Uint8Array)) throw invalidArgType('dest', 'Uint8Array', dest);
    const [read, written] = utf8Write(src, dest, 0);
    return { read, written };
  }

  [kCustomInspect](depth, options, inspect = load('weft:internal/inspect').inspect) {
    checkEncoder(this);
    // Past the depth limit Node prints [TextEncoder].
    if (typeof depth === 'number' && depth < 0) return options.stylize('[TextEncoder]', 'special');
    // Node prints a plain object here.
    return inspect({ encoding: 'utf-8' }, options);
  }
}

Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: 'TextEncoder', configurable: true });
for (const key of ['encoding', 'encode', 'encodeInto']) {
  Object.defineProperty(TextEncoder.prototype, key, { enumerable: true });
}

// ---------------------------------------------------------------------------
// TextDecoder

const utf8Labels = ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8'];
const utf16leLabels = ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le'];
const utf16beLabels = ['unicodefffe', 'utf-16be'];
const windows1252Labels = [
  'ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100',
  'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252',
  'x-cp1252',
];

const encodingOfLabel = new Map([
  ...utf8Labels.map((label) => [label, 'utf-8']),
  ...utf16leLabels.map((label) => [label, 'utf-16le']),
  ...utf16beLabels.map((label) => [label, 'utf-16be']),
  ...windows1252Labels.map((label) => [label, 'windows-1252']),
]);

// The encoding's name for a label, or undefined (the standard's "get an
// encoding": ASCII whitespace trimmed, ASCII case ignored).
export function getEncoding(label) {
  const key = `${label}`.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').replace(/[A-Z]+/g, (s) => s.toLowerCase());
  return encodingOfLabel.get(key);
}

// windows-1252 bytes 0x80-0x9F; the others are their own code points.
const windows1252High = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

// Builds strings from code units in chunks: String.fromCharCode takes its
// arguments on the stack.
class StringBuilder {
  constructor() {
    this.parts = [];
    this.units = [];
  }

  push(unit) {
    this.units.push(unit);
    if (this.units.length >= 8192) this.flush();
  }

  pushCodePoint(cp) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      this.push(0xd800 + (cp >> 10));
      this.push(0xdc00 + (cp & 0x3ff));
    } else {
      this.push(cp);
    }
  }

  // A run of bytes below 0x80 (a Uint8Array), as they are.
  pushAscii(bytes, start, end) {
    this.flush();
    for (let i = start; i < end; i += 8192) {
      this.parts.push(String.fromCharCode.apply(null, bytes.subarray(i, Math.min(i + 8192, end))));
    }
  }

  flush() {
    if (this.units.length > 0) {
      this.parts.push(String.fromCharCode.apply(null, this.units));
      this.units = [];
    }
  }

  toString() {
    this.flush();
    return this.parts.join('');
  }
}

function decodeError(encoding) {
  return makeError(TypeError, 'ERR_ENCODING_INVALID_ENCODED_DATA', `The encoded data was not valid for encoding ${encoding}`);
}

// The standard's UTF-8 decoder; `state` carries a partial sequence between
// streamed chunks.
function decodeUtf8(state, bytes, flush, fatal) {
  const out = new StringBuilder();
  let { cp, needed, seen, lower, upper } = state;
  const n = bytes.length;
  let i = 0;
  const error = () => {
    if (fatal) throw decodeError('utf-8');
    out.push(0xfffd);
  };
  while (i < n) {
    const b = bytes[i];
    if (needed === 0) {
      i++;
      if (b < 0x80) {
        // ASCII runs are the common case.
        const start = i - 1;
        while (i < n && bytes[i] < 0x80) i++;
        if (i - start > 16) out.pushAscii(bytes, start, i);
        else for (let k = start; k < i; k++) out.push(bytes[k]);
      } else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
        needed = 2;
        cp = b & 0xf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
        needed = 3;
        cp = b & 0x7;
      } else {
        error();
      }
      continue;
    }
    if (b < lower || b > upper) {
      // The byte is not consumed: it starts whatever comes next.
      cp = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      error();
      continue;
    }
    i++;
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (++seen === needed) {
      out.pushCodePoint(cp);
      cp = needed = seen = 0;
    }
  }
  if (flush && needed !== 0) {
    cp = needed = seen = 0;
    lower = 0x80;
    upper = 0xbf;
    error();
  }
  Object.assign(state, { cp, needed, seen, lower, upper });
  return out.toString();
}

// The standard's UTF-16 decoder (shared UTF-16 decoder), either byte order.
function decodeUtf16(state, bytes, flush, fatal, bigEndian) {
  const out = new StringBuilder();
  let { leadByte, leadSurrogate } = state;
  const encoding = bigEndian ? 'utf-16be' : 'utf-16le';
  const error = () => {
    if (fatal) throw decodeError(encoding);
    out.push(0xfffd);
  };
  for (let i = 0; i < bytes.length; i++) {
    if (leadByte === -1) {
      leadByte = bytes[i];
      continue;
    }
    const unit = bigEndian ? (leadByte << 8) | bytes[i] : (bytes[i] << 8) | leadByte;
    leadByte = -1;
    if (leadSurrogate !== -1) {
      const lead = leadSurrogate;
      leadSurrogate = -1;
      if (unit >= 0xdc00 && unit <= 0xdfff) {
        out.push(lead);
        out.push(unit);
        continue;
      }
      error();
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      leadSurrogate = unit;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      error();
    } else {
      out.push(unit);
    }
  }
  if (flush && (leadByte !== -1 || leadSurrogate !== -1)) {
    leadByte = leadSurrogate = -1;
    error();
  }
  Object.assign(state, { leadByte, leadSurrogate });
  return out.toString();
}

function decodeWindows1252(bytes) {
  const out = new StringBuilder();
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out.push(b >= 0x80 && b <= 0x9f ? windows1252High[b - 0x80] : b);
  }
  return out.toString();
}

function freshState() {
  return { cp: 0, needed: 0, seen: 0, lower: 0x80, upper: 0xbf, leadByte: -1, leadSurrogate: -1, bomChecked: false };
}

// The bytes of a BufferSource as a Uint8Array, without copying.
function toBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  try {
    return new Uint8Array(input);
  } catch {
    return undefined;
  }
}

function isBufferSource(input) {
  if (ArrayBuffer.isView(input)) return true;
  if (input === null || typeof input !== 'object') return false;
  try {
    Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get.call(input);
    return true;
  } catch {
    // not an ArrayBuffer
  }
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get.call(input);
    return true;
  } catch {
    return false;
  }
}

const decoders = new WeakMap();

function decoderOf(self) {
  const d = decoders.get(self);
  if (d === undefined) throw invalidThis('TextDecoder');
  return d;
}

export class TextDecoder {
  constructor(encoding = 'utf-8', options = {}) {
    const label = `${encoding}`;
    const name = getEncoding(label);
    if (name === undefined) {
      throw makeError(RangeError, 'ERR_ENCODING_NOT_SUPPORTED', `The "${label}" encoding is not supported`);
    }
    if (options !== null) validateObject(options, 'options', { allowArray: true, allowFunction: true });
    decoders.set(this, {
      encoding: name,
      fatal: Boolean(options?.fatal),
      ignoreBOM: Boolean(options?.ignoreBOM),
      state: freshState(),
    });
  }

  get encoding() {
    return decoderOf(this).encoding;
  }

  get fatal() {
    return decoderOf(this).fatal;
  }

  get ignoreBOM() {
    return decoderOf(this).ignoreBOM;
  }

  decode(input = new Uint8Array(0), options = {}) {
    const d = decoderOf(this);
    if (!isBufferSource(input)) {
      throw makeError(TypeError, 'ERR_INVALID_ARG_TYPE',
        'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.');
    }
    const stream = Boolean(options?.stream);
    const bytes = toBytes(input);
    const { state } = d;
    let text;
    try {
      switch (d.encoding) {
        case 'utf-8': text = decodeUtf8(state, bytes, !stream, d.fatal); break;
        case 'utf-16le': text = decodeUtf16(state, bytes, !stream, d.fatal, false); break;
        case 'utf-16be': text = decodeUtf16(state, bytes, !stream, d.fatal, true); break;
        default: text = decodeWindows1252(bytes); break;
      }
    } catch (err) {
      d.state = freshState();
      throw err;
    }
    // The byte order mark is dropped once, at the start of the stream.
    if (!state.bomChecked && text.length > 0) {
      state.bomChecked = true;
      if (!d.ignoreBOM && d.encoding !== 'windows-1252' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!stream) d.state = freshState();
    return text;
  }

  [kCustomInspect](depth, options, inspect = load('weft:internal/inspect').inspect) {
    const { encoding, fatal, ignoreBOM } = decoderOf(this);
    const name = Object.getPrototypeOf(this)?.constructor?.name || 'TextDecoder';
    if (typeof depth === 'number' && depth < 0) return options.stylize(`[${name}]`, 'special');
    return `${name} ${inspect({ encoding, fatal, ignoreBOM })}`;
  }
}

Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: 'TextDecoder', configurable: true });
for (const key of ['encoding', 'fatal', 'ignoreBOM', 'decode']) {
  Object.defineProperty(TextDecoder.prototype, key, { enumerable: true });
}
