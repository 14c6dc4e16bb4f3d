/*
 * BENCH fault_map_entries_ratio: the cost of a fault in a map of 10,000
 * entries over its cost in a map of 10. Every entry has had its first page
 * touched (so its object exists) before the measured faults, which zero-
 * fill pages of entries visited in a scattered order: what differs between
 * the two maps is the search for the entry, and the hint rarely helps it.
 */
#include "bench.h"

#define FAULTS 512
#define BASE 0x2000000000UL	/* out of the way of everything else */

/* Entry e, page `page` (pages_each + 1 apart: the gaps keep entries apart). */
static volatile char *page_of(long e, long page, long pages_each)
{
	return (volatile char *)(BASE + ((uint64_t)e * (pages_each + 1) + page) * 4096);
}

static uint64_t fault_pages(long entries, long pages_each)
{
	uint64_t t0 = rdinstret();
	long i;

	for (i = 0; i < FAULTS; i++)
		*page_of((i * 7919) % entries, 1 + (i * 13) % (pages_each - 1), pages_each) = 1;
	return rdinstret() - t0;
}

static double per_fault(long entries, long pages_each)
{
	uint64_t faulting, mapped;
	long e;

	for (e = 0; e < entries; e++) {
		if (mmap((void *)page_of(e, 0, pages_each), pages_each * 4096,
			 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) ==
		    MAP_FAILED)
			_exit(1);
		*page_of(e, 0, pages_each) = 1;
	}
	vm_prezero(FAULTS);
	faulting = fault_pages(entries, pages_each);
	mapped = fault_pages(entries, pages_each);
	munmap((void *)BASE, (size_t)entries * (pages_each + 1) * 4096);
	return (double)(faulting - mapped) / FAULTS;
}

int main(void)
{
	double few = per_fault(10, 64), many = per_fault(10000, 2);

	bench_report("fault_cost_10_entries", few, "instructions");
	bench_report("fault_cost_10000_entries", many, "instructions");
	bench_report("fault_map_entries_ratio", many / few, "ratio");
	return 0;
}
