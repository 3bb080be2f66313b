/*
 * message: one value in flight between threads. The value is a byte string
 * in weft's wire format (clone.c), plus side tables (weft_message_sides) for
 * what cannot be bytes: SharedArrayBuffer stores (one reference each),
 * ArrayBuffer backing stores moved without copying, and transferred ports
 * (one reference each).
 *
 * A message is immutable once written and owned by exactly one party at a
 * time: the sender, a port's queue, then the receiver, which frees it.
 */
#ifndef WEFT_MESSAGE_H
#define WEFT_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

struct weft_port;

/* An ArrayBuffer's bytes moved out of the sending runtime; owned by the
 * message until the receiver adopts them (or weft__message_free frees them
 * with free()). */
typedef struct weft_moved_buffer {
    uint8_t *data;
    size_t len;
} weft_moved_buffer;

typedef enum weft_message_kind {
    WEFT_MSG_DATA = 0,      /* a cloned value */
    WEFT_MSG_ERROR,         /* a thread's uncaught error (a cloned value) */
    WEFT_MSG_EXIT,          /* a thread ended; code in `code` */
    WEFT_MSG_CLOSE,         /* the peer port closed */
    WEFT_MSG_ONLINE,        /* a thread started running JavaScript */
} weft_message_kind;

/* What a message carries besides its bytes. Most messages carry none, and
 * the tables sit in a block of their own: a small message's header and
 * bytes then fit in one cache line, which is what crosses between the
 * sender's core and the receiver's, twice per message (a stream of
 * {i, s: 'hello'} lost a quarter of its rate to one more line). */
typedef struct weft_message_sides {
    void **shared;             /* SharedArrayBuffer data pointers (shm.h) */
    size_t *shared_len;
    uint32_t n_shared;

    weft_moved_buffer *moved;
    uint32_t n_moved;

    struct weft_port **ports;
    uint32_t n_ports;
} weft_message_sides;

typedef struct weft_message {
    struct weft_message *next; /* queue link, owned by the queue holding it */
    struct weft_message_pool *home; /* where the block goes back (message.c) */
    weft_message_sides *sides; /* NULL: the message is its bytes alone */
    size_t len;                /* bytes of wire data */
    weft_message_kind kind;
    int code;
    uint8_t data[];            /* the wire data, allocated with the message */
} weft_message;

/* A message of `len` wire bytes copied from `data`, with empty side tables.
 * NULL when out of memory. */
weft_message *weft__message_new(weft_message_kind kind, const uint8_t *data, size_t len);

/* Frees the message and releases whatever its side tables still hold. Any
 * thread may free any message. */
void weft__message_free(weft_message *msg);

/* Frees a list of messages linked by `next` (a queue taken whole). */
void weft__message_free_list(weft_message *list);

/* The message's side tables, made (empty) the first time they are asked
 * for; NULL when out of memory. */
weft_message_sides *weft__message_sides(weft_message *msg);

/* For readers of a message without side tables: every count 0, so no entry
 * is ever read or written. */
extern weft_message_sides weft__no_sides;

static inline weft_message_sides *weft__message_sides_or_none(const weft_message *msg)
{
    return msg->sides ? msg->sides : &weft__no_sides;
}

/* Small messages made on this thread come from a pool of blocks while at
 * least one vm runs on it (message.c); calls nest. */
void weft__message_pool_attach(void);
void weft__message_pool_detach(void);

#endif
