// expect-output: pager_readahead: ok
/*
 * Read-ahead. A 16 MiB object read front to back, one word a page. Each
 * fault comes where the last read ended, so the VM server sees a
 * sequential reader and grows its window by 8 pages a request - 8, 16,
 * 24, ... - up to 128: the pager gets few, large requests (at most 64),
 * in order, each page asked for once. Each reply maps the whole cluster,
 * so a request costs one fault, a major one.
 */
#define TEST_NAME "pager_readahead"
#include "pagertest.h"

#define PAGES 4096		/* 16 MiB */
#define WINDOW_STEP 8
#define WINDOW_MAX 128

int main(void)
{
	long faults, majors;
	int requests, i;
	char *p;

	pagertest_setup(PAGES, false);
	p = pager_start(&pagertest_ops, MAP_SHARED);
	rehearse_reads();
	faults = minflt();
	majors = majflt();
	expect_words(p, 0, PAGES, "a sequential read");
	faults = minflt() + majflt() - faults - majors;
	majors = majflt() - majors;

	requests = expect_contiguous_pageins(0, 0, PAGES, "a sequential read");
	if (requests > 64)
		fail("requests for 16 MiB", requests, 64);
	for (i = 0; i < requests - 1; i++) {
		uint32_t want = (uint32_t)(i + 1) * WINDOW_STEP;

		if (want > WINDOW_MAX)
			want = WINDOW_MAX;
		if (plog->records[i].pages != want)
			fail("the window of a request", i, (long)plog->records[i].pages);
	}
	if (faults != requests || majors != requests)
		failf("%ld faults, %ld major, for %d requests: want one each", faults, majors,
		      requests);

	pager_finish(p);
	printf("pager_readahead: ok: %d pages in %d requests, %ld faults\n", PAGES, requests,
	       faults);
	return 0;
}
