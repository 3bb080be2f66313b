/*
 * embed: the module 'weft:embed' (C functions an embedder exposed to every
 * thread of its runtime; see src/modules/embed.c).
 */
#ifndef WEFT_MODULES_EMBED_H
#define WEFT_MODULES_EMBED_H

#include <stdbool.h>

#include "quickjs.h"

bool weft__embed_is_module(const char *id);
JSModuleDef *weft__embed_module(JSContext *ctx, const char *id);

#endif
