/*
 * Threads. A thread runs in one address space; when it is not running, its
 * whole user context is in ctx (trap.S keeps that true). The kernel is
 * event-driven: a blocked thread has no kernel stack, only a state saying
 * what it waits for.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include "context.h"
#include "kernel.h"

#define NTHREADS 256

struct space;
struct endpoint;

enum thread_state {
	THREAD_FREE,
	THREAD_RUNNABLE,	/* running, or on the run queue */
	THREAD_SENDING,		/* queued on an endpoint with msg to deliver */
	THREAD_RECEIVING,	/* queued on an endpoint, waiting for a message */
	THREAD_WAIT_REPLY,	/* its message was taken; `replier` owes a reply */
};

struct message {
	uint64_t tag;
	uint64_t w[4];
};

struct thread {
	struct context ctx;		/* first: trap.S finds it through tp */
	uint32_t id;			/* index + 1 | generation << 16; never 0 */
	enum thread_state state;
	struct space *space;
	struct thread *next;		/* run queue or endpoint queue */
	struct endpoint *queued_on;	/* SENDING or RECEIVING: which endpoint */
	struct thread *replier;		/* WAIT_REPLY: who received our message */
	bool in_fault;			/* waits for a page fault's mappings (never
					   while it runs) */
	struct message msg;		/* SENDING: what to deliver */
	uint64_t msg_badge;		/* SENDING: badge of the cap it used */
	struct endpoint *pager;		/* where its faults go; NULL: fatal */
	uint64_t pager_badge;
	vaddr_t ipc_buffer;		/* user address of its IPC buffer; 0: none */
	uint64_t deadline;		/* SYS_SET_DEADLINE's time; 0: none armed */
	struct thread *timed_next;	/* the list of threads with a deadline */
};

/* The thread whose context tp points to: the one that entered the kernel. */
static inline struct thread *current_thread(void)
{
	struct thread *t;

	__asm__("mv %0, tp" : "=r"(t));
	return t;
}

/*
 * Returns a new thread in `space`, runnable but on no queue (the caller
 * queues it or runs it); NULL when none is free.
 */
struct thread *thread_alloc(struct space *space, vaddr_t pc, vaddr_t sp, uint64_t arg);

/* Faults of t go to `pager`, with `badge`; t holds a reference to it. */
void thread_set_pager(struct thread *t, struct endpoint *pager, uint64_t badge);

extern struct thread threads[NTHREADS];

/*
 * The thread with this id, or NULL if the id is stale or bad. A freed
 * thread keeps its id until it is reused with the next generation.
 */
static inline struct thread *thread_lookup(uint64_t id)
{
	uint64_t index = (id & 0xffff) - 1;	/* id 0 wraps: out of range */

	if (index >= NTHREADS || threads[index].id != id ||
	    threads[index].state == THREAD_FREE)
		return NULL;
	return &threads[index];
}

/* Takes t out of every queue and frees it. t must not be current. */
void thread_free(struct thread *t);

/* Frees every thread of a space. */
void thread_free_all_in(struct space *space);

/* Puts a runnable thread at the back of the run queue. */
void sched_enqueue(struct thread *t);

/*
 * The thread to run next, from the run queue. The caller has already queued
 * or blocked the current thread. Never returns if nothing can ever run.
 */
struct thread *schedule(void);

/* Makes t's address space current: the last step before running t. */
void thread_activate(struct thread *t);

/* Every thread, for the deadlock report. */
void thread_dump_all(void);

#endif
