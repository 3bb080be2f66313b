/*
 * qjs: the C side of QuickJS's own 'os' and 'std' modules on weft
 * (src/js/qjs/os.js and std.js build the modules users import).
 *
 * It provides the C module "weft:qjs/native": quickjs-libc's modules loaded
 * safely inside a weft thread, plus the pieces whose event-loop assumptions
 * clash with weft (fd and signal watchers on the thread's uv loop, a sleep
 * that terminate() interrupts, evalScript without quickjs-libc's interrupt
 * handler, the calling module's file).
 */
#ifndef WEFT_QJS_H
#define WEFT_QJS_H

#include <stdbool.h>

#include "quickjs.h"

/* Whether id names one of this file's C modules (for the module loader). */
bool weft__qjs_is_module(const char *id);

/* Creates the C module named id (weft__qjs_is_module(id) must hold). */
JSModuleDef *weft__qjs_module(JSContext *ctx, const char *id);

#endif
