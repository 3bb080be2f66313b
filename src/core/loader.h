/*
 * loader: module resolution and the ES module loader.
 *
 * A module is named by its id: the real absolute path of its file, or
 * "weft:<path>" for a builtin compiled into the binary. Builtin names users
 * write ("events", "node:events") resolve to those ids. Files are ES modules
 * or CommonJS by the rule of docs/modules.md; ES modules import CommonJS
 * through a synthetic module whose exports are module.exports' own keys.
 */
#ifndef WEFT_LOADER_H
#define WEFT_LOADER_H

#include <stdbool.h>

#include "quickjs.h"

typedef enum weft_module_format {
    WEFT_FORMAT_ESM,
    WEFT_FORMAT_COMMONJS,
    WEFT_FORMAT_JSON,
    WEFT_FORMAT_BUILTIN,
} weft_module_format;

/* Installs the module loader on a runtime. */
void weft__loader_install(JSRuntime *rt);

/* Resolves specifier as imported (require == false) or required from the
 * module referrer (an id, or NULL for the current directory). Returns a
 * malloc()ed id, or NULL with a JavaScript exception pending (code
 * MODULE_NOT_FOUND / ERR_MODULE_NOT_FOUND naming specifier and referrer). */
char *weft__resolve(JSContext *ctx, const char *specifier, const char *referrer, bool require);

/* The format of the module with this id; -1 with an exception pending when a
 * package.json on the way cannot be read. */
int weft__module_format(JSContext *ctx, const char *id);

/* Compiles source as an ES module named id, with import.meta filled in.
 * Returns the module value, or JS_EXCEPTION. */
JSValue weft__compile_module(JSContext *ctx, const char *id, const char *source, size_t len, bool is_main);

/* Reads the builtin module id without evaluating it, so that an import of
 * it later finds it loaded. Once per context and id. */
int weft__loader_preload(JSContext *ctx, const char *id);

/* Evaluates the module named id (loading it first when needed) and returns
 * its namespace synchronously; throws ERR_REQUIRE_ASYNC_MODULE when it
 * awaits at top level. Used by require() of ES modules and builtins. */
JSValue weft__import_sync(JSContext *ctx, const char *id);

/* file:// URL for an absolute path, percent-encoding what URLs require. */
char *weft__path_to_file_url(const char *path);

#endif
