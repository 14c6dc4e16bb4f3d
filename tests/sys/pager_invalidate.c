// expect-output: pager_invalidate: ok
/*
 * msync(MS_INVALIDATE) drops the cached pages of a pager's object in its
 * range, and only those: the next access pages them in again - the pager
 * sees a new page-in, and the data is what it stored.
 *  - After msync(MS_SYNC) the pages are clean, and go at once.
 *  - A change to the store behind the VM's back is not seen while the
 *    page stays cached; after MS_INVALIDATE it is.
 *  - Dirty pages are never lost: MS_INVALIDATE alone writes them back
 *    first, then drops them.
 *  - Other processes' mappings of a dropped page go too: they read the
 *    new data.
 */
#define TEST_NAME "pager_invalidate"
#include "pagertest.h"

#define PAGES 32
#define MARK 0x6d61726bUL

static uint64_t *word_at(char *p, int page)
{
	return (uint64_t *)(p + page * PAGE + 200);
}

/* Changes the store's copy of a page, as another writer of the file would. */
static void change_store(int page)
{
	store[(page * PAGE + 200) / 8] = MARK;
}

static void invalidate(char *p, int page)
{
	if (msync(p + page * PAGE, PAGE, MS_INVALIDATE) != 0)
		fail("msync(MS_INVALIDATE)", errno, page);
}

/* Reading page `page` must (or must not) page it in again, and show MARK (or not). */
static void expect_read(char *p, int page, bool paged_in, bool marked)
{
	int pageins = pageins_covering((uint64_t)page * PAGE);
	uint64_t word = *(volatile uint64_t *)word_at(p, page);

	if (pageins_covering((uint64_t)page * PAGE) != pageins + paged_in)
		failf("page %d: %d page-ins, want %d", page, pageins_covering((uint64_t)page * PAGE),
		      pageins + paged_in);
	if ((word == MARK) != marked)
		failf("page %d: the word %#lx, want %s", page, (unsigned long)word,
		      marked ? "the store's change" : "the cached data");
}

int main(void)
{
	pid_t pid;
	char *p;

	pagertest_setup(PAGES, true);
	p = pager_start(&pagertest_ops, MAP_SHARED);

	/* Synced, then invalidated: the next read brings back what was stored. */
	memcpy(p + 2 * PAGE, "synced", 6);
	if (msync(p, PAGES * PAGE, MS_SYNC) != 0)
		fail("msync(MS_SYNC)", errno, 0);
	invalidate(p, 2);
	change_store(2);
	expect_read(p, 2, true, true);
	if (memcmp(p + 2 * PAGE, "synced", 6) != 0)
		fail("the synced bytes, paged in again", p[2 * PAGE], 's');
	expect_read(p, 3, false, false);	/* outside the range: still cached */

	/* A change behind the VM's back shows only once the cached page goes. */
	(void)*(volatile char *)(p + 4 * PAGE);
	change_store(4);
	expect_read(p, 4, false, false);
	invalidate(p, 4);
	expect_read(p, 4, true, true);

	/* Dirty: written back first. */
	memcpy(p + 6 * PAGE, "dirty", 5);
	invalidate(p, 6);
	if (plog->records[plog->nrecords - 1].kind != PAGER_PAGEOUT ||
	    memcmp((char *)store + 6 * PAGE, "dirty", 5) != 0)
		fail("MS_INVALIDATE of a dirty page: its write-back", plog->nrecords, 6);
	expect_read(p, 6, true, false);
	if (memcmp(p + 6 * PAGE, "dirty", 5) != 0)
		fail("the dirty bytes, paged in again", p[6 * PAGE], 'd');

	/* Another process's mapping of a dropped page goes too. */
	plog->step = 0;
	if ((pid = fork_or_fail()) == 0) {
		expect_read(p, 8, false, false);
		plog->step = 1;
		wait_until(&plog->step, 2, "the parent's MS_INVALIDATE");
		expect_read(p, 8, true, true);
		_exit(0);
	}
	wait_until(&plog->step, 1, "the child's read");
	change_store(8);
	invalidate(p, 8);
	plog->step = 2;
	expect_exit(wait_child(pid, "the other reader"), 0, "the other reader");

	pager_finish(p);
	printf("pager_invalidate: ok\n");
	return 0;
}
