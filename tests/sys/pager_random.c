// expect-output: pager_random: ok
/*
 * MADV_RANDOM: no read-ahead, no cluster. Each page touched, in a
 * scattered order, is one request for exactly that page, and one major
 * fault; touching them all again takes no fault and no request; the page
 * next to a touched one is a request of its own.
 */
#define TEST_NAME "pager_random"
#include "pagertest.h"

#define PAGES 256
#define TOUCHED 64
#define STRIDE 37		/* prime to PAGES: TOUCHED distinct pages */

static uint64_t touched(int i)
{
	return (uint64_t)(i * STRIDE % PAGES) * PAGE;
}

/* Reads the TOUCHED pages in their scattered order; returns the faults it took. */
static long read_scattered(const char *p)
{
	long faults = minflt() + majflt();
	int i;

	for (i = 0; i < TOUCHED; i++)
		expect_words(p + touched(i), touched(i), 1, "a scattered read");
	return minflt() + majflt() - faults;
}

int main(void)
{
	long majors, faults;
	int i;
	char *p;

	pagertest_setup(PAGES, false);
	p = pager_start(&pagertest_ops, MAP_SHARED);
	advise(p, PAGES * PAGE, MADV_RANDOM);
	rehearse_reads();
	majors = majflt();
	faults = read_scattered(p);
	majors = majflt() - majors;
	if (plog->nrecords != TOUCHED || faults != TOUCHED || majors != TOUCHED)
		failf("%d requests, %ld faults, %ld major, for %d pages: want one each",
		      plog->nrecords, faults, majors, TOUCHED);
	for (i = 0; i < TOUCHED; i++) {
		const struct request_record *r = &plog->records[i];

		if (r->kind != PAGER_PAGEIN || r->pages != 1 || r->offset != touched(i))
			failf("request %d: kind %#x, %u pages at %#lx; want 1 page at %#lx", i,
			      r->kind, r->pages, (unsigned long)r->offset,
			      (unsigned long)touched(i));
	}
	if ((faults = read_scattered(p)) != 0 || plog->nrecords != TOUCHED)
		fail("reading the pages again: faults, requests", faults, plog->nrecords);
	expect_words(p + touched(1) + PAGE, touched(1) + PAGE, 1, "a neighbour");
	if (plog->nrecords != TOUCHED + 1 || plog->records[TOUCHED].pages != 1)
		fail("the neighbour's request", plog->nrecords, plog->records[TOUCHED].pages);

	pager_finish(p);
	printf("pager_random: ok\n");
	return 0;
}
