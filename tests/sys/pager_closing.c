// expect-output: pager_closing: ok
/*
 * An object between its last mapping and its close. The last munmap
 * starts the write-back of its dirty page, and the object's death waits
 * for it (paging in progress). Meanwhile its handle names nothing any
 * more: mapping it fails with EBADF - a new mapping of a dying object
 * could only get pages that are about to go. Then the write-back ends, the
 * data is in the store, and the pager hears the close.
 */
#define TEST_NAME "pager_closing"
#include "pagertest.h"

#define PAGES 16

/* Holds the write-back until the test has tried to map the dying object. */
static int writeback(void *cookie, uint64_t offset, const void *pages, size_t len)
{
	plog->step = 1;
	wait_until(&plog->step, 2, "the test's pager_map");
	return pagertest_writeback(cookie, offset, pages, len);
}

static const struct pager_ops ops = { pagertest_fill, writeback, pagertest_close };

int main(void)
{
	char *p;
	void *again;

	pagertest_setup(PAGES, true);
	p = pager_start(&ops, MAP_SHARED);
	memcpy(p + 5 * PAGE, "last words", 10);
	if (munmap(p, PAGES * PAGE) != 0)
		fail("munmap", errno, 0);
	wait_until(&plog->step, 1, "the write-back of the last munmap");
	again = pager_map(NULL, PAGES * PAGE, PROT_READ, MAP_SHARED, plog->handle, 0);
	if (again != MAP_FAILED || errno != EBADF)
		failf("pager_map of a closing object: %p, errno %d; want MAP_FAILED, EBADF", again,
		      errno);
	plog->step = 2;
	expect_exit(wait_child(pager_pid, "the pager"), 0, "the pager");
	if (plog->closes != 1 || memcmp((char *)store + 5 * PAGE, "last words", 10) != 0)
		fail("the close, after the write-back", plog->closes, 1);
	printf("pager_closing: ok\n");
	return 0;
}
