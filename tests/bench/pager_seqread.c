/*
 * BENCH seq_read_16mib_pager_requests, seq_read_16mib_faults: a 16 MiB
 * object of a custom pager read front to back, one byte a page. Requests
 * are counted by the pager (its log), faults by the reader's ru_minflt and
 * ru_majflt. What they show is the VM server's read-ahead: a window that
 * grows while the reader stays sequential, and a reply that maps the whole
 * cluster - a handful of requests and faults for 4096 pages.
 *
 * BENCH seq_read_16mib_per_page: the instructions of that read, per page:
 * page-ins, mappings and loads (fill does nothing; frames zeroed ahead).
 */
#define TEST_NAME "bench_pager_seqread"
#include "../sys/pagertest.h"
#include "bench.h"

#define PAGES 4096		/* 16 MiB */

/* Counts the request; the lent pages are zero already. */
static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	(void)cookie, (void)pages;
	log_request(PAGER_PAGEIN, offset, len, 0);
	return 0;
}

static const struct pager_ops ops = { fill, NULL, pagertest_close };

int main(void)
{
	uint64_t instructions;
	long faults;
	char *p;

	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	bench_touch(bench_region(16), 16, 1, 0);	/* our code, faulted in */
	if (vm_prezero(PAGES) < PAGES)
		return 2;
	faults = bench_faults();
	profile_begin();
	instructions = bench_touch(p, PAGES, 1, 0);
	profile_end();
	faults = bench_faults() - faults;
	bench_report("seq_read_16mib_pager_requests", plog->pageins, "requests");
	bench_report("seq_read_16mib_faults", (double)faults, "faults");
	bench_report("seq_read_16mib_per_page", (double)instructions / PAGES, "instructions");
	pager_finish(p);
	return 0;
}
