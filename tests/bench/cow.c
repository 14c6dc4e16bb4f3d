/*
 * BENCH fault_roundtrip_cow_copy, fault_roundtrip_soft, copy_page
 * (fault_roundtrip_cow_move is in cow_move.c).
 *
 * copy: after fork, the parent writes pages the child still shares - each a
 *       copy into the parent's new shadow object (the 4 KiB copy included;
 *       copy_page says what it costs alone).
 * soft: pages resident in their object but unmapped (mprotect PROT_NONE and
 *       back): the fault finds the page and maps it. Every 16th page only,
 *       so prefault finds no resident neighbour to map along.
 */
#include <string.h>
#include "bench.h"

#define N 256
#define SPARSE 16

static void cow_copy(long ep)
{
	char *p = bench_region(N);
	uint64_t faulting, mapped;
	pid_t pid;

	bench_touch(p, N, 1, 1);
	if ((pid = fork()) == 0) {
		bench_park(ep);
		_exit(0);
	}
	bench_settle();
	profile_begin();
	faulting = bench_touch(p, N, 1, 1);
	profile_end();
	mapped = bench_touch(p, N, 1, 1);
	bench_report("fault_roundtrip_cow_copy", (double)(faulting - mapped) / N, "instructions");
	bench_wake(ep);
	waitpid(pid, NULL, 0);
	munmap(p, N * 4096);
}

static void soft(void)
{
	char *p = bench_region(N * SPARSE);
	uint64_t faulting, mapped;

	bench_touch(p, N, SPARSE, 1);
	mprotect(p, N * SPARSE * 4096, PROT_NONE);
	mprotect(p, N * SPARSE * 4096, PROT_READ | PROT_WRITE);
	faulting = bench_touch(p, N, SPARSE, 1);
	mapped = bench_touch(p, N, SPARSE, 1);
	bench_report("fault_roundtrip_soft", (double)(faulting - mapped) / N, "instructions");
}

static void copy_page(void)
{
	static char a[4096] __attribute__((aligned(4096))), b[4096] __attribute__((aligned(4096)));
	uint64_t t0, t1;
	int i;

	memcpy(b, a, sizeof(b));	/* both resident */
	t0 = rdinstret();
	for (i = 0; i < 64; i++) {
		memcpy(b, a, sizeof(b));
		__asm__ volatile("" ::"r"(b) : "memory");	/* the copy is used */
	}
	t1 = rdinstret();
	bench_report("copy_page", (double)(t1 - t0) / 64, "instructions");
}

int main(void)
{
	long ep = k_endpoint_create();

	if (ep < 0)
		return 1;
	cow_copy(ep);
	soft();
	copy_page();
	return 0;
}
