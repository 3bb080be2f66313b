import * as os from 'os';
// Worker receives a copy (not a reference)
os.Worker.parent.onmessage = (msg) => {
  // msg.data is a deep copy of data
  msg.data.number = 100; // Doesn't affect parent
  msg.data.object.nested = false;
  msg.data.array.push(4);
  os.Worker.parent.postMessage(msg.data);
  os.Worker.parent.onmessage = null; // the worker ends
};
