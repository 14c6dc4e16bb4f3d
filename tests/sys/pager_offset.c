// expect-output: pager_offset: ok
/*
 * Mappings of part of an object, and past its end. A mapping from an
 * offset shows the object's pages from there, and writes back there. A
 * fault's cluster is aligned in the object, but stays inside the mapping
 * (read-behind stops at its start, read-ahead at its end) and inside the
 * object. A mapping may reach past the object's end; touching a page
 * there - a read or a write, shared or private - is SIGBUS (BUS_OBJERR),
 * and asks the pager nothing.
 */
#define TEST_NAME "pager_offset"
#include "pagertest.h"

#define PAGES 40
#define FROM 20			/* the first mapping: object pages [20, 36) */
#define LEN 16
#define TAIL 32			/* the second: [32, 48), 8 of them past the end */

/* The last request must have been a page-in of `pages` pages from page `page`. */
static void expect_last_pagein(int page, uint32_t pages, const char *what)
{
	const struct request_record *r = &plog->records[plog->nrecords - 1];

	if (r->kind != PAGER_PAGEIN || r->offset != (uint64_t)page * PAGE || r->pages != pages)
		failf("%s: a request of %u pages at page %lu, want %u at %d", what, r->pages,
		      (unsigned long)(r->offset / PAGE), pages, page);
}

/* p maps [TAIL, TAIL + LEN): pages past the object's end raise SIGBUS, and ask nothing. */
static void past_the_end(int flags, const char *what)
{
	char *p = map_object(TAIL * PAGE, LEN * PAGE, flags);
	int requests = plog->nrecords;

	expect_access(p + (PAGES - TAIL) * PAGE, 0, SIGBUS, BUS_OBJERR, what);
	expect_access(p + (LEN - 1) * PAGE + 5, 1, SIGBUS, BUS_OBJERR, what);
	if (plog->nrecords != requests)
		fail("requests for pages past the end", plog->nrecords - requests, 0);
	expect_page(p + (PAGES - TAIL - 1) * PAGE, (PAGES - 1) * PAGE, "the object's last page");
	if (munmap(p, LEN * PAGE) != 0)
		fail("munmap", errno, 0);
}

int main(void)
{
	char *p, *part;

	pagertest_setup(PAGES, true);
	p = pager_start(&pagertest_ops, MAP_SHARED);	/* keeps the object; left untouched */
	part = map_object(FROM * PAGE, LEN * PAGE, MAP_SHARED);

	expect_page(part + 2 * PAGE, (FROM + 2) * PAGE, "a page of a mapping at an offset");
	expect_last_pagein(FROM, 32 - FROM, "the cluster [16, 32), from the mapping's start");
	expect_page(part + (LEN - 1) * PAGE, (FROM + LEN - 1) * PAGE, "its last page");
	expect_last_pagein(32, FROM + LEN - 32, "the cluster [32, 48), to the mapping's end");

	memcpy(part + 3 * PAGE, "offset", 6);
	if (msync(part, LEN * PAGE, MS_SYNC) != 0)
		fail("msync", errno, 0);
	if (memcmp((char *)store + (FROM + 3) * PAGE, "offset", 6) != 0)
		fail("the write-back of a mapping at an offset", FROM + 3, 0);

	/* The first mapping read [20, 36): the last cluster's rest, cut at the end. */
	past_the_end(MAP_SHARED, "past the end, shared");
	expect_last_pagein(FROM + LEN, PAGES - (FROM + LEN), "the last cluster");
	past_the_end(MAP_PRIVATE, "past the end, private");

	if (munmap(part, LEN * PAGE) != 0)
		fail("munmap", errno, 1);
	pager_finish(p);
	printf("pager_offset: ok\n");
	return 0;
}
