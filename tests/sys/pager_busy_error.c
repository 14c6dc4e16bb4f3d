// expect-output: pager_busy_error: ok
/*
 * A page-in that fails, with other faults waiting for it. Three processes
 * fault at once on a cluster nobody has read (two on one page, one on a
 * neighbour, as in pager_busy); the pager fails the first request only,
 * once both others wait for it. The fault that asked for that page-in gets
 * SIGBUS/BUS_OBJERR; the two that only waited for it run again, ask for
 * their own page (as FreeBSD's fault retries after its busy sleep), and
 * read the right data.
 */
#define TEST_NAME "pager_busy_error"
#include "pagertest.h"

#define PAGES 64
#define TARGET 19		/* cluster [16, 32) */
#define NEIGHBOUR 28

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	if (plog->step == 0) {
		plog->step = 1;
		hold_for_waiters();
		return fill_failed(offset, len);
	}
	return pagertest_fill(cookie, offset, pages, len);
}

static const struct pager_ops ops = { fill, pagertest_writeback, pagertest_close };

/* How many of the requests logged failed. */
static int failed_requests(void)
{
	int i, n = 0;

	for (i = 0; i < plog->nrecords && i < LOG_RECORDS; i++)
		n += plog->records[i].result != 0;
	return n;
}

int main(void)
{
	int i, status, sigbus = 0, fine = 0;
	pid_t readers[3];
	char *p;

	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	expect_waiters(2);
	readers[0] = page_reader(p, TARGET);
	readers[1] = page_reader(p, TARGET);
	readers[2] = page_reader(p, NEIGHBOUR);
	for (i = 0; i < 3; i++) {
		status = wait_child(readers[i], "a reader");
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS)
			sigbus++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			fine++;
		else
			failf("a reader ended with status %#x", status);
	}
	if (sigbus != 1 || fine != 2)
		failf("%d readers got SIGBUS and %d read their page: want 1 and 2", sigbus, fine);
	if (failed_requests() != 1 || plog->pageins < 2)
		failf("page-ins: %d, %d failed: want 2 or more, 1 failed", plog->pageins,
		      failed_requests());
	expect_page(p + TARGET * PAGE, TARGET * PAGE, "the page, read by the parent");
	pager_finish(p);
	printf("pager_busy_error: ok\n");
	return 0;
}
