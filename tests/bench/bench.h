/* Helpers for benchmark programs: instruction counts under QEMU -icount. */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kern.h"
#include <sys/resource.h>
#include "proc.h"

/* Prints one result line in the format API.md fixes. */
static inline void bench_report(const char *name, double value, const char *unit)
{
	printf("BENCH %s %.1f %s\n", name, value, unit);
}

/* Fresh private anonymous memory, or exit. */
static inline char *bench_region(long pages)
{
	char *p = mmap(NULL, (size_t)pages * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANON, -1, 0);

	if (p == MAP_FAILED) {
		printf("bench: mmap of %ld pages failed\n", pages);
		_exit(1);
	}
	return p;
}

/* Instructions to write (or read) one byte in each of n pages, stride pages apart. */
static inline uint64_t bench_touch(volatile char *p, long n, long stride, int write)
{
	uint64_t t0 = rdinstret();
	long i;

	for (i = 0; i < n; i++) {
		if (write)
			p[i * stride * 4096] = 1;
		else
			(void)p[i * stride * 4096];
	}
	return rdinstret() - t0;
}

/* Faults of this process so far. */
static inline long bench_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

/*
 * Parking a child: it waits on an endpoint (made before fork, so inherited)
 * and is off the run queue - a measurement of the parent counts none of its
 * instructions. bench_wake() lets it go; it answers and carries on.
 */
static inline void bench_park(long ep)
{
	uint64_t peer = 0;

	ipc_reply_wait_empty((uint64_t)ep, &peer, 0);
	{
		struct ipc_msg m = { .tag = 0, .peer = peer };

		ipc_reply(&m);
	}
}

static inline void bench_wake(long ep)
{
	ipc_call_empty((uint64_t)ep, 1);
}

/* Lets every runnable child run until it parks or ends. */
static inline void bench_settle(void)
{
	int i;

	for (i = 0; i < 4; i++)
		k_yield();
}

/*
 * tools/profile counts only what runs between the first calls of these two,
 * so a benchmark brackets the operations it measures with them.
 */
__attribute__((noinline)) void profile_begin(void) { __asm__ volatile(""); }
__attribute__((noinline)) void profile_end(void) { __asm__ volatile(""); }

#endif
