// QuickJS's 'os' module: timers, fd handlers, signals, sleep and the file
// functions weft takes from quickjs-libc.
import * as os from 'os';
import * as std from 'std';

const log = (...a) => console.log(...a);

// Timers: integer ids, clearTimeout, delay 0, sleepAsync.
const order = [];
const id1 = os.setTimeout(() => order.push('20ms'), 20);
const id2 = os.setTimeout(() => order.push('cleared'), 5);
os.setTimeout(() => order.push('0ms'), 0);
os.clearTimeout(id2);
os.clearTimeout(12345); // unknown ids are ignored
log('timer ids are integers:', Number.isInteger(id1), id2 === id1 + 1);
try {
  os.setTimeout('not a function', 1);
} catch (err) {
  log('setTimeout(string):', err.name, err.message);
}
const t0 = os.now();
await os.sleepAsync(30);
log('sleepAsync waited:', os.now() - t0 >= 29, order);

// os.sleep blocks.
const t1 = os.now();
log('sleep returns', os.sleep(10), os.now() - t1 >= 9.5);

// Read and write handlers on a pipe.
const [rfd, wfd] = os.pipe();
await new Promise((resolve) => {
  os.setWriteHandler(wfd, () => {
    os.setWriteHandler(wfd, null);
    const bytes = new Uint8Array([104, 105]);
    os.write(wfd, bytes.buffer, 0, 2);
  });
  os.setReadHandler(rfd, () => {
    const buf = new Uint8Array(16);
    const n = os.read(rfd, buf.buffer, 0, 16);
    log('read handler got:', String.fromCharCode(...buf.subarray(0, n)));
    os.setReadHandler(rfd, null);
    resolve();
  });
});
try {
  os.setReadHandler(rfd, 'nope');
} catch (err) {
  log('setReadHandler(string):', err.message);
}
os.close(rfd);
os.close(wfd);

// A regular file is always ready, as select() says.
const tmp = std.tmpfile();
await new Promise((resolve) => {
  os.setReadHandler(tmp.fileno(), () => {
    os.setReadHandler(tmp.fileno(), null);
    log('regular file is readable');
    resolve();
  });
});
tmp.close();

// Signals on the main thread.
await new Promise((resolve) => {
  // A signal handler does not keep the thread alive (as in qjs): a timer does.
  const keep = os.setTimeout(() => {}, 60000);
  os.signal(os.SIGUSR1, () => {
    log('got SIGUSR1');
    os.signal(os.SIGUSR1, null);
    os.clearTimeout(keep);
    resolve();
  });
  os.kill(os.getpid(), os.SIGUSR1);
});
os.signal(os.SIGUSR2, undefined); // ignored from now on
os.kill(os.getpid(), os.SIGUSR2);
try {
  os.signal(99, () => {});
} catch (err) {
  log('signal(99):', err.name);
}
// A handler does not keep the thread alive (the process ends below).
os.signal(os.SIGUSR1, () => {});

// Files, from quickjs-libc.
const dir = `${os.getcwd()[0]}`;
const [st, err] = os.stat(dir);
log('stat:', err, (st.mode & os.S_IFMT) === os.S_IFDIR);
log('stat missing:', os.stat('/no/such/file')[1] === std.Error.ENOENT);
log('platform:', os.platform, 'getpid:', typeof os.getpid());
log('realpath:', os.realpath('/')[0]);
log('readdir has fixtures:', os.readdir(import.meta.dirname)[0].includes('fixtures'));
const path = `${std.getenv('TMPDIR') ?? '/tmp'}/weft-qjs-os-${os.getpid()}`;
const fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644);
const data = new Uint8Array([1, 2, 3]);
log('write:', os.write(fd, data.buffer, 0, 3));
os.close(fd);
log('file size:', os.stat(path)[0].size);
log('remove:', os.remove(path));
log('exec:', os.exec(['true']), os.exec(['sh', '-c', 'exit 3']));
log('isatty(-1):', os.isatty(-1));
