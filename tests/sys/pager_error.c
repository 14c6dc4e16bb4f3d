// expect-output: pager_error: ok
/*
 * A pager whose fill fails (EIO) for some pages. An access to such a page
 * gets SIGBUS with BUS_OBJERR, at the very address it touched - a read or
 * a write (a write to a shared page needs its data first) - and kills a
 * process that has no handler. Pages of other requests work, and the
 * pager keeps serving. A failed read leaves nothing behind: each access
 * asks again, so a page whose first page-in failed works the second time.
 * A failed page-in counts as one asked of the pager (v_pageins), but not
 * as an I/O fault or a major fault: those count a page that came.
 *
 * Under MADV_RANDOM a fault asks for its page alone; otherwise for its
 * aligned cluster, which the pager answers as a whole: a bad page fails
 * its cluster, and the clusters around it still work.
 */
#define TEST_NAME "pager_error"
#include "pagertest.h"

#define PAGES 64
#define BAD 5		/* fails every time */
#define FLAKY 9		/* fails the first time only */
#define BAD_IN_CLUSTER 37	/* in the MADV_NORMAL half: cluster [32, 48) */

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	static bool flaky_failed;

	if (covers(offset, len, BAD) || covers(offset, len, BAD_IN_CLUSTER) ||
	    (covers(offset, len, FLAKY) && !flaky_failed)) {
		flaky_failed |= covers(offset, len, FLAKY);
		return fill_failed(offset, len);
	}
	return pagertest_fill(cookie, offset, pages, len);
}

static const struct pager_ops ops = { fill, pagertest_writeback, pagertest_close };

static volatile char *page(char *p, int i)
{
	return p + (long)i * PAGE;
}

int main(void)
{
	struct vmmeter before, after;
	long majflt_before;
	char *p;
	pid_t pid;

	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	advise(p, 16 * PAGE, MADV_RANDOM);

	expect_access(page(p, BAD) + 123, 0, SIGBUS, BUS_OBJERR, "a read of the bad page");
	expect_page(page(p, BAD - 1), (BAD - 1) * PAGE, "the page before the bad one");
	expect_page(page(p, BAD + 1), (BAD + 1) * PAGE, "the page after the bad one");
	get_meter(&before);
	majflt_before = majflt();
	expect_access(page(p, BAD) + 8, 0, SIGBUS, BUS_OBJERR, "a second read of the bad page");
	get_meter(&after);
	/* Asked, but never served: a page-in, not an I/O fault, not a major fault. */
	if (after.v_pageins != before.v_pageins + 1 || after.v_io_faults != before.v_io_faults ||
	    majflt() != majflt_before)
		failf("a failed page-in counted: v_pageins +%lu, v_io_faults +%lu, majflt +%ld; "
		      "want 1, 0, 0", after.v_pageins - before.v_pageins,
		      after.v_io_faults - before.v_io_faults, majflt() - majflt_before);
	expect_access(page(p, BAD) + 4095, 1, SIGBUS, BUS_OBJERR, "a write to the bad page");
	if (pageins_covering(BAD * PAGE) != 3)
		fail("page-ins of the bad page, one per access", pageins_covering(BAD * PAGE), 3);

	expect_access(page(p, FLAKY), 0, SIGBUS, BUS_OBJERR, "the first read of the flaky page");
	expect_page(page(p, FLAKY), FLAKY * PAGE, "the second read of the flaky page");

	/* Without a handler, the signal ends the process. */
	if ((pid = fork_or_fail()) == 0) {
		(void)*page(p, BAD);
		_exit(0);
	}
	expect_signal(wait_child(pid, "a reader of the bad page"), SIGBUS,
		      "a reader of the bad page without a handler");

	/* Clusters: the bad one fails at the address touched; its neighbours work. */
	expect_access(page(p, BAD_IN_CLUSTER) + 1, 0, SIGBUS, BUS_OBJERR,
		      "a read of a bad page's cluster");
	expect_page(page(p, 31), 31 * PAGE, "the last page of the cluster before");
	expect_page(page(p, 48), 48 * PAGE, "the first page of the cluster after");
	if (pageins_covering(31 * PAGE) != 1 || pageins_covering(48 * PAGE) != 1)
		fail("the clusters around were read once", pageins_covering(31 * PAGE),
		     pageins_covering(48 * PAGE));

	pager_finish(p);
	printf("pager_error: ok (%d page-ins, %ld pages)\n", plog->pageins, plog->pages_in);
	return 0;
}
