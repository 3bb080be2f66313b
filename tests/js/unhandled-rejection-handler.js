// 'unhandledRejection' listeners take over.
process.on('unhandledRejection', (reason, promise) => {
  console.log(`unhandled: ${reason.message}, promise: ${promise instanceof Promise}`);
});
Promise.reject(new Error('nobody catches me'));
setTimeout(() => console.log('went on'), 1);
