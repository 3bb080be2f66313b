/*
 * embed: what the core needs to know of an embedder's runtime (the C API,
 * include/weft.h): a reference-counted configuration that every thread
 * started in that runtime inherits from its creator, and that prepares each
 * thread's vm before its JavaScript runs (limits, GC threshold, the
 * embedder's runtime and context factories). Threads of the weft command
 * have none (NULL everywhere).
 */
#ifndef WEFT_EMBED_H
#define WEFT_EMBED_H

#include <stddef.h>
#include <uv.h>

typedef struct weft_embed weft_embed;
struct weft_vm;

void weft__embed_retain(weft_embed *e);
void weft__embed_release(weft_embed *e);

/* Default limits for a new thread: fills the ones that are 0. */
void weft__embed_thread_defaults(const weft_embed *e, size_t *memory_limit, size_t *stack_size);

/* On a new thread, before any of its own JavaScript: applies e to vm (which
 * keeps a borrowed pointer) and runs the factories. Returns 0, or -1 with a
 * message in err (the thread must not run). */
int weft__embed_prepare(weft_embed *e, struct weft_vm *vm, char *err, size_t errlen);

#endif
