// An unref'd thread does not keep the process alive; a ref'd one does.
const { Thread } = require('weft');
const forever = new Thread('setInterval(() => {}, 1000)', { source: true });
forever.unref();
if (forever.hasRef()) throw new Error('hasRef after unref');
const short = new Thread('setTimeout(() => {}, 30)', { source: true });
short.on('exit', (code) => console.log(`short exited ${code}`));
process.on('exit', () => console.log('process exits with an unref\'d thread running'));
