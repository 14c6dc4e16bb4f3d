// boot-args: pager_timeout=200
// expect-output: pager_late: ok
/*
 * A pager that answers late. It holds a page-in until the fault that
 * wanted it has had its SIGBUS (the request's 200 ms have passed), then
 * goes on with it: the pages it was lent are still in its window, but they
 * have left the object - what it writes there reaches nobody (the page,
 * asked again, comes in with the right data, not with that write) - and
 * its answer, when it comes, is ignored. Meanwhile another client's
 * request waits in its queue: the late answer must not be taken for that
 * one (its pages would stay zero); the pager serves it next, and the
 * client gets the right data.
 */
#define TEST_NAME "pager_late"
#include "pagertest.h"

#define PAGES 32
#define LATE 5
#define NEXT 12

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	static bool held;
	struct access_result r;

	if (offset != LATE * PAGE || held)
		return pagertest_fill(cookie, offset, pages, len);
	held = true;
	plog->step = 1;
	wait_until(&plog->step, 2, "the client's SIGBUS");
	r = try_access(pages, 1, 'x');
	if (r.signo != 0)
		failf("a write to the window after the time limit: signal %d code %d at %p",
		      r.signo, r.code, r.addr);
	plog->step = 3;
	return 0;		/* too late: the VM server gave up on this request */
}

static const struct pager_ops ops = { fill, pagertest_writeback, pagertest_close };

int main(void)
{
	struct vmmeter v;
	pid_t next;
	char *p;

	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	advise(p, PAGES * PAGE, MADV_RANDOM);
	expect_access(p + LATE * PAGE + 17, 0, SIGBUS, BUS_OBJERR, "a fault the pager holds");
	if (plog->step != 1)
		fail("the pager never had the request", plog->step, 1);

	/* Another request queues behind the late one; then the pager goes on. */
	get_meter(&v);
	if ((next = fork_or_fail()) == 0) {
		expect_page(p + NEXT * PAGE, NEXT * PAGE, "the request after the late one");
		_exit(0);
	}
	wait_for_meter(offsetof(struct vmmeter, v_pageins), (long)v.v_pageins + 1,
		       "the next client's page-in");
	plog->step = 2;
	expect_exit(wait_child(next, "the next client"), 0, "the next client");
	if (plog->step != 3)
		fail("the late pager's checks", plog->step, 3);

	expect_page(p + LATE * PAGE, LATE * PAGE, "the late page, asked again");
	if (pageins_covering(LATE * PAGE) != 1 || pageins_covering(NEXT * PAGE) != 1)
		fail("page-ins answered in time", pageins_covering(LATE * PAGE),
		     pageins_covering(NEXT * PAGE));
	pager_finish(p);
	printf("pager_late: ok\n");
	return 0;
}
