/*
 * The "modules" binding: what weft:internal/cjs needs from the C loader to
 * implement require() (resolution, formats, reading and compiling sources).
 */
#include <stdlib.h>
#include <string.h>

#include "core/jsutil.h"
#include "core/loader.h"
#include "modules/native.h"

static const char *const format_names[] = {
    [WEFT_FORMAT_ESM] = "module",
    [WEFT_FORMAT_COMMONJS] = "commonjs",
    [WEFT_FORMAT_JSON] = "json",
    [WEFT_FORMAT_BUILTIN] = "builtin",
};

/* Converts argument i to a C string, throwing ERR_INVALID_ARG_TYPE. */
static const char *string_arg(JSContext *ctx, JSValueConst *argv, int i, const char *name)
{
    if (!JS_IsString(argv[i])) {
        weft__throw_arg_type(ctx, name, "of type string", argv[i]);
        return NULL;
    }
    return JS_ToCString(ctx, argv[i]);
}

/* resolve(specifier, referrer | null, isRequire) -> id */
static JSValue js_resolve(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    const char *spec = string_arg(ctx, argv, 0, "id");
    if (!spec)
        return JS_EXCEPTION;
    const char *referrer = JS_IsString(argv[1]) ? JS_ToCString(ctx, argv[1]) : NULL;
    char *id = weft__resolve(ctx, spec, referrer, JS_ToBool(ctx, argv[2]));
    JS_FreeCString(ctx, referrer);
    JS_FreeCString(ctx, spec);
    if (!id)
        return JS_EXCEPTION;
    JSValue r = JS_NewString(ctx, id);
    free(id);
    return r;
}

/* format(id) -> 'module' | 'commonjs' | 'json' | 'builtin' */
static JSValue js_format(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    const char *id = string_arg(ctx, argv, 0, "id");
    if (!id)
        return JS_EXCEPTION;
    int format = weft__module_format(ctx, id);
    JS_FreeCString(ctx, id);
    return format < 0 ? JS_EXCEPTION : JS_NewString(ctx, format_names[format]);
}

/* readSource(path) -> string */
static JSValue js_read_source(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    const char *path = string_arg(ctx, argv, 0, "path");
    if (!path)
        return JS_EXCEPTION;
    char *text;
    size_t len;
    int err = weft__read_file(path, &text, &len);
    JSValue r = err ? weft__throw_syscall(ctx, err, "open", path) : JS_NewStringLen(ctx, text, len);
    if (!err)
        free(text);
    JS_FreeCString(ctx, path);
    return r;
}

/* compileCommonJS(source, filename) -> function (exports, require, module,
 * __filename, __dirname). The wrapper shares the first line with the source
 * so that line numbers in stack traces stay right. */
static JSValue js_compile_commonjs(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    static const char head[] = "(function (exports, require, module, __filename, __dirname) { ";
    static const char tail[] = "\n})";
    const char *filename = string_arg(ctx, argv, 1, "filename");
    if (!filename)
        return JS_EXCEPTION;
    size_t len;
    const char *source = JS_IsString(argv[0]) ? JS_ToCStringLen(ctx, &len, argv[0]) : NULL;
    if (!source) {
        JS_FreeCString(ctx, filename);
        return JS_IsString(argv[0]) ? JS_EXCEPTION : weft__throw_arg_type(ctx, "source", "of type string", argv[0]);
    }
    size_t total = sizeof head - 1 + len + sizeof tail - 1;
    char *wrapped = malloc(total + 1);
    JSValue fn;
    if (!wrapped) {
        fn = JS_ThrowOutOfMemory(ctx);
    } else {
        memcpy(wrapped, head, sizeof head - 1);
        memcpy(wrapped + sizeof head - 1, source, len);
        memcpy(wrapped + sizeof head - 1 + len, tail, sizeof tail);
        /* A shebang line is only legal at the very start of a script. */
        if (len >= 2 && source[0] == '#' && source[1] == '!')
            memcpy(wrapped + sizeof head - 1, "//", 2);
        fn = JS_Eval(ctx, wrapped, total, filename, JS_EVAL_TYPE_GLOBAL);
        free(wrapped);
    }
    JS_FreeCString(ctx, source);
    JS_FreeCString(ctx, filename);
    return fn;
}

/* importSync(id) -> namespace of the evaluated ES module */
static JSValue js_import_sync(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    const char *id = string_arg(ctx, argv, 0, "id");
    if (!id)
        return JS_EXCEPTION;
    JSValue ns = weft__import_sync(ctx, id);
    JS_FreeCString(ctx, id);
    return ns;
}

/* importModule(url) -> a promise of the module's namespace, as import(url)
 * gives, for weft's own modules: theirs is bytecode without debug
 * information, where import() cannot tell the importing file. */
static JSValue js_import_module(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    const char *url = string_arg(ctx, argv, 0, "url");
    if (!url)
        return JS_EXCEPTION;
    JSValue promise = JS_LoadModule(ctx, url, url);
    JS_FreeCString(ctx, url);
    return promise;
}

static const JSCFunctionListEntry modules_funcs[] = {
    JS_CFUNC_DEF("resolve", 3, js_resolve),
    JS_CFUNC_DEF("format", 1, js_format),
    JS_CFUNC_DEF("readSource", 1, js_read_source),
    JS_CFUNC_DEF("compileCommonJS", 2, js_compile_commonjs),
    JS_CFUNC_DEF("importSync", 1, js_import_sync),
    JS_CFUNC_DEF("importModule", 1, js_import_module),
};

JSValue weft__binding_modules(JSContext *ctx)
{
    JSValue obj = JS_NewObject(ctx);
    if (!JS_IsException(obj))
        JS_SetPropertyFunctionList(ctx, obj, modules_funcs, WEFT_COUNTOF(modules_funcs));
    return obj;
}
