#include "core/message.h"

#include <stdlib.h>
#include <string.h>

#include "core/port.h"
#include "core/shm.h"

/* The wire bytes share the message's allocation. The side tables are
 * separate malloc() blocks that whoever fills them attaches (clone.c), so a
 * message carrying only bytes, the common case, is a single allocation. */
weft_message *weft__message_new(weft_message_kind kind, const uint8_t *data, size_t len)
{
    if (len > SIZE_MAX - sizeof(weft_message))
        return NULL;
    weft_message *msg = malloc(sizeof *msg + len);
    if (!msg)
        return NULL;
    memset(msg, 0, sizeof *msg);
    msg->kind = kind;
    msg->len = len;
    if (len)
        memcpy(msg->data, data, len);
    return msg;
}

/* Entries a receiver took over are NULL; everything else is still owned. */
void weft__message_free(weft_message *msg)
{
    if (!msg)
        return;
    for (uint32_t i = 0; i < msg->n_shared; i++) {
        if (msg->shared[i])
            weft__shm_release(msg->shared[i]);
    }
    free(msg->shared);
    free(msg->shared_len);
    for (uint32_t i = 0; i < msg->n_moved; i++)
        free(msg->moved[i].data);
    free(msg->moved);
    for (uint32_t i = 0; i < msg->n_ports; i++) {
        if (msg->ports[i])
            weft__port_release(msg->ports[i]);
    }
    free(msg->ports);
    free(msg);
}
