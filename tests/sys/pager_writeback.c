// expect-output: pager_writeback: ok
/*
 * Writes through a MAP_SHARED mapping of a pager's object reach the
 * pager's writeback, at the right offset and with the right bytes: only
 * the pages written (a run of them in one request), once each - a clean
 * page is not written back, and a page written again after its write-back
 * is dirty again.
 *  - msync(MS_SYNC) returns once they are stored;
 *  - msync(MS_ASYNC) starts the write-back: it arrives with no other call;
 *  - munmap writes back the pages it unmaps;
 *  - so does the exit of a process that wrote and never called msync.
 * The object's close has nothing left to write.
 */
#define TEST_NAME "pager_writeback"
#include "pagertest.h"

#define PAGES 32

/* Writes text into page `page`, 100 bytes in. */
static void write_text(char *p, int page, const char *text)
{
	memcpy(p + page * PAGE + 100, text, strlen(text));
}

/* The store must hold text in page `page`, and the rest of the page as p has it. */
static void expect_stored(const char *p, int page, const char *text)
{
	const char *stored = (const char *)store + page * PAGE;

	if (memcmp(stored + 100, text, strlen(text)) != 0)
		failf("page %d: the store lacks \"%s\"", page, text);
	if (memcmp(stored, p + page * PAGE, PAGE) != 0)
		failf("page %d: the store differs from memory", page);
}

/* The write-back logged as record `i` must be `pages` pages from page `page`. */
static void expect_pageout(int i, int page, uint32_t pages)
{
	const struct request_record *r = &plog->records[i];

	if (plog->nrecords <= i || r->kind != PAGER_PAGEOUT || r->offset != (uint64_t)page * PAGE ||
	    r->pages != pages || r->result != 0)
		failf("request %d: kind %#x, %u pages at %#lx: want a write-back of %u pages at "
		      "%#lx", i, r->kind, r->pages, (unsigned long)r->offset, pages,
		      (unsigned long)page * PAGE);
}

static void msync_or_fail(void *p, size_t len, int flags)
{
	if (msync(p, len, flags) != 0)
		fail("msync", errno, flags);
}

int main(void)
{
	int n;
	pid_t pid;
	char *p;

	pagertest_setup(PAGES, true);
	p = pager_start(&pagertest_ops, MAP_SHARED);

	write_text(p, 3, "one page");
	n = plog->nrecords;		/* the page-in the write needed */
	msync_or_fail(p, PAGES * PAGE, MS_SYNC);
	expect_pageout(n, 3, 1);
	expect_stored(p, 3, "one page");

	write_text(p, 5, "a run");
	write_text(p, 6, "of three");
	write_text(p, 7, "pages");
	msync_or_fail(p, PAGES * PAGE, MS_SYNC);
	expect_pageout(n + 1, 5, 3);
	expect_stored(p, 6, "of three");

	msync_or_fail(p, PAGES * PAGE, MS_SYNC);
	write_text(p, 3, "again");
	msync_or_fail(p, PAGES * PAGE, MS_SYNC);
	expect_pageout(n + 2, 3, 1);	/* nothing in between: page 3 only */
	expect_stored(p, 3, "again");

	write_text(p, 9, "asynchronous");
	msync_or_fail(p, PAGES * PAGE, MS_ASYNC);
	wait_until(&plog->nrecords, n + 4, "the write-back msync(MS_ASYNC) started");
	expect_pageout(n + 3, 9, 1);
	expect_stored(p, 9, "asynchronous");

	write_text(p, 11, "unmapped");
	if (munmap(p + 11 * PAGE, PAGE) != 0)
		fail("munmap", errno, 0);
	wait_until(&plog->nrecords, n + 5, "the write-back munmap started");
	expect_pageout(n + 4, 11, 1);
	if (memcmp((char *)store + 11 * PAGE + 100, "unmapped", 8) != 0)
		fail("munmap's write-back", 11, 0);

	if ((pid = fork_or_fail()) == 0) {
		write_text(p, 13, "at exit");
		_exit(0);
	}
	expect_exit(wait_child(pid, "the writer"), 0, "the writer");
	wait_until(&plog->nrecords, n + 6, "the write-back of an exit");
	expect_pageout(n + 5, 13, 1);
	expect_stored(p, 13, "at exit");

	pager_finish(p);
	if (plog->nrecords != n + 6)
		fail("requests after the last write-back", plog->nrecords - (n + 6), 0);
	printf("pager_writeback: ok\n");
	return 0;
}
