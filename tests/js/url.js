// URL and URLSearchParams (WHATWG URL) and Node's `url` module helpers:
// parsing of special, file and opaque URLs, setters, live search params,
// serialization, and Node's errors for bad input.
const assert = require('assert');
const url = require('url');
const { inspect } = require('util');

const { strictEqual: eq, deepStrictEqual: deepEq, throws } = assert;

function throwsCode(fn, type, code, message) {
  throws(fn, (err) => {
    eq(err instanceof type, true, `${err} is not a ${type.name}`);
    eq(err.code, code);
    eq(err.message, message);
    return true;
  });
}

eq(url.URL, URL);
eq(url.URLSearchParams, URLSearchParams);
eq(require('node:url').fileURLToPath, url.fileURLToPath);

// ---- parsing -------------------------------------------------------------------

const keys = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search',
  'hash'];
function parts(input, base) {
  const u = base === undefined ? new URL(input) : new URL(input, base);
  return Object.fromEntries(keys.map((key) => [key, u[key]]));
}

deepEq(parts('HTTP://User:Pa%20ss@Example.COM:8080/a/./b/../c?x=1&y=%zz#frag'), {
  href: 'http://User:Pa%20ss@example.com:8080/a/c?x=1&y=%zz#frag',
  origin: 'http://example.com:8080',
  protocol: 'http:',
  username: 'User',
  password: 'Pa%20ss',
  host: 'example.com:8080',
  hostname: 'example.com',
  port: '8080',
  pathname: '/a/c',
  search: '?x=1&y=%zz',
  hash: '#frag',
});
deepEq(parts('data:text/plain;base64,SGk=#x'), {
  href: 'data:text/plain;base64,SGk=#x',
  origin: 'null',
  protocol: 'data:',
  username: '',
  password: '',
  host: '',
  hostname: '',
  port: '',
  pathname: 'text/plain;base64,SGk=',
  search: '',
  hash: '#x',
});

// [input, base, expected href] (null: the parse fails)
const hrefs = [
  ['http://example\t.\norg', undefined, 'http://example.org/'],
  ['  http://a/ b ? c # d  ', undefined, 'http://a/%20b%20?%20c%20#%20d'],
  ['https://test:@test', undefined, 'https://test@test/'],
  ['http://f:00000000000000000000080/c', undefined, 'http://f/c'],
  ['https://h:443/', undefined, 'https://h/'],
  ['ws://h:80/', undefined, 'ws://h/'],
  ['wss://h:443/', undefined, 'wss://h/'],
  ['ftp://h:21/', undefined, 'ftp://h/'],
  ['http://h:65535/', undefined, 'http://h:65535/'],
  ['http://h:65536/', undefined, null],
  ['http://f:b/c', undefined, null],
  ['http://user@/x', undefined, null],
  ['http://', undefined, null],
  ['foo', undefined, null],
  ['', undefined, null],
  ['http:foo.com', 'http://example.org/foo/bar', 'http://example.org/foo/foo.com'],
  ['\\\\x\\hello', 'http://example.org/foo/bar', 'http://x/hello'],
  ['../../../g', 'http://a/b/c/d;p?q', 'http://a/g'],
  ['g;x=1/../y', 'http://a/b/c/d;p?q', 'http://a/b/c/y'],
  ['?y', 'http://a/b/c/d;p?q', 'http://a/b/c/d;p?y'],
  ['#s', 'http://a/b/c/d;p?q', 'http://a/b/c/d;p?q#s'],
  ['//g', 'http://a/b/c/d;p?q', 'http://g/'],
  ['g', 'file:///C:/x/y', 'file:///C:/x/g'],
  ['/g', 'file:///C:/x/y', 'file:///C:/g'],
  ['..', 'file:///C:/', 'file:///C:/'],
  ['#x', 'data:text/plain,hi', 'data:text/plain,hi#x'],
  ['x', 'data:text/plain,hi', null],
  ['http://example.com/foo/%2e%2E/bar/.%2e/baz', undefined, 'http://example.com/baz'],
  ["http://x/?'q' \"r\"#`f` <>", undefined, 'http://x/?%27q%27%20%22r%22#%60f%60%20%3C%3E'],
  ["sc://x/?'q'", undefined, "sc://x/?'q'"],
  ['http://x/{a}|^`"é', undefined, 'http://x/%7Ba%7D|^%60%22%C3%A9'],
  ['http://[::1]:8080/', undefined, 'http://[::1]:8080/'],
  ['http://[0:0:0:0:0:0:13.1.68.3]/', undefined, 'http://[::d01:4403]/'],
  ['http://[1:0:0:2::3:0]/', undefined, 'http://[1::2:0:0:3:0]/'],
  ['http://[::ffff:1.2.3.4]/', undefined, 'http://[::ffff:102:304]/'],
  ['http://[1:2:3:4:5:6:7:8:9]/', undefined, null],
  ['http://[::1.2.3.]/', undefined, null],
  ['http://0x7f.1/', undefined, 'http://127.0.0.1/'],
  ['http://4294967295/', undefined, 'http://255.255.255.255/'],
  ['http://4294967296/', undefined, null],
  ['http://1.2.3.08/', undefined, null],
  ['http://foo.09/', undefined, null],
  ['http://0177.0.0.1./', undefined, 'http://127.0.0.1/'],
  ['http://a b/', undefined, null],
  ['http://a%25b/', undefined, null],
  ['http://%41.com/', undefined, 'http://a.com/'],
  ['http://Ｇｏ.com/', undefined, 'http://go.com/'],
  ['http://www.foo。bar.com/', undefined, 'http://www.foo.bar.com/'],
  ['https://münchen.de/', undefined, 'https://xn--mnchen-3ya.de/'],
  ['https://faß.ExAmPlE/', undefined, 'https://xn--fa-hia.example/'],
  ['sc://faß.ExAmPlE/', undefined, 'sc://fa%C3%9F.ExAmPlE/'],
  ['http://a.b.c.xn--pokxncvks/', undefined, null],
  ['sc://a^b/', undefined, null],
  ['sc://%/', undefined, 'sc://%/'],
  ['sc:\\../', undefined, 'sc:\\../'],
  ['non-spec:/.//', undefined, 'non-spec:/.//'],
  ['non-spec:/..//path', undefined, 'non-spec:/.//path'],
  ['file:c:\\foo\\bar.html', undefined, 'file:///c:/foo/bar.html'],
  ['  File:c|////foo\\bar.html', undefined, 'file:///c:////foo/bar.html'],
  ['file://localhost/x', undefined, 'file:///x'],
  ['file://host/x', undefined, 'file://host/x'],
  ['file:..', 'http://www.example.com/test', 'file:///'],
  ['file://localhost//a//../..//foo', undefined, 'file://///foo'],
  ['file:///C|/a/b', undefined, 'file:///C:/a/b'],
  ['blob:https://example.com:443/', undefined, 'blob:https://example.com:443/'],
  ['javascript:alert(1)', undefined, 'javascript:alert(1)'],
  ['lolscheme:x x#x x', undefined, 'lolscheme:x x#x%20x'],
  ['mailto:someone@example.com?subject=Hi', undefined, 'mailto:someone@example.com?subject=Hi'],
  ['http://a/\ud800', undefined, 'http://a/%EF%BF%BD'],
];
for (const [input, base, href] of hrefs) {
  const what = `new URL(${JSON.stringify(input)}${base === undefined ? '' : `, ${JSON.stringify(base)}`})`;
  eq(URL.canParse(input, base), href !== null, `canParse: ${what}`);
  if (href === null) {
    throwsCode(() => new URL(input, base), TypeError, 'ERR_INVALID_URL', 'Invalid URL');
    eq(URL.parse(input, base), null);
  } else {
    eq(new URL(input, base).href, href, what);
    eq(URL.parse(input, base).href, href, what);
  }
}

// The error carries the input (and base), as Node's does.
throws(() => new URL('foo', 'bar'), (err) => {
  eq(err.input, 'foo');
  eq(err.base, 'bar');
  // Unlike most of Node's errors, this one has no code in its string form.
  eq(String(err), 'TypeError: Invalid URL');
  deepEq(Object.keys(err), ['code', 'input', 'base']);
  return true;
});
throwsCode(() => new URL(), TypeError, 'ERR_MISSING_ARGS', 'The "url" argument must be specified');
throwsCode(() => URL.canParse(), TypeError, 'ERR_MISSING_ARGS', 'The "url" argument must be specified');
throws(() => URL.prototype.toString.call({}), { name: 'TypeError', message: 'Receiver must be an instance of class URL' });
throws(() => Object.getOwnPropertyDescriptor(URL.prototype, 'href').get.call({}), TypeError);

// A URL object as base or input reads as its href.
eq(new URL('x', new URL('http://a/b/')).href, 'http://a/b/x');
eq(new URL(new URL('http://a/')).href, 'http://a/');

// origin
eq(new URL('blob:https://a.com:443/x').origin, 'https://a.com');
eq(new URL('blob:file:///x').origin, 'null');
eq(new URL('file:///x').origin, 'null');
eq(new URL('https://a:444/').origin, 'https://a:444');
eq(new URL('sc://a/').origin, 'null');

// serialization
const u1 = new URL('http://a/b?c#d');
eq(u1.toString(), 'http://a/b?c#d');
eq(u1.toJSON(), 'http://a/b?c#d');
eq(JSON.stringify({ u: u1 }), '{"u":"http://a/b?c#d"}');
eq(`${u1}`, 'http://a/b?c#d');
eq(Object.prototype.toString.call(u1), '[object URL]');
eq(new URL('http://a/?').href, 'http://a/?');
eq(new URL('http://a/?').search, '');
eq(new URL('http://a/#').hash, '');
eq(new URL('sc:/..//p').href, 'sc:/.//p');
eq(new URL('sc:/..//p').pathname, '//p');

// ---- setters -------------------------------------------------------------------

function set(href, key, value) {
  const u = new URL(href);
  u[key] = value;
  return u.href;
}

eq(set('http://a/', 'protocol', 'https'), 'https://a/');
eq(set('http://a/', 'protocol', 'ws:junk'), 'ws://a/');
eq(set('http://a/', 'protocol', 'sc'), 'http://a/');
eq(set('sc://a/', 'protocol', 'http'), 'sc://a/');
eq(set('http://a:443/', 'protocol', 'https'), 'https://a/');
eq(set('http://u@a/', 'protocol', 'file'), 'http://u@a/');
eq(set('http://a/', 'protocol', 'h tp'), 'http://a/');
eq(set('http://a/', 'username', 'a b@c:d'), 'http://a%20b%40c%3Ad@a/');
eq(set('http://a/', 'password', 'p:w'), 'http://:p%3Aw@a/');
eq(set('file:///x', 'username', 'u'), 'file:///x');
eq(set('http://a:1/p', 'host', 'b:2'), 'http://b:2/p');
eq(set('http://a:1/p', 'host', 'b'), 'http://b:1/p');
eq(set('http://a/p', 'host', 'h:65536'), 'http://h/p');
eq(set('http://a/p', 'host', ''), 'http://a/p');
eq(set('http://a/p', 'host', 'x/y'), 'http://x/p');
eq(set('http://a/p', 'host', 'a b'), 'http://a/p');
eq(set('file://h/p', 'host', 'localhost'), 'file:///p');
eq(set('mailto:x@y', 'host', 'z'), 'mailto:x@y');
eq(set('http://a:1/p', 'hostname', 'b:2'), 'http://a:1/p');
eq(set('http://a:1/p', 'hostname', 'B'), 'http://b:1/p');
eq(set('http://a/', 'port', '8080abc'), 'http://a:8080/');
eq(set('http://a:1/', 'port', 'abc'), 'http://a:1/');
eq(set('http://a:1/', 'port', ''), 'http://a/');
eq(set('http://a:1/', 'port', '80'), 'http://a/');
eq(set('http://a:1/', 'port', '99999'), 'http://a:1/');
eq(set('file:///x', 'port', '1'), 'file:///x');
eq(set('http://a/x', 'pathname', 'b/../c d?#'), 'http://a/c%20d%3F%23');
eq(set('http://a/x', 'pathname', ''), 'http://a/');
eq(set('sc://a/x', 'pathname', ''), 'sc://a');
eq(set('mailto:x', 'pathname', 'y'), 'mailto:x');
eq(set('http://a/', 'search', 'q=a b'), 'http://a/?q=a%20b');
eq(set('http://a/', 'search', "??'"), "http://a/??%27");
eq(set('http://a/?x#h', 'search', ''), 'http://a/#h');
eq(set('http://a/', 'hash', '#a b'), 'http://a/#a%20b');
eq(set('http://a/#h', 'hash', ''), 'http://a/');
eq(set('data:x  #a', 'hash', ''), 'data:x');
eq(set('http://a/', 'href', 'https://b/c'), 'https://b/c');
throwsCode(() => set('http://a/', 'href', 'relative'), TypeError, 'ERR_INVALID_URL', 'Invalid URL');

// ---- searchParams: live in both directions ------------------------------------

const u2 = new URL('http://a/p?x=1&y=2#h');
const sp = u2.searchParams;
eq(u2.searchParams, sp);
eq(sp.get('x'), '1');
sp.append('z', 'a b&c');
eq(u2.href, 'http://a/p?x=1&y=2&z=a+b%26c#h');
sp.delete('x');
sp.delete('y');
sp.delete('z');
eq(u2.href, 'http://a/p#h');
u2.search = '?k=v';
eq(sp.get('k'), 'v');
u2.href = 'http://b/?m=n';
eq(sp.get('m'), 'n');
eq(sp.size, 1);
sp.set('o', 'p');
eq(u2.href, 'http://b/?m=n&o=p');
eq(inspect(u2.searchParams), "URLSearchParams { 'm' => 'n', 'o' => 'p' }");
// An opaque path loses trailing spaces once query and fragment are gone.
const u3 = new URL('data:x  ?q=1');
u3.searchParams.delete('q');
eq(u3.href, 'data:x');

// ---- URLSearchParams ----------------------------------------------------------

const p = new URLSearchParams('?a=1&b=2&a=3&c=%zz&d=%41+b&&=e&f');
deepEq([...p], [['a', '1'], ['b', '2'], ['a', '3'], ['c', '%zz'], ['d', 'A b'], ['', 'e'], ['f', '']]);
eq(p.toString(), 'a=1&b=2&a=3&c=%25zz&d=A+b&=e&f=');
eq(p.size, 7);
eq(p.get('a'), '1');
eq(p.get('nope'), null);
deepEq(p.getAll('a'), ['1', '3']);
eq(p.has('a'), true);
eq(p.has('a', '3'), true);
eq(p.has('a', '4'), false);
p.delete('a', '1');
deepEq(p.getAll('a'), ['3']);
p.set('b', 'x');
p.set('a', 'y');
eq(p.toString(), 'b=x&a=y&c=%25zz&d=A+b&=e&f=');
p.sort();
deepEq([...p.keys()], ['', 'a', 'b', 'c', 'd', 'f']);
deepEq([...p.values()], ['e', 'y', 'x', '%zz', 'A b', '']);
deepEq([...p.entries()][0], ['', 'e']);
const seen = [];
p.forEach(function each(value, name, self) {
  seen.push(`${name}=${value}`);
  eq(self, p);
  eq(this, seen);
}, seen);
eq(seen.join('&'), '=e&a=y&b=x&c=%zz&d=A b&f=');

// Stable sort by code units.
const sorted = new URLSearchParams('z=1&\u{1F600}=2&\uFFFD=3&a=4&z=5');
sorted.sort();
eq(sorted.toString(), 'a=4&z=1&z=5&%F0%9F%98%80=2&%EF%BF%BD=3');

// Other inits: pairs, records, another URLSearchParams.
eq(new URLSearchParams([['a', 1], ['b', null]]).toString(), 'a=1&b=null');
eq(new URLSearchParams({ a: 1, b: [1, 2] }).toString(), 'a=1&b=1%2C2');
throws(() => new URLSearchParams({ [Symbol('s')]: 3 }), TypeError);
eq(new URLSearchParams(new URLSearchParams('x=1')).toString(), 'x=1');
eq(new URLSearchParams(new Map([['m', 'n']])).toString(), 'm=n');
eq(new URLSearchParams().toString(), '');
eq(new URLSearchParams('a=~!\'()*-._ é').toString(), 'a=%7E%21%27%28%29*-._+%C3%A9');
eq(new URLSearchParams('a=\ud800').get('a'), '\ufffd');

throwsCode(() => new URLSearchParams([[1]]), TypeError, 'ERR_INVALID_TUPLE',
  'Each query pair must be an iterable [name, value] tuple');
throwsCode(() => new URLSearchParams([1]), TypeError, 'ERR_INVALID_TUPLE',
  'Each query pair must be an iterable [name, value] tuple');
throwsCode(() => new URLSearchParams({ [Symbol.iterator]: 5 }), TypeError, 'ERR_ARG_NOT_ITERABLE',
  'Query pairs must be iterable');
throwsCode(() => new URLSearchParams().append('a'), TypeError, 'ERR_MISSING_ARGS',
  'The "name" and "value" arguments must be specified');
throwsCode(() => new URLSearchParams().set('a'), TypeError, 'ERR_MISSING_ARGS',
  'The "name" and "value" arguments must be specified');
throwsCode(() => new URLSearchParams().get(), TypeError, 'ERR_MISSING_ARGS', 'The "name" argument must be specified');
throwsCode(() => new URLSearchParams().forEach(5), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "callback" argument must be of type function. Received type number (5)');
throwsCode(() => URLSearchParams.prototype.get.call({}, 'a'), TypeError, 'ERR_INVALID_THIS',
  'Value of "this" must be of type URLSearchParams');

eq(Object.prototype.toString.call(p), '[object URLSearchParams]');
eq(Object.prototype.toString.call(p.keys()), '[object URLSearchParams Iterator]');
eq(inspect(new URLSearchParams('a=1&b=2&a=3')), "URLSearchParams { 'a' => '1', 'b' => '2', 'a' => '3' }");
eq(inspect(new URLSearchParams()), 'URLSearchParams {}');
eq(inspect(new URLSearchParams('a=1').entries()), "URLSearchParams Iterator { [ 'a', '1' ] }");
eq(inspect(new URL('http://user:pw@a:8080/p?a=1#h')), `URL {
  href: 'http://user:pw@a:8080/p?a=1#h',
  origin: 'http://a:8080',
  protocol: 'http:',
  username: 'user',
  password: 'pw',
  host: 'a:8080',
  hostname: 'a',
  port: '8080',
  pathname: '/p',
  search: '?a=1',
  searchParams: URLSearchParams { 'a' => '1' },
  hash: '#h'
}`);
deepEq(Object.keys(URL.prototype), ['toString', 'href', 'origin', 'protocol', 'username', 'password', 'host',
  'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash', 'toJSON']);

// ---- node:url helpers -------------------------------------------------------------

eq(url.fileURLToPath('file:///a/b%20c'), '/a/b c');
eq(url.fileURLToPath(new URL('file://localhost/a/%E2%82%AC')), '/a/€');
throwsCode(() => url.fileURLToPath('file:///a/b%2Fc'), TypeError, 'ERR_INVALID_FILE_URL_PATH',
  'File URL path must not include encoded / characters');
throwsCode(() => url.fileURLToPath('file://host/a'), TypeError, 'ERR_INVALID_FILE_URL_HOST',
  `File URL host must be "localhost" or empty on ${process.platform}`);
throwsCode(() => url.fileURLToPath('http://x/a'), TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
throwsCode(() => url.fileURLToPath(5), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "path" argument must be of type string or an instance of URL. Received type number (5)');
throwsCode(() => url.fileURLToPath('nope'), TypeError, 'ERR_INVALID_URL', 'Invalid URL');

eq(url.pathToFileURL('/a/b c#?%\\x\n\t\r').href, 'file:///a/b%20c%23%3F%25%5Cx%0A%09%0D');
eq(url.pathToFileURL('/a/b/').href, 'file:///a/b/');
eq(url.pathToFileURL('/a/b/..').href, 'file:///a');
eq(url.pathToFileURL('/é€😀').href, 'file:///%C3%A9%E2%82%AC%F0%9F%98%80');
eq(url.pathToFileURL('rel/x').href, `file://${process.cwd()}/rel/x`);
eq(url.fileURLToPath(url.pathToFileURL('/tmp/a b/%41#?')), '/tmp/a b/%41#?');
throwsCode(() => url.pathToFileURL(5), TypeError, 'ERR_INVALID_ARG_TYPE',
  'The "path" argument must be of type string. Received type number (5)');

eq(url.domainToASCII('münchen.de'), 'xn--mnchen-3ya.de');
eq(url.domainToASCII('EXAMPLE.com'), 'example.com');
eq(url.domainToASCII('xn--iñvalid.com'), '');
eq(url.domainToUnicode('xn--mnchen-3ya.de'), 'münchen.de');
eq(url.domainToUnicode('xn--fa-hia.de'), 'faß.de');
throwsCode(() => url.domainToASCII(), TypeError, 'ERR_MISSING_ARGS', 'The "domain" argument must be specified');

deepEq({ ...url.urlToHttpOptions(new URL('http://u:p@[::1]:81/b?c#d')) }, {
  protocol: 'http:',
  hostname: '::1',
  hash: '#d',
  search: '?c',
  pathname: '/b',
  path: '/b?c',
  href: 'http://u:p@[::1]:81/b?c#d',
  port: 81,
  auth: 'u:p',
});

console.log('ok');
