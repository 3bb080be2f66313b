#include "core/path.h"

#include <stdlib.h>
#include <string.h>

char *weft__path_normalize(const char *path)
{
    size_t len = strlen(path);
    bool absolute = path[0] == '/';
    /* Output is never longer than the input, plus room for "." and NUL. */
    char *out = malloc(len + 2);
    if (!out)
        return NULL;
    size_t n = 0;
    size_t depth = 0; /* segments in out that a ".." may remove */
    if (absolute)
        out[n++] = '/';
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t seglen = (size_t)(p - seg);
        if (seglen == 0 || (seglen == 1 && seg[0] == '.'))
            continue;
        if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
            if (depth > 0) {
                /* Drop the last segment and its separator. */
                while (n > (absolute ? 1 : 0) && out[n - 1] != '/')
                    n--;
                if (n > (absolute ? 1 : 0))
                    n--;
                depth--;
                continue;
            }
            if (absolute)
                continue; /* "/.." is "/" */
        } else {
            depth++;
        }
        if (n > 0 && out[n - 1] != '/')
            out[n++] = '/';
        memcpy(out + n, seg, seglen);
        n += seglen;
    }
    if (n == 0)
        out[n++] = '.';
    out[n] = '\0';
    return out;
}

char *weft__path_join(const char *base, const char *rel)
{
    if (rel[0] == '/')
        return weft__path_normalize(rel);
    size_t lb = strlen(base), lr = strlen(rel);
    char *tmp = malloc(lb + lr + 2);
    if (!tmp)
        return NULL;
    memcpy(tmp, base, lb);
    tmp[lb] = '/';
    memcpy(tmp + lb + 1, rel, lr + 1);
    char *out = weft__path_normalize(tmp);
    free(tmp);
    return out;
}

char *weft__path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

bool weft__path_is_path_specifier(const char *spec)
{
    if (spec[0] == '/')
        return true;
    if (spec[0] != '.')
        return false;
    if (spec[1] == '\0' || spec[1] == '/')
        return true;
    return spec[1] == '.' && (spec[2] == '\0' || spec[2] == '/');
}

const char *weft__path_extname(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return path + strlen(path);
    return dot;
}
