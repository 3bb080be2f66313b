// 10,000 threads started and terminated one after another (two at a time);
// nothing leaks: the process's memory stays flat and every thread exits.
const { Thread } = require('weft');
const assert = require('assert');

// ThreadSanitizer runs look for races, not leaks, and run ~20x slower: its
// preset asks for fewer cycles (WEFT_THREAD_CYCLES).
const CYCLES = Number(process.env.WEFT_THREAD_CYCLES ?? 10000);
const BATCH = 2;
(async () => {
  let rssAfterWarmup = 0;
  for (let i = 0; i < CYCLES; i += BATCH) {
    const batch = [];
    for (let j = 0; j < BATCH; j++) {
      batch.push(new Thread('setInterval(() => {}, 1000)', { source: true, data: { i: i + j } }));
    }
    const codes = await Promise.all(batch.map((t) => t.terminate()));
    for (const c of codes) assert.strictEqual(c, 1);
    // The first half warms up malloc's per-thread arenas (more of them appear
    // when the machine is busy); the second half must not grow.
    if (i === CYCLES / 2) rssAfterWarmup = process.memoryUsage().rss;
  }
  const rss = process.memoryUsage().rss;
  // Leaking 2 KB per thread would show as 10 MB here. Sanitizers keep
  // freed memory (quarantine, shadow), so under them LeakSanitizer judges.
  if (!process.env.ASAN_OPTIONS && !process.env.TSAN_OPTIONS) {
    assert.ok(rss - rssAfterWarmup < 8 * 1024 * 1024, `rss grew by ${(rss - rssAfterWarmup) >> 10} KB`);
  }
  console.log('ok');
})();
