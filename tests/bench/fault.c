/*
 * BENCH fault_roundtrip_zfod: the first touch of a fresh anonymous page -
 * user fault, kernel, VM server, reply, resume - with frames zeroed ahead
 * of need, so that the zeroing is counted apart (BENCH zero_fill_page).
 */
#include <sys/mman.h>
#include "bench.h"
#include "proc.h"

#define N 1024

/* Instructions to touch n pages from p, one store each. */
static uint64_t touch(volatile char *p, int n)
{
	uint64_t t0 = rdinstret();
	int i;

	for (i = 0; i < n; i++)
		p[(long)i * 4096] = 1;
	return rdinstret() - t0;
}

static char *fresh(int pages)
{
	return mmap(NULL, (size_t)pages * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANON, -1, 0);
}

int main(void)
{
	char *a = fresh(N), *b = fresh(N);
	uint64_t zeroed, unzeroed, mapped;

	if (a == MAP_FAILED || b == MAP_FAILED)
		return 1;
	touch(fresh(16), 16);		/* warm up the fault path */
	if (vm_prezero(N) < N)
		return 2;
	profile_begin();
	zeroed = touch(a, N);		/* faults on pre-zeroed frames */
	profile_end();
	mapped = touch(a, N);		/* the same stores, no faults */
	unzeroed = touch(b, N);		/* faults that zero their frame */
	bench_report("fault_roundtrip_zfod", (double)(zeroed - mapped) / N, "instructions");
	bench_report("zero_fill_page", (double)(unzeroed - zeroed) / N, "instructions");
	return 0;
}
