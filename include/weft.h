/*
 * weft: JavaScript with real threads, on QuickJS and libuv.
 *
 * This is the embedding API of libweft. Every function returns 0 or a
 * negative WEFT_E* code; the runtime keeps a message describing the last
 * failure (weft_runtime_last_error). A runtime and everything reached through
 * it belong to the thread that created it unless a function says otherwise.
 */
#ifndef WEFT_H
#define WEFT_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stddef.h>

#define WEFT_VERSION_MAJOR 0
#define WEFT_VERSION_MINOR 1
#define WEFT_VERSION_PATCH 0

/* Error codes. */
#define WEFT_OK       0
#define WEFT_ENOMEM  (-1) /* out of memory */
#define WEFT_EINVAL  (-2) /* invalid argument (NULL, out of range) */
#define WEFT_ESTATE  (-3) /* call not valid in the object's current state */
#define WEFT_ENOENT  (-4) /* file or module not found */
#define WEFT_EIO     (-5) /* a file could not be read */
#define WEFT_EJS     (-6) /* JavaScript raised an error (already reported) */
#define WEFT_ESYS    (-7) /* a system call failed */

/* A short, static description of an error code. */
const char *weft_strerror(int err);

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *weft_version(void);

typedef struct weft_runtime_s weft_runtime_t;

typedef struct weft_runtime_options_s {
    /* The runtime's program path and the script's arguments, as JavaScript
     * sees them in process.argv (argv[0] is the program path). Copied. */
    int argc;
    const char *const *argv;
    /* Memory limit for the main thread's heap in bytes; 0 means none. */
    size_t memory_limit;
    /* Native stack size JavaScript may use in bytes; 0 means the default. */
    size_t stack_size;
} weft_runtime_options_t;

/* Creates a runtime and its main JavaScript thread (which runs on the calling
 * thread). opts may be NULL. On success *out owns the runtime. */
int weft_runtime_new(weft_runtime_t **out, const weft_runtime_options_t *opts);

/* Runs the script at path (ES module or CommonJS, by the rules of
 * docs/modules.md) and then the event loop until nothing keeps it alive or
 * the script calls process.exit(). *exit_code receives the process exit code
 * JavaScript asked for. Uncaught errors are printed to stderr and give exit
 * code 1; WEFT_EJS is not returned for them. Returns WEFT_ENOENT or WEFT_EIO
 * when the script cannot be found or read. A runtime runs one main script. */
int weft_runtime_run_file(weft_runtime_t *rt, const char *path, int *exit_code);

/* Like weft_runtime_run_file, for source text; name is used in stack traces
 * and as the base for relative imports (a path in the current directory when
 * NULL). module nonzero evaluates the source as an ES module. */
int weft_runtime_run_source(weft_runtime_t *rt, const char *source, size_t len,
                            const char *name, int module, int *exit_code);

/* The message for the last failure of a call on rt; never NULL. */
const char *weft_runtime_last_error(const weft_runtime_t *rt);

/* Destroys the runtime and frees everything it holds. NULL is ignored. */
void weft_runtime_free(weft_runtime_t *rt);

#ifdef __cplusplus
}
#endif
#endif /* WEFT_H */
