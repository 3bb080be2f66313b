/*
 * The weft command: runs a script file or -e source on the main thread.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft.h"

static const char usage[] =
    "Usage: weft [options] <script> [args...]\n"
    "       weft [options] -e <code> [args...]\n"
    "\n"
    "Runs JavaScript with real threads.\n"
    "\n"
    "Options:\n"
    "  -e, --eval <code>   run <code> (CommonJS unless --input-type=module)\n"
    "  -p, --print <code>  run <code> and print its result\n"
    "  --input-type=TYPE   'commonjs' (default) or 'module', for -e and -p\n"
    "  -h, --help          print this help and exit\n"
    "  -v, --version       print weft's version and exit\n"
    "\n"
    "Modules: .mjs files are ES modules, .cjs files CommonJS; a .js file follows\n"
    "the \"type\" of the nearest package.json, and without one is an ES module\n"
    "when it contains import or export statements, else CommonJS.\n";

typedef struct cli {
    const char *script;   /* file to run, or NULL with eval */
    const char *eval;     /* -e / -p source */
    int print;            /* -p */
    int module;           /* --input-type=module */
    int first_arg;        /* argv index of the script's own arguments */
} cli;

static int fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "weft: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'weft --help' for more information.\n");
    return 9; /* Node's exit code for invalid arguments */
}

/* Returns -1 to go on, or the exit code to stop with. */
static int parse_args(int argc, char **argv, cli *c)
{
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
            printf("v%s\n", weft_version());
            return 0;
        }
        if (strcmp(a, "-e") == 0 || strcmp(a, "--eval") == 0 || strcmp(a, "-p") == 0 || strcmp(a, "--print") == 0) {
            if (i + 1 >= argc)
                return fail("%s requires an argument", a);
            c->print = a[1] == 'p' || a[2] == 'p';
            c->eval = argv[++i];
            continue;
        }
        if (strncmp(a, "--input-type=", 13) == 0) {
            if (strcmp(a + 13, "module") == 0)
                c->module = 1;
            else if (strcmp(a + 13, "commonjs") != 0)
                return fail("invalid value for --input-type: '%s' (expected 'commonjs' or 'module')", a + 13);
            continue;
        }
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] == '-' && a[1] != '\0')
            return fail("unknown option '%s'", a);
        break;
    }
    if (!c->eval) {
        if (i >= argc) {
            fputs(usage, stderr);
            return 9;
        }
        c->script = argv[i++];
    }
    c->first_arg = i;
    return -1;
}

/* -p prints the completion value: wrap the source so that it is logged. */
static char *print_source(const char *code)
{
    static const char head[] = "console.log(eval(";
    static const char tail[] = "));";
    size_t n = strlen(code);
    /* The code travels as a JSON-ish string literal: escape what needs it. */
    char *out = malloc(sizeof head + sizeof tail + n * 6 + 2);
    if (!out)
        return NULL;
    char *p = out + sprintf(out, "%s\"", head);
    for (const unsigned char *s = (const unsigned char *)code; *s; s++) {
        if (*s == '"' || *s == '\\')
            p += sprintf(p, "\\%c", *s);
        else if (*s < 0x20)
            p += sprintf(p, "\\u%04x", *s);
        else
            *p++ = (char)*s;
    }
    sprintf(p, "\"%s", tail);
    return out;
}

int main(int argc, char **argv)
{
    cli c = { 0 };
    int stop = parse_args(argc, argv, &c);
    if (stop >= 0)
        return stop;

    /* process.argv: [weft, script (absolute), ...args] as in Node. */
    char *script_path = NULL;
    if (c.script) {
        script_path = realpath(c.script, NULL);
        if (!script_path) {
            fprintf(stderr, "weft: cannot find script '%s'\n", c.script);
            return 1;
        }
    }
    int nargs = argc - c.first_arg;
    const char **jsargv = calloc((size_t)nargs + 2, sizeof *jsargv);
    char *self = realpath("/proc/self/exe", NULL);
    if (!jsargv) {
        fprintf(stderr, "weft: out of memory\n");
        return 1;
    }
    int n = 0;
    jsargv[n++] = self ? self : argv[0];
    if (script_path)
        jsargv[n++] = script_path;
    for (int i = c.first_arg; i < argc; i++)
        jsargv[n++] = argv[i];

    weft_runtime_options_t opts = { .argc = n, .argv = jsargv };
    weft_runtime_t *rt;
    int exit_code = 1;
    int rc = weft_runtime_new(&rt, &opts);
    if (rc == WEFT_OK) {
        if (c.script) {
            rc = weft_runtime_run_file(rt, script_path, &exit_code);
        } else {
            char *src = c.print ? print_source(c.eval) : NULL;
            const char *code = src ? src : c.eval;
            rc = c.print && !src ? WEFT_ENOMEM
                                 : weft_runtime_run_source(rt, code, strlen(code), "[eval]", c.module, &exit_code);
            free(src);
        }
        if (rc != WEFT_OK) {
            fprintf(stderr, "weft: %s\n", weft_runtime_last_error(rt));
            exit_code = 1;
        }
        weft_runtime_free(rt);
    } else {
        fprintf(stderr, "weft: cannot start: %s\n", weft_strerror(rc));
    }
    free(jsargv);
    free(self);
    free(script_path);
    return exit_code;
}
