/*
 * api_port: C-side ports and messages of the embedding API (weft.h), over
 * the core's ports (src/core/port.c). A C port has no owning thread: what
 * is sent to it waits in its queue until a C thread receives it, while the
 * other end is an ordinary MessagePort in some JavaScript thread.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/api.h"
#include "core/api_port.h"
#include "core/port.h"

static void port_destroy(api_handle *h)
{
    weft_port_t *p = (weft_port_t *)h;
    if (p->port) {
        weft__port_close(p->port);
        weft__port_release(p->port);
    }
    uv_mutex_destroy(&p->recv_lock);
    free(p);
}

int weft__api_port_new(weft_port *port, weft_port *peer, bool thread_owned, weft_port_t **out)
{
    weft_port_t *p = calloc(1, sizeof *p);
    if (!p)
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    if (uv_mutex_init(&p->recv_lock) != 0) {
        free(p);
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    }
    p->port = port;
    p->peer = peer;
    p->thread_owned = thread_owned;
    int err = weft__api_register(&p->h, API_PORT, port_destroy);
    if (err) {
        uv_mutex_destroy(&p->recv_lock);
        free(p);
        return err;
    }
    *out = p;
    return WEFT_OK;
}

weft_port_t *weft__api_port_acquire(weft_port_t *ptr, const char *what)
{
    weft_port_t *p = (weft_port_t *)weft__api_acquire(ptr, API_PORT, what);
    if (p && !p->port) {
        weft__api_release(&p->h);
        weft__api_fail(WEFT_ESTATE, "%s: the port was transferred", what);
        return NULL;
    }
    return p;
}

void weft__api_port_consume(weft_port_t *p)
{
    /* The handle's reference to the core port went with the transfer. */
    p->port = NULL;
    if (weft__api_unregister(p, API_PORT))
        weft__api_release(&p->h);
}

int weft_channel_new(weft_port_t **a, weft_port_t **b)
{
    if (!a || !b)
        return weft__api_fail(WEFT_EINVAL, "weft_channel_new: an out-parameter is NULL");
    *a = *b = NULL;
    weft_port *pa, *pb;
    int err = weft__port_pair(&pa, &pb);
    if (err)
        return weft__api_fail(WEFT_ENOMEM, "weft_channel_new: out of memory");
    err = weft__api_port_new(pa, pb, false, a);
    if (err) {
        weft__port_release(pa);
        weft__port_release(pb);
        return err;
    }
    err = weft__api_port_new(pb, pa, false, b);
    if (err) {
        weft_port_free(*a);
        *a = NULL;
        weft__port_release(pb);
        return err;
    }
    return WEFT_OK;
}

/* Posts msg (taken in every case) on the port handle. */
static int post(weft_port_t *ptr, const char *what, weft_message *msg)
{
    weft_port_t *p = weft__api_port_acquire(ptr, what);
    if (!p) {
        weft__message_free(msg);
        return weft__api_last_code();
    }
    weft__port_post(p->port, msg);
    weft__api_release(&p->h);
    return WEFT_OK;
}

int weft_port_send_json(weft_port_t *port, const char *json, size_t len)
{
    if (!json)
        return weft__api_fail(WEFT_EINVAL, "weft_port_send_json: json is NULL");
    if (len == (size_t)-1)
        len = strlen(json);
    wire_buf b;
    weft__wire_init(&b);
    int err = weft__wire_json(&b, json, len);
    if (err) {
        weft__wire_free(&b);
        return err;
    }
    weft_message *m = weft__wire_message(&b);
    if (!m)
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    return post(port, "weft_port_send_json", m);
}

int weft_port_send_bytes(weft_port_t *port, const void *data, size_t len)
{
    if (!data && len)
        return weft__api_fail(WEFT_EINVAL, "weft_port_send_bytes: data is NULL");
    wire_buf b;
    weft__wire_init(&b);
    weft__wire_byte(&b, WIRE_ARRAY_BUFFER);
    weft__wire_string(&b, data, len);
    weft_message *m = weft__wire_message(&b);
    if (!m)
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    return post(port, "weft_port_send_bytes", m);
}

int weft_port_send_buffer(weft_port_t *ptr, void *data, size_t len)
{
    if (!data)
        return weft__api_fail(WEFT_EINVAL, "weft_port_send_buffer: data is NULL");
    weft_port_t *p = weft__api_port_acquire(ptr, "weft_port_send_buffer");
    if (!p)
        return weft__api_last_code();
    /* The bytes travel beside the wire data, as a transferred ArrayBuffer's
     * do: the receiver adopts them without a copy. */
    wire_buf b;
    weft__wire_init(&b);
    weft__wire_byte(&b, WIRE_MOVED_BUFFER);
    weft__wire_varint(&b, 0);
    weft_message *m = weft__wire_message(&b);
    weft_message_sides *sides = m ? weft__message_sides(m) : NULL;
    weft_moved_buffer *moved = sides ? malloc(sizeof *moved) : NULL;
    if (!moved) {
        weft__message_free(m);
        weft__api_release(&p->h);
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    }
    moved->data = data;
    moved->len = len;
    sides->moved = moved;
    sides->n_moved = 1;
    weft__port_post(p->port, m);
    weft__api_release(&p->h);
    return WEFT_OK;
}

int weft_port_send_port(weft_port_t *ptr, weft_port_t *tptr)
{
    weft_port_t *p = weft__api_port_acquire(ptr, "weft_port_send_port");
    if (!p)
        return weft__api_last_code();
    weft_port_t *t = weft__api_port_acquire(tptr, "weft_port_send_port");
    if (!t) {
        weft__api_release(&p->h);
        return weft__api_last_code();
    }
    int err = WEFT_OK;
    if (t == p || t->port == p->peer)
        err = weft__api_fail(WEFT_EINVAL, "weft_port_send_port: a port cannot travel over its own channel");
    else if (t->thread_owned)
        err = weft__api_fail(WEFT_EINVAL, "weft_port_send_port: a thread's own port cannot be transferred");
    weft_message *m = NULL;
    if (!err) {
        wire_buf b;
        weft__wire_init(&b);
        weft__wire_byte(&b, WIRE_PORT);
        weft__wire_varint(&b, 0);
        m = weft__wire_message(&b);
        weft_message_sides *sides = m ? weft__message_sides(m) : NULL;
        weft_port **ports = sides ? malloc(sizeof *ports) : NULL;
        if (!ports) {
            weft__message_free(m);
            err = weft__api_fail(WEFT_ENOMEM, "out of memory");
        } else {
            ports[0] = t->port; /* the handle's reference moves into the message */
            sides->ports = ports;
            sides->n_ports = 1;
        }
    }
    if (!err) {
        weft__api_port_consume(t);
        weft__port_post(p->port, m);
    }
    weft__api_release(&t->h);
    weft__api_release(&p->h);
    return err;
}

/* ---- receiving ----------------------------------------------------------------- */

static void message_destroy(api_handle *h)
{
    weft_message_t *m = (weft_message_t *)h;
    weft__message_free(m->msg);
    free(m);
}

int weft_port_recv(weft_port_t *ptr, double timeout_ms, weft_message_t **out)
{
    if (!out)
        return weft__api_fail(WEFT_EINVAL, "weft_port_recv: out is NULL");
    *out = NULL;
    if (timeout_ms != timeout_ms)
        return weft__api_fail(WEFT_EINVAL, "weft_port_recv: timeout is NaN");
    weft_port_t *p = weft__api_port_acquire(ptr, "weft_port_recv");
    if (!p)
        return weft__api_last_code();
    weft_message_t *handle = calloc(1, sizeof *handle);
    if (!handle) {
        weft__api_release(&p->h);
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    }
    /* The core port has one waiter slot: receivers take turns. */
    uv_mutex_lock(&p->recv_lock);
    uint64_t deadline = timeout_ms >= 0 ? uv_hrtime() + (uint64_t)(timeout_ms * 1e6) : UINT64_MAX;
    weft_message *m = weft__port_receive(p->port, timeout_ms < 0 ? -1 : timeout_ms);
    bool closed = !m && weft__port_is_closed(p->port);
    /* A thread closes its end when its vm goes, a moment before it posts its
     * exit notice (and may close it much earlier, with parent.close()):
     * on a thread's port, the channel ends with the exit notice. */
    while (closed && p->thread_owned && !p->exit_seen) {
        uint64_t now = uv_hrtime();
        if (now >= deadline)
            break;
        uint64_t pause = deadline - now < 1000000 ? deadline - now : 1000000;
        struct timespec ts = { 0, (long)pause };
        nanosleep(&ts, NULL);
        m = weft__port_receive(p->port, 0);
        closed = !m;
    }
    if (m && m->kind == WEFT_MSG_EXIT)
        p->exit_seen = true;
    closed = closed && (!p->thread_owned || p->exit_seen);
    uv_mutex_unlock(&p->recv_lock);
    int err = WEFT_OK;
    if (!m) {
        free(handle);
        err = closed ? weft__api_fail(WEFT_ECLOSED, "weft_port_recv: the channel is closed")
                     : weft__api_fail(WEFT_ETIMEDOUT, "weft_port_recv: no message within the timeout");
    } else {
        handle->msg = m;
        err = weft__api_register(&handle->h, API_MESSAGE, message_destroy);
        if (err) {
            weft__port_requeue(p->port, m, m);
            free(handle);
        } else {
            *out = handle;
        }
    }
    weft__api_release(&p->h);
    return err;
}

int weft_port_close(weft_port_t *ptr)
{
    weft_port_t *p = weft__api_port_acquire(ptr, "weft_port_close");
    if (!p)
        return weft__api_last_code();
    weft__port_close(p->port);
    weft__api_release(&p->h);
    return WEFT_OK;
}

void weft_port_free(weft_port_t *ptr)
{
    if (!ptr)
        return;
    weft_port_t *p = (weft_port_t *)weft__api_acquire(ptr, API_PORT, "weft_port_free");
    if (!p)
        return;
    if (p->thread_owned) {
        weft__api_fail(WEFT_EINVAL, "weft_port_free: a thread's port is freed with its thread handle");
    } else if (weft__api_unregister(p, API_PORT)) {
        weft__api_release(&p->h);
    }
    weft__api_release(&p->h);
}

/* ---- messages ----------------------------------------------------------------- */

static weft_message_t *acquire_message(const weft_message_t *ptr, const char *what)
{
    return (weft_message_t *)weft__api_acquire(ptr, API_MESSAGE, what);
}

int weft_message_get_kind(const weft_message_t *ptr)
{
    weft_message_t *m = acquire_message(ptr, "weft_message_get_kind");
    if (!m)
        return -1;
    int kind;
    switch (m->msg->kind) {
    case WEFT_MSG_DATA: kind = WEFT_MESSAGE_DATA; break;
    case WEFT_MSG_ERROR: kind = WEFT_MESSAGE_ERROR; break;
    case WEFT_MSG_EXIT: kind = WEFT_MESSAGE_EXIT; break;
    case WEFT_MSG_CLOSE: kind = WEFT_MESSAGE_CLOSE; break;
    case WEFT_MSG_ONLINE: kind = WEFT_MESSAGE_ONLINE; break;
    default: kind = -1; break;
    }
    weft__api_release(&m->h);
    return kind;
}

int weft_message_exit_code(const weft_message_t *ptr, int *code)
{
    weft_message_t *m = acquire_message(ptr, "weft_message_exit_code");
    if (!m)
        return weft__api_last_code();
    int err = WEFT_OK;
    if (!code)
        err = weft__api_fail(WEFT_EINVAL, "weft_message_exit_code: code is NULL");
    else if (m->msg->kind != WEFT_MSG_EXIT)
        err = weft__api_fail(WEFT_ETYPE, "weft_message_exit_code: not an exit notice");
    else
        *code = m->msg->code;
    weft__api_release(&m->h);
    return err;
}

/* Data and error messages carry a value; the others none. */
static int has_value(weft_message_t *m, const char *what)
{
    if (m->msg->kind != WEFT_MSG_DATA && m->msg->kind != WEFT_MSG_ERROR)
        return weft__api_fail(WEFT_ETYPE, "%s: this kind of message carries no value", what);
    return WEFT_OK;
}

int weft_message_json(const weft_message_t *ptr, char **json, size_t *len)
{
    weft_message_t *m = acquire_message(ptr, "weft_message_json");
    if (!m)
        return weft__api_last_code();
    size_t n = 0;
    int err = !json ? weft__api_fail(WEFT_EINVAL, "weft_message_json: json is NULL")
                    : has_value(m, "weft_message_json");
    if (!err)
        err = weft__wire_to_json(m->msg, json, &n);
    if (!err && len)
        *len = n;
    weft__api_release(&m->h);
    return err;
}

int weft_message_bytes(const weft_message_t *ptr, const void **data, size_t *len)
{
    weft_message_t *m = acquire_message(ptr, "weft_message_bytes");
    if (!m)
        return weft__api_last_code();
    int err = !data || !len ? weft__api_fail(WEFT_EINVAL, "weft_message_bytes: an out-parameter is NULL")
                            : has_value(m, "weft_message_bytes");
    const uint8_t *p;
    size_t n;
    int moved;
    if (!err)
        err = weft__wire_bytes(m->msg, &p, &n, &moved);
    if (!err) {
        *data = p;
        *len = n;
    }
    weft__api_release(&m->h);
    return err;
}

int weft_message_take_bytes(weft_message_t *ptr, void **data, size_t *len)
{
    weft_message_t *m = acquire_message(ptr, "weft_message_take_bytes");
    if (!m)
        return weft__api_last_code();
    int err = !data || !len ? weft__api_fail(WEFT_EINVAL, "weft_message_take_bytes: an out-parameter is NULL")
                            : has_value(m, "weft_message_take_bytes");
    const uint8_t *p;
    size_t n;
    int moved = -1;
    if (!err)
        err = weft__wire_bytes(m->msg, &p, &n, &moved);
    if (!err && moved >= 0) {
        /* A whole moved buffer: the caller takes it as it is. */
        *data = m->msg->sides->moved[moved].data;
        *len = n;
        m->msg->sides->moved[moved].data = NULL;
    } else if (!err) {
        void *copy = malloc(n ? n : 1);
        if (!copy) {
            err = weft__api_fail(WEFT_ENOMEM, "out of memory");
        } else {
            memcpy(copy, p, n);
            *data = copy;
            *len = n;
        }
    }
    weft__api_release(&m->h);
    return err;
}

void weft_message_free(weft_message_t *ptr)
{
    if (!ptr)
        return;
    if (weft__api_unregister(ptr, API_MESSAGE))
        weft__api_release((api_handle *)ptr);
}
