/*
 * The VM server's timers: things that must not wait forever - a page-in a
 * pager does not answer, a lookup of a service that never registers. The
 * server is one thread that sleeps only in reply-and-wait, so a timer is a
 * receive deadline (SYS_SET_DEADLINE): the kernel ends the wait with
 * -E_TIMEOUT once the earliest deadline has passed, and the serve loop
 * calls timer_expire.
 *
 * Invariant: the kernel's deadline is armed at or before the first timer's
 * (an earlier one only costs a wakeup with nothing due).
 */
#include <stddef.h>
#include "kern.h"
#include "timer.h"

static struct timer *timers;	/* by deadline, earliest first */
static uint64_t armed;		/* what the kernel has; 0: nothing */
static uint64_t ticks_per_ms;

void timer_init(uint64_t timebase_hz)
{
	ticks_per_ms = timebase_hz / 1000;
}

uint64_t timer_now_ms(void)
{
	return rdtime() / ticks_per_ms;
}

static void arm_kernel(void)
{
	uint64_t want = timers != NULL ? timers->deadline * ticks_per_ms : 0;

	if (want == armed || (want != 0 && armed != 0 && armed < want))
		return;
	armed = want;
	k_set_deadline(want);
}

void timer_start(struct timer *t, uint64_t after_ms, void (*fire)(struct timer *))
{
	struct timer **pp = &timers;

	t->deadline = timer_now_ms() + after_ms;
	t->fire = fire;
	while (*pp != NULL && (*pp)->deadline <= t->deadline)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->pending = true;
	arm_kernel();
}

void timer_stop(struct timer *t)
{
	struct timer **pp;

	if (!t->pending)
		return;
	for (pp = &timers; *pp != t; pp = &(*pp)->next)
		;
	*pp = t->next;
	t->pending = false;
}

void timer_expire(void)
{
	uint64_t now = timer_now_ms();
	struct timer *t;

	armed = 0;	/* the kernel's deadline fired: it is disarmed */
	while ((t = timers) != NULL && t->deadline <= now) {
		timers = t->next;
		t->pending = false;
		t->fire(t);
	}
	arm_kernel();
}
