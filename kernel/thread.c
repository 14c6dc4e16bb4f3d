#include "thread.h"
#include "space.h"
#include "ipc.h"
#include "sched.h"

struct thread threads[NTHREADS];
static struct thread *runq_head, *runq_tail;

extern char boot_stack_top[];

struct thread *thread_alloc(struct space *space, vaddr_t pc, vaddr_t sp, uint64_t arg)
{
	struct thread *t;

	for (t = threads; t < threads + NTHREADS; t++) {
		if (t->state != THREAD_FREE)
			continue;
		uint32_t generation = (t->id >> 16) + 1;

		memset(t, 0, sizeof(*t));
		t->id = (uint32_t)(t - threads + 1) | (generation & 0xffff) << 16;
		t->state = THREAD_RUNNABLE;	/* the caller queues it, or runs it */
		t->space = space;
		t->ctx.pc = pc;
		t->ctx.x[REG_SP] = sp;
		t->ctx.x[REG_A0] = arg;
		t->ctx.kernel_sp = (uint64_t)boot_stack_top;
		space->nthreads++;
		return t;
	}
	return NULL;
}

void thread_set_pager(struct thread *t, struct endpoint *pager, uint64_t badge)
{
	endpoint_get(pager);
	if (t->pager != NULL)
		endpoint_put(t->pager);
	t->pager = pager;
	t->pager_badge = badge;
}

static void runq_remove(struct thread *t)
{
	struct thread **pp, *prev = NULL;

	for (pp = &runq_head; *pp != NULL; prev = *pp, pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			if (runq_tail == t)
				runq_tail = prev;
			return;
		}
	}
}

void thread_free(struct thread *t)
{
	struct thread *other;

	KASSERT(t != current_thread());
	if (t->state == THREAD_RUNNABLE)
		runq_remove(t);
	else if (t->state == THREAD_SENDING || t->state == THREAD_RECEIVING)
		endpoint_dequeue(t->queued_on, t);
	/* Callers waiting for t's reply will never get one. */
	for (other = threads; other < threads + NTHREADS; other++) {
		if (other->state == THREAD_WAIT_REPLY && other->replier == t)
			ipc_abort_call(other);
	}
	if (t->pager != NULL)
		endpoint_put(t->pager);
	sched_set_deadline(t, 0);
	t->space->nthreads--;
	t->state = THREAD_FREE;
}

void thread_free_all_in(struct space *space)
{
	struct thread *t;

	for (t = threads; t < threads + NTHREADS; t++)
		if (t->state != THREAD_FREE && t->space == space)
			thread_free(t);
}

void thread_activate(struct thread *t)
{
	space_activate(t->space);
}

void sched_enqueue(struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	t->next = NULL;
	if (runq_tail != NULL)
		runq_tail->next = t;
	else
		runq_head = t;
	runq_tail = t;
}

struct thread *schedule(void)
{
	struct thread *t;

	while (runq_head == NULL)
		sched_idle();
	t = runq_head;
	runq_head = t->next;
	if (runq_head == NULL)
		runq_tail = NULL;
	t->next = NULL;
	return t;
}

static const char *state_name(enum thread_state s)
{
	static const char *const names[] = {
		"free", "runnable", "sending", "receiving", "waiting for reply",
	};
	return names[s];
}

void thread_dump_all(void)
{
	struct thread *t;

	for (t = threads; t < threads + NTHREADS; t++) {
		if (t->state == THREAD_FREE)
			continue;
		kprintf("  thread %x (space %x): %s%s, pc %lx\n", t->id, t->space->id,
			state_name(t->state), t->in_fault ? " (page fault)" : "", t->ctx.pc);
	}
}
