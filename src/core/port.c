#include "core/port.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "core/thread.h"

/* Both ends live in one allocation and share its lock: posting and draining
 * touch one queue under one mutex, and the pair is freed with its last
 * reference. */
struct weft_port {
    struct weft_channel *channel;
    int side;
    weft_message *head, *tail; /* incoming, guarded by channel->lock */
    weft_inbox *owner;         /* guarded by channel->lock */
    bool in_ready;             /* in owner's ready list; guarded by channel->lock */
    bool listening;            /* mail wakes the owner; guarded by channel->lock */
    weft_port *ready_next;     /* guarded by the inbox's lock */
    uv_cond_t *waiter;         /* a blocking receive; guarded by channel->lock */
    atomic_uint_fast64_t messages_in;
    void *user;                /* owning thread only */
};

typedef struct weft_channel {
    atomic_int refs;
    uv_mutex_t lock;
    bool closed;
    weft_port ends[2];
} weft_channel;

/* An inbox wakes its thread through a condition variable until the thread
 * has a uv loop, and through the loop's uv_async afterwards: a thread that
 * only exchanges messages never makes a loop, which saves it the loop's four
 * file descriptors (ten thousand idle threads fit in one process). */
struct weft_inbox {
    atomic_int refs;           /* the owning vm, plus each port it owns */
    uv_mutex_t lock;
    uv_cond_t cond;            /* the wake-up while there is no loop */
    bool woken;                /* guarded by lock: a wake-up not yet seen */
    /* `spinning` means the owner will look at `mail` before it sleeps: it
     * spins briefly after it handled mail (see "spinning" below), and a
     * thread with a loop looks after each pass of its turn. Meanwhile a
     * sender only raises `mail` instead of paying for a futex or eventfd
     * wake-up. */
    atomic_bool mail;          /* set with each wake-up, cleared when seen */
    atomic_bool spinning;
    uint64_t spin_ns;          /* owning thread only: the current budget */
    uint64_t expect_until;     /* owning thread only: see weft__inbox_expect_mail */
    uint64_t waiting_since;    /* owning thread only: a loop's wait began */
    uint64_t turn_ends;        /* owning thread only: see weft__inbox_turn_over */
    bool closed;               /* guarded by lock */
    bool has_async;            /* guarded by lock: the loop exists */
    weft_port *ready;          /* guarded by lock; each entry holds a reference */
    uv_async_t async;
    int keep_alive;            /* owning thread only */
    weft_inbox_fn fn;
    void *arg;
};

/* Wakes the owning thread; called with in->lock held. The owner clears
 * `spinning` before it checks `mail` a last time, and we raise `mail` before
 * we read `spinning` (both sequentially consistent): either it sees the mail
 * or we see that it stopped spinning and wake it. */
static void wake_locked(weft_inbox *in)
{
    atomic_store(&in->mail, true);
    if (atomic_load(&in->spinning))
        return;
    if (in->has_async) {
        uv_async_send(&in->async);
    } else {
        in->woken = true;
        uv_cond_signal(&in->cond);
    }
}

/* ---- spinning -------------------------------------------------------------
 *
 * Parking a thread and waking it costs tens of microseconds on each side (a
 * futex or an eventfd, and the scheduler); a busy peer's next message usually
 * comes within one. So a thread that waits for mail right after it had some
 * spins first: a blocking receive, and an inbox after it handled mail. An
 * inbox adapts its budget: a wait that outlasts a spin several times over
 * halves the next spin, a short one restores it, so a thread whose mail comes
 * rarely soon stops spinning. Never on one CPU, where the sender could not
 * run meanwhile. */

#define SPIN_NS 20000

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static bool can_spin(void)
{
    static atomic_int cpus;
    int n = atomic_load_explicit(&cpus, memory_order_relaxed);
    if (n == 0) {
        n = (int)uv_available_parallelism();
        atomic_store_explicit(&cpus, n, memory_order_relaxed);
    }
    return n >= 2;
}

/* Mail that follows the last within GATHER_GAP_NS is a stream: taking each
 * message the moment it lands makes sender and receiver fight over the same
 * locks and cache lines for every message (a third of a stream's rate was
 * lost to it on two cores).
 * Waiting GATHER_NS more lets a batch build up, taken in one go. Mail after
 * a longer gap (a reply, a lone event) is taken at once. */
#define GATHER_GAP_NS 2000
#define GATHER_NS 5000

/* One turn of an inbox's spin: true once `until` has passed. Every so often
 * it yields, so that a thread with work to do that shares this core (more
 * threads than cores, as in a pool) gets it instead of waiting for the
 * scheduler to preempt us. */
static bool spin_turn(unsigned i, uint64_t until)
{
    cpu_relax();
    if ((i & 63) != 0)
        return false;
    sched_yield();
    return uv_hrtime() >= until;
}

static void gather(uint64_t spin_start)
{
    uint64_t now = uv_hrtime();
    if (now - spin_start > GATHER_GAP_NS)
        return;
    uint64_t until = now + GATHER_NS;
    for (unsigned i = 1; !spin_turn(i, until); i++)
        ;
}

/* Spins while the inbox has no mail, within its budget; true when mail came.
 * `spinning` is left set: the caller clears it (stop_spinning). */
static bool spin_for_inbox(weft_inbox *in)
{
    uint64_t start = uv_hrtime();
    uint64_t until = start + in->spin_ns;
    if (in->expect_until > until)
        until = in->expect_until;
    if (until == start || !can_spin())
        return atomic_load(&in->mail);
    atomic_store(&in->spinning, true);
    for (unsigned i = 1;; i++) {
        if (atomic_load_explicit(&in->mail, memory_order_acquire)) {
            gather(start);
            return true;
        }
        if (spin_turn(i, until))
            return atomic_load(&in->mail);
    }
}

void weft__inbox_expect_mail(weft_inbox *in, uint64_t ns)
{
    in->expect_until = uv_hrtime() + ns;
}

/* Clears `spinning`; true when mail came meanwhile (see wake_locked). */
static bool stop_spinning(weft_inbox *in)
{
    atomic_store(&in->spinning, false);
    return atomic_load(&in->mail);
}

/* A wait of `waited` ns ended with mail: adapt the next spin. */
static void adapt_spin(weft_inbox *in, uint64_t waited)
{
    if (waited <= 4 * SPIN_NS)
        in->spin_ns = SPIN_NS;
    else
        in->spin_ns /= 2;
}

static weft_port *peer_of(weft_port *p)
{
    return &p->channel->ends[!p->side];
}

/* ---- channels ------------------------------------------------------------ */

int weft__port_pair(weft_port **a, weft_port **b)
{
    weft_channel *ch = calloc(1, sizeof *ch);
    if (!ch)
        return UV_ENOMEM;
    int err = uv_mutex_init(&ch->lock);
    if (err) {
        free(ch);
        return err;
    }
    atomic_init(&ch->refs, 2);
    for (int i = 0; i < 2; i++) {
        ch->ends[i].channel = ch;
        ch->ends[i].side = i;
        atomic_init(&ch->ends[i].messages_in, 0);
    }
    *a = &ch->ends[0];
    *b = &ch->ends[1];
    return 0;
}

void weft__port_retain(weft_port *p)
{
    atomic_fetch_add_explicit(&p->channel->refs, 1, memory_order_relaxed);
}

static void inbox_release(weft_inbox *in);

void weft__port_release(weft_port *p)
{
    weft_channel *ch = p->channel;
    if (atomic_fetch_sub_explicit(&ch->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (int i = 0; i < 2; i++) {
        weft__message_free_list(ch->ends[i].head);
        if (ch->ends[i].owner)
            inbox_release(ch->ends[i].owner);
    }
    uv_mutex_destroy(&ch->lock);
    free(ch);
}

/* ---- inboxes ------------------------------------------------------------- */

static void inbox_release(weft_inbox *in)
{
    if (atomic_fetch_sub_explicit(&in->refs, 1, memory_order_acq_rel) == 1) {
        uv_cond_destroy(&in->cond);
        uv_mutex_destroy(&in->lock);
        free(in);
    }
}

/* Announces p to its owner. Called with p's channel locked; the owner's
 * memory is valid because p holds a reference to it. */
static void announce(weft_port *p)
{
    weft_inbox *in = p->owner;
    if (!in || !p->listening || p->in_ready || !p->head)
        return;
    uv_mutex_lock(&in->lock);
    if (!in->closed) {
        p->in_ready = true;
        weft__port_retain(p);
        p->ready_next = in->ready;
        in->ready = p;
        wake_locked(in);
    }
    uv_mutex_unlock(&in->lock);
}

/* Runs on the owning thread after a wake-up: a stop check, then the mail. */
static void inbox_process(weft_inbox *in)
{
    in->fn(NULL, in->arg);
    atomic_store(&in->mail, false);
    uv_mutex_lock(&in->lock);
    weft_port *list = in->ready;
    in->ready = NULL;
    uv_mutex_unlock(&in->lock);

    /* The list is newest first; deliver in arrival order of announcements. */
    weft_port *ordered = NULL;
    while (list) {
        weft_port *next = list->ready_next;
        list->ready_next = ordered;
        ordered = list;
        list = next;
    }
    while (ordered) {
        weft_port *p = ordered;
        ordered = p->ready_next;
        uv_mutex_lock(&p->channel->lock);
        p->in_ready = false;
        bool mine = p->owner == in;
        if (!mine)
            announce(p); /* moved to another thread while queued here */
        uv_mutex_unlock(&p->channel->lock);
        if (mine)
            in->fn(p, in->arg);
        weft__port_release(p);
    }
}

/* ---- turns: mail shares the loop ----------------------------------------------
 *
 * With a loop, mail is handled in turns of at most TURN_NS: a stream that
 * never pauses would otherwise keep the thread in the inbox's callback, and
 * its timers and I/O would wait for the stream to end (a 10 ms interval
 * fired 19 times in a one-second stream). A turn that runs out leaves the
 * rest queued and comes back through the loop, after its timers and I/O. */

#define TURN_NS 1000000

bool weft__inbox_turn_over(weft_inbox *in)
{
    return in->turn_ends != 0 && uv_hrtime() >= in->turn_ends;
}

/* With a loop: the mail, then more of it for as long as it keeps coming
 * within a spin, within a turn. */
static void inbox_on_async(uv_async_t *async)
{
    weft_inbox *in = async->data;
    uint64_t now = uv_hrtime();
    if (in->waiting_since)
        adapt_spin(in, now - in->waiting_since);
    in->turn_ends = now + TURN_NS;
    for (;;) {
        /* Until the turn ends, mail is looked for after each pass: senders
         * need not wake the loop (a write to its eventfd for each batch). */
        atomic_store(&in->spinning, true);
        inbox_process(in);
        if (weft__inbox_turn_over(in)) {
            /* The rest in the next turn (see wake_locked for the order). */
            in->waiting_since = 0;
            if (stop_spinning(in))
                uv_async_send(&in->async);
            break;
        }
        in->waiting_since = uv_hrtime();
        bool mail = spin_for_inbox(in);
        if (!(stop_spinning(in) | mail))
            break;
    }
    in->turn_ends = 0;
}

weft_inbox *weft__inbox_new(weft_inbox_fn fn, void *arg)
{
    weft_inbox *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    if (uv_mutex_init(&in->lock) != 0) {
        free(in);
        return NULL;
    }
    if (uv_cond_init(&in->cond) != 0) {
        uv_mutex_destroy(&in->lock);
        free(in);
        return NULL;
    }
    atomic_init(&in->refs, 1);
    atomic_init(&in->mail, false);
    atomic_init(&in->spinning, false);
    in->spin_ns = SPIN_NS;
    in->async.data = in;
    in->fn = fn;
    in->arg = arg;
    return in;
}

int weft__inbox_use_loop(weft_inbox *in, uv_loop_t *loop)
{
    int err = uv_async_init(loop, &in->async, inbox_on_async);
    if (err)
        return err;
    if (in->keep_alive == 0)
        uv_unref((uv_handle_t *)&in->async);
    uv_mutex_lock(&in->lock);
    in->has_async = true;
    /* What arrived while the thread had no loop is handled in it. */
    if (in->ready || in->woken)
        uv_async_send(&in->async);
    in->woken = false;
    uv_mutex_unlock(&in->lock);
    return 0;
}

uint64_t weft__inbox_wait(weft_inbox *in)
{
    uint64_t start = uv_hrtime();
    bool mail = spin_for_inbox(in);
    mail |= stop_spinning(in);
    uv_mutex_lock(&in->lock);
    while (!mail && !in->woken && !in->ready && !in->closed)
        uv_cond_wait(&in->cond, &in->lock);
    in->woken = false;
    uv_mutex_unlock(&in->lock);
    uint64_t waited = uv_hrtime() - start;
    adapt_spin(in, waited);
    return waited;
}

void weft__inbox_process(weft_inbox *in)
{
    inbox_process(in);
}

int weft__inbox_keep_alive(const weft_inbox *in)
{
    return in->keep_alive;
}

static void inbox_on_close(uv_handle_t *h)
{
    inbox_release(h->data);
}

void weft__inbox_close(weft_inbox *in)
{
    uv_mutex_lock(&in->lock);
    in->closed = true;
    bool has_async = in->has_async;
    weft_port *list = in->ready;
    in->ready = NULL;
    uv_mutex_unlock(&in->lock);
    while (list) {
        weft_port *next = list->ready_next;
        uv_mutex_lock(&list->channel->lock);
        list->in_ready = false;
        uv_mutex_unlock(&list->channel->lock);
        weft__port_release(list);
        list = next;
    }
    if (has_async)
        uv_close((uv_handle_t *)&in->async, inbox_on_close);
    else
        inbox_release(in);
}

/* has_async is only ever set by the owning thread, which is the caller. */
void weft__inbox_ref(weft_inbox *in)
{
    if (in->keep_alive++ == 0 && in->has_async)
        uv_ref((uv_handle_t *)&in->async);
}

void weft__inbox_unref(weft_inbox *in)
{
    if (--in->keep_alive == 0 && in->has_async)
        uv_unref((uv_handle_t *)&in->async);
}

void weft__inbox_wake(weft_inbox *in)
{
    uv_mutex_lock(&in->lock);
    if (!in->closed)
        wake_locked(in);
    uv_mutex_unlock(&in->lock);
}

void weft__port_set_owner(weft_port *p, weft_inbox *in)
{
    if (in)
        atomic_fetch_add_explicit(&in->refs, 1, memory_order_relaxed);
    uv_mutex_lock(&p->channel->lock);
    weft_inbox *old = p->owner;
    p->owner = in;
    announce(p);
    uv_mutex_unlock(&p->channel->lock);
    if (old)
        inbox_release(old);
}

void weft__port_listen(weft_port *p, bool on)
{
    uv_mutex_lock(&p->channel->lock);
    p->listening = on;
    announce(p);
    uv_mutex_unlock(&p->channel->lock);
}

void *weft__port_user(weft_port *p)
{
    return p->user;
}

void weft__port_set_user(weft_port *p, void *user)
{
    p->user = user;
}

/* ---- messages ------------------------------------------------------------ */

/* Appends msg to p's queue and wakes whoever waits for it. Channel locked. */
static void enqueue(weft_port *p, weft_message *msg)
{
    msg->next = NULL;
    if (p->tail)
        p->tail->next = msg;
    else
        p->head = msg;
    p->tail = msg;
    /* Every writer holds the channel lock: no locked add needed. */
    uint64_t n = atomic_load_explicit(&p->messages_in, memory_order_relaxed);
    atomic_store_explicit(&p->messages_in, n + 1, memory_order_release);
    if (p->waiter)
        uv_cond_signal(p->waiter);
    announce(p);
}

void weft__port_post(weft_port *p, weft_message *msg)
{
    weft_channel *ch = p->channel;
    uv_mutex_lock(&ch->lock);
    if (ch->closed && msg->kind == WEFT_MSG_DATA) {
        uv_mutex_unlock(&ch->lock);
        weft__message_free(msg);
        return;
    }
    enqueue(peer_of(p), msg);
    uv_mutex_unlock(&ch->lock);
}

void weft__port_close(weft_port *p)
{
    weft_message *bye = weft__message_new(WEFT_MSG_CLOSE, NULL, 0);
    weft_channel *ch = p->channel;
    uv_mutex_lock(&ch->lock);
    weft_message *dropped = NULL;
    if (!ch->closed) {
        ch->closed = true;
        dropped = p->head;
        p->head = p->tail = NULL;
        if (bye) {
            enqueue(peer_of(p), bye);
            bye = NULL;
        }
    }
    uv_mutex_unlock(&ch->lock);
    weft__message_free_list(dropped);
    if (bye)
        weft__message_free(bye);
}

bool weft__port_is_closed(weft_port *p)
{
    uv_mutex_lock(&p->channel->lock);
    bool closed = p->channel->closed;
    uv_mutex_unlock(&p->channel->lock);
    return closed;
}

weft_message *weft__port_take_all(weft_port *p, weft_message **last)
{
    uv_mutex_lock(&p->channel->lock);
    weft_message *all = p->head;
    if (last)
        *last = p->tail;
    p->head = p->tail = NULL;
    uv_mutex_unlock(&p->channel->lock);
    return all;
}

void weft__port_requeue(weft_port *p, weft_message *list, weft_message *last)
{
    if (!list)
        return;
    uv_mutex_lock(&p->channel->lock);
    last->next = p->head;
    p->head = list;
    if (!p->tail)
        p->tail = last;
    announce(p);
    uv_mutex_unlock(&p->channel->lock);
}

static weft_message *dequeue(weft_port *p)
{
    weft_message *m = p->head;
    if (m) {
        p->head = m->next;
        if (!p->head)
            p->tail = NULL;
        m->next = NULL;
    }
    return m;
}

/* Spins until p's message count moves past `seen`, the spin budget runs out
 * or the thread is asked to stop. Unlike an inbox's spin it does not yield:
 * a blocking receive is a reply's latency path (with spin_turn's yields the
 * busy ping-pong case measured ~2.3 instead of ~2.1 µs). */
static void spin_for_mail(weft_port *p, uint64_t seen, weft_thread *self, uint64_t deadline)
{
    if (!can_spin())
        return;
    uint64_t until = uv_hrtime() + SPIN_NS;
    if (deadline && deadline < until)
        until = deadline;
    for (unsigned i = 1;; i++) {
        if (atomic_load_explicit(&p->messages_in, memory_order_acquire) != seen)
            return;
        cpu_relax();
        if ((i & 255) == 0 && (uv_hrtime() >= until || (self && weft__thread_stop_requested(self))))
            return;
    }
}

weft_message *weft__port_receive(weft_port *p, double timeout_ms)
{
    weft_thread *self = weft__thread_current();
    weft_channel *ch = p->channel;
    uint64_t deadline = timeout_ms >= 0 ? uv_hrtime() + (uint64_t)(timeout_ms * 1e6) : 0;

    uv_mutex_lock(&ch->lock);
    weft_message *m = dequeue(p);
    bool closed = ch->closed;
    uint64_t seen = atomic_load_explicit(&p->messages_in, memory_order_relaxed);
    uv_mutex_unlock(&ch->lock);
    if (m || closed || timeout_ms == 0)
        return m;
    spin_for_mail(p, seen, self, deadline);

    uv_cond_t cond;
    if (uv_cond_init(&cond) != 0)
        return NULL;
    if (self)
        weft__thread_block_begin(self, &ch->lock, &cond);
    uv_mutex_lock(&ch->lock);
    /* A closed channel still delivers what was queued (the CLOSE notice
     * last), then returns NULL at once. */
    while (!(m = dequeue(p)) && !(self && weft__thread_stop_requested(self))) {
        if (ch->closed)
            break;
        p->waiter = &cond;
        if (timeout_ms < 0) {
            uv_cond_wait(&cond, &ch->lock);
        } else {
            uint64_t now = uv_hrtime();
            if (now >= deadline || uv_cond_timedwait(&cond, &ch->lock, deadline - now) == UV_ETIMEDOUT) {
                p->waiter = NULL;
                m = dequeue(p);
                break;
            }
        }
        p->waiter = NULL;
    }
    p->waiter = NULL;
    uv_mutex_unlock(&ch->lock);
    if (self)
        weft__thread_block_end(self);
    uv_cond_destroy(&cond);
    return m;
}

uint64_t weft__port_messages_in(weft_port *p)
{
    return atomic_load_explicit(&p->messages_in, memory_order_relaxed);
}
