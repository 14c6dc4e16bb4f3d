// boot-args: pager_timeout=200
// expect-output: pager_timeout: spin: ok
// expect-output: pager_timeout: block: ok
/*
 * Pagers that never answer: one spins in fill without a system call, the
 * other waits there for a message that can never come. A fault that needs
 * either gets SIGBUS (BUS_OBJERR) once its request's time (the boot option
 * pager_timeout=200: 200 ms) has passed, and the log shows the pager had
 * the request. A second fault, whose request waits in the queue behind the
 * first and is never handed over, gets SIGBUS too. The VM server serves
 * everybody meanwhile: the second case runs while the first pager spins.
 * The pagers are left as they are: the machine ends when init does.
 */
#define TEST_NAME "pager_timeout"
#include "pagertest.h"

#define PAGES 64

static char how[8];		/* "spin" or "block": how the pager never answers */

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	uint64_t peer = 0;
	long endpoint;

	(void)cookie, (void)offset, (void)pages, (void)len;
	plog->step = 1;
	if (strcmp(how, "spin") == 0)
		for (;;)
			__asm__ volatile("");
	/* Nobody else has this endpoint: nothing will ever arrive. */
	if ((endpoint = k_endpoint_create()) < 0)
		fail("endpoint", endpoint, 0);
	ipc_reply_wait_empty((uint64_t)endpoint, &peer, 0);
	failf("a message came on an endpoint nobody has");
}

static const struct pager_ops ops = { fill, pagertest_writeback, pagertest_close };

static void run_case(const char *which)
{
	char *p;

	strncpy(how, which, sizeof(how) - 1);
	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	expect_access(p + 3 * PAGE + 9, 0, SIGBUS, BUS_OBJERR, "a fault the pager never answers");
	if (plog->step != 1)
		fail("the pager never had the request", plog->step, 1);
	expect_access(p + 40 * PAGE, 1, SIGBUS, BUS_OBJERR, "a fault queued behind it");
	if (plog->pageins != 0)
		fail("a request was answered", plog->pageins, 0);
	printf("pager_timeout: %s: ok\n", which);
}

int main(void)
{
	run_case("spin");
	run_case("block");
	return 0;
}
