#include "core/loader.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "core/embedded.h"
#include "core/jsutil.h"
#include "core/path.h"
#include "core/vm.h"
#include "modules/native.h"

/* ---- file probing ------------------------------------------------------- */

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* path + suffix, malloc()ed. */
static char *concat(const char *path, const char *suffix)
{
    size_t a = strlen(path), b = strlen(suffix);
    char *out = malloc(a + b + 1);
    if (out) {
        memcpy(out, path, a);
        memcpy(out + a, suffix, b + 1);
    }
    return out;
}

/* The canonical id of an existing file: its real path. */
static char *canonical(const char *path)
{
    char *real = realpath(path, NULL);
    return real ? real : strdup(path);
}

static const char *const extensions[] = { ".js", ".mjs", ".cjs", ".json" };

/* path itself, or path with one of the known extensions. */
static char *try_file(const char *path)
{
    if (is_file(path))
        return canonical(path);
    for (size_t i = 0; i < WEFT_COUNTOF(extensions); i++) {
        char *candidate = concat(path, extensions[i]);
        if (candidate && is_file(candidate)) {
            char *id = canonical(candidate);
            free(candidate);
            return id;
        }
        free(candidate);
    }
    return NULL;
}

/* Parses dir/package.json. Returns JS_UNDEFINED when there is none, and
 * JS_EXCEPTION (pending) when it exists but is not valid JSON. */
static JSValue read_package_json(JSContext *ctx, const char *dir)
{
    char *file = weft__path_join(dir, "package.json");
    if (!file)
        return JS_ThrowOutOfMemory(ctx);
    char *text;
    size_t len;
    JSValue result = JS_UNDEFINED;
    if (is_file(file) && weft__read_file(file, &text, &len) == 0) {
        result = JS_ParseJSON(ctx, text, len, file);
        free(text);
        if (JS_IsException(result)) {
            JS_FreeValue(ctx, JS_GetException(ctx));
            result = weft__throw(ctx, "Error", "ERR_INVALID_PACKAGE_CONFIG",
                                 "Invalid package config %s: not valid JSON", file);
        }
    }
    free(file);
    return result;
}

/* A string property of a parsed package.json, malloc()ed, or NULL. */
static char *package_string(JSContext *ctx, JSValueConst pkg, const char *key)
{
    if (!JS_IsObject(pkg))
        return NULL;
    JSValue v = JS_GetPropertyStr(ctx, pkg, key);
    char *out = NULL;
    if (JS_IsString(v)) {
        const char *s = JS_ToCString(ctx, v);
        if (s)
            out = strdup(s);
        JS_FreeCString(ctx, s);
    }
    JS_FreeValue(ctx, v);
    return out;
}

/* The package entry point: "exports" when it is a string or has a string
 * ".", else "main". */
static char *package_entry(JSContext *ctx, JSValueConst pkg)
{
    char *entry = package_string(ctx, pkg, "exports");
    if (entry)
        return entry;
    JSValue exports = JS_IsObject(pkg) ? JS_GetPropertyStr(ctx, pkg, "exports") : JS_UNDEFINED;
    if (JS_IsObject(exports)) {
        entry = package_string(ctx, exports, ".");
        if (!entry) {
            JSValue dot = JS_GetPropertyStr(ctx, exports, ".");
            entry = package_string(ctx, JS_IsObject(dot) ? dot : exports, "default");
            JS_FreeValue(ctx, dot);
        }
    }
    JS_FreeValue(ctx, exports);
    return entry ? entry : package_string(ctx, pkg, "main");
}

/* A directory as a module: its package entry point, then index.*. Returns
 * NULL when nothing matches, or when package.json is broken (with an
 * exception pending; *failed is set). */
static char *try_directory(JSContext *ctx, const char *dir, bool *failed)
{
    if (!is_dir(dir))
        return NULL;
    JSValue pkg = read_package_json(ctx, dir);
    if (JS_IsException(pkg)) {
        *failed = true;
        return NULL;
    }
    char *id = NULL;
    char *entry = package_entry(ctx, pkg);
    JS_FreeValue(ctx, pkg);
    if (entry) {
        char *main_path = weft__path_join(dir, entry);
        if (main_path) {
            id = try_file(main_path);
            if (!id) {
                char *index = weft__path_join(main_path, "index");
                id = index ? try_file(index) : NULL;
                free(index);
            }
        }
        free(main_path);
        free(entry);
    }
    if (!id) {
        char *index = weft__path_join(dir, "index");
        id = index ? try_file(index) : NULL;
        free(index);
    }
    return id;
}

static char *try_path(JSContext *ctx, const char *path, bool *failed)
{
    char *id = try_file(path);
    return id ? id : try_directory(ctx, path, failed);
}

/* Bare specifiers: node_modules folders from the referrer's directory up. */
static char *try_node_modules(JSContext *ctx, const char *base_dir, const char *spec, bool *failed)
{
    char *dir = strdup(base_dir);
    while (dir) {
        char *modules = weft__path_join(dir, "node_modules");
        char *candidate = modules ? weft__path_join(modules, spec) : NULL;
        char *id = candidate ? try_path(ctx, candidate, failed) : NULL;
        free(candidate);
        free(modules);
        if (id || *failed || strcmp(dir, "/") == 0) {
            free(dir);
            return id;
        }
        char *parent = weft__path_dirname(dir);
        free(dir);
        dir = parent;
    }
    return NULL;
}

/* ---- builtins ----------------------------------------------------------- */

/* The id of builtin `name` ("events" -> "weft:node/events"), or NULL. */
static char *builtin_id(const char *name)
{
    static const char *const prefixes[] = { "weft:lib/", "weft:node/" };
    for (size_t i = 0; i < WEFT_COUNTOF(prefixes); i++) {
        char *id = concat(prefixes[i], name);
        if (id && weft__embedded_find(id))
            return id;
        free(id);
    }
    return NULL;
}

static bool is_weft_id(const char *s)
{
    return strncmp(s, "weft:", 5) == 0;
}

/* ---- resolution --------------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The path of a file: URL, percent-decoded; NULL when malformed. */
static char *file_url_to_path(const char *url)
{
    const char *p = url + strlen("file://");
    if (strncmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return NULL;
    char *out = malloc(strlen(p) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (; *p && *p != '?' && *p != '#'; p++) {
        if (*p == '%') {
            int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
            if (lo < 0 || (hi == 0 && lo == 0)) {
                free(out);
                return NULL;
            }
            out[n++] = (char)(hi * 16 + lo);
            p += 2;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return out;
}

char *weft__path_to_file_url(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(path);
    char *out = malloc(strlen("file://") + len * 3 + 1);
    if (!out)
        return NULL;
    size_t n = (size_t)sprintf(out, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~!$&'()*+,;=:@", *p)) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
    return out;
}

static JSValue throw_not_found(JSContext *ctx, const char *spec, const char *referrer, bool require)
{
    const char *from = referrer && referrer[0] == '/' ? referrer : NULL;
    if (require) {
        if (from)
            return weft__throw(ctx, "Error", "MODULE_NOT_FOUND",
                               "Cannot find module '%s'\nRequire stack:\n- %s", spec, from);
        return weft__throw(ctx, "Error", "MODULE_NOT_FOUND", "Cannot find module '%s'", spec);
    }
    if (from)
        return weft__throw(ctx, "Error", "ERR_MODULE_NOT_FOUND",
                           "Cannot find module '%s' imported from %s", spec, from);
    return weft__throw(ctx, "Error", "ERR_MODULE_NOT_FOUND", "Cannot find module '%s'", spec);
}

/* The directory relative specifiers of referrer are resolved against. */
static char *base_directory(const char *referrer)
{
    if (referrer && referrer[0] == '/')
        return weft__path_dirname(referrer);
    char cwd[PATH_MAX];
    size_t len = sizeof cwd;
    if (uv_cwd(cwd, &len) != 0)
        return strdup("/");
    return strdup(cwd);
}

char *weft__resolve(JSContext *ctx, const char *spec, const char *referrer, bool require)
{
    if (is_weft_id(spec)) {
        if (weft__embedded_find(spec) || weft__native_is_module(spec))
            return strdup(spec);
        throw_not_found(ctx, spec, referrer, require);
        return NULL;
    }
    if (strncmp(spec, "node:", 5) == 0) {
        char *id = builtin_id(spec + 5);
        if (!id)
            weft__throw(ctx, "Error", "ERR_UNKNOWN_BUILTIN_MODULE", "No such built-in module: %s", spec);
        return id;
    }
    bool path_like = weft__path_is_path_specifier(spec);
    if (!path_like && strncmp(spec, "file:", 5) != 0) {
        /* `import ... from 'os'` and `'std'` are QuickJS's modules, as in
         * qjs (src/js/qjs/). Only ES imports: require('os') and 'node:os'
         * stay free for Node's os module. */
        if (!require && (strcmp(spec, "os") == 0 || strcmp(spec, "std") == 0)) {
            char *qjs = concat("weft:qjs/", spec);
            if (!qjs)
                JS_ThrowOutOfMemory(ctx);
            return qjs;
        }
        char *id = builtin_id(spec);
        if (id)
            return id;
    }

    char *base = base_directory(referrer);
    char *id = NULL;
    bool failed = false;
    if (!base) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    if (strncmp(spec, "file://", 7) == 0) {
        char *path = file_url_to_path(spec);
        if (path)
            id = try_path(ctx, path, &failed);
        free(path);
    } else if (path_like) {
        char *path = weft__path_join(base, spec);
        if (path)
            id = try_path(ctx, path, &failed);
        free(path);
    } else {
        id = try_node_modules(ctx, base, spec, &failed);
    }
    free(base);
    if (!id && !failed)
        throw_not_found(ctx, spec, referrer, require);
    return id;
}

/* ---- formats ------------------------------------------------------------ */

/* "module" or "commonjs" from the nearest package.json with a "type". */
static int package_type(JSContext *ctx, const char *file, weft_module_format *out)
{
    char *dir = weft__path_dirname(file);
    while (dir) {
        JSValue pkg = read_package_json(ctx, dir);
        if (JS_IsException(pkg)) {
            free(dir);
            return -1;
        }
        bool found = !JS_IsUndefined(pkg);
        char *type = package_string(ctx, pkg, "type");
        JS_FreeValue(ctx, pkg);
        if (found) {
            /* Like Node: the nearest package.json decides, with or without "type". */
            int known = type != NULL;
            if (type)
                *out = strcmp(type, "module") == 0 ? WEFT_FORMAT_ESM : WEFT_FORMAT_COMMONJS;
            free(type);
            free(dir);
            return known;
        }
        if (strcmp(dir, "/") == 0 || strcmp(dir, ".") == 0)
            break;
        char *parent = weft__path_dirname(dir);
        free(dir);
        dir = parent;
    }
    free(dir);
    return 0;
}

int weft__module_format(JSContext *ctx, const char *id)
{
    if (is_weft_id(id))
        return WEFT_FORMAT_BUILTIN;
    const char *ext = weft__path_extname(id);
    if (strcmp(ext, ".mjs") == 0)
        return WEFT_FORMAT_ESM;
    if (strcmp(ext, ".cjs") == 0)
        return WEFT_FORMAT_COMMONJS;
    if (strcmp(ext, ".json") == 0)
        return WEFT_FORMAT_JSON;
    weft_module_format format;
    int known = package_type(ctx, id, &format);
    if (known < 0)
        return -1;
    if (known)
        return (int)format;
    /* No "type" anywhere: the source decides, as with Node's syntax detection. */
    char *text;
    size_t len;
    if (weft__read_file(id, &text, &len) != 0)
        return WEFT_FORMAT_COMMONJS; /* the loader reports the read error */
    bool esm = JS_DetectModule(text, len);
    free(text);
    return esm ? WEFT_FORMAT_ESM : WEFT_FORMAT_COMMONJS;
}

/* ---- the ES module loader ----------------------------------------------- */

static char *normalize_module(JSContext *ctx, const char *base, const char *spec, void *opaque)
{
    char *id = weft__resolve(ctx, spec, base, false);
    if (!id)
        return NULL;
    /* QuickJS frees the name with js_free. */
    char *out = js_strdup(ctx, id);
    free(id);
    return out;
}

static int set_import_meta(JSContext *ctx, JSModuleDef *m, const char *id, bool is_main)
{
    JSValue meta = JS_GetImportMeta(ctx, m);
    if (JS_IsException(meta))
        return -1;
    char *url = weft__path_to_file_url(id);
    char *dir = weft__path_dirname(id);
    int rc = -1;
    if (url && dir &&
        JS_DefinePropertyValueStr(ctx, meta, "url", JS_NewString(ctx, url), JS_PROP_C_W_E) >= 0 &&
        JS_DefinePropertyValueStr(ctx, meta, "filename", JS_NewString(ctx, id), JS_PROP_C_W_E) >= 0 &&
        JS_DefinePropertyValueStr(ctx, meta, "dirname", JS_NewString(ctx, dir), JS_PROP_C_W_E) >= 0 &&
        JS_DefinePropertyValueStr(ctx, meta, "main", JS_NewBool(ctx, is_main), JS_PROP_C_W_E) >= 0)
        rc = 0;
    else if (!url || !dir)
        JS_ThrowOutOfMemory(ctx);
    free(url);
    free(dir);
    JS_FreeValue(ctx, meta);
    return rc;
}

JSValue weft__compile_module(JSContext *ctx, const char *id, const char *source, size_t len, bool is_main)
{
    JSValue fn = JS_Eval(ctx, source, len, id, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(fn))
        return fn;
    if (id[0] == '/' && set_import_meta(ctx, JS_VALUE_GET_PTR(fn), id, is_main) < 0) {
        JS_FreeValue(ctx, fn);
        return JS_EXCEPTION;
    }
    return fn;
}

static JSModuleDef *module_of(JSContext *ctx, JSValue fn)
{
    JSModuleDef *m = JS_VALUE_GET_PTR(fn);
    /* The context's module list keeps the module alive. */
    JS_FreeValue(ctx, fn);
    return m;
}

static JSModuleDef *load_embedded(JSContext *ctx, const char *id)
{
    if (weft__native_is_module(id))
        return weft__native_module(ctx, id);
    const weft_embedded_module *e = weft__embedded_find(id);
    if (!e) {
        throw_not_found(ctx, id, NULL, false);
        return NULL;
    }
    /* ROM_DATA: the bytecode stays in the binary instead of a copy per thread. */
    JSValue fn = JS_ReadObject(ctx, e->bytecode, *e->size, JS_READ_OBJ_BYTECODE | JS_READ_OBJ_ROM_DATA);
    if (JS_IsException(fn))
        return NULL;
    return module_of(ctx, fn);
}

/* Calls the CommonJS loader of weft:internal/cjs for the module at id. */
static JSValue commonjs_exports(JSContext *ctx, const char *id)
{
    weft_vm *vm = weft__vm_of(ctx);
    JSValue load = JS_GetPropertyStr(ctx, vm->hooks, "loadForImport");
    JSValue arg = JS_NewString(ctx, id);
    JSValue exports = JS_IsException(arg) ? arg : JS_Call(ctx, load, JS_UNDEFINED, 1, (JSValueConst *)&arg);
    JS_FreeValue(ctx, arg);
    JS_FreeValue(ctx, load);
    return exports;
}

/* Calls fn(ctx, m, exports, atom, key) for each named export of a CommonJS
 * module: module.exports' own enumerable string keys but "default". */
typedef int (*export_key_fn)(JSContext *ctx, JSModuleDef *m, JSValueConst exports, JSAtom atom, const char *key);

static int each_export_key(JSContext *ctx, JSModuleDef *m, JSValueConst exports, export_key_fn fn)
{
    if (!JS_IsObject(exports))
        return 0;
    JSPropertyEnum *props = NULL;
    uint32_t count = 0;
    if (JS_GetOwnPropertyNames(ctx, &props, &count, exports, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0)
        return -1;
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < count; i++) {
        const char *key = JS_AtomToCString(ctx, props[i].atom);
        if (!key)
            rc = -1;
        else if (strcmp(key, "default") != 0)
            rc = fn(ctx, m, exports, props[i].atom, key);
        JS_FreeCString(ctx, key);
    }
    weft__free_property_enum(ctx, props, count);
    return rc;
}

static int declare_export(JSContext *ctx, JSModuleDef *m, JSValueConst exports, JSAtom atom, const char *key)
{
    return JS_AddModuleExport(ctx, m, key);
}

static int set_export(JSContext *ctx, JSModuleDef *m, JSValueConst exports, JSAtom atom, const char *key)
{
    return JS_SetModuleExport(ctx, m, key, JS_GetProperty(ctx, exports, atom));
}

static int commonjs_module_init(JSContext *ctx, JSModuleDef *m)
{
    JSAtom name_atom = JS_GetModuleName(ctx, m);
    const char *id = JS_AtomToCString(ctx, name_atom);
    JS_FreeAtom(ctx, name_atom);
    if (!id)
        return -1;
    JSValue exports = commonjs_exports(ctx, id);
    JS_FreeCString(ctx, id);
    if (JS_IsException(exports))
        return -1;
    if (each_export_key(ctx, m, exports, set_export) < 0) {
        JS_FreeValue(ctx, exports);
        return -1;
    }
    return JS_SetModuleExport(ctx, m, "default", exports);
}

/* CommonJS and JSON seen from an ES module: the CommonJS module runs now, at
 * link time, and its own enumerable keys become named exports next to the
 * default export (module.exports itself). */
static JSModuleDef *load_commonjs(JSContext *ctx, const char *id)
{
    JSValue exports = commonjs_exports(ctx, id);
    if (JS_IsException(exports))
        return NULL;
    JSModuleDef *m = JS_NewCModule(ctx, id, commonjs_module_init);
    int rc = m ? JS_AddModuleExport(ctx, m, "default") : -1;
    if (rc == 0)
        rc = each_export_key(ctx, m, exports, declare_export);
    JS_FreeValue(ctx, exports);
    return rc == 0 ? m : NULL;
}

static JSModuleDef *load_module(JSContext *ctx, const char *id, void *opaque)
{
    if (is_weft_id(id))
        return load_embedded(ctx, id);
    int format = weft__module_format(ctx, id);
    if (format < 0)
        return NULL;
    if (format != WEFT_FORMAT_ESM)
        return load_commonjs(ctx, id);
    char *source;
    size_t len;
    int err = weft__read_file(id, &source, &len);
    if (err) {
        weft__throw_syscall(ctx, err, "open", id);
        return NULL;
    }
    JSValue fn = weft__compile_module(ctx, id, source, len, false);
    free(source);
    return JS_IsException(fn) ? NULL : module_of(ctx, fn);
}

int weft__loader_preload(JSContext *ctx, const char *id)
{
    return load_embedded(ctx, id) ? 0 : -1;
}

void weft__loader_install(JSRuntime *rt)
{
    JS_SetModuleLoaderFunc(rt, normalize_module, load_module, NULL);
}

/* ---- synchronous import ------------------------------------------------- */

/* QuickJS finds modules by name but exposes no lookup, so a tiny module that
 * re-exports the target's namespace is compiled and evaluated in its place.
 * Callers cache the result (require's cache), so this runs once per id. */
JSValue weft__import_sync(JSContext *ctx, const char *id)
{
    JSValue quoted = JS_NewString(ctx, id);
    JSValue json = JS_IsException(quoted) ? quoted : JS_JSONStringify(ctx, quoted, JS_UNDEFINED, JS_UNDEFINED);
    JS_FreeValue(ctx, quoted);
    const char *spec = JS_IsException(json) ? NULL : JS_ToCString(ctx, json);
    JS_FreeValue(ctx, json);
    if (!spec)
        return JS_EXCEPTION;
    char source[PATH_MAX + 128], name[PATH_MAX + 32];
    int len = snprintf(source, sizeof source, "import * as ns from %s; export default ns;", spec);
    snprintf(name, sizeof name, "weft:import-sync:%s", id);
    JS_FreeCString(ctx, spec);
    if (len < 0 || (size_t)len >= sizeof source)
        return weft__throw(ctx, "RangeError", NULL, "module id too long: %s", id);

    JSValue fn = JS_Eval(ctx, source, (size_t)len, name, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(fn))
        return fn;
    JSModuleDef *m = JS_VALUE_GET_PTR(fn);
    if (JS_ResolveModule(ctx, fn) < 0) {
        JS_FreeValue(ctx, fn);
        return JS_EXCEPTION;
    }
    JSValue promise = JS_EvalFunction(ctx, fn);
    if (JS_IsException(promise))
        return promise;
    JSValue result;
    switch (JS_PromiseState(ctx, promise)) {
    case JS_PROMISE_FULFILLED: {
        JSValue ns = JS_GetModuleNamespace(ctx, m);
        result = JS_IsException(ns) ? ns : JS_GetPropertyStr(ctx, ns, "default");
        JS_FreeValue(ctx, ns);
        break;
    }
    case JS_PROMISE_REJECTED:
        weft__vm_forget_rejection(weft__vm_of(ctx), promise);
        result = JS_Throw(ctx, JS_PromiseResult(ctx, promise));
        break;
    default:
        result = weft__throw(ctx, "Error", "ERR_REQUIRE_ASYNC_MODULE",
                             "require() cannot be used on an ES module with top-level await: %s", id);
        break;
    }
    JS_FreeValue(ctx, promise);
    return result;
}
