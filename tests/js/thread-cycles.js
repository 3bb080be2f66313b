// 10,000 threads started and terminated one after another (two at a time);
// nothing leaks: the process's memory stays flat and every thread exits.
const { Thread } = require('weft');
const assert = require('assert');

const CYCLES = 10000;
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
    if (i === 1000) rssAfterWarmup = process.memoryUsage().rss;
  }
  const rss = process.memoryUsage().rss;
  // Leaking even 1 KB per thread would show as 9 MB here. AddressSanitizer
  // holds freed memory in quarantine, so under it LeakSanitizer judges leaks.
  if (!process.env.ASAN_OPTIONS) {
    assert.ok(rss - rssAfterWarmup < 8 * 1024 * 1024, `rss grew by ${(rss - rssAfterWarmup) >> 10} KB`);
  }
  console.log('ok');
})();
