/*
 * runtime: the public face of libweft (include/weft.h). A runtime owns the
 * main thread's vm; thread creation will hang off it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft.h"
#include "core/vm.h"

struct weft_runtime_s {
    weft_vm *main;
    bool ran;
    char error[512];
};

const char *weft_strerror(int err)
{
    switch (err) {
    case WEFT_OK: return "success";
    case WEFT_ENOMEM: return "out of memory";
    case WEFT_EINVAL: return "invalid argument";
    case WEFT_ESTATE: return "invalid state";
    case WEFT_ENOENT: return "not found";
    case WEFT_EIO: return "input/output error";
    case WEFT_EJS: return "JavaScript error";
    case WEFT_ESYS: return "system error";
    default: return "unknown error";
    }
}

const char *weft_version(void)
{
    return WEFT_VERSION;
}

int weft_runtime_new(weft_runtime_t **out, const weft_runtime_options_t *opts)
{
    static const char *const default_argv[] = { "weft" };
    if (!out)
        return WEFT_EINVAL;
    *out = NULL;
    weft_runtime_options_t defaults = { .argc = 1, .argv = default_argv };
    if (!opts)
        opts = &defaults;
    if (opts->argc < 0 || (opts->argc > 0 && !opts->argv))
        return WEFT_EINVAL;
    weft_runtime_t *rt = calloc(1, sizeof *rt);
    if (!rt)
        return WEFT_ENOMEM;
    weft_vm_options vo = {
        .argc = opts->argc,
        .argv = opts->argv,
        .memory_limit = opts->memory_limit,
        .stack_size = opts->stack_size,
    };
    if (weft__vm_new(&rt->main, &vo, rt->error, sizeof rt->error) != 0) {
        /* No runtime to carry the message: print it for the embedder. */
        fprintf(stderr, "weft: %s\n", rt->error);
        free(rt);
        return WEFT_ENOMEM;
    }
    *out = rt;
    return WEFT_OK;
}

static int run(weft_runtime_t *rt, const char *path, const char *source, size_t len, int module, int *exit_code)
{
    if (!rt || !exit_code || (!path && !source))
        return WEFT_EINVAL;
    if (rt->ran) {
        snprintf(rt->error, sizeof rt->error, "this runtime already ran its main script");
        return WEFT_ESTATE;
    }
    rt->ran = true;
    int rc = weft__vm_run_main(rt->main, path, source, len, module != 0, exit_code);
    if (rc != 0) {
        snprintf(rt->error, sizeof rt->error, "%s", rt->main->error);
        return rc == -1 ? WEFT_ENOENT : WEFT_EIO;
    }
    return WEFT_OK;
}

int weft_runtime_run_file(weft_runtime_t *rt, const char *path, int *exit_code)
{
    if (!path)
        return WEFT_EINVAL;
    return run(rt, path, NULL, 0, 0, exit_code);
}

int weft_runtime_run_source(weft_runtime_t *rt, const char *source, size_t len, const char *name,
                            int module, int *exit_code)
{
    if (!source)
        return WEFT_EINVAL;
    return run(rt, name ? name : "[eval]", source, len, module, exit_code);
}

const char *weft_runtime_last_error(const weft_runtime_t *rt)
{
    return rt ? rt->error : "no runtime";
}

void weft_runtime_free(weft_runtime_t *rt)
{
    if (!rt)
        return;
    weft__vm_free(rt->main);
    weft__thread_pool_close();
    free(rt);
}
