#include "sched.h"
#include "csr.h"
#include "sbi.h"

#define TICKS_PER_SECOND 100

static uint64_t tick_interval;

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

struct thread *timer_tick(struct thread *self)
{
	timer_arm();
	if (self->state != THREAD_RUNNABLE)
		return schedule();
	sched_enqueue(self);
	return schedule();
}

/*
 * Nothing is runnable. Threads wake only when another thread runs (IPC) -
 * there are no device interrupts or timeouts yet - so this is a deadlock:
 * say who waits for what, and stop, rather than hang.
 */
void sched_idle(void)
{
	kprintf("\nkernel: deadlock: every thread is blocked\n");
	thread_dump_all();
	machine_exit(EXIT_DEADLOCK);
}
