/*
 * shm: SharedArrayBuffer backing stores shared by every thread of the
 * process. A store is one allocation: a refcount header followed by the
 * bytes JavaScript sees. Each SharedArrayBuffer object and each message in
 * flight holds one reference; the last release frees the store.
 */
#ifndef WEFT_SHM_H
#define WEFT_SHM_H

#include <stddef.h>

#include "quickjs.h"

/* Installs the store functions on a runtime (JS_SetSharedArrayBufferFunctions). */
void weft__shm_install(JSRuntime *rt);

/* Reference counting on the data pointer JavaScript sees. Thread-safe. */
void weft__shm_retain(void *data);
void weft__shm_release(void *data);

/* Live stores in the process, for tests of lifetimes. */
size_t weft__shm_live_count(void);

#endif
