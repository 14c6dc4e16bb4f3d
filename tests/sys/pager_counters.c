// expect-output: pager_counters: ok
/*
 * What the counters say about page-ins.
 *
 *  - A fault that reads a cluster is one major fault (ru_majflt), one
 *    v_io_faults and one request to the pager, however many pages come;
 *    the cluster's other pages, mapped with the reply, take no fault.
 *    (Both count when the data has come, as FreeBSD counts a hard fault
 *    that completes: a page-in that fails counts in neither - pager_error.)
 *  - A sequential read: one major fault per request, nothing else.
 *  - Faults on resident pages are minor (ru_minflt) and ask nobody.
 *  - A fault that waits for another process's page-in is minor, counted
 *    once in v_vm_faults though the VM server handles it twice (when it
 *    comes and when the page-in ends), and once in v_intrans; the process
 *    that started the page-in counts the major fault.
 *
 * Every count is exact: a rehearsal of each measurement first faults in
 * what our own code and stack need, and the pager holds the page-in we
 * wait for until we wait.
 */
#define TEST_NAME "pager_counters"
#include "pagertest.h"

#define PAGES 256

struct counts {
	long vm_faults, io_faults, intrans, minflt, majflt, pageins, pages_in;
};

static struct counts *starter_counts;	/* shared: the starter's own */

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	if (plog->step == 1) {
		plog->step = 2;		/* the test may fault now */
		hold_for_waiters();
	}
	return pagertest_fill(cookie, offset, pages, len);
}

static const struct pager_ops ops = { fill, pagertest_writeback, pagertest_close };

static void counts_now(struct counts *c)
{
	struct vmmeter v;
	struct rusage ru;

	get_meter(&v);
	ru = rusage_self();
	*c = (struct counts){ (long)v.v_vm_faults, (long)v.v_io_faults, (long)v.v_intrans,
			      ru.ru_minflt, ru.ru_majflt, plog->pageins, plog->pages_in };
}

static struct counts counts_since(const struct counts *a)
{
	struct counts b;

	counts_now(&b);
	return (struct counts){ b.vm_faults - a->vm_faults, b.io_faults - a->io_faults,
				b.intrans - a->intrans, b.minflt - a->minflt,
				b.majflt - a->majflt, b.pageins - a->pageins,
				b.pages_in - a->pages_in };
}

/* What reading one word of each of `pages` pages from p changed. */
static struct counts count_reads(const char *p, int pages)
{
	struct counts before;
	int i;

	counts_now(&before);
	for (i = 0; i < pages; i++)
		(void)*(const volatile uint64_t *)(p + (long)i * PAGE);
	return counts_since(&before);
}

static void expect_counts(const char *what, struct counts got, struct counts want)
{
	if (memcmp(&got, &want, sizeof(got)) != 0)
		failf("%s: v_vm_faults %ld v_io_faults %ld v_intrans %ld minflt %ld majflt %ld "
		      "page-ins %ld pages %ld; want %ld %ld %ld %ld %ld %ld %ld",
		      what, got.vm_faults, got.io_faults, got.intrans, got.minflt, got.majflt,
		      got.pageins, got.pages_in, want.vm_faults, want.io_faults, want.intrans,
		      want.minflt, want.majflt, want.pageins, want.pages_in);
}

/*
 * A child starts the page-in of `page`; once the pager holds it, we read
 * the page too, and wait. Returns what our read changed; the starter's
 * counts of its own read go to *starter_counts. Neither process may fault
 * on anything else meanwhile: the starter rehearses, and waits until our
 * stack is our own again after the fork.
 */
static struct counts waited_read(char *p, int page, char *anon)
{
	struct counts mine;
	pid_t pid;

	plog->step = 0;
	if ((pid = fork_or_fail()) == 0) {
		*starter_counts = count_reads(anon, 16);
		wait_until(&plog->step, 1, "the parent's go");
		*starter_counts = count_reads(p + (long)page * PAGE, 1);
		wait_until(&plog->step, 3, "the parent's counts");
		_exit(0);
	}
	expect_waiters(1);
	plog->step = 1;
	wait_until(&plog->step, 2, "the pager to hold the page-in");
	mine = count_reads(p + (long)page * PAGE, 1);
	plog->step = 3;
	expect_exit(wait_child(pid, "the starter"), 0, "the starter");
	return mine;
}

int main(void)
{
	struct counts waited;
	char *p, *anon = map_anon(16 * PAGE, MAP_PRIVATE);
	int round;

	pagertest_setup(PAGES, false);
	starter_counts = map_anon(sizeof(*starter_counts), MAP_SHARED);
	p = pager_start(&ops, MAP_SHARED);
	memset(anon, 1, 16 * PAGE);
	expect_counts("a rehearsal on resident pages", count_reads(anon, 16),
		      (struct counts){ 0 });

	expect_counts("the first read of a cluster", count_reads(p + 19 * PAGE, 1),
		      (struct counts){ 1, 1, 0, 0, 1, 1, 16 });
	expect_counts("the rest of the cluster", count_reads(p + 16 * PAGE, 16),
		      (struct counts){ 0 });

	/* The same pages, resident but no longer mapped: minor faults only. */
	if (mprotect(p, PAGES * PAGE, PROT_NONE) != 0 ||
	    mprotect(p, PAGES * PAGE, PROT_READ | PROT_WRITE) != 0)
		fail("mprotect", errno, 0);
	waited = count_reads(p + 16 * PAGE, 16);
	if (waited.vm_faults < 1 || waited.vm_faults >= 16)
		fail("faults on 16 resident pages, with prefault", waited.vm_faults, 16);
	expect_counts("resident pages", waited,
		      (struct counts){ waited.vm_faults, 0, 0, waited.vm_faults, 0, 0, 0 });

	/*
	 * On from where the first read ended: sequential, one fault per
	 * request (the last reads ahead past the 96 pages).
	 */
	waited = count_reads(p + 32 * PAGE, 96);
	if (waited.pageins < 2 || waited.pageins > 96 / 8 || waited.pages_in < 96)
		fail("requests for 96 pages read in order", waited.pageins, waited.pages_in);
	expect_counts("a sequential read", waited,
		      (struct counts){ waited.pageins, waited.pageins, 0, 0, waited.pageins,
				       waited.pageins, waited.pages_in });

	/* Round 0 rehearses: its counts are not exact. */
	for (round = 0; round < 2; round++)
		waited = waited_read(p, 200 + round * 32, anon);
	/* v_io_faults is system-wide: the page-in ends while we wait, and counts then. */
	expect_counts("a fault that waited for another's page-in", waited,
		      (struct counts){ 1, 1, 1, 1, 0, 1, 16 });
	/* Its count of faults includes ours: v_vm_faults is system-wide. */
	expect_counts("the fault that started it", *starter_counts,
		      (struct counts){ 2, 1, 1, 0, 1, 1, 16 });

	pager_finish(p);
	printf("pager_counters: ok\n");
	return 0;
}
