/* BENCH null_syscall: the round trip of the cheapest system call. */
#include "bench.h"

#define N 4096

int main(void)
{
	uint64_t t0, t1, t2;
	int i;

	for (i = 0; i < 16; i++)	/* warm up */
		k_thread_self();
	profile_begin();
	t0 = rdinstret();
	for (i = 0; i < N; i++)
		k_thread_self();
	t1 = rdinstret();
	profile_end();
	for (i = 0; i < N; i++)
		__asm__ volatile("" ::: "memory");
	t2 = rdinstret();
	/* The loop's own instructions, measured empty, are not the call's. */
	bench_report("null_syscall", (double)((t1 - t0) - (t2 - t1)) / N, "instructions");
	return 0;
}
