/* Timers of the VM server (timer.c), in milliseconds of the `time` CSR. */
#ifndef PAGER_TIMER_H
#define PAGER_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
	uint64_t deadline;		/* in ms */
	void (*fire)(struct timer *);	/* called once, from the serve loop */
	struct timer *next;
	bool pending;
};

void timer_init(uint64_t timebase_hz);
uint64_t timer_now_ms(void);

/* Calls fire(t) after_ms from now, unless timer_stop(t) comes first. */
void timer_start(struct timer *t, uint64_t after_ms, void (*fire)(struct timer *));
/* Harmless on a timer that has fired or was never started. */
void timer_stop(struct timer *t);

/* The kernel's deadline passed (-E_TIMEOUT): fires every timer due. */
void timer_expire(void);

#endif
