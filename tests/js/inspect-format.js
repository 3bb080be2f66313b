// Checks weft:internal/inspect (console.log, util.inspect, util.format) against Node.
// The expected strings were produced by Node v20's util.inspect / util.format; the cases at the
// end check the layout of errors (whose stack frames differ between engines) and the few
// places where weft deliberately differs from Node (marked "weft only").

import { inspect, format } from 'weft:internal/inspect';

let count = 0;

function check(actual, expected) {
  count++;
  if (actual !== expected) {
    throw new Error(`inspect-format check #${count} failed\n` +
      `  expected: ${JSON.stringify(expected)}\n` +
      `  actual:   ${JSON.stringify(actual)}`);
  }
}

const lines = (...parts) => parts.join('\n');

// Values and format() output identical to Node's.
check(inspect('hello'), "'hello'");
check(inspect("it's"), "\"it's\"");
check(inspect(`it's "quoted"`), "`it's \"quoted\"`");
check(inspect("it's \"q\" `b`"), "'it\\'s \"q\" `b`'");
check(inspect('a\nb\tc\x1B[0m\\'), "'a\\nb\\tc\\x1B[0m\\\\'");
check(inspect('\ud83d'), "'\\ud83d'");
check(inspect(['x']), "[ 'x' ]");
check(inspect(-0), '-0');
check(inspect([NaN, Infinity, -Infinity]), '[ NaN, Infinity, -Infinity ]');
check(inspect(123n), '123n');
check(inspect(Symbol('desc')), 'Symbol(desc)');
check(inspect([undefined, null, true, false]), '[ undefined, null, true, false ]');
check(inspect([1, 2, 3]), '[ 1, 2, 3 ]');
check(inspect([]), '[]');
check(inspect([1, , 3]), '[ 1, <1 empty item>, 3 ]');
check(inspect([1, , , , 5]), '[ 1, <3 empty items>, 5 ]');
check(inspect(new Array(3)), '[ <3 empty items> ]');
check(inspect(Object.assign([1, 2], { foo: 'bar' })), "[ 1, 2, foo: 'bar' ]");
check(inspect(Array.from({ length: 101 }, (_, i) => i)),
  lines(
    '[',
    '   0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11,',
    '  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,',
    '  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,',
    '  36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,',
    '  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,',
    '  60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,',
    '  72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,',
    '  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,',
    '  96, 97, 98, 99,',
    '  ... 1 more item',
    ']',
  ));
check(inspect(Array.from({ length: 30 }, (_, i) => i)),
  lines(
    '[',
    '   0,  1,  2,  3,  4,  5,  6,  7,  8,',
    '   9, 10, 11, 12, 13, 14, 15, 16, 17,',
    '  18, 19, 20, 21, 22, 23, 24, 25, 26,',
    '  27, 28, 29',
    ']',
  ));
check(inspect(Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i))),
  lines(
    '[',
    "  'a', 'b', 'c', 'd', 'e', 'f',",
    "  'g', 'h', 'i', 'j', 'k', 'l',",
    "  'm', 'n', 'o', 'p', 'q', 'r',",
    "  's', 't', 'u', 'v', 'w', 'x',",
    "  'y', 'z'",
    ']',
  ));
check(inspect(Array.from({ length: 12 }, (_, i) => i * 1000 - 5000)),
  lines(
    '[',
    '  -5000, -4000, -3000,',
    '  -2000, -1000,     0,',
    '   1000,  2000,  3000,',
    '   4000,  5000,  6000',
    ']',
  ));
check(inspect({ a: 1, 'b-c': 2, [Symbol('s')]: 3 }), "{ a: 1, 'b-c': 2, [Symbol(s)]: 3 }");
check(inspect({}), '{}');
check(inspect({ $x: 1, _y: 2, '1a': 3, 5: 4, 'a b': 5 }),
  "{ '5': 4, '$x': 1, _y: 2, '1a': 3, 'a b': 5 }");
check(inspect({ get a() { return 1; }, set b(v) {}, get c() { return 1; }, set c(v) {} }),
  '{ a: [Getter], b: [Setter], c: [Getter/Setter] }');
check(inspect({ get a() { return 1; }, get b() { throw new Error('nope'); } }, { getters: true }),
  '{ a: [Getter: 1], b: [Getter: <Inspection threw (nope)>] }');
check(inspect(Object.assign(Object.create(null), { a: 1 })), '[Object: null prototype] { a: 1 }');
check(inspect(Object.create(null)), '[Object: null prototype] {}');
check(inspect(new (class Foo { constructor() { this.x = 1; } })()), 'Foo { x: 1 }');
check(inspect(new (class Empty {})()), 'Empty {}');
check(inspect({ a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: [Object] } } }');
check(inspect({ a: [{ b: [1] }] }), '{ a: [ { b: [Array] } ] }');
check(inspect({ a: { b: { c: [1] } } }), '{ a: { b: { c: [Array] } } }');
check(inspect({ a: { b: { c: new Map() } } }), '{ a: { b: { c: Map(0) {} } } }');
check(inspect({ a: { b: { c: new (class Foo {})() } } }), '{ a: { b: { c: Foo {} } } }');
check(inspect({ a: { b: { c: {} } } }, { depth: 0 }), '{ a: [Object] }');
check(inspect({ a: { b: { c: { d: { e: {} } } } } }, { depth: null }),
  lines(
    '{',
    '  a: {',
    '    b: { c: { d: { e: {} } } }',
    '  }',
    '}',
  ));
check(inspect({
  aaaaaaaaaa: 'bbbbbbbbbbbbbbbbbbbb',
  cccccccccc: 'dddddddddddddddddddd',
  eeeeeeeeee: 'ffffffffffffffffffffff',
}),
  lines(
    '{',
    "  aaaaaaaaaa: 'bbbbbbbbbbbbbbbbbbbb',",
    "  cccccccccc: 'dddddddddddddddddddd',",
    "  eeeeeeeeee: 'ffffffffffffffffffffff'",
    '}',
  ));
check(inspect({ a: 1, b: [1, 2], c: { d: 'x' } }, { compact: false }),
  lines(
    '{',
    '  a: 1,',
    '  b: [',
    '    1,',
    '    2',
    '  ],',
    '  c: {',
    "    d: 'x'",
    '  }',
    '}',
  ));
check(inspect({ a: 1, b: [1, 2], c: { d: 'x' } }, { compact: true }),
  "{ a: 1, b: [ 1, 2 ], c: { d: 'x' } }");
check(inspect({ a: 1, b: 2, c: 3, d: 4 }, { breakLength: 20 }),
  lines(
    '{',
    '  a: 1,',
    '  b: 2,',
    '  c: 3,',
    '  d: 4',
    '}',
  ));
check(inspect({ c: 1, a: 2, b: 3 }, { sorted: true }), '{ a: 2, b: 3, c: 1 }');
check(inspect('abcdef', { maxStringLength: 3 }), "'abc'... 3 more characters");
check(inspect([1, 2, 3, 4], { maxArrayLength: 2 }), '[ 1, 2, ... 2 more items ]');
check(inspect({
  text: 'first line that is long\nsecond line that is long too\nthird line, longest of them all',
}),
  lines(
    '{',
    "  text: 'first line that is long\\n' +",
    "    'second line that is long too\\n' +",
    "    'third line, longest of them all'",
    '}',
  ));
check((() => { const o = { name: 'c' }; o.self = o; return inspect(o); })(),
  "<ref *1> { name: 'c', self: [Circular *1] }");
check((() => { const a = { n: 'a' }; const b = { n: 'b', a }; a.b = b; return inspect([a, b]); })(),
  lines(
    '[',
    "  <ref *1> { n: 'a', b: { n: 'b', a: [Circular *1] } },",
    "  <ref *2> { n: 'b', a: <ref *1> { n: 'a', b: [Circular *2] } }",
    ']',
  ));
check((() => { const a = [1]; a.push(a); return inspect(a); })(), '<ref *1> [ 1, [Circular *1] ]');
check(inspect(new Map([['a', 1], ['b', 2]])), "Map(2) { 'a' => 1, 'b' => 2 }");
check(inspect(new Map()), 'Map(0) {}');
check(inspect(new Set([1])), 'Set(1) { 1 }');
check(inspect(new Set()), 'Set(0) {}');
check(inspect(new Map([[{ a: 1 }, [1, 2]]])), 'Map(1) { { a: 1 } => [ 1, 2 ] }');
check(inspect(new WeakMap()), 'WeakMap { <items unknown> }');
check(inspect(new WeakSet()), 'WeakSet { <items unknown> }');
check(inspect(Object.setPrototypeOf(new Map([[1, 2]]), null)),
  '[Map(1): null prototype] { 1 => 2 }');
check(inspect(new Date(0)), '1970-01-01T00:00:00.000Z');
check(inspect(new Date(NaN)), 'Invalid Date');
check(inspect(/a/g), '/a/g');
check(inspect(/[a-z]+\/\d*$/imsu), '/[a-z]+\\/\\d*$/imsu');
check(inspect(new Number(3)), '[Number: 3]');
check(inspect(new String('abc')), "[String: 'abc']");
check(inspect(new Boolean(true)), '[Boolean: true]');
check(inspect(Object(Symbol('a'))), '[Symbol: Symbol(a)]');
check(inspect(Object(1n)), '[BigInt: 1n]');
check(inspect(new Uint8Array([1, 2, 3])), 'Uint8Array(3) [ 1, 2, 3 ]');
check(inspect(new Float64Array([1.5, -0])), 'Float64Array(2) [ 1.5, -0 ]');
check(inspect(new BigInt64Array([1n, -2n])), 'BigInt64Array(2) [ 1n, -2n ]');
check(inspect(new Uint8Array([1, 2]).buffer),
  'ArrayBuffer { [Uint8Contents]: <01 02>, byteLength: 2 }');
check(inspect(new ArrayBuffer(0)), 'ArrayBuffer { [Uint8Contents]: <>, byteLength: 0 }');
check(inspect(new DataView(new ArrayBuffer(2))),
  lines(
    'DataView {',
    '  byteLength: 2,',
    '  byteOffset: 0,',
    '  buffer: ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }',
    '}',
  ));
check(inspect(new Uint8Array(2), { showHidden: true }),
  lines(
    'Uint8Array(2) [',
    '  0,',
    '  0,',
    '  [BYTES_PER_ELEMENT]: 1,',
    '  [length]: 2,',
    '  [byteLength]: 2,',
    '  [byteOffset]: 0,',
    '  [buffer]: ArrayBuffer { byteLength: 2 }',
    ']',
  ));
check(inspect(function foo() {}), '[Function: foo]');
check(inspect(function () {}), '[Function (anonymous)]');
check(inspect(() => {}), '[Function (anonymous)]');
check(inspect(async function af() {}), '[AsyncFunction: af]');
check(inspect(function* gen() {}), '[GeneratorFunction: gen]');
check(inspect(async function* agen() {}), '[AsyncGeneratorFunction: agen]');
check(inspect(class Foo {}), '[class Foo]');
check(inspect(class Bar extends Map {}), '[class Bar extends Map]');
check(inspect(class {}), '[class (anonymous)]');
check(inspect(Object.assign(function withProps() {}, { a: 1 })), '[Function: withProps] { a: 1 }');
check(inspect(Object.assign(new Error('no stack'), { stack: undefined })), '[Error: no stack]');
check(inspect(Object.assign(new TypeError('typed'), { stack: undefined, code: 'X' })),
  "[TypeError: typed] { code: 'X' }");
check(inspect(Object.assign(new Error('outer', { cause: 'reason' }), { stack: undefined })),
  "[Error: outer] { [cause]: 'reason' }");
check(inspect({ e: Object.assign(new Error('inner'), { stack: undefined }) }),
  '{ e: [Error: inner] }');
check(inspect(Math), 'Object [Math] {}');
check(inspect(JSON), 'Object [JSON] {}');
check(inspect({ [Symbol.toStringTag]: 'own' }), "{ [Symbol(Symbol.toStringTag)]: 'own' }");
check(inspect(new (class Tagged { get [Symbol.toStringTag]() { return 'TG'; } })()),
  'Tagged [TG] {}');
check((function () { return inspect(arguments); })(1, 'two'), "[Arguments] { '0': 1, '1': 'two' }");
check(inspect({
  [Symbol.for('nodejs.util.inspect.custom')](depth, options) { return `custom(${depth})`; },
}),
  'custom(2)');
check(inspect({ a: { [inspect.custom]() { return { replaced: true }; } } }),
  '{ a: { replaced: true } }');
check(inspect({ [inspect.custom]() { return 'x'; } }, { customInspect: false }),
  lines(
    '{',
    '  [Symbol(nodejs.util.inspect.custom)]: [Function: [nodejs.util.inspect.custom]]',
    '}',
  ));
check(inspect([1, 'a', { b: 2 }], { colors: true }),
  "[ \u001b[33m1\u001b[39m, \u001b[32m'a'\u001b[39m, { b: \u001b[33m2\u001b[39m } ]");
check(inspect([1, 2], { showHidden: true }), '[ 1, 2, [length]: 2 ]');
check(inspect(Object.defineProperty({ a: 1 }, 'hidden', { value: 2 }), { showHidden: true }),
  '{ a: 1, [hidden]: 2 }');
check(inspect({ n: 1234567.891 }, { numericSeparator: true }), '{ n: 1_234_567.891 }');
check(format('%s', 'str'), 'str');
check(format('%s', 42), '42');
check(format('%s', -0), '-0');
check(format('%s', 5n), '5n');
check(format('%s', Symbol('s')), 'Symbol(s)');
check(format('%s', { a: { b: 1 } }), '{ a: [Object] }');
check(format('%s', [1, [2, [3]]]), '[ 1, [Array] ]');
check(format('%s', { toString() { return 'custom'; } }), 'custom');
check(format('%s', new Date(0)), '1970-01-01T00:00:00.000Z');
check(format('%s', null, undefined), 'null undefined');
check(format('%d', 42), '42');
check(format('%d', '42.5'), '42.5');
check(format('%d', {}), 'NaN');
check(format('%d', 10n), '10n');
check(format('%i', '42.9abc'), '42');
check(format('%f', '3.25xyz'), '3.25');
check(format('%j', { a: [1, 'x'] }), '{"a":[1,"x"]}');
check((() => { const o = {}; o.o = o; return format('%j', o); })(), '[Circular]');
check(format('%O', { a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: [Object] } } }');
check(format('%o', [1, { a: 2 }]), '[ 1, { a: 2 }, [length]: 2 ]');
check(format('%cstyled%c', 'color: red', 'x'), 'styled');
check(format('100%% sure %s', 'yes'), '100% sure yes');
check(format('%s and %s', 'one'), 'one and %s');
check(format('a', 'b', 1, { c: 2 }), 'a b 1 { c: 2 }');
check(format(1, 'a', { b: 1 }), '1 a { b: 1 }');
check(format('%x %s', 1), '%x 1');
check(format('just %s'), 'just %s');
check(format(), '');
check(format('%s:%d:%i:%f:%j', 'a', 1.5, 2.5, '3.5', [4]), 'a:1.5:2:3.5:[4]');

// Errors with a stack: the frames differ between engines, the layout does not.
const boom = inspect(new Error('boom')).split('\n');
check(boom[0], 'Error: boom');
check(boom[1].startsWith('    at '), true);
const coded = inspect(Object.assign(new Error('coded'), { code: 'X' }));
check(coded.endsWith(" {\n  code: 'X'\n}"), true);
class MyError extends Error {}
check(inspect(new MyError('mine')).split('\n')[0], 'MyError: mine');
const withCause = inspect(new Error('outer', { cause: new Error('inner') }));
check(withCause.includes('\n  [cause]: Error: inner\n      at '), true);
check(inspect({ nested: new Error('deep') }).split('\n').slice(0, 2).join('\n'),
  '{\n  nested: Error: deep');

// Revoked proxies print as in Node.
const revocable = Proxy.revocable({}, {});
revocable.revoke();
check(inspect({ p: revocable.proxy }), '{ p: <Revoked Proxy> }');

// weft only. Nothing a value does makes inspect or format throw (Node would show the proxy's
// target here, and would throw for the hostile toString).
check(inspect(new Proxy({}, { ownKeys() { throw new Error('trap'); } })),
  '<Inspection threw (trap)>');
check(format('%s', { toString() { throw new Error('hostile'); } }),
  '{ toString: [Function: toString] }');

// weft only: promise state is not visible from JavaScript on QuickJS.
check(inspect(Promise.resolve(1)), 'Promise { <unknown> }');

console.log('ok');
