// @exit: 1
// A missing static import names the specifier and the importing file.
import './fixtures/esm/nowhere.mjs';
