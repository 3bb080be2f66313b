// @exit: 1
// An exception thrown from a timer callback is uncaught too.
setTimeout(() => {
  null.property;
}, 1);
setTimeout(() => console.log('later timer must not run'), 50);
