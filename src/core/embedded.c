#include "core/embedded.h"

#include <string.h>

extern const weft_embedded_module weft__embedded_modules[];

const weft_embedded_module *weft__embedded_find(const char *id)
{
    /* A few dozen entries, looked up once per module load: a scan is enough. */
    for (const weft_embedded_module *m = weft__embedded_modules; m->id; m++) {
        if (strcmp(m->id, id) == 0)
            return m;
    }
    return NULL;
}
