// expect-output: pager_busy: ok
/*
 * Busy pages. Three processes fault at once on a cluster nobody has read:
 * two on the same page, one on a neighbour. The first fault asks the
 * pager for the cluster; the other two find its pages busy and wait for
 * that page-in (v_intrans counts each) instead of asking again. The pager
 * holds its answer until both wait, so the faults overlap whatever the
 * scheduler does. Exactly one page-in, and all three read the right data.
 */
#define TEST_NAME "pager_busy"
#include "pagertest.h"

#define PAGES 64
#define TARGET 19		/* cluster [16, 32) */
#define NEIGHBOUR 28

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	hold_for_waiters();
	return pagertest_fill(cookie, offset, pages, len);
}

static const struct pager_ops ops = { fill, pagertest_writeback, pagertest_close };

int main(void)
{
	struct vmmeter before, after;
	pid_t readers[3];
	char *p;
	int i;

	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	get_meter(&before);
	expect_waiters(2);
	readers[0] = page_reader(p, TARGET);
	readers[1] = page_reader(p, TARGET);
	readers[2] = page_reader(p, NEIGHBOUR);
	for (i = 0; i < 3; i++)
		expect_exit(wait_child(readers[i], "a reader"), 0, "a reader");
	get_meter(&after);
	if (plog->pageins != 1 || pageins_covering(TARGET * PAGE) != 1 ||
	    pageins_covering(NEIGHBOUR * PAGE) != 1)
		failf("page-ins: %d in all, %d of the page, %d of its neighbour: want 1, 1, 1",
		      plog->pageins, pageins_covering(TARGET * PAGE),
		      pageins_covering(NEIGHBOUR * PAGE));
	expect_change("v_intrans", (long)before.v_intrans, (long)after.v_intrans, 2, 2);
	expect_page(p + TARGET * PAGE, TARGET * PAGE, "the page, read by the parent");
	if (plog->pageins != 1)
		fail("the parent's read asked again", plog->pageins, 1);
	pager_finish(p);
	printf("pager_busy: ok\n");
	return 0;
}
