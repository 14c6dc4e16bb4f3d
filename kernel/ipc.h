/*
 * Synchronous IPC through endpoints.
 *
 * A thread calls an endpoint (through a cap slot of its space): if a receiver
 * waits there, the message goes straight into the receiver's registers and
 * the receiver runs at once, on the caller's time; otherwise the caller
 * queues. Either way the caller then waits for a reply from the thread that
 * took its message. That thread may reply at any later time, naming the
 * caller's thread id - a server may hold several calls open. Reply-and-wait
 * does both halves of a server's loop in one kernel entry.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "thread.h"
#include "space.h"

#define NENDPOINTS 128

struct endpoint {
	int refs;			/* caps naming it; 0: free */
	/*
	 * Its unbadged caps: the only ones a thread may receive through. With
	 * none left nobody can ever take a message, so its senders are told
	 * (-E_NORECEIVER) instead of waiting forever for a server that is gone.
	 */
	int receive_caps;
	struct thread *senders, *senders_tail;
	struct thread *receivers, *receivers_tail;
};

/* Puts a new endpoint in a free slot of s; returns the slot or a -E_ code. */
int endpoint_create(struct space *s);
/* The endpoint in slot `slot` of s, or NULL. */
static inline struct endpoint *cap_endpoint(struct space *s, uint64_t slot, uint64_t *badge)
{
	if (slot >= NSLOTS)
		return NULL;
	*badge = s->caps[slot].badge;
	return s->caps[slot].ep;
}
/*
 * Copies a cap (with a new badge if badge != 0, which only an unbadged cap
 * may get). Returns 0, -E_BADSLOT or -E_PERM.
 */
int cap_copy(struct space *dst, uint64_t dst_slot, struct space *src,
	     uint64_t src_slot, uint64_t badge);
/*
 * Empties a slot, freeing the endpoint with its last cap; with its last
 * unbadged cap, its queued senders get -E_NORECEIVER.
 */
void cap_clear(struct cap *cap);

/* References to an endpoint from outside a cap slot (a thread's pager). */
void endpoint_get(struct endpoint *ep);
void endpoint_put(struct endpoint *ep);

void endpoint_dequeue(struct endpoint *ep, struct thread *t);

/*
 * `caller` sends a message of registers only (tag: its label) and waits for
 * a reply; caller->in_fault marks a page fault's message, whose reply
 * carries mappings (a running thread's is always false). Returns the thread
 * to run next.
 */
struct thread *ipc_call(struct thread *caller, struct endpoint *ep, uint64_t badge,
			uint64_t tag, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);
/* The same for any message: a buffer too, from the caller's IPC buffer. */
struct thread *ipc_call_message(struct thread *caller, struct endpoint *ep, uint64_t badge,
				const struct message *m);

/*
 * `replier` answers the call of thread `peer_id`. Returns the peer, now
 * runnable but not queued (the caller decides whether to run it at once),
 * or NULL with *error set.
 */
struct thread *ipc_reply(struct thread *replier, uint64_t peer_id,
			 const struct message *m, int *error);

/*
 * The current thread's server step: replies (registers only, tag: its
 * label) to peer_id if not 0, then waits on ep as ipc_wait. A failed reply
 * returns to it with the error instead. Returns the thread to run next.
 */
struct thread *ipc_reply_wait(struct endpoint *ep, uint64_t peer_id, uint64_t tag,
			      uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);

/*
 * `receiver` takes the next message on ep, or blocks for one. `replied`,
 * if not NULL, is a thread just made runnable by a reply. Returns the thread
 * to run next.
 */
struct thread *ipc_wait(struct thread *receiver, struct endpoint *ep,
			struct thread *replied);

/* The thread peer_id if it waits for a reply from `replier`, else NULL. */
struct thread *ipc_waiting_for(struct thread *replier, uint64_t peer_id);

/* Ends the call of a thread whose replier is gone: it gets -E_NOTHREAD. */
void ipc_abort_call(struct thread *caller);

#endif
