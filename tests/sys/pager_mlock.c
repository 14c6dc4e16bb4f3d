// expect-output: pager_mlock: ok
/*
 * mlock over pages a pager has not supplied yet: a call that waits for
 * page-ins. It is parked on the busy pages, as a fault would be, handled
 * again when they come, and returns once every page is in memory and
 * wired: the pager was asked for each page once, each request a major
 * fault of the caller's (as FreeBSD's wiring faults count), v_wire_count
 * grew by the pages, and reading them takes no fault. munlock gives the wiring back.
 * When the pager fails a page, mlock fails with EIO and leaves nothing
 * wired. A write-back that fails is no reason for mlock to fail: behind
 * another process's msync whose write-back the pager refuses, mlock waits
 * for the page, then wires it - it is still in memory - while the msync
 * fails with EIO.
 */
#define TEST_NAME "pager_mlock"
#include "pagertest.h"

#define PAGES 64
#define LOCKED 32
#define BAD 50
#define WIRE_SLACK 4		/* pages the VM wires for its own records */

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	if (covers(offset, len, BAD))
		return fill_failed(offset, len);
	return pagertest_fill(cookie, offset, pages, len);
}

/* Fails the first write-back, once the faults the test expects wait for it. */
static int writeback(void *cookie, uint64_t offset, const void *pages, size_t len)
{
	static bool failed;

	if (failed)
		return pagertest_writeback(cookie, offset, pages, len);
	failed = true;
	plog->step = 1;
	hold_for_waiters();
	log_request(PAGER_PAGEOUT, offset, len, EIO);
	return EIO;
}

static const struct pager_ops ops = { fill, writeback, pagertest_close };

static long wired(void)
{
	struct vmmeter v;

	get_meter(&v);
	return (long)v.v_wire_count;
}

/* A child's msync of page 3 fails in the pager; our mlock waits for it. */
static void mlock_behind_failed_writeback(char *p)
{
	long before = wired();
	pid_t pid;

	p[3 * PAGE] = 'd';
	expect_waiters(1);
	if ((pid = fork_or_fail()) == 0) {
		if (msync(p, PAGES * PAGE, MS_SYNC) != -1 || errno != EIO)
			fail("msync whose write-back fails: want -1, EIO", errno, 0);
		_exit(0);
	}
	wait_until(&plog->step, 1, "the write-back");
	if (mlock(p + 3 * PAGE, PAGE) != 0)
		fail("mlock behind a write-back that failed", errno, 0);
	expect_exit(wait_child(pid, "the msync"), 0, "the msync");
	expect_change("v_wire_count", before, wired(), 1, 1 + WIRE_SLACK);
	if (p[3 * PAGE] != 'd' || munlock(p + 3 * PAGE, PAGE) != 0)
		fail("the locked page, dirty still", p[3 * PAGE], errno);
}

int main(void)
{
	long before, locked, faults;
	int pageins;
	char *p;
	int i;

	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	rehearse_reads();

	before = wired();
	faults = majflt();
	pageins = plog->pageins;
	if (mlock(p, LOCKED * PAGE) != 0)
		fail("mlock", errno, 0);
	locked = wired();
	/* Each page-in for the wiring is a major fault of ours, as FreeBSD counts. */
	if (plog->pageins == pageins || majflt() - faults != plog->pageins - pageins)
		fail("major faults of the mlock (want one per page-in)", majflt() - faults,
		     plog->pageins - pageins);
	expect_change("v_wire_count after mlock", before, locked, LOCKED, LOCKED + WIRE_SLACK);
	for (i = 0; i < LOCKED; i++)
		if (pageins_covering((uint64_t)i * PAGE) != 1)
			fail("page-ins of a locked page", i, pageins_covering((uint64_t)i * PAGE));
	faults = minflt() + majflt();
	expect_words(p, 0, LOCKED, "locked pages");
	if (minflt() + majflt() != faults)
		fail("faults reading locked pages", minflt() + majflt() - faults, 0);
	if (munlock(p, LOCKED * PAGE) != 0)
		fail("munlock", errno, 0);
	expect_change("v_wire_count after munlock", locked, wired(), -LOCKED, -LOCKED);

	before = wired();
	if (mlock(p + LOCKED * PAGE, (PAGES - LOCKED) * PAGE) != -1 || errno != EIO)
		fail("mlock over a page the pager fails: want -1, EIO", errno, 0);
	expect_change("v_wire_count after a failed mlock", before, wired(), 0, WIRE_SLACK);

	mlock_behind_failed_writeback(p);
	pager_finish(p);
	printf("pager_mlock: ok\n");
	return 0;
}
