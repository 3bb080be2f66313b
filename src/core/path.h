/*
 * path: POSIX path arithmetic for module resolution. Pure string functions,
 * no file system access; every result is malloc()ed and owned by the caller
 * (NULL only when memory runs out).
 */
#ifndef WEFT_PATH_H
#define WEFT_PATH_H

#include <stdbool.h>

/* Collapses "//", "." and ".." segments; keeps a leading '/'. "" becomes ".". */
char *weft__path_normalize(const char *path);

/* base + "/" + rel, normalized; rel is returned normalized when absolute. */
char *weft__path_join(const char *base, const char *rel);

/* Everything before the last '/' ("/" for "/x", "." for "x"). */
char *weft__path_dirname(const char *path);

/* True for specifiers that name a path: "/...", "./...", "../...", ".", "..". */
bool weft__path_is_path_specifier(const char *spec);

/* The extension including its dot ("" when none) of the last segment. */
const char *weft__path_extname(const char *path);

#endif
