// Threads start threads; messages travel down and back up the tree.
const { Thread } = require('weft');
const assert = require('assert');

// Each level's source carries the source of the level below it.
function level(depth) {
  if (depth === 0) return "require('weft').parent.postMessage([require('weft').threadId])";
  return `const { Thread, parent, threadId } = require('weft');
    const child = new Thread(${JSON.stringify(level(depth - 1))}, { source: true });
    child.on('message', (ids) => parent.postMessage([threadId, ...ids]));`;
}

const t = new Thread(level(3), { source: true });
t.on('message', (ids) => {
  assert.strictEqual(ids.length, 4);
  assert.strictEqual(new Set(ids).size, 4, 'every thread has its own id');
  assert.strictEqual(ids[0], t.id);
  console.log('ok');
});
