/*
 * BENCH fault_roundtrip_pager: a hard fault served by a custom pager. The
 * first touch (a load) of a page of a MADV_RANDOM mapping - one page-in of
 * that page alone - from the client's load to its resumption, averaged
 * over N distinct pages, less the same loads once mapped. That includes:
 * the client's trap and the fault message; the VM server's vm_fault up to
 * the page-in (the page allocated busy, the request queued with its
 * deadline); the page lent at PAGER_WINDOW and the request handed to the
 * pager as the reply to its VM_PAGER_WAIT (a kernel map call, a switch);
 * the pager's libpager loop and its fill; its next VM_PAGER_WAIT with the
 * answer (the window taken back, the page made valid, the parked fault run
 * again); the reply that maps the page, and the client's resumption.
 * Frames are zeroed ahead (vm_prezero), so zeroing is not in it; fill does
 * nothing (the lent page is zero already).
 *
 * BENCH pager_fill_work: the pager's own work inside that - the
 * instructions of fill, between rdinstret at its entry and at its exit -
 * to take out when comparing pagers. BENCH pager_fault_to_fill: the way
 * there, from the client's load to fill's entry (the rest of the round
 * trip is the way back). rdinstret counts every instruction of the hart,
 * whoever runs it: under -icount the counts are exact.
 */
#define TEST_NAME "bench_pager_fault"
#include "../sys/pagertest.h"
#include "bench.h"

#define N 512
#define WARM 16		/* pages touched first: the window's tables, our code */

/* Instruction counts, in shared memory: the client's and the pager's. */
struct stamps {
	uint64_t load[N + WARM];	/* before the client's load */
	uint64_t entry[N + WARM];	/* at fill's entry */
	uint64_t exit[N + WARM];	/* at fill's exit */
};

static struct stamps *stamps;

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	uint64_t entry = rdinstret();
	static bool warm;

	(void)cookie, (void)pages, (void)len;
	if (!warm) {	/* the first request: the stamps mapped here before we count */
		memset(stamps->entry, 0, sizeof(stamps->entry) + sizeof(stamps->exit));
		warm = true;
	}
	stamps->entry[offset / PAGE] = entry;
	stamps->exit[offset / PAGE] = rdinstret();
	return 0;
}

static const struct pager_ops ops = { fill, NULL, pagertest_close };

/* Loads one byte of each of n pages from `first`; returns the instructions. */
static uint64_t touch(const char *p, int first, int n)
{
	uint64_t t0 = rdinstret();
	int i;

	for (i = first; i < first + n; i++) {
		stamps->load[i] = rdinstret();
		(void)*(const volatile char *)(p + (long)i * PAGE);
	}
	return rdinstret() - t0;
}

int main(void)
{
	uint64_t faulting, mapped, fill_work = 0, to_fill = 0;
	char *p;
	int i;

	pagertest_setup(N + WARM, false);
	stamps = map_anon(sizeof(*stamps), MAP_SHARED);
	memset(stamps->load, 0, sizeof(stamps->load));
	p = pager_start(&ops, MAP_SHARED);
	if (madvise(p, (N + WARM) * PAGE, MADV_RANDOM) != 0)
		return 1;
	touch(p, N, WARM);
	if (vm_prezero(N) < N)
		return 2;
	profile_begin();
	faulting = touch(p, 0, N);
	profile_end();
	for (i = 0; i < N; i++) {
		fill_work += stamps->exit[i] - stamps->entry[i];
		to_fill += stamps->entry[i] - stamps->load[i];
	}
	mapped = touch(p, 0, N);	/* the same loads, mapped: the loop's own cost */
	bench_report("fault_roundtrip_pager", (double)(faulting - mapped) / N, "instructions");
	bench_report("pager_fill_work", (double)fill_work / N, "instructions");
	bench_report("pager_fault_to_fill", (double)to_fill / N, "instructions");
	pager_finish(p);
	return 0;
}
