// 'os' and 'std' in ES imports are QuickJS's modules; require('os') and
// 'node:os' are left to Node's os module; quickjs-libc's raw modules are
// not reachable.
function attempt(what, fn) {
  try {
    const r = fn();
    console.log(what, 'ok', typeof r);
  } catch (err) {
    console.log(what, 'throws', err.code ?? err.name);
  }
}
attempt("require('std')", () => require('std'));
attempt("require('weft:qjs/std')", () => Object.keys(require('weft:qjs/std')).includes('printf'));
attempt("require('weft:qjs/libc-os')", () => require('weft:qjs/libc-os'));
(async () => {
  const os = await import('os');
  console.log("import('os') is QuickJS's:", typeof os.Worker, typeof os.setReadHandler);
  const std = await import('std');
  console.log("import('std'):", typeof std.printf);
  await import('weft:qjs/libc-std').catch((err) => console.log('libc-std:', err.code));
  await import('node:std').catch((err) => console.log('node:std:', err.code));
})();
