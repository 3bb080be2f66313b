/*
 * api_port: the C-side handles of ports and messages (api_port.c), for the
 * rest of the embedding API.
 */
#ifndef WEFT_API_PORT_H
#define WEFT_API_PORT_H

#include <stdbool.h>
#include <uv.h>

#include "core/api.h"
#include "core/port.h"

struct weft_port_s {
    api_handle h;
    weft_port *port;       /* one reference; NULL once transferred */
    weft_port *peer;       /* identity only: the other end, never dereferenced */
    bool thread_owned;     /* a thread handle's port: freed with the thread */
    bool exit_seen;        /* thread ports: the exit notice was received */
    uv_mutex_t recv_lock;  /* receivers take turns */
};

struct weft_message_s {
    api_handle h;
    weft_message *msg;
};

/* A handle for port (taking the caller's reference). */
int weft__api_port_new(weft_port *port, weft_port *peer, bool thread_owned, weft_port_t **out);

/* The live, not transferred port handle, with a reference; NULL with the
 * error set otherwise. */
weft_port_t *weft__api_port_acquire(weft_port_t *ptr, const char *what);

/* The handle's core port was handed on (a message or a thread took it): the
 * handle leaves the registry. */
void weft__api_port_consume(weft_port_t *p);

#endif
