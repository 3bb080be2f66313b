/*
 * embedded: the builtin JavaScript modules, compiled to bytecode by the build
 * (tools/jsc.c) and linked into libweft. src/js/<path>.js is "weft:<path>".
 */
#ifndef WEFT_EMBEDDED_H
#define WEFT_EMBEDDED_H

#include <stddef.h>
#include <stdint.h>

typedef struct weft_embedded_module {
    const char *id;
    const uint8_t *bytecode;
    const size_t *size;
} weft_embedded_module;

/* The module with this id, or NULL. */
const weft_embedded_module *weft__embedded_find(const char *id);

#endif
