// @args: one --two 3
// The process global: arguments, environment, identity, clocks, memory, stdio.
const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };

check(process === globalThis.process, 'process is a global');
check(process.argv.length === 5, `argv length ${process.argv.length}`);
check(process.argv[0] === process.execPath && process.argv[0].startsWith('/'), 'argv[0] is the absolute binary');
check(process.argv[1] === __filename, 'argv[1] is the absolute script path');
check(process.argv.slice(2).join(',') === 'one,--two,3', `script args ${process.argv.slice(2)}`);

check(typeof process.env.PATH === 'string', 'env has PATH');
process.env.WEFT_TEST_VAR = 'x';
check(process.env.WEFT_TEST_VAR === 'x', 'env is writable');

check(Number.isInteger(process.pid) && process.pid > 0, 'pid');
check(Number.isInteger(process.ppid) && process.ppid > 0 && process.ppid !== process.pid, 'ppid');
check(typeof Object.getOwnPropertyDescriptor(process, 'ppid').get === 'function', 'ppid is read when asked for, as in Node');
check(process.platform === 'linux', 'platform');
check(['x64', 'arm64', 'ia32', 'arm'].includes(process.arch), `arch ${process.arch}`);
check(/^v\d+\.\d+\.\d+$/.test(process.version), `version ${process.version}`);
check(process.versions.weft === process.version.slice(1), 'versions.weft');
check(process.versions.quickjs === '2025-04-26', `versions.quickjs ${process.versions.quickjs}`);
check(/^\d+\.\d+\.\d+$/.test(process.versions.uv), 'versions.uv');

check(process.cwd() === __dirname, `cwd ${process.cwd()} (the runner starts tests in their folder)`);
process.chdir('..');
check(process.cwd() === require('path').dirname(__dirname), 'chdir');
process.chdir(__dirname);
let chdirErr;
try { process.chdir('/no/such/dir'); } catch (e) { chdirErr = e; }
check(chdirErr && chdirErr.code === 'ENOENT' && /no\/such\/dir/.test(chdirErr.message), 'chdir error names the path');

const [s, ns] = process.hrtime();
check(Number.isInteger(s) && Number.isInteger(ns) && ns < 1e9, 'hrtime()');
const start = process.hrtime();
const d = process.hrtime(start);
check(d[0] >= 0 && d[1] >= 0, 'hrtime(previous)');
const b1 = process.hrtime.bigint();
const b2 = process.hrtime.bigint();
check(typeof b1 === 'bigint' && b2 >= b1, 'hrtime.bigint is monotonic');
let hrErr;
try { process.hrtime(5); } catch (e) { hrErr = e; }
check(hrErr && hrErr.code === 'ERR_INVALID_ARG_TYPE', 'hrtime rejects a number');
check(process.uptime() >= 0, 'uptime');

const mu = process.memoryUsage();
for (const k of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers']) {
  check(typeof mu[k] === 'number' && mu[k] >= 0, `memoryUsage().${k}`);
}
check(mu.rss > mu.heapUsed && mu.heapUsed > 0, 'memoryUsage values are plausible');
check(process.memoryUsage.rss() > 0, 'memoryUsage.rss()');

check(process.stdout.write('to stdout\n') === true, 'stdout.write returns true');
process.stdout.write(Uint8Array.from('bytes to stdout\n', (ch) => ch.charCodeAt(0)));
process.stderr.write('to stderr\n');
let wrote = false;
process.stdout.write('with callback\n', () => { wrote = true; });
let writeErr;
try { process.stdout.write(42); } catch (e) { writeErr = e; }
check(writeErr && writeErr.code === 'ERR_INVALID_ARG_TYPE', 'stdout.write rejects a number');

check(process.exitCode === undefined, 'exitCode starts undefined');
let codeErr;
try { process.exitCode = 'abc'; } catch (e) { codeErr = e; }
check(codeErr && codeErr.code === 'ERR_INVALID_ARG_TYPE', 'exitCode rejects non-integers');

process.on('exit', (code) => {
  check(wrote, 'write callback ran');
  check(code === 0, 'exit code 0');
  console.log('ok');
});
