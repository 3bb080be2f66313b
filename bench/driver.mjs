// The benchmark driver, run by Node from bench/run.sh (which installs the
// peers and builds weft and qjs first). Each case runs the same workload on
// weft and on every peer that can do it, alternating runtimes round by round,
// and reports the median of the rounds. Workloads are small files under
// workloads/<runtime>/ that print one JSON line of figures.
//
// usage: node bench/driver.mjs [--quick] [case ...]
//   a case is a number (1-9) or a case id or id prefix (see CASES).
// Environment (set by run.sh): BENCH_WEFT, BENCH_QJS: the binaries;
// BENCH_QJS_SKIPPED, BENCH_PISCINA_SKIPPED, BENCH_GNUPLOT_SKIPPED: why that
// one is unavailable.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);
const resultsDir = path.join(benchDir, 'results');
const workloads = path.join(benchDir, 'workloads');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const selectors = args.filter((a) => a !== '--quick');
const rounds = quick ? 1 : 5;
const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
const GiB = 2 ** 30;

// Thread counts for case 8: 1, 2, 4, ... up to the core count, and the core
// count itself.
const counts = [];
for (let n = 1; n < cores; n *= 2) counts.push(n);
counts.push(cores);

// ---- runtimes ------------------------------------------------------------------

const runtimes = {
  weft: { bin: process.env.BENCH_WEFT },
  node: { bin: process.execPath },
  qjs: { bin: process.env.BENCH_QJS, skipped: process.env.BENCH_QJS_SKIPPED },
};
for (const r of Object.values(runtimes)) {
  if (!r.skipped && !(r.bin && existsSync(r.bin))) r.skipped = 'binary not found';
}
const piscinaSkipped = process.env.BENCH_PISCINA_SKIPPED
  || (existsSync(path.join(benchDir, 'node_modules', 'piscina')) ? undefined : 'not installed (npm ci --prefix bench)');

// A contender is one runtime running one workload file with some parameters.
const contender = (name, runtime, file, extra = {}, skipped, env = {}) => ({ name, runtime, file, extra, skipped, env });
const weft = (file, extra) => contender('weft', 'weft', `weft/${file}`, extra);
const node = (file, extra) => contender('node', 'node', `node/${file}`, extra);
const qjs = (file, extra, skipped) => contender('qjs', 'qjs', `qjs/${file}`, extra, skipped);

// ---- the cases -----------------------------------------------------------------
//
// metrics: key (in the workload's JSON), label, unit, better ('lower' or
// 'higher'; absent: not compared across runtimes). primary: the metric the
// ratio chart shows.

const q = (full, short) => (quick ? short : full);

const CASES = [
  {
    number: 1,
    id: 'start',
    title: 'Thread start to first message received by the parent',
    params: { starts: q(200, 30) },
    contenders: [
      weft('start.mjs'),
      node('start.mjs'),
      qjs('start.mjs'),
      contender('weft, no spare', 'weft', 'weft/start.mjs', {}, undefined, { WEFT_SPARE_THREADS: '0' }),
    ],
    metrics: [
      { key: 'median_us', label: 'median', unit: 'µs', better: 'lower', primary: true },
      { key: 'p99_us', label: 'p99', unit: 'µs', better: 'lower' },
    ],
    note: 'One thread at a time; weft and Node wait for each exit before the next start '
      + '(qjs has no exit event: its workers end while the next one starts). weft keeps a spare thread '
      + "whose context is made in advance; 'weft, no spare' runs with WEFT_SPARE_THREADS=0, so that every "
      + 'start makes its context.',
  },
  {
    number: 2,
    id: 'idle',
    title: 'Resident memory per idle thread (100 idle threads)',
    params: { mode: 'per-thread', threads: q(100, 20) },
    contenders: [weft('idle.mjs'), node('idle.mjs'), qjs('idle.mjs')],
    metrics: [{ key: 'kb_per_thread', label: 'RSS per thread', unit: 'KB', better: 'lower', primary: true }],
    note: 'Growth of the process RSS (VmRSS) from 0 to N threads waiting in their event loops, '
      + 'divided by N, after one thread has started and ended.',
  },
  {
    number: 2,
    id: 'max-threads',
    title: 'Most idle threads in one process',
    rounds: 1,
    timeout: 300,
    params: { mode: 'max', threads: q(10000, 1000), batch: q(250, 100), rssLimit: q(8, 2) * GiB },
    contenders: [weft('idle.mjs'), node('idle.mjs'), qjs('idle.mjs')],
    metrics: [
      { key: 'max_threads', label: 'threads alive', unit: '', better: 'higher', primary: true },
      { key: 'rss_mb', label: 'RSS then', unit: 'MB' },
      { key: 'seconds', label: 'time to start them', unit: 's' },
      { key: 'stop', label: 'stopped because', unit: '' },
    ],
    note: `Batches of idle threads until ${quick ? '1,000' : '10,000'}, until the RSS would pass `
      + `${quick ? 2 : 8} GiB, or until a start fails; each runtime in a child process with a time limit. One round. `
      + "qjs's event loop watches its workers' pipes with select(), which cannot take descriptors past FD_SETSIZE "
      + '(1024): with 4 descriptors per worker, qjs crashes past about 250 workers.',
  },
  {
    number: 3,
    id: 'pingpong-event',
    title: 'Ping-pong round trip, both sides event-driven',
    params: { mode: 'event', warmup: q(1000, 200), trips: q(20000, 2000) },
    contenders: [weft('pingpong.mjs'), node('pingpong.mjs'), qjs('pingpong.mjs')],
    metrics: [{ key: 'us_per_trip', label: 'round trip', unit: 'µs', better: 'lower', primary: true }],
    note: "A small object {seq, op} between the main thread and one thread, both waiting in 'message' "
      + 'listeners (onmessage on qjs).',
  },
  {
    number: 3,
    id: 'pingpong-busy',
    title: 'Ping-pong round trip, both sides busy',
    params: { mode: 'busy', warmup: q(1000, 200), trips: q(20000, 2000) },
    contenders: [
      weft('pingpong.mjs'),
      node('pingpong.mjs'),
      qjs('pingpong.mjs', {}, 'os.Worker has neither a blocking nor a polling receive'),
    ],
    metrics: [{ key: 'us_per_trip', label: 'round trip', unit: 'µs', better: 'lower', primary: true }],
    note: 'weft: both threads call the blocking port.receive() on the ends of a Channel (it spins '
      + 'briefly, then parks). Node: both threads poll receiveMessageOnPort() in a tight loop and never sleep.',
  },
  {
    number: 4,
    id: 'stream',
    title: "One-way stream of {i, s: 'hello'}",
    params: { messages: q(1000000, 100000) },
    contenders: [weft('stream.mjs'), node('stream.mjs'), qjs('stream.mjs')],
    metrics: [{ key: 'msgs_per_s', label: 'received', unit: 'msgs/s', better: 'higher', primary: true }],
    note: "A thread posts the messages in a loop; the main thread counts them in a 'message' listener, "
      + 'from the go message to the last one.',
  },
  {
    number: 5,
    id: 'transfer',
    title: 'ArrayBuffer round trip with transfer lists both ways',
    params: { bytes: 64 * 2 ** 20, trips: q(200, 20) },
    contenders: [
      weft('transfer.mjs'),
      node('transfer.mjs'),
      qjs('transfer.mjs', {}, 'os.Worker.postMessage has no transfer list (it copies)'),
    ],
    metrics: [
      { key: 'us_64mb', label: '64 MB', unit: 'µs', better: 'lower', primary: true },
      { key: 'us_4kb', label: '4 KB', unit: 'µs', better: 'lower' },
      { key: 'large_over_small', label: '64 MB / 4 KB time', unit: '×' },
    ],
    note: 'Median round trip, the two sizes taking turns; a 64 MB / 4 KB ratio near 1 means the transfer '
      + 'takes constant time (a copy of 64 MB would take milliseconds).',
  },
  {
    number: 6,
    id: 'clone',
    title: 'Structured clone of a ~1 MB object graph',
    params: { copies: q(20, 3) },
    contenders: [weft('clone.mjs'), node('clone.mjs'), qjs('clone.mjs')],
    metrics: [
      { key: 'local_mb_s', label: 'structuredClone', unit: 'MB/s', better: 'higher', primary: true },
      { key: 'port_mb_s', label: 'through a port', unit: 'MB/s', better: 'higher' },
    ],
    note: 'Users with nested objects, arrays, strings, numbers, Float64Arrays, a Map and a 64 KB Uint8Array '
      + '(workloads/common.mjs); MB of payload (string characters, 8 bytes per number, typed array bytes). '
      + "'through a port': posted to a thread that acknowledges each copy, one at a time.",
  },
  {
    number: 7,
    id: 'pool',
    title: `Pool of ${cores} threads running tiny tasks (x => x + 1)`,
    params: { threads: cores, inFlight: 8, tasks: q(200000, 20000) },
    contenders: [
      weft('pool.mjs'),
      contender('piscina', 'node', 'node/pool.mjs', { pool: 'piscina' }, piscinaSkipped),
      contender('node mini pool', 'node', 'node/pool.mjs', { pool: 'mini' }),
      qjs('pool.mjs'),
    ],
    metrics: [{ key: 'tasks_per_s', label: 'tasks', unit: 'tasks/s', better: 'higher', primary: true }],
    note: 'weft has no pool API yet: its workload is a minimal pool over Thread + postMessage (round-robin, '
      + 'one message per task each way, a promise per task). The same minimal pool runs on Node '
      + "(\"node mini pool\") and qjs; piscina gets concurrentTasksPerWorker = 8. 8 tasks in flight per thread.",
  },
  {
    number: 8,
    id: 'scaling',
    title: 'CPU-bound work split over threads',
    // V8 compiles the loop, QuickJS interprets it: Node gets 15 times the
    // work so that both run for about a second on one thread.
    params: { counts },
    contenders: [
      weft('scaling.mjs', { iterations: q(20e6, 4e6) }),
      node('scaling.mjs', { iterations: q(300e6, 60e6) }),
      qjs('scaling.mjs', { iterations: q(20e6, 4e6) }),
    ],
    metrics: [
      ...counts.slice(1).map((n) => ({ key: `speedup_${n}`, label: `speed-up, ${n} threads`, unit: '×', better: 'higher', primary: n === cores })),
      { key: 'ns_per_iteration', label: 'engine: time per iteration', unit: 'ns', better: 'lower' },
      ...counts.map((n) => ({ key: `seconds_${n}`, label: `wall time, ${n} thread${n > 1 ? 's' : ''}`, unit: 's' })),
    ],
    // Speed-ups per round, so that drift between rounds cancels out.
    derive: (r) => Object.fromEntries(counts.map((n) => [`speedup_${n}`, r.seconds_1 / r[`seconds_${n}`]])),
    note: 'A fixed integer loop (workloads/common.mjs spin) split evenly; wall time from the first start to the '
      + 'last result. Node runs 15× the iterations of weft and qjs (V8 compiles the loop, QuickJS interprets it), '
      + 'so only speed-ups and time per iteration compare across runtimes; weft/node time per iteration is '
      + "the engine's cost, not the threading's.",
  },
  {
    number: 9,
    id: 'terminate',
    title: 'terminate() of a thread spinning in a tight loop',
    params: { stops: q(20, 5) },
    contenders: [weft('terminate.mjs'), node('terminate.mjs'), qjs('terminate.mjs', {}, 'os.Worker has no terminate()')],
    metrics: [
      { key: 'median_us', label: 'median', unit: 'µs', better: 'lower', primary: true },
      { key: 'p99_us', label: 'p99', unit: 'µs', better: 'lower' },
    ],
    note: 'From terminate() to its promise resolving (the thread has exited), 5 ms into the loop.',
  },
];

// ---- weft's targets (docs: the thread core's goals) ----------------------------------

const TARGETS = [
  { text: 'thread start ≤ 300 µs (median)', id: 'start', check: (r) => r.contenders.weft.median?.median_us <= 300 },
  { text: '≤ 256 KB per idle thread', id: 'idle', check: (r) => r.contenders.weft.median?.kb_per_thread <= 256 },
  {
    text: `${quick ? '1,000 (quick run)' : '10,000'} idle threads alive`,
    id: 'max-threads',
    check: (r) => r.contenders.weft.median?.max_threads >= r.params.threads,
  },
  { text: 'event-driven ping-pong no slower than Node', id: 'pingpong-event', check: (r) => r.ratios.node?.us_per_trip <= 1 },
  { text: 'busy ping-pong ≤ 2 µs', id: 'pingpong-busy', check: (r) => r.contenders.weft.median?.us_per_trip <= 2 },
  { text: 'stream ≥ 3,000,000 msgs/s', id: 'stream', check: (r) => r.contenders.weft.median?.msgs_per_s >= 3e6 },
  {
    text: '64 MB transfer in constant time (round trip within 1.5× of 4 KB)',
    id: 'transfer',
    check: (r) => r.contenders.weft.median?.large_over_small <= 1.5,
  },
];

// ---- running one workload --------------------------------------------------------

// Runs a workload in a child process; resolves with its figures, or
// { failed } / { skipped }. `onProgress` sees the workload's progress lines.
function runWorkload(c, params, timeoutSeconds, onProgress) {
  return new Promise((resolve) => {
    const file = path.join(workloads, c.file);
    const child = spawn(runtimes[c.runtime].bin, [file, JSON.stringify({ ...params, ...c.extra })], {
      cwd: path.dirname(file),
      env: { ...process.env, ...c.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastProgress;
    let timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    let pending = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      // Progress lines may arrive split across chunks: only whole lines count.
      const lines = (pending + d).split('\n');
      pending = lines.pop();
      for (const line of lines.filter((l) => l.startsWith('progress '))) {
        lastProgress = JSON.parse(line.slice(9));
        onProgress(lastProgress);
      }
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop();
      let result;
      try {
        result = JSON.parse(last);
      } catch {
        result = undefined;
      }
      if (result && code === 0) return resolve(result);
      const why = timedOut ? `timed out after ${timeoutSeconds} s`
        : signal ? `killed by ${signal}` : `exit code ${code}`;
      const detail = stderr.split('\n').filter((l) => l && !l.startsWith('progress ')).slice(-3).join(' | ');
      // A workload that got somewhere before it died still tells how far.
      if (lastProgress) return resolve({ ...lastProgress, partial: true, stop: `${why}${detail ? `: ${detail}` : ''}` });
      resolve({ failed: `${why}${detail ? `: ${detail}` : ''}` });
    });
  });
}

// ---- statistics and formatting ---------------------------------------------------

function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Nested figures ({ seconds: { 1: ... } }) become flat keys (seconds_1).
function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object') flatten(v, `${prefix}${k}_`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

function fmt(v) {
  if (v === undefined) return '-';
  if (typeof v === 'string') return v;
  const a = Math.abs(v);
  if (a >= 10000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

const fmtRatio = (r) => (r === undefined ? '-' : r >= 100 || r < 0.01 ? r.toPrecision(2) : r.toFixed(2));

// Rows of one case: [metric, weft, (peer, weft/peer)...] with its status lines.
function caseTable(kase, result) {
  const names = kase.contenders.map((c) => c.name);
  const peers = names.filter((n) => n !== 'weft');
  const header = ['metric', 'weft', ...peers.flatMap((p) => [p, `weft/${p}`])];
  const rows = kase.metrics.map((m) => {
    const value = (n) => result.contenders[n].median?.[m.key];
    const label = `${m.label} (${[m.unit, m.better && `${m.better} is better`].filter(Boolean).join(', ')})`.replace(' ()', '');
    return [label, fmt(value('weft')), ...peers.flatMap((p) => [fmt(value(p)), m.better ? fmtRatio(result.ratios[p]?.[m.key]) : ''])];
  });
  const status = names
    .map((n) => [n, result.contenders[n]])
    .filter(([, r]) => r.status !== 'ok')
    .map(([n, r]) => `${n}: ${r.status}: ${r.reason}`);
  return { header, rows, status };
}

function terminalTable({ header, rows, status }) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  return [line(header), ...rows.map(line), ...status.map((s) => `  ${s}`)].join('\n');
}

function markdownTable({ header, rows, status }) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  if (status.length) lines.push('', ...status.map((s) => `- ${s}`));
  return lines.join('\n');
}

// ---- the machine -------------------------------------------------------------------

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model,
    cores,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    memory_gib: Math.round((os.totalmem() / GiB) * 10) / 10,
    loadavg_at_start: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function versions() {
  // Output whatever the exit status (qjs -h exits with 1).
  const run = (cmd, a) => spawnSync(cmd, a, { encoding: 'utf8' }).stdout?.trim() || undefined;
  const piscina = existsSync(path.join(benchDir, 'node_modules/piscina/package.json'))
    ? JSON.parse(readFileSync(path.join(benchDir, 'node_modules/piscina/package.json'), 'utf8')).version : undefined;
  const commit = run('git', ['-C', repoDir, 'rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['-C', repoDir, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'include', 'cmake', 'CMakeLists.txt']);
  return {
    weft: runtimes.weft.skipped ? undefined : run(runtimes.weft.bin, ['--version']),
    weft_commit: commit && `${commit}${dirty ? ' + uncommitted changes' : ''}`,
    node: process.version,
    qjs: runtimes.qjs.skipped ? undefined : /version (\S+)/.exec(run(runtimes.qjs.bin, ['-h']) ?? '')?.[1],
    piscina,
  };
}

// ---- charts --------------------------------------------------------------------------

// Gnuplot input: the ratio chart shows for each case's primary metric how
// many times better weft is than each peer (above 1: weft better), on a log
// scale; the scaling chart the speed-up curves of case 8.
function charts(results) {
  const out = { ratios: path.join(benchDir, 'charts', 'ratios.svg'), scaling: path.join(benchDir, 'charts', 'scaling.svg') };
  mkdirSync(path.dirname(out.ratios), { recursive: true });
  const peerNames = ['node', 'piscina', 'qjs'];
  const rows = [];
  for (const r of results.cases) {
    const kase = CASES.find((k) => k.id === r.id);
    const m = kase.metrics.find((x) => x.primary);
    const advantage = peerNames.map((p) => {
      const ratio = r.ratios[p]?.[m.key];
      if (ratio === undefined) return 'NaN';
      return m.better === 'lower' ? 1 / ratio : ratio;
    });
    if (advantage.every((a) => a === 'NaN')) continue;
    rows.push(`"${kase.number} ${r.id}" ${advantage.join(' ')}`);
  }
  const ratioScript = `
set terminal svg size 900,480 dynamic font "sans,11"
set output "${out.ratios}"
set title "How many times better weft is than each peer (primary metric per case; above 1: weft better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.01:100]
set grid ytics
set xtics rotate by -30
set key top right
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2
$data << EOD
${rows.join('\n')}
EOD
plot $data using 2:xtic(1) title "node", '' using 3 title "piscina", '' using 4 title "qjs"
`;
  const scaling = results.cases.find((c) => c.id === 'scaling');
  const curves = ['weft', 'node', 'qjs'].filter((n) => scaling?.contenders[n]?.status === 'ok');
  const points = counts.map((n) => `${n} ${curves.map((c) => scaling.contenders[c].median[`speedup_${n}`] ?? 1).join(' ')}`);
  const scalingScript = `
set terminal svg size 640,420 dynamic font "sans,11"
set output "${out.scaling}"
set title "CPU-bound work split over threads: speed-up against one thread"
set xlabel "threads"
set ylabel "speed-up"
set grid
set key top left
set xrange [1:${cores}]
set yrange [0:${cores + 0.5}]
set xtics (${counts.join(', ')})
$data << EOD
${points.join('\n')}
EOD
plot x title "ideal" dt 2 lc rgb "gray", ${curves.map((c, i) => `$data using 1:${i + 2} with linespoints lw 2 title "${c}"`).join(', ')}
`;
  const made = [];
  if (rows.length) made.push(['ratios', ratioScript]);
  if (curves.length && counts.length > 1) made.push(['scaling', scalingScript]);
  // The scripts stay in results/ to redraw or restyle a chart by hand.
  for (const [name, script] of made) {
    writeFileSync(path.join(resultsDir, `${name}.gp`), script);
    execFileSync('gnuplot', [path.join(resultsDir, `${name}.gp`)]);
  }
  return made.map(([name]) => path.relative(benchDir, out[name]));
}

// ---- RESULTS.md ------------------------------------------------------------------------

// Replaces what lies between the markers in RESULTS.md; the text around
// them is written by hand and stays.
function updateResultsMd(results, tablesMd, chartFiles) {
  const file = path.join(benchDir, 'RESULTS.md');
  const begin = '<!-- results:begin (written by bench/driver.mjs) -->';
  const end = '<!-- results:end -->';
  const m = results.machine;
  const v = results.versions;
  const body = [
    begin,
    `Run on ${results.date} with \`${results.command}\`.`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, ${m.kernel}; load average at start `
      + `${m.loadavg_at_start.join(' ')}, at end ${m.loadavg_at_end.join(' ')}.`,
    `- weft ${v.weft ?? '-'} (${v.weft_commit ?? '?'}), Node ${v.node}, qjs ${v.qjs ?? '-'}, piscina ${v.piscina ?? '-'}.`,
    `- ${results.rounds} rounds per case, runtimes alternating; every figure is the median of the rounds. `
      + 'Ratios are weft/peer; each row says whether lower or higher is better.',
    '',
    ...chartFiles.map((f) => `![${path.basename(f, '.svg')}](${f})`),
    '',
    tablesMd,
    end,
  ].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmark results\n\n${begin}\n${end}\n`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < 0) throw new Error('RESULTS.md lost its results markers');
  writeFileSync(file, text.slice(0, a) + body + text.slice(b + end.length));
}

// ---- main ------------------------------------------------------------------------------

function selected(kase) {
  if (selectors.length === 0) return true;
  return selectors.some((s) => String(kase.number) === s || kase.id === s || kase.id.startsWith(`${s}-`));
}

const unknown = selectors.filter((s) => !CASES.some((k) => String(k.number) === s || k.id === s || k.id.startsWith(`${s}-`)));
if (unknown.length) {
  console.error(`unknown case ${unknown.join(', ')}; cases: ${CASES.map((k) => `${k.number} ${k.id}`).join(', ')}`);
  process.exit(2);
}

const status = process.stderr.isTTY
  ? (text) => process.stderr.write(`\r\x1b[K${text}`)
  : (text) => process.stderr.write(`${text}\n`);
const clearStatus = () => process.stderr.isTTY && process.stderr.write('\r\x1b[K');

const results = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  command: `bash bench/run.sh${args.length ? ` ${args.join(' ')}` : ''}`,
  quick,
  rounds,
  machine: machine(),
  versions: versions(),
  cases: [],
};

console.log(`weft benchmarks: ${results.machine.cpu}, ${cores} cores, ${results.machine.memory_gib} GiB, ${results.machine.kernel}`);
console.log(`weft ${results.versions.weft ?? '(skipped)'}, node ${results.versions.node}, qjs ${results.versions.qjs ?? '(skipped)'}, `
  + `piscina ${results.versions.piscina ?? '(skipped)'}; ${rounds} round${rounds > 1 ? 's' : ''} per case, medians`);
if (results.machine.loadavg_at_start[0] > 0.5) {
  console.log(`note: load average ${results.machine.loadavg_at_start[0]} at start: other processes use the CPU, figures will be noisy`);
}
for (const [name, r] of Object.entries(runtimes)) if (r.skipped) console.log(`skipped: ${name}: ${r.skipped}`);
if (piscinaSkipped) console.log(`skipped: piscina: ${piscinaSkipped}`);

const tables = [];
for (const kase of CASES.filter(selected)) {
  const caseRounds = kase.rounds ?? rounds;
  const result = { number: kase.number, id: kase.id, title: kase.title, note: kase.note, params: kase.params, contenders: {}, ratios: {} };
  const live = [];
  for (const c of kase.contenders) {
    const why = c.skipped ?? runtimes[c.runtime].skipped;
    result.contenders[c.name] = why
      ? { status: 'skipped', reason: why }
      : { status: 'ok', file: c.file, params: { ...kase.params, ...c.extra }, env: c.env, rounds: [] };
    if (!why) live.push(c);
  }
  console.log(`\n[${kase.number}] ${kase.title}`);
  for (let round = 0; round < caseRounds; round++) {
    // Alternate: each round starts with the next runtime.
    const order = live.map((_, i) => live[(i + round) % live.length]);
    for (const c of order) {
      const entry = result.contenders[c.name];
      if (entry.status !== 'ok') continue;
      const where = `  [${kase.number} ${kase.id}] round ${round + 1}/${caseRounds}: ${c.name}`;
      status(`${where} ...`);
      const r = await runWorkload(c, kase.params, kase.timeout ?? 180, (p) => status(`${where}: ${JSON.stringify(p)}`));
      if (r.failed || r.skipped) {
        Object.assign(entry, { status: r.failed ? 'failed' : 'skipped', reason: r.failed ?? r.skipped });
        continue;
      }
      const flat = flatten(r);
      entry.rounds.push({ ...flat, ...(kase.derive ? kase.derive(flat) : {}) });
    }
  }
  clearStatus();
  for (const entry of Object.values(result.contenders)) {
    if (entry.status !== 'ok') continue;
    entry.median = {};
    for (const m of kase.metrics) {
      const values = entry.rounds.map((r) => r[m.key]);
      entry.median[m.key] = typeof values[0] === 'string' ? values[0] : median(values);
    }
  }
  const weftMedian = result.contenders.weft.median;
  for (const [name, entry] of Object.entries(result.contenders)) {
    if (name === 'weft' || !weftMedian || !entry.median) continue;
    result.ratios[name] = {};
    for (const m of kase.metrics.filter((x) => x.better)) {
      const a = weftMedian[m.key];
      const b = entry.median[m.key];
      if (typeof a === 'number' && typeof b === 'number' && b !== 0) result.ratios[name][m.key] = a / b;
    }
  }
  const table = caseTable(kase, result);
  console.log(terminalTable(table));
  tables.push(`### ${kase.number}. ${kase.title}\n\n${kase.note}\n\n${markdownTable(table)}`);
  results.cases.push(result);
}

// Where weft stands against its targets, for the cases that ran.
const targetLines = [];
for (const t of TARGETS) {
  const r = results.cases.find((c) => c.id === t.id);
  if (!r) continue;
  const kase = CASES.find((k) => k.id === t.id);
  const m = kase.metrics.find((x) => x.primary);
  const { status: weftStatus, median: weftMedian } = r.contenders.weft;
  if (weftStatus !== 'ok') {
    targetLines.push(`no figure: ${t.text}: weft ${weftStatus}`);
    continue;
  }
  const shown = t.id === 'pingpong-event' ? `weft/node ${fmtRatio(r.ratios.node?.us_per_trip)}`
    : t.id === 'transfer' ? `64 MB / 4 KB ${fmt(weftMedian.large_over_small)}`
      : `${fmt(weftMedian[m.key])}${m.unit ? ` ${m.unit}` : ''}`;
  targetLines.push(`${t.check(r) ? 'met' : 'NOT met'}: ${t.text}: ${shown}`);
}
results.targets = targetLines;
if (targetLines.length) {
  console.log(`\nweft's targets:\n${targetLines.map((l) => `  ${l}`).join('\n')}`);
  tables.push(`### weft's targets\n\n${targetLines.map((l) => `- ${l}`).join('\n')}`);
}

results.machine.loadavg_at_end = os.loadavg().map((l) => Math.round(l * 100) / 100);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(resultsDir, 'latest.md'), `${tables.join('\n\n')}\n`);
console.log(`\nwrote ${path.relative(repoDir, path.join(resultsDir, 'latest.json'))} and latest.md`);

// Only a complete run replaces the published results and charts.
if (selectors.length === 0 && !quick) {
  let chartFiles = [];
  if (process.env.BENCH_GNUPLOT_SKIPPED) {
    console.log(`skipped: charts: ${process.env.BENCH_GNUPLOT_SKIPPED}`);
  } else {
    chartFiles = charts(results);
    console.log(`wrote ${chartFiles.map((f) => `bench/${f}`).join(', ')}`);
  }
  updateResultsMd(results, tables.join('\n\n'), chartFiles);
  console.log('wrote bench/RESULTS.md');
}
