// TextEncoder and TextDecoder (WHATWG Encoding): UTF-8 both ways, UTF-16
// and windows-1252 decoding, replacement characters, fatal mode, BOM
// handling, streaming, and Node's errors for bad arguments.
const assert = require('assert');

const { strictEqual: eq, deepStrictEqual: deepEq, throws } = assert;

function throwsCode(fn, type, code, message) {
  throws(fn, (err) => {
    eq(err instanceof type, true, `${err} is not a ${type.name}`);
    eq(err.code, code);
    eq(err.message, message);
    return true;
  });
}

const bytes = (...list) => new Uint8Array(list);
const codes = (s) => Array.from(s, (ch) => ch.codePointAt(0).toString(16));

// ---- TextEncoder ---------------------------------------------------------------

const encoder = new TextEncoder();
eq(encoder.encoding, 'utf-8');
eq(Object.prototype.toString.call(encoder), '[object TextEncoder]');
deepEq(encoder.encode('aé€😀'), bytes(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80));
deepEq(encoder.encode(), bytes());
deepEq(encoder.encode(undefined), bytes());
deepEq(encoder.encode(null), bytes(0x6e, 0x75, 0x6c, 0x6c));
deepEq(encoder.encode(12), bytes(0x31, 0x32));
// Lone surrogates become U+FFFD.
deepEq(encoder.encode('\ud800x\udc00'), bytes(0xef, 0xbf, 0xbd, 0x78, 0xef, 0xbf, 0xbd));
deepEq(encoder.encode('\ud83d'), bytes(0xef, 0xbf, 0xbd));

// encodeInto stops before a character that does not fit.
let dest = new Uint8Array(5);
deepEq(encoder.encodeInto('a😀b', dest), { read: 3, written: 5 });
deepEq(dest, bytes(0x61, 0xf0, 0x9f, 0x98, 0x80));
dest = new Uint8Array(4);
deepEq(encoder.encodeInto('a😀b', dest), { read: 1, written: 1 });
dest = new Uint8Array(10);
deepEq(encoder.encodeInto('\ud800x', dest), { read: 2, written: 4 });
deepEq(encoder.encodeInto('', dest), { read: 0, written: 0 });

throwsCode(() => encoder.encodeInto(5, new Uint8Array(2)), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "src" argument must be of type string. Received type number (5)');
throwsCode(() => encoder.encodeInto('a', []), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "dest" argument must be an instance of Uint8Array. Received an instance of Array');
throwsCode(() => encoder.encodeInto('a', new Uint16Array(2)), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "dest" argument must be an instance of Uint8Array. Received an instance of Uint16Array');
throwsCode(() => TextEncoder.prototype.encode.call({}, 'x'), TypeError, 'ERR_INVALID_THIS',
  'Value of "this" must be of type TextEncoder');

// ---- TextDecoder: construction ---------------------------------------------------

const decoder = new TextDecoder();
eq(decoder.encoding, 'utf-8');
eq(decoder.fatal, false);
eq(decoder.ignoreBOM, false);
eq(Object.prototype.toString.call(decoder), '[object TextDecoder]');
eq(new TextDecoder(' UTF8 \n').encoding, 'utf-8');
eq(new TextDecoder('unicode-1-1-utf-8').encoding, 'utf-8');
eq(new TextDecoder('utf-16').encoding, 'utf-16le');
eq(new TextDecoder('UTF-16BE').encoding, 'utf-16be');
eq(new TextDecoder('latin1').encoding, 'windows-1252');
eq(new TextDecoder('ascii').encoding, 'windows-1252');
eq(new TextDecoder(undefined).encoding, 'utf-8');
eq(new TextDecoder({ toString: () => 'utf8' }).encoding, 'utf-8');
eq(new TextDecoder('utf-8', { fatal: 1, ignoreBOM: 'yes' }).fatal, true);
eq(new TextDecoder('utf-8', null).fatal, false);

throwsCode(() => new TextDecoder('nope'), RangeError, 'ERR_ENCODING_NOT_SUPPORTED',
  'The "nope" encoding is not supported');
throwsCode(() => new TextDecoder(null), RangeError, 'ERR_ENCODING_NOT_SUPPORTED',
  'The "null" encoding is not supported');
throwsCode(() => new TextDecoder('utf-8', 5), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "options" argument must be of type object. Received type number (5)');
throwsCode(() => decoder.decode(5), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.');
throwsCode(() => decoder.decode('abc'), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.');
throwsCode(() => decoder.decode(null), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.');
throwsCode(() => TextDecoder.prototype.decode.call({}, bytes()), TypeError, 'ERR_INVALID_THIS',
  'Value of "this" must be of type TextDecoder');
throwsCode(() => Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'encoding').get.call({}), TypeError,
  'ERR_INVALID_THIS', 'Value of "this" must be of type TextDecoder');

// ---- UTF-8 decoding ------------------------------------------------------------

eq(decoder.decode(), '');
eq(decoder.decode(undefined), '');
eq(decoder.decode(bytes(0x68, 0x69)), 'hi');
eq(decoder.decode(bytes(0x68, 0x69).buffer), 'hi');
eq(decoder.decode(new DataView(bytes(0x68, 0x69).buffer)), 'hi');
eq(decoder.decode(new Uint16Array([0x6968])), 'hi');
eq(decoder.decode(bytes(0x78, 0x68, 0x69, 0x78).subarray(1, 3)), 'hi');
const shared = new Uint8Array(new SharedArrayBuffer(2));
shared.set([0x6f, 0x6b]);
eq(decoder.decode(shared), 'ok');
eq(decoder.decode(shared.buffer), 'ok');
eq(decoder.decode(encoder.encode('aé€😀')), 'aé€😀');

// One U+FFFD per maximal subpart of an invalid sequence.
deepEq(codes(decoder.decode(bytes(0xf0, 0x9f, 0x98, 0x80, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80,
  0xe0, 0x80, 0x41, 0xf0, 0x9f, 0x41))),
['1f600', 'fffd', 'fffd', 'fffd', 'fffd', 'fffd', 'fffd', 'fffd', 'fffd', 'fffd', 'fffd', 'fffd', '41', 'fffd', '41']);
deepEq(codes(decoder.decode(bytes(0xff, 0xfe, 0x80))), ['fffd', 'fffd', 'fffd']);
deepEq(codes(decoder.decode(bytes(0xe2, 0x82))), ['fffd']);

// Fatal mode throws instead.
const fatal = new TextDecoder('utf-8', { fatal: true });
throwsCode(() => fatal.decode(bytes(0xff)), TypeError, 'ERR_ENCODING_INVALID_ENCODED_DATA',
  'The encoded data was not valid for encoding utf-8');
throwsCode(() => fatal.decode(bytes(0xe2, 0x82)), TypeError, 'ERR_ENCODING_INVALID_ENCODED_DATA',
  'The encoded data was not valid for encoding utf-8');
eq(fatal.decode(bytes(0xe2, 0x82, 0xac)), '€');

// The BOM is dropped once at the start of a stream unless ignoreBOM.
eq(decoder.decode(bytes(0xef, 0xbb, 0xbf, 0x41)), 'A');
eq(decoder.decode(bytes(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41)), '\ufeffA');
eq(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes(0xef, 0xbb, 0xbf, 0x41)), '\ufeffA');

// Streaming: a sequence split across chunks is completed by the next one.
const stream = new TextDecoder();
const pieces = [];
for (const b of encoder.encode('\ufeffé€😀!')) pieces.push(stream.decode(bytes(b), { stream: true }));
pieces.push(stream.decode());
eq(pieces.join(''), 'é€😀!');
eq(stream.decode(bytes(0xe2, 0x82), { stream: true }), '');
deepEq(codes(stream.decode()), ['fffd']);
// After a non-streaming call the decoder starts afresh (BOM included).
eq(stream.decode(bytes(0xef, 0xbb, 0xbf, 0x42)), 'B');

// ---- UTF-16 and windows-1252 ----------------------------------------------------

const utf16 = new TextDecoder('utf-16le');
eq(utf16.decode(bytes(0x41, 0, 0x3d, 0xd8, 0x00, 0xde)), 'A😀');
eq(utf16.decode(bytes(0xff, 0xfe, 0x41, 0)), 'A');
deepEq(codes(utf16.decode(bytes(0x41, 0, 0x00, 0xd8, 0x42))), ['41', 'fffd']);
deepEq(codes(utf16.decode(bytes(0x00, 0xdc, 0x41, 0))), ['fffd', '41']);
eq(utf16.decode(bytes(0x41), { stream: true }), '');
eq(utf16.decode(bytes(0)), 'A');
throwsCode(() => new TextDecoder('utf-16le', { fatal: true }).decode(bytes(0x41)), TypeError,
  'ERR_ENCODING_INVALID_ENCODED_DATA', 'The encoded data was not valid for encoding utf-16le');
eq(new TextDecoder('utf-16be').decode(bytes(0xfe, 0xff, 0, 0x41, 0xd8, 0x3d, 0xde, 0x00)), 'A😀');
// windows-1252 per the standard: 0x80 is the euro sign (Node v20 gives U+0080).
deepEq(codes(new TextDecoder('latin1').decode(bytes(0x41, 0x80, 0x81, 0x9f, 0xa0, 0xff))),
  ['41', '20ac', '81', '178', 'a0', 'ff']);

// ---- inspection -----------------------------------------------------------------

const { inspect } = require('util');
eq(inspect(new TextDecoder('utf-16')), "TextDecoder { encoding: 'utf-16le', fatal: false, ignoreBOM: false }");
eq(inspect({ a: { b: { c: new TextDecoder() } } }), '{ a: { b: { c: [TextDecoder] } } }');
eq(inspect(new TextEncoder()), "{ encoding: 'utf-8' }");

console.log('ok');
