#include "sched.h"
#include "csr.h"
#include "ipc.h"
#include "sbi.h"
#include "uapi/abi.h"

#define TICKS_PER_SECOND 100
#define SIP_STIP SIE_STIE	/* sip's timer-pending bit is sie's enable bit */

static uint64_t tick_interval;

/* Threads with an armed deadline, in no order: a few servers at most. */
static struct thread *timed;

static void timer_arm(void)
{
	sbi_set_timer(rdtime() + tick_interval);
}

void timer_init(uint64_t timebase_hz)
{
	tick_interval = timebase_hz / TICKS_PER_SECOND;
	timer_arm();
	csr_set(sie, SIE_STIE);
}

static void timed_unlink(struct thread *t)
{
	struct thread **pp;

	for (pp = &timed; *pp != NULL; pp = &(*pp)->timed_next) {
		if (*pp == t) {
			*pp = t->timed_next;
			break;
		}
	}
	t->timed_next = NULL;
	t->deadline = 0;
}

void sched_set_deadline(struct thread *t, uint64_t deadline)
{
	if (t->deadline != 0)
		timed_unlink(t);
	if (deadline == 0)
		return;
	t->deadline = deadline;
	t->timed_next = timed;
	timed = t;
}

bool sched_deadline_passed(struct thread *t)
{
	if (t->deadline == 0 || rdtime() < t->deadline)
		return false;
	timed_unlink(t);
	return true;
}

/* Receivers whose deadline has passed stop waiting, with -E_TIMEOUT. */
static void wake_expired(void)
{
	struct thread *t, *next;
	uint64_t now = rdtime();

	for (t = timed; t != NULL; t = next) {
		next = t->timed_next;
		if (t->state != THREAD_RECEIVING || now < t->deadline)
			continue;	/* a thread busy elsewhere times out at its next wait */
		timed_unlink(t);
		endpoint_dequeue(t->queued_on, t);
		t->ctx.x[REG_A0] = (uint64_t)-E_TIMEOUT;
		sched_enqueue(t);
	}
}

struct thread *timer_tick(struct thread *self)
{
	timer_arm();
	if (timed != NULL)
		wake_expired();
	if (self->state != THREAD_RUNNABLE)
		return schedule();
	sched_enqueue(self);
	return schedule();
}

/*
 * Nothing is runnable. If a thread waits with a deadline, the tick will
 * wake it: sleep until an interrupt is pending (wfi wakes for one that sie
 * enables even while sstatus.SIE masks it) and take the tick here. If not,
 * threads wake only when another thread runs: this is a deadlock. Say who
 * waits for what, and stop, rather than hang.
 */
void sched_idle(void)
{
	if (timed == NULL) {
		kprintf("\nkernel: deadlock: every thread is blocked\n");
		thread_dump_all();
		machine_exit(EXIT_DEADLOCK);
	}
	wfi();
	if (csr_read(sip) & SIP_STIP) {
		timer_arm();
		wake_expired();
	}
}
