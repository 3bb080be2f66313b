// @args: one two
// @exit: 3
// QuickJS's 'std' module: stdio shared with print() and in order with
// console.log, files, environment, evalScript, and exit() ending only the
// calling thread.
import * as std from 'std';
import * as os from 'os';

std.printf('%s %d %05.1f|%x\n', 'printf', 42, 3.14159, 255);
console.log('console.log after printf');
print('print:', 1, null, undefined, { a: 1 });
std.out.puts('puts\n');
console.log(std.sprintf('sprintf %3d|%-4s|', 7, 'ab'));
console.log('scriptArgs:', scriptArgs.slice(1), scriptArgs[0].endsWith('qjs-std.mjs'));
console.log('print is not enumerable:', Object.keys(globalThis).includes('print'));

// Files.
const path = `/tmp/weft-qjs-std-${os.getpid()}.txt`;
const f = std.open(path, 'w');
f.puts('line 1\nline 2\n');
f.printf('%d\n', 3);
f.close();
console.log('loadFile:', JSON.stringify(std.loadFile(path)));
const g = std.open(path, 'r');
console.log('getline:', g.getline(), '| rest:', JSON.stringify(g.readAsString()));
g.close();
os.remove(path);
console.log('open missing:', std.open('/no/such/file', 'r'), std.loadFile('/no/such/file'));
const errObj = {};
std.open('/no/such/file', 'r', errObj);
console.log('errno:', errObj.errno === std.Error.ENOENT, std.strerror(std.Error.ENOENT));
const p = std.popen('echo from popen', 'r');
console.log('popen:', p.getline());
p.close();

// Environment.
std.setenv('WEFT_QJS_TEST', 'yes');
console.log('getenv:', std.getenv('WEFT_QJS_TEST'), std.getenviron().WEFT_QJS_TEST);
std.unsetenv('WEFT_QJS_TEST');
console.log('unset:', std.getenv('WEFT_QJS_TEST'));

// Extended JSON, evalScript, gc.
console.log('parseExtJSON:', std.parseExtJSON('{ a: 1, /* comment */ b: [0x10, "x",], }'));
console.log('evalScript:', std.evalScript('1 + 2'), std.evalScript('var qjsGlobal = 5; qjsGlobal'), globalThis.qjsGlobal);
std.evalScript('await 1; 2', { async: true }).then((r) => console.log('async evalScript:', r));
try {
  std.evalScript('throw new RangeError("from evalScript")');
} catch (err) {
  console.log('evalScript throws:', err.name, err.message);
}
std.gc();

// exit() in a worker ends that worker only.
const w = new os.Worker('./fixtures/qjs/exits.js');
w.onmessage = (e) => console.log('worker said:', e.data);
await os.sleepAsync(100);
console.log('the main thread goes on');
process.on('exit', (code) => console.log('exit code', code));
std.exit(3);
console.log('not reached');
