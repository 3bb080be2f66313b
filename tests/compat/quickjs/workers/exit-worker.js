import * as os from 'os';
// Worker
os.Worker.parent.onmessage = (msg) => {
if (msg.data.type === 'exit') {
// Clean up resources
os.Worker.parent.postMessage({ type: 'goodbye' });
// Exit the worker (implementation-specific)
// The worker thread will end when the script completes
os.Worker.parent.onmessage = null; // QuickJS: no handler left, the worker ends
}
};
