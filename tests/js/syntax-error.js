// @exit: 1
// A syntax error in the main script names file:line:col.
const fine = 1;
const broken = ;
