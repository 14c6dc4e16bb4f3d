// expect-output: madvise: MADV_DONTNEED keeps the data
// expect-output: madvise: NORMAL, RANDOM, SEQUENTIAL accepted on whole and partial ranges; data kept
// expect-output: madvise: MADV_WILLNEED maps resident pages ahead: 
// expect-output: madvise: MADV_WILLNEED on copy-on-write pages maps them read-only: the child keeps its data
// expect-output: madvise: MADV_DONTNEED in a forked child: both keep their data
// expect-output: madvise: msync on anonymous memory: 0; unmapped: ENOMEM; bad flags: EINVAL
// expect-output: madvise: all checks passed
/*
 * madvise() with FreeBSD's meanings, and msync() on anonymous memory.
 *
 *   DONTNEED   only a hint: the pages lose priority, the data stays (256
 *              written pages read back unchanged, also after a second pass)
 *   NORMAL, RANDOM, SEQUENTIAL   accepted on a whole region and on a page in
 *              its middle (the entry is split); the data stays
 *   WILLNEED   maps the resident pages of the range now. After mprotect has
 *              removed the mappings of 256 written pages, touching them
 *              takes some faults (prefault maps neighbours); after
 *              mprotect and MADV_WILLNEED, (almost) none.
 *   WILLNEED on pages a live child shares copy-on-write maps them for
 *              reading only: a write after it still copies, and the child
 *              keeps its data
 *   DONTNEED in a forked child: the child's copies and the parent's data
 *              both stay
 *   errors     an unmapped range: ENOMEM; an unknown advice: EINVAL
 *
 * msync: MS_SYNC, MS_ASYNC and MS_INVALIDATE succeed on anonymous memory
 * and keep the data; a range with a hole is ENOMEM; MS_ASYNC | MS_INVALIDATE
 * is EINVAL.
 */
#define TEST_NAME "madvise"
#include "systest.h"

#define PAGE 4096
#define N 256
#define SLACK 4

struct flags {
	volatile int step;
};

static struct flags *fl;
static volatile char *r;

static void write_all(char v)
{
	int i;

	for (i = 0; i < N; i++)
		r[i * PAGE + 17] = (char)(v + i);
}

static void check_all(char v, const char *what)
{
	int i;

	for (i = 0; i < N; i++)
		if (r[i * PAGE + 17] != (char)(v + i))
			failf("%s: page %d holds %d, want %d", what, i, r[i * PAGE + 17], (char)(v + i));
}

static void advise(volatile char *p, size_t len, int advice, const char *what)
{
	if (madvise((void *)p, len, advice) != 0)
		failf("madvise %s: errno %d", what, errno);
}

/* Removes the mappings of the region's pages, keeping the pages. */
static void unmap_mappings(void)
{
	if (mprotect((void *)r, N * PAGE, PROT_NONE) != 0 ||
	    mprotect((void *)r, N * PAGE, PROT_READ | PROT_WRITE) != 0)
		fail("mprotect", errno, 0);
}

/* Minor faults taken reading then writing every page. */
static long touch_all(char v)
{
	long f0 = minflt();

	check_all(v, "touching");
	write_all(v);
	return minflt() - f0;
}

int main(void)
{
	long plain, advised;
	pid_t pid;

	fl = map_anon(PAGE, MAP_SHARED);
	r = map_anon(N * PAGE, MAP_PRIVATE);

	/* DONTNEED keeps the data. */
	write_all('a');
	advise(r, N * PAGE, MADV_DONTNEED, "DONTNEED");
	check_all('a', "after MADV_DONTNEED");
	advise(r, N * PAGE, MADV_DONTNEED, "DONTNEED again");
	write_all('b');
	check_all('b', "written after MADV_DONTNEED");
	printf("madvise: MADV_DONTNEED keeps the data\n");

	/* The behaviours, on the whole region and on one page in it. */
	advise(r, N * PAGE, MADV_RANDOM, "RANDOM");
	advise(r + 10 * PAGE, PAGE, MADV_SEQUENTIAL, "SEQUENTIAL on one page");
	check_all('b', "after RANDOM and SEQUENTIAL");
	advise(r + 20 * PAGE, 3 * PAGE, MADV_SEQUENTIAL, "SEQUENTIAL on three pages");
	advise(r, N * PAGE, MADV_NORMAL, "NORMAL");
	write_all('c');
	check_all('c', "after NORMAL");
	printf("madvise: NORMAL, RANDOM, SEQUENTIAL accepted on whole and partial ranges; data "
	       "kept\n");

	/* WILLNEED: the resident pages mapped now, so touching them takes no fault. */
	unmap_mappings();
	plain = touch_all('c');
	unmap_mappings();
	advise(r, N * PAGE, MADV_WILLNEED, "WILLNEED");
	advised = touch_all('c');
	printf("madvise: MADV_WILLNEED maps resident pages ahead: touching %d pages took %ld faults "
	       "without it, %ld after it\n", N, plain, advised);
	if (plain < 2 * SLACK)
		fail("without WILLNEED, touching unmapped pages should fault", plain, 2 * SLACK);
	if (advised > SLACK || advised >= plain)
		fail("faults after MADV_WILLNEED (after, before)", advised, plain);

	/* WILLNEED on copy-on-write pages: mapped read-only, a write still copies. */
	write_all('d');
	fl->step = 0;
	if ((pid = fork_or_fail()) == 0) {
		wait_until(&fl->step, 1, "the parent's writes");
		check_all('d', "the child, after the parent's WILLNEED and writes");
		exit(0);
	}
	advise(r, N * PAGE, MADV_WILLNEED, "WILLNEED on copy-on-write pages");
	write_all('p');
	check_all('p', "the parent, after WILLNEED and writes");
	fl->step = 1;
	expect_exit(wait_child(pid, "the child"), 0, "the WILLNEED child");
	printf("madvise: MADV_WILLNEED on copy-on-write pages maps them read-only: the child keeps "
	       "its data\n");

	/* DONTNEED in a child. */
	if ((pid = fork_or_fail()) == 0) {
		write_all('c');
		advise(r, N * PAGE, MADV_DONTNEED, "DONTNEED in the child");
		check_all('c', "the child, after MADV_DONTNEED");
		advise(r, N * PAGE, MADV_WILLNEED, "WILLNEED in the child");
		check_all('c', "the child, after MADV_WILLNEED");
		exit(0);
	}
	expect_exit(wait_child(pid, "the child"), 0, "the DONTNEED child");
	check_all('p', "the parent, after the child's MADV_DONTNEED");
	printf("madvise: MADV_DONTNEED in a forked child: both keep their data\n");

	/* Errors. */
	errno = 0;
	if (madvise((void *)r, N * PAGE, 99) != -1 || errno != EINVAL)
		fail("madvise with advice 99: want EINVAL", errno, EINVAL);

	/* msync. */
	if (msync((void *)r, N * PAGE, MS_SYNC) != 0 || msync((void *)r, PAGE, MS_ASYNC) != 0 ||
	    msync((void *)(r + 5 * PAGE), 2 * PAGE, MS_INVALIDATE) != 0)
		fail("msync on anonymous memory", errno, 0);
	check_all('p', "after msync");
	errno = 0;
	if (msync((void *)r, N * PAGE, MS_ASYNC | MS_INVALIDATE) != -1 || errno != EINVAL)
		fail("msync MS_ASYNC | MS_INVALIDATE: want EINVAL", errno, EINVAL);
	if (munmap((void *)(r + 8 * PAGE), PAGE) != 0)
		fail("munmap", errno, 0);
	errno = 0;
	if (msync((void *)r, 16 * PAGE, MS_SYNC) != -1 || errno != ENOMEM)
		fail("msync over a hole: want ENOMEM", errno, ENOMEM);
	errno = 0;
	if (madvise((void *)r, 16 * PAGE, MADV_WILLNEED) != -1 || errno != ENOMEM)
		fail("madvise over a hole: want ENOMEM", errno, ENOMEM);
	errno = 0;
	if (msync((void *)(r + 8 * PAGE), PAGE, MS_SYNC) != -1 || errno != ENOMEM)
		fail("msync of an unmapped page: want ENOMEM", errno, ENOMEM);
	printf("madvise: msync on anonymous memory: 0; unmapped: ENOMEM; bad flags: EINVAL\n");
	printf("madvise: all checks passed\n");
	return 0;
}
