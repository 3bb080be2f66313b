/*
 * port: one end of a channel. A channel is two entangled ports sharing one
 * mutex; what one end posts is queued on the other, in order, and the thread
 * that owns the receiving end is woken through its inbox (one uv_async per
 * thread, with a list of ports that have mail) or its blocking receive.
 *
 * Sharing: a port is reached from its JavaScript object (in the owning
 * thread), from messages that transfer it, and from its peer, so the channel
 * is reference counted atomically; each port reference counts on it.
 */
#ifndef WEFT_PORT_H
#define WEFT_PORT_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/message.h"
#include "quickjs.h"

typedef struct weft_port weft_port;
typedef struct weft_inbox weft_inbox;

/* ---- the core: any thread ---- */

/* Creates an entangled pair, each with one reference for the caller. */
int weft__port_pair(weft_port **a, weft_port **b);

void weft__port_retain(weft_port *p);
void weft__port_release(weft_port *p);

/* Queues msg on p's peer and wakes the peer's owner. Takes msg in every case:
 * when the channel is closed a data message is dropped, as in Node. Control
 * messages (thread online/error/exit) are delivered even then. */
void weft__port_post(weft_port *p, weft_message *msg);

/* Closes the channel from p's side: the peer gets WEFT_MSG_CLOSE after the
 * messages already queued for it; messages queued for p are dropped.
 * Idempotent. */
void weft__port_close(weft_port *p);

bool weft__port_is_closed(weft_port *p);

/* Takes every message queued for p, in order (NULL when none); *last, if
 * last is not NULL, gets the last of them. */
weft_message *weft__port_take_all(weft_port *p, weft_message **last);

/* Puts messages taken but not handled back at the front of p's queue; last
 * is the list's last message (a long rest is not walked to find it). */
void weft__port_requeue(weft_port *p, weft_message *list, weft_message *last);

/* Blocks until a message is queued for p, the channel closes, `timeout_ms`
 * passes (negative: no limit) or the calling thread is asked to stop.
 * Returns one message, or NULL. */
weft_message *weft__port_receive(weft_port *p, double timeout_ms);

/* Messages queued to p so far (statistics, any thread). */
uint64_t weft__port_messages_in(weft_port *p);

/* ---- inboxes: one per thread ---- */

typedef void (*weft_inbox_fn)(weft_port *p, void *arg);

/* Creates the inbox of a thread. On that thread, every wake-up calls
 * fn(NULL, arg) first (to notice a stop request), then fn(p, arg) for each
 * owned port with mail. Until weft__inbox_use_loop, the thread receives by
 * calling weft__inbox_wait. */
weft_inbox *weft__inbox_new(weft_inbox_fn fn, void *arg);

/* From now on the inbox wakes `loop` (owning thread only); its async handle
 * keeps the loop alive while the keep-alive count is above zero. */
int weft__inbox_use_loop(weft_inbox *in, uv_loop_t *loop);

/* Without a loop: blocks until woken and returns the nanoseconds it waited
 * (idle time); weft__inbox_process then handles the mail. */
uint64_t weft__inbox_wait(weft_inbox *in);
void weft__inbox_process(weft_inbox *in);

int weft__inbox_keep_alive(const weft_inbox *in);

/* Owning thread only: mail is expected within `ns` (the thread it just
 * started will say it runs, then usually post): until then, its waits spin
 * instead of sleeping, whatever the spin budget has adapted to. */
void weft__inbox_expect_mail(weft_inbox *in, uint64_t ns);

/* Whether the thread, handling mail with a loop, has had its turn: the one
 * delivering should requeue what is left (it comes back in the next turn,
 * after the loop's timers and I/O). Always false without a loop. */
bool weft__inbox_turn_over(weft_inbox *in);

/* Shuts the inbox: ports still pointing at it stop waking it; its handle is
 * closed. The memory goes with the last port that references it. */
void weft__inbox_close(weft_inbox *in);

/* Keep-alive count: the thread stays alive while it is above zero. */
void weft__inbox_ref(weft_inbox *in);
void weft__inbox_unref(weft_inbox *in);

/* Wakes the inbox's thread from any thread (used to deliver termination). */
void weft__inbox_wake(weft_inbox *in);

/* Makes `in` the owner of p (NULL: no owner, e.g. while in transit). Mail
 * already queued is announced to the new owner. */
void weft__port_set_owner(weft_port *p, weft_inbox *in);

/* Whether mail for p wakes its owner (a started port). A port that does not
 * listen keeps its mail queued for a blocking receive or a later start. */
void weft__port_listen(weft_port *p, bool on);

/* The owning thread's object for p (set and read by that thread only). */
void *weft__port_user(weft_port *p);
void weft__port_set_user(weft_port *p, void *user);

/* ---- JavaScript objects (implemented by src/modules/ports.c) ---- */

/* The port behind a MessagePort object of ctx, or NULL when val is not one. */
weft_port *weft__port_unwrap(JSContext *ctx, JSValueConst val);

/* True when val is a MessagePort object that can no longer be used (closed,
 * or already transferred away). */
bool weft__port_object_is_unusable(JSContext *ctx, JSValueConst val);

/* Detaches a MessagePort object from its thread for transfer: the object
 * becomes unusable and the caller receives a reference to the port. */
weft_port *weft__port_detach(JSContext *ctx, JSValueConst val);

/* A new MessagePort object in ctx for p, owned by ctx's thread; takes the
 * caller's reference. */
JSValue weft__port_wrap(JSContext *ctx, weft_port *p);

#endif
