// boot-args: pager_timeout=100000
// expect-output: pager_death: exit: ok
// expect-output: pager_death: crash: ok
// expect-output: pager_death: msync: ok
// expect-output: pager_death: unmap: ok
// expect-output: pager_death: all checks passed
/*
 * A pager that dies in the middle of a request.
 *
 * In a page-in - it calls _exit inside fill, or crashes there with a bad
 * access - while two faults wait for it: both get SIGBUS (BUS_OBJERR) at
 * their own addresses. Nothing else breaks: a second client that read a
 * page before goes on using it (its writes stay in memory; msync says EIO,
 * nobody is left to store them) and the rest of its memory; a later fault
 * on the dead pager's object gets SIGBUS at once (nobody is left to ask).
 *
 * In a write-back: the msync waiting for it fails with EIO, and the data
 * stays in memory; or, when the write-back was the object's last (its
 * last mapping went, and its death waits for the write), the object dies
 * all the same.
 *
 * The request time limit is far beyond the test's own, so what happens
 * can only come from the death. After each case a new pager works, and
 * once every process of the case has ended, the free frames and the
 * objects are what they were before. Each case runs in a process of its
 * own, after a warm-up round of all of them.
 */
#define TEST_NAME "pager_death"
#include "pagertest.h"

#define PAGES 64
#define READ_BEFORE 3		/* cluster [0, 16): the second client reads it first */
#define DEATH 19		/* cluster [16, 32): the pager dies reading it */
#define DEATH_NEIGHBOUR 25
#define LATER 40		/* untouched: faults after the death */
#define LATER_TOO 50
#define EXIT_STATUS 7

static char how[8];		/* the case: how the pager dies */

static volatile char *page(char *p, int i)
{
	return p + (long)i * PAGE;
}

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	volatile uintptr_t null = 8;

	if (!covers(offset, len, DEATH))
		return pagertest_fill(cookie, offset, pages, len);
	hold_for_waiters();
	memset(pages, 0xee, len);	/* half-done work nobody may see */
	if (strcmp(how, "exit") == 0)
		_exit(EXIT_STATUS);
	*(volatile int *)null = 1;
	return 0;
}

static int writeback(void *cookie, uint64_t offset, const void *pages, size_t len)
{
	if (strcmp(how, "msync") == 0 || strcmp(how, "unmap") == 0)
		_exit(EXIT_STATUS);
	return pagertest_writeback(cookie, offset, pages, len);
}

static const struct pager_ops ops = { fill, writeback, pagertest_close };

/* Reads a page before the death; after it, uses that page and other memory. */
static void __attribute__((noreturn)) second_client(char *p)
{
	char *anon = map_anon(16 * PAGE, MAP_PRIVATE);
	int i;

	expect_page(page(p, READ_BEFORE), READ_BEFORE * PAGE, "the second client's read");
	plog->step = 1;
	wait_until(&plog->step, 2, "the pager's death");
	/* Its mappings gone, the resident page is found again: no pager needed. */
	if (mprotect(p, PAGES * PAGE, PROT_NONE) != 0 ||
	    mprotect(p, PAGES * PAGE, PROT_READ | PROT_WRITE) != 0)
		fail("mprotect", errno, 0);
	expect_page(page(p, READ_BEFORE), READ_BEFORE * PAGE, "a resident page, after the death");
	*page(p, READ_BEFORE) = 'w';
	if (msync(p, PAGES * PAGE, MS_SYNC) != -1 || errno != EIO)
		fail("msync with nobody to write to: want EIO", errno, 0);
	if (*page(p, READ_BEFORE) != 'w')
		fail("a write that could not be stored is still in memory", *page(p, READ_BEFORE),
		     'w');
	expect_access(page(p, LATER_TOO), 0, SIGBUS, BUS_OBJERR,
		      "the second client's fault after the death");
	for (i = 0; i < 16; i++)
		anon[i * PAGE] = (char)i;
	for (i = 0; i < 16; i++)
		if (anon[i * PAGE] != (char)i)
			fail("anonymous memory", i, anon[i * PAGE]);
	_exit(0);
}

static void __attribute__((noreturn)) other_waiter(char *p)
{
	expect_access(page(p, DEATH_NEIGHBOUR) + 5, 0, SIGBUS, BUS_OBJERR,
		      "the other fault waiting for the page-in");
	_exit(0);
}

/* A new pager, after the death: the VM server still serves them. */
static void new_pager_works(void)
{
	char *p;

	pagertest_setup(16, false);
	p = pager_start(&pagertest_ops, MAP_SHARED);
	expect_page(page(p, 7), 7 * PAGE, "a new pager's page");
	pager_finish(p);
}

/* The cases "exit" and "crash": the pager dies in fill. */
static void death_in_fill(void)
{
	pid_t second, waiter;
	int status;
	char *p;

	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	if ((second = fork_or_fail()) == 0)
		second_client(p);
	wait_until(&plog->step, 1, "the second client's read");
	expect_waiters(1);
	if ((waiter = fork_or_fail()) == 0)
		other_waiter(p);
	expect_access(page(p, DEATH) + 77, 0, SIGBUS, BUS_OBJERR, "the fault whose pager died");
	expect_exit(wait_child(waiter, "the other waiter"), 0, "the other waiter");
	status = wait_child(pager_pid, "the pager");
	if (strcmp(how, "exit") == 0)
		expect_exit(status, EXIT_STATUS, "the pager that exits");
	else
		expect_signal(status, SIGSEGV, "the pager that crashes");
	expect_access(page(p, LATER) + 1, 1, SIGBUS, BUS_OBJERR, "a write after the death");
	plog->step = 2;
	expect_exit(wait_child(second, "the second client"), 0, "the second client");
	if (munmap(p, PAGES * PAGE) != 0)
		fail("munmap", errno, 0);
}

/* The cases "msync" and "unmap": the pager dies writing back. */
static void death_in_writeback(void)
{
	char *p;

	pagertest_setup(PAGES, false);
	p = pager_start(&ops, MAP_SHARED);
	memcpy(p + 3 * PAGE, how, sizeof(how));
	if (strcmp(how, "msync") == 0) {
		if (msync(p, PAGES * PAGE, MS_SYNC) != -1 || errno != EIO)
			fail("msync whose pager died: want -1, EIO", errno, 0);
		if (memcmp(p + 3 * PAGE, how, sizeof(how)) != 0)
			fail("the data a write-back lost with its pager", p[3 * PAGE], 0);
	}
	/* The last mapping: the object's death waits for its write-back ("unmap"). */
	if (munmap(p, PAGES * PAGE) != 0)
		fail("munmap", errno, 0);
	expect_exit(wait_child(pager_pid, "the pager"), EXIT_STATUS, "the pager");
}

static int run_case(const char *which)
{
	strncpy(how, which, sizeof(how) - 1);
	if (strcmp(which, "exit") == 0 || strcmp(which, "crash") == 0)
		death_in_fill();
	else
		death_in_writeback();
	new_pager_works();
	printf("pager_death: %s: ok\n", which);
	return 0;
}

int main(int argc, char **argv)
{
	static char *cases[] = { "exit", "crash", "msync", "unmap" };
	struct vmmeter before;
	int round, i;

	if (argc > 2 && strcmp(argv[1], "case") == 0)
		return run_case(argv[2]);
	/* Round 0 warms up: what the cases fault in of our code stays. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 4; i++) {
			get_meter(&before);
			expect_exit(run_child(argv[0], "case", cases[i], NULL), 0, cases[i]);
			if (round > 0)
				expect_meter_settles(&before, cases[i]);
		}
	}
	printf("pager_death: all checks passed\n");
	return 0;
}
