// expect-output: pager_sequential: ok
/*
 * MADV_SEQUENTIAL: the largest window (128 pages) from the first fault
 * on, and drop-behind (FreeBSD's vm_fault_dontneed): the reader will not
 * come back, so the pages it has passed are the first to go.
 *
 * The object's first pages are read under MADV_RANDOM first, which
 * activates each page it faults on. Then the rest, front to back, under
 * MADV_SEQUENTIAL: 16 requests of 128 pages (the first a little less), in
 * order. With 128 MiB of RAM nothing is paged out; what shows is the
 * queues. Read-ahead pages wait on the inactive queue until used,
 * whatever the advice; the page each fault wanted is activated. Drop-
 * behind deactivates the resident pages of each 1 MiB block the reader
 * has left - those it faulted on, and the random reads' - so that at the
 * end every page of the object is inactive but for the few of the last
 * block: v_active_count falls, v_inactive_count grows by nearly the
 * object's size. The pages stay resident and mapped: reading them again
 * takes no fault.
 */
#define TEST_NAME "pager_sequential"
#include "pagertest.h"

#define PAGES 2048		/* 8 MiB */
#define WINDOW 128
#define RANDOM_PAGES 16
#define ACTIVE_SLACK 4		/* the last block's faulted pages, and our own */

/* The queues' lengths now. */
static void queues(long *active, long *inactive)
{
	struct vmmeter v;

	get_meter(&v);
	*active = (long)v.v_active_count;
	*inactive = (long)v.v_inactive_count;
}

/* MADV_RANDOM: every page faulted on is activated. */
static void random_reads_activate(void)
{
	long active, inactive, active_after, inactive_after;
	char *p = map_object(0, RANDOM_PAGES * PAGE, MAP_SHARED);

	advise(p, RANDOM_PAGES * PAGE, MADV_RANDOM);
	queues(&active, &inactive);
	expect_words(p, 0, RANDOM_PAGES, "a random read");
	queues(&active_after, &inactive_after);
	expect_change("v_active_count, MADV_RANDOM", active, active_after, RANDOM_PAGES,
		      RANDOM_PAGES + ACTIVE_SLACK);
	if (munmap(p, RANDOM_PAGES * PAGE) != 0)
		fail("munmap", errno, 0);
}

int main(void)
{
	long active, inactive, active_after, inactive_after, faults;
	int requests, i;
	char *p;

	pagertest_setup(PAGES, false);
	p = pager_start(&pagertest_ops, MAP_SHARED);
	advise(p, PAGES * PAGE, MADV_SEQUENTIAL);
	rehearse_reads();
	random_reads_activate();

	queues(&active, &inactive);
	expect_words(p + RANDOM_PAGES * PAGE, RANDOM_PAGES * PAGE, PAGES - RANDOM_PAGES,
		      "a sequential read");
	queues(&active_after, &inactive_after);
	requests = expect_contiguous_pageins(RANDOM_PAGES, RANDOM_PAGES * PAGE,
					     PAGES - RANDOM_PAGES, "a sequential read");
	for (i = 0; i < requests - 1; i++)
		if (plog->records[RANDOM_PAGES + i].pages != WINDOW)
			fail("a window", i, (long)plog->records[RANDOM_PAGES + i].pages);
	expect_change("v_inactive_count", inactive, inactive_after, PAGES - ACTIVE_SLACK, PAGES);
	expect_change("v_active_count", active, active_after, -RANDOM_PAGES,
		      -RANDOM_PAGES + ACTIVE_SLACK);

	faults = minflt() + majflt();
	expect_words(p + RANDOM_PAGES * PAGE, RANDOM_PAGES * PAGE, PAGES - RANDOM_PAGES,
		      "a second read");
	if (minflt() + majflt() != faults)
		fail("faults reading again", minflt() + majflt() - faults, 0);

	pager_finish(p);
	printf("pager_sequential: ok: %d requests; active %+ld, inactive %+ld\n", requests,
	       active_after - active, inactive_after - inactive);
	return 0;
}
