// expect-output: pager_writeback_error: ok
/*
 * Write-backs that fail (the pager answers EIO). msync(MS_SYNC) returns
 * -1 with errno EIO, and nothing is lost: the mapping still shows the
 * data, the page can still be written, and it is still dirty - each msync
 * tries again, and once the pager stores again, the store gets it all.
 * munmap cannot report a failure: a page whose write-back failed there
 * stays dirty in the object (another mapping still shows the data), and
 * the next write-back - here the last munmap's - stores it.
 */
#define TEST_NAME "pager_writeback_error"
#include "pagertest.h"

#define PAGES 16

static const char *stored(int page, int at)
{
	return (const char *)store + page * PAGE + at;
}

/* The last request must have been a write-back with this result. */
static void expect_last_pageout(int result)
{
	const struct request_record *r = &plog->records[plog->nrecords - 1];

	if (r->kind != PAGER_PAGEOUT || r->result != result)
		failf("the last request: kind %#x result %d, want a write-back answered %d",
		      r->kind, r->result, result);
}

static void expect_failed_msync(char *p)
{
	int pageouts = plog->pageouts;

	if (msync(p, PAGES * PAGE, MS_SYNC) != -1 || errno != EIO)
		fail("msync of a page the pager cannot store: want -1, EIO", errno, 0);
	if (plog->pageouts != pageouts + 1)
		fail("write-backs tried", plog->pageouts - pageouts, 1);
	expect_last_pageout(EIO);
}

int main(void)
{
	char *p, *q;
	int pageouts;

	pagertest_setup(PAGES, true);
	p = pager_start(&pagertest_ops, MAP_SHARED);

	memcpy(p + PAGE, "kept", 4);
	plog->fail_writebacks = 1;
	expect_failed_msync(p);
	if (memcmp(p + PAGE, "kept", 4) != 0 || memcmp(stored(1, 0), "kept", 4) == 0)
		fail("after a failed write-back: in memory, not in the store", p[PAGE], 0);
	memcpy(p + PAGE + 200, "more", 4);
	expect_failed_msync(p);
	plog->fail_writebacks = 0;
	if (msync(p, PAGES * PAGE, MS_SYNC) != 0)
		fail("msync once the pager stores again", errno, 0);
	expect_last_pageout(0);
	if (memcmp(stored(1, 0), "kept", 4) != 0 || memcmp(stored(1, 200), "more", 4) != 0)
		fail("the store after a write-back that worked", 1, 0);

	/* munmap's write-back fails: the other mapping still has the data. */
	q = map_object(0, PAGES * PAGE, MAP_SHARED);
	memcpy(q + 3 * PAGE, "unmapped", 8);
	plog->fail_writebacks = 1;
	pageouts = plog->pageouts;
	if (munmap(q, PAGES * PAGE) != 0)
		fail("munmap", errno, 0);
	wait_until(&plog->pageouts, pageouts + 1, "munmap's write-back");
	expect_last_pageout(EIO);
	if (memcmp(p + 3 * PAGE, "unmapped", 8) != 0 || memcmp(stored(3, 0), "unmapped", 8) == 0)
		fail("after munmap's failed write-back: in memory, not in the store", p[3 * PAGE], 0);
	plog->fail_writebacks = 0;
	pager_finish(p);
	expect_last_pageout(0);
	if (memcmp(stored(3, 0), "unmapped", 8) != 0)
		fail("the store after the last munmap", 3, 0);
	printf("pager_writeback_error: ok\n");
	return 0;
}
