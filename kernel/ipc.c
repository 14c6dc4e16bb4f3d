#include "ipc.h"
#include "fault.h"
#include "sched.h"
#include "uapi/abi.h"

static struct endpoint endpoints[NENDPOINTS];

static void enqueue(struct thread **head, struct thread **tail, struct thread *t)
{
	t->next = NULL;
	if (*tail != NULL)
		(*tail)->next = t;
	else
		*head = t;
	*tail = t;
}

static struct thread *dequeue_first(struct thread **head, struct thread **tail)
{
	struct thread *t = *head;

	if (t != NULL) {
		*head = t->next;
		if (*head == NULL)
			*tail = NULL;
		t->next = NULL;
	}
	return t;
}

static void remove_from(struct thread **head, struct thread **tail, struct thread *t)
{
	struct thread *prev = NULL, *p;

	for (p = *head; p != NULL; prev = p, p = p->next) {
		if (p != t)
			continue;
		if (prev != NULL)
			prev->next = p->next;
		else
			*head = p->next;
		if (*tail == p)
			*tail = prev;
		return;
	}
}

int endpoint_create(struct space *s)
{
	struct endpoint *ep;
	int slot;

	for (slot = 0; slot < NSLOTS && s->caps[slot].ep != NULL; slot++)
		;
	if (slot == NSLOTS)
		return -E_NOSLOT;
	for (ep = endpoints; ep < endpoints + NENDPOINTS; ep++) {
		if (ep->refs == 0) {
			memset(ep, 0, sizeof(*ep));
			ep->refs = 1;
			ep->receive_caps = 1;
			s->caps[slot] = (struct cap){ ep, 0 };
			return slot;
		}
	}
	return -E_NOMEM;
}

int cap_copy(struct space *dst, uint64_t dst_slot, struct space *src,
	     uint64_t src_slot, uint64_t badge)
{
	struct cap cap;

	if (dst_slot >= NSLOTS || src_slot >= NSLOTS || src->caps[src_slot].ep == NULL)
		return -E_BADSLOT;
	cap = src->caps[src_slot];
	/* A badge tells a server who calls: only an unbadged cap gets one. */
	if (badge != 0 && cap.badge != 0)
		return -E_PERM;
	if (badge != 0)
		cap.badge = badge;
	endpoint_get(cap.ep);
	if (cap.badge == 0)
		cap.ep->receive_caps++;
	cap_clear(&dst->caps[dst_slot]);
	dst->caps[dst_slot] = cap;
	return 0;
}

/*
 * Nobody can receive on ep any more: every wait there ends, with
 * -E_NORECEIVER. A thread in a page fault just retries its access (and
 * waits again, for good: its pager is gone).
 */
static void endpoint_orphaned(struct endpoint *ep)
{
	struct thread *t;

	while ((t = dequeue_first(&ep->senders, &ep->senders_tail)) != NULL ||
	       (t = dequeue_first(&ep->receivers, &ep->receivers_tail)) != NULL) {
		t->queued_on = NULL;
		if (!t->in_fault)
			t->ctx.x[REG_A0] = (uint64_t)-E_NORECEIVER;
		t->in_fault = false;
		sched_enqueue(t);
	}
}

void cap_clear(struct cap *cap)
{
	struct endpoint *ep = cap->ep;

	cap->ep = NULL;
	if (ep == NULL)
		return;
	/* A receiver still queued came through a cap now gone: it ends too. */
	if (cap->badge == 0 && --ep->receive_caps == 0)
		endpoint_orphaned(ep);
	cap->badge = 0;
	endpoint_put(ep);
}

void endpoint_get(struct endpoint *ep)
{
	ep->refs++;
}

/*
 * With its last reference the endpoint is free. Nobody waits there by then:
 * waiters left when its last unbadged cap went, and a faulting thread
 * queued on its pager holds a reference to it.
 */
void endpoint_put(struct endpoint *ep)
{
	--ep->refs;
	KASSERT(ep->refs > 0 || (ep->senders == NULL && ep->receivers == NULL));
}

void endpoint_dequeue(struct endpoint *ep, struct thread *t)
{
	if (t->state == THREAD_SENDING)
		remove_from(&ep->senders, &ep->senders_tail, t);
	else
		remove_from(&ep->receivers, &ep->receivers_tail, t);
	t->queued_on = NULL;
}

/*
 * Copies the tag's buffer from one thread's IPC buffer to another's (out of
 * line: the registers-only message, the common case, needs no stack frame). If the
 * receiver's buffer is not mapped writable, it gets the tag with length 0
 * and TAG_TRUNCATED: the message itself always arrives.
 */
static __attribute__((noinline)) uint64_t transfer_buffer(struct thread *from,
							  struct thread *to, uint64_t tag)
{
	static char bounce[IPC_BUFFER_SIZE];
	uint64_t len = TAG_BUFLEN(tag);

	if (from->ipc_buffer == 0 || to->ipc_buffer == 0 ||
	    space_copy_in(from->space, bounce, from->ipc_buffer, len) != 0 ||
	    space_copy_out(to->space, to->ipc_buffer, bounce, len) != 0)
		return TAG(TAG_LABEL(tag), 0) | TAG_TRUNCATED;
	return tag;
}

/* Writes a registers-only message into the registers `to` resumes with. */
static inline void deliver_regs(struct thread *to, uint64_t from_id, uint64_t tag,
				uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3,
				uint64_t badge)
{
	uint64_t *x = to->ctx.x;

	x[REG_A0] = tag;
	x[REG_A1] = from_id;
	x[REG_A2] = w0;
	x[REG_A3] = w1;
	x[REG_A4] = w2;
	x[REG_A5] = w3;
	x[REG_A6] = badge;
}

/* Any message, its buffer included. */
static __attribute__((noinline)) void deliver(struct thread *to, struct thread *from,
					      const struct message *m, uint64_t badge)
{
	deliver_regs(to, from->id, m->tag, m->w[0], m->w[1], m->w[2], m->w[3], badge);
	if (TAG_BUFLEN(m->tag) != 0)
		to->ctx.x[REG_A0] = transfer_buffer(from, to, m->tag);
}

/* Takes the message to a receiver that waited for it; the caller now waits. */
static inline struct thread *hand_over(struct thread *caller, struct thread *receiver)
{
	caller->state = THREAD_WAIT_REPLY;
	caller->replier = receiver;
	receiver->queued_on = NULL;
	receiver->state = THREAD_RUNNABLE;
	return receiver;
}

/* The general case of a call: a buffer to copy, or nobody waiting yet. */
static __attribute__((noinline)) struct thread *call_slow(struct thread *caller,
							  struct endpoint *ep, uint64_t badge,
							  const struct message *m)
{
	struct thread *receiver = dequeue_first(&ep->receivers, &ep->receivers_tail);

	if (receiver != NULL) {
		deliver(receiver, caller, m, badge);
		return hand_over(caller, receiver);
	}
	/* Nobody will ever receive: say so. (A fault's thread just waits, dead.) */
	if (ep->receive_caps == 0 && !caller->in_fault) {
		caller->ctx.x[REG_A0] = (uint64_t)-E_NORECEIVER;
		return caller;
	}
	caller->state = THREAD_SENDING;
	caller->msg = *m;
	caller->msg_badge = badge;
	caller->queued_on = ep;
	enqueue(&ep->senders, &ep->senders_tail, caller);
	return schedule();
}

/* Nobody waits to receive: the message, in registers, waits in the caller. */
static __attribute__((noinline)) struct thread *call_queued(struct thread *caller,
							    struct endpoint *ep, uint64_t badge,
							    uint64_t tag, uint64_t w0, uint64_t w1,
							    uint64_t w2, uint64_t w3)
{
	struct message m = { tag, { w0, w1, w2, w3 } };

	return call_slow(caller, ep, badge, &m);
}

/*
 * The fast path (as seL4's fastpath_call): a receiver waits, and the
 * message goes from the caller's registers (the arguments here) straight
 * into the receiver's saved ones - no message in memory, no stack frame.
 */
struct thread *ipc_call(struct thread *caller, struct endpoint *ep, uint64_t badge,
			uint64_t tag, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	struct thread *receiver = ep->receivers;

	if (receiver == NULL)
		return call_queued(caller, ep, badge, tag, w0, w1, w2, w3);
	ep->receivers = receiver->next;
	if (ep->receivers == NULL)
		ep->receivers_tail = NULL;
	receiver->next = NULL;
	deliver_regs(receiver, caller->id, tag, w0, w1, w2, w3, badge);
	return hand_over(caller, receiver);
}

struct thread *ipc_call_message(struct thread *caller, struct endpoint *ep, uint64_t badge,
				const struct message *m)
{
	return call_slow(caller, ep, badge, m);
}

/* Inline for ipc_reply_wait's fast path; ipc_waiting_for is the same for others. */
static inline struct thread *waiting_for(struct thread *replier, uint64_t peer_id)
{
	struct thread *peer = thread_lookup(peer_id);

	if (peer == NULL || peer->state != THREAD_WAIT_REPLY || peer->replier != replier)
		return NULL;
	return peer;
}

struct thread *ipc_waiting_for(struct thread *replier, uint64_t peer_id)
{
	return waiting_for(replier, peer_id);
}

struct thread *ipc_reply(struct thread *replier, uint64_t peer_id,
			 const struct message *m, int *error)
{
	struct thread *peer = waiting_for(replier, peer_id);

	if (peer == NULL) {
		*error = -E_NOTHREAD;
		return NULL;
	}
	if (peer->in_fault) {
		if ((*error = fault_resolve(peer, replier, m)) != 0)
			return NULL;
		peer->in_fault = false;
	} else {
		deliver(peer, replier, m, 0);
	}
	peer->replier = NULL;
	peer->state = THREAD_RUNNABLE;
	return peer;
}

/* A sender was queued: take its message now. */
static __attribute__((noinline)) struct thread *wait_take(struct thread *receiver,
							  struct thread *sender,
							  struct thread *replied)
{
	deliver(receiver, sender, &sender->msg, sender->msg_badge);
	hand_over(sender, receiver);
	if (replied != NULL)
		sched_enqueue(replied);
	return receiver;
}

/* Nothing is queued: the receiver blocks (and something else runs). */
static inline struct thread *wait_block(struct thread *receiver, struct endpoint *ep,
					struct thread *replied)
{
	receiver->state = THREAD_RECEIVING;
	receiver->queued_on = ep;
	enqueue(&ep->receivers, &ep->receivers_tail, receiver);
	return replied != NULL ? replied : schedule();
}

/*
 * A receiver with a deadline (out of line, and reached by a tail call: the
 * common case keeps its frameless path). If it has passed, the wait ends
 * at once with -E_TIMEOUT; else the tick will end it (sched.c).
 */
static __attribute__((noinline)) struct thread *wait_until_deadline(struct thread *receiver,
								    struct endpoint *ep,
								    struct thread *replied)
{
	if (!sched_deadline_passed(receiver))
		return wait_block(receiver, ep, replied);
	receiver->ctx.x[REG_A0] = (uint64_t)-E_TIMEOUT;
	if (replied != NULL)
		sched_enqueue(replied);
	return receiver;
}

struct thread *ipc_wait(struct thread *receiver, struct endpoint *ep,
			struct thread *replied)
{
	struct thread *sender = dequeue_first(&ep->senders, &ep->senders_tail);

	if (sender != NULL)
		return wait_take(receiver, sender, replied);
	if (receiver->deadline != 0)
		return wait_until_deadline(receiver, ep, replied);
	return wait_block(receiver, ep, replied);
}

/* A fault's reply (its mappings, in registers), then the wait. */
static __attribute__((noinline)) struct thread *fault_reply_wait(struct thread *self,
								 struct endpoint *ep,
								 struct thread *peer, uint64_t tag,
								 uint64_t w0, uint64_t w1,
								 uint64_t w2, uint64_t w3)
{
	struct message m = { tag, { w0, w1, w2, w3 } };
	int error = fault_resolve(peer, self, &m);

	if (error != 0) {
		self->ctx.x[REG_A0] = (uint64_t)error;
		return self;
	}
	peer->in_fault = false;
	peer->replier = NULL;
	peer->state = THREAD_RUNNABLE;
	return ipc_wait(self, ep, peer);
}

/*
 * A server's step in registers only: the reply goes straight into the
 * caller's saved registers (it runs once we wait), then the wait - with no
 * stack frame on the way, as ipc_call's fast path.
 */
struct thread *ipc_reply_wait(struct endpoint *ep, uint64_t peer_id, uint64_t tag,
			      uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	struct thread *self = current_thread(), *peer = NULL;

	if (peer_id != 0) {
		if ((peer = waiting_for(self, peer_id)) == NULL) {
			self->ctx.x[REG_A0] = (uint64_t)-E_NOTHREAD;
			return self;
		}
		if (peer->in_fault)
			return fault_reply_wait(self, ep, peer, tag, w0, w1, w2, w3);
		deliver_regs(peer, self->id, tag, w0, w1, w2, w3, 0);
		peer->replier = NULL;
		peer->state = THREAD_RUNNABLE;
	}
	return ipc_wait(self, ep, peer);
}

void ipc_abort_call(struct thread *caller)
{
	/* A faulting thread just retries its access, and faults again. */
	if (!caller->in_fault)
		caller->ctx.x[REG_A0] = (uint64_t)-E_NOTHREAD;
	caller->in_fault = false;
	caller->replier = NULL;
	sched_enqueue(caller);
}
