/* Time: the preemption tick, and what the hart does when no thread can run. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "thread.h"

/* Exit status of the machine when every thread waits and nothing can wake one. */
#define EXIT_DEADLOCK 253

void timer_init(uint64_t timebase_hz);

/* The tick: round-robin among runnable threads. Returns the thread to run. */
struct thread *timer_tick(struct thread *self);

/* Called by schedule() with an empty run queue. */
void sched_idle(void);

/*
 * Receive deadlines (SYS_SET_DEADLINE): t's next wait for a message that is
 * still blocked at `deadline` ends with -E_TIMEOUT. 0 disarms. The tick
 * checks them, so they are as coarse as the tick.
 */
void sched_set_deadline(struct thread *t, uint64_t deadline);

/* Has t's armed deadline passed? Disarms it if so. */
bool sched_deadline_passed(struct thread *t);

#endif
