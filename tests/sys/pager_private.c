// expect-output: pager_private: ok
/*
 * MAP_PRIVATE mappings of a pager's object. Reads see the pager's data;
 * writes are copy-on-write: the process's own copy, which never reaches
 * the pager - no write-back at msync, munmap or exit; the store keeps the
 * object's data - nor a MAP_SHARED mapping of the object. fork copies
 * too: the child starts with the parent's private writes, and from then
 * on each sees only its own. Pages nobody wrote are the pager's, in both.
 * msync of a private mapping still writes back the object below it (as
 * FreeBSD's vm_object_sync): what a shared mapping wrote there is stored,
 * the private copy is not.
 */
#define TEST_NAME "pager_private"
#include "pagertest.h"

#define PAGES 16

static void expect_text(const char *p, int page, const char *text, const char *who)
{
	if (memcmp(p + page * PAGE, text, strlen(text)) != 0)
		failf("%s: page %d lacks \"%s\"", who, page, text);
}

static void __attribute__((noreturn)) child(char *p)
{
	expect_text(p, 1, "mine", "the child");
	expect_page(p + 2 * PAGE, 2 * PAGE, "the child: a page nobody wrote");
	memcpy(p + PAGE, "child", 5);
	memcpy(p + 2 * PAGE, "child", 5);
	plog->step = 1;
	wait_until(&plog->step, 2, "the parent's write");
	expect_page(p + 3 * PAGE, 3 * PAGE, "the child: a page the parent wrote after the fork");
	_exit(0);
}

int main(void)
{
	char *p, *shared;
	pid_t pid;
	int i;

	pagertest_setup(PAGES, true);
	p = pager_start(&pagertest_ops, MAP_PRIVATE);
	shared = map_object(0, PAGES * PAGE, MAP_SHARED);

	expect_page(p, 0, "a private read");
	memcpy(p + PAGE, "mine", 4);
	expect_page(shared + PAGE, PAGE, "the shared view of a privately written page");
	if (msync(p, PAGES * PAGE, MS_SYNC) != 0)
		fail("msync", errno, 0);

	if ((pid = fork_or_fail()) == 0)
		child(p);
	wait_until(&plog->step, 1, "the child's writes");
	expect_text(p, 1, "mine", "the parent, after the child wrote");
	expect_page(p + 2 * PAGE, 2 * PAGE, "the parent: a page only the child wrote");
	memcpy(p + 3 * PAGE, "parent", 6);
	plog->step = 2;
	expect_exit(wait_child(pid, "the child"), 0, "the child");

	if (munmap(p, PAGES * PAGE) != 0)
		fail("munmap", errno, 0);
	for (i = 0; i < PAGES; i++)
		expect_page(shared + i * PAGE, (uint64_t)i * PAGE, "the shared view at the end");
	if (plog->pageouts != 0)
		fail("write-backs of private pages", plog->pageouts, 0);
	for (i = 0; i < PAGES * PAGE / 8; i++)
		if (store[i] != pattern_word((uint64_t)i * 8))
			fail("the store changed", i, 0);

	/* msync of a private mapping reaches the object below its copies. */
	p = map_object(0, PAGES * PAGE, MAP_PRIVATE);
	memcpy(p + 4 * PAGE, "mine", 4);
	memcpy(shared + 5 * PAGE, "shared", 6);
	if (msync(p, PAGES * PAGE, MS_SYNC) != 0)
		fail("msync of a private mapping", errno, 0);
	if (plog->pageouts != 1 || memcmp((char *)store + 5 * PAGE, "shared", 6) != 0 ||
	    store[4 * PAGE / 8] != pattern_word(4 * PAGE))
		fail("msync of a private mapping: write-backs (want 1: the shared write)",
		     plog->pageouts, 1);
	munmap(p, PAGES * PAGE);
	pager_finish(shared);
	printf("pager_private: ok\n");
	return 0;
}
