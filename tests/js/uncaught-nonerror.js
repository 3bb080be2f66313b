// @exit: 1
// Throwing a value that is not an Error still reports it.
throw { reason: 'plain object' };
