// @exit: 1
// A rejection with a non-Error reason gets Node's ERR_UNHANDLED_REJECTION.
Promise.reject('just a string');
