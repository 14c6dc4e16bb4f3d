// expect-output: minherit: INHERIT_NONE: the child has no mapping there (SEGV_MAPERR), the address is free; the parent keeps its data
// expect-output: minherit: INHERIT_NONE on one page of a region: a hole in the child only
// expect-output: minherit: INHERIT_SHARE on private memory: shared with the child and the grandchild
// expect-output: minherit: INHERIT_SHARE after a copy-on-write fork: the earlier child keeps its copy
// expect-output: minherit: INHERIT_COPY on shared memory: the child gets a private copy
// expect-output: minherit: bad values: EINVAL
// expect-output: minherit: all checks passed
/*
 * minherit() with FreeBSD's meanings, each checked across fork:
 *
 *   INHERIT_NONE   the child has no mapping at all there: an access is
 *                  SIGSEGV/SEGV_MAPERR at that address, and mmap can use the
 *                  address again (MAP_FIXED, or as a hint); the parent is
 *                  unaffected. On one page of a region, a one-page hole.
 *   INHERIT_SHARE  a MAP_PRIVATE region is shared with the child (writes
 *                  both ways) and, the setting being inherited, with the
 *                  grandchild. A child forked earlier, while the region was
 *                  still copy-on-write, keeps its copy and sees none of it.
 *   INHERIT_COPY   a MAP_SHARED region is copied: the child sees the data of
 *                  the fork, and neither sees the other's later writes.
 *
 * And an unknown value is EINVAL.
 */
#include <stdint.h>
#define TEST_NAME "minherit"
#include "systest.h"

#define PAGE 4096
#define N 8

struct flags {
	volatile int step;
};

static struct flags *fl;

static void fill(volatile char *r, char v)
{
	int i;

	for (i = 0; i < N; i++)
		r[i * PAGE + 32] = (char)(v + i);
}

/* Pages not in skip hold v + i. */
static void check(volatile char *r, char v, unsigned skip, const char *who, const char *what)
{
	int i;

	for (i = 0; i < N; i++)
		if (!(skip & (1u << i)) && r[i * PAGE + 32] != (char)(v + i))
			failf("%s: %s: page %d holds %d, want %d", who, what, i, r[i * PAGE + 32],
			      (char)(v + i));
}

static void set_inherit(volatile char *r, size_t len, int how)
{
	if (minherit((void *)r, len, how) != 0)
		fail("minherit", how, errno);
}

static void case_none(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_PRIVATE);
	void *p;
	pid_t child;
	int i;

	fill(r, 'a');
	set_inherit(r, N * PAGE, INHERIT_NONE);
	if ((child = fork_or_fail()) == 0) {
		for (i = 0; i < N; i++) {
			expect_access(r + i * PAGE + 32, 0, SIGSEGV, SEGV_MAPERR, "the child, INHERIT_NONE");
			expect_access(r + i * PAGE + 32, 1, SIGSEGV, SEGV_MAPERR, "the child, INHERIT_NONE");
		}
		/* The range is free: a hint gets it, and MAP_FIXED too. */
		p = mmap((void *)r, N * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
		if (p != (void *)r)
			fail("the child: mmap with the free range as hint", (long)(uintptr_t)p,
			     (long)(uintptr_t)r);
		if (r[32] != 0)
			fail("the child: the new mapping is not zero", r[32], 0);
		munmap(p, N * PAGE);
		p = mmap((void *)r, N * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON | MAP_FIXED,
			 -1, 0);
		if (p != (void *)r)
			fail("the child: mmap MAP_FIXED in the free range", errno, 0);
		fill(r, 'c');
		exit(0);
	}
	expect_exit(wait_child(child, "the child"), 0, "INHERIT_NONE: the child");
	check(r, 'a', 0, "the parent", "INHERIT_NONE");
	fill(r, 'p');
	check(r, 'p', 0, "the parent", "INHERIT_NONE, written after");
	munmap((void *)r, N * PAGE);
	printf("minherit: INHERIT_NONE: the child has no mapping there (SEGV_MAPERR), the address "
	       "is free; the parent keeps its data\n");
}

static void case_none_page(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_PRIVATE);
	pid_t child;

	fill(r, 'a');
	set_inherit(r + 3 * PAGE, PAGE, INHERIT_NONE);
	if ((child = fork_or_fail()) == 0) {
		expect_access(r + 3 * PAGE + 5, 0, SIGSEGV, SEGV_MAPERR, "the child, a NONE page");
		check(r, 'a', 1u << 3, "the child", "the pages around a NONE page");
		r[2 * PAGE + 32] = r[4 * PAGE + 32] = 'c';	/* the neighbours are its copies */
		exit(0);
	}
	expect_exit(wait_child(child, "the child"), 0, "INHERIT_NONE page: the child");
	check(r, 'a', 0, "the parent", "a region with a NONE page");
	printf("minherit: INHERIT_NONE on one page of a region: a hole in the child only\n");
	munmap((void *)r, N * PAGE);
}

static void case_share(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_PRIVATE);
	pid_t child, grandchild;

	fl->step = 0;
	fill(r, 'a');
	set_inherit(r, N * PAGE, INHERIT_SHARE);
	if ((child = fork_or_fail()) == 0) {
		check(r, 'a', 0, "the child", "INHERIT_SHARE, at the start");
		fill(r, 'c');
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's writes");
		check(r, 'p', 0, "the child", "INHERIT_SHARE, after the parent wrote");
		if ((grandchild = fork_or_fail()) == 0) {
			fill(r, 'g');
			exit(0);
		}
		expect_exit(wait_child(grandchild, "the grandchild"), 0, "the grandchild");
		check(r, 'g', 0, "the child", "INHERIT_SHARE, after the grandchild wrote");
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's writes");
	check(r, 'c', 0, "the parent", "INHERIT_SHARE, after the child wrote");
	fill(r, 'p');
	fl->step = 2;
	expect_exit(wait_child(child, "the child"), 0, "INHERIT_SHARE: the child");
	check(r, 'g', 0, "the parent", "INHERIT_SHARE, after the grandchild wrote");
	munmap((void *)r, N * PAGE);
	printf("minherit: INHERIT_SHARE on private memory: shared with the child and the "
	       "grandchild\n");
}

/*
 * Fork A while the region is copy-on-write; then INHERIT_SHARE and fork B.
 * B and the parent share; A keeps the data of its fork.
 */
static void case_share_after_cow(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_PRIVATE);
	pid_t a, b;

	fl->step = 0;
	fill(r, 'a');
	if ((a = fork_or_fail()) == 0) {
		wait_until(&fl->step, 2, "B's writes");
		check(r, 'a', 0, "child A", "forked before INHERIT_SHARE, after B wrote");
		fill(r, 'x');
		fl->step = 3;
		exit(0);
	}
	set_inherit(r, N * PAGE, INHERIT_SHARE);
	if ((b = fork_or_fail()) == 0) {
		check(r, 'a', 0, "child B", "at the start");
		fill(r, 'b');
		fl->step = 1;
		wait_until(&fl->step, 3, "A's writes");
		check(r, 'b', 0, "child B", "after A wrote");
		exit(0);
	}
	wait_until(&fl->step, 1, "B's writes");
	check(r, 'b', 0, "the parent", "INHERIT_SHARE after a COW fork, after B wrote");
	fl->step = 2;
	expect_exit(wait_child(a, "child A"), 0, "child A");
	expect_exit(wait_child(b, "child B"), 0, "child B");
	check(r, 'b', 0, "the parent", "INHERIT_SHARE after a COW fork, at the end");
	munmap((void *)r, N * PAGE);
	printf("minherit: INHERIT_SHARE after a copy-on-write fork: the earlier child keeps its "
	       "copy\n");
}

static void case_copy(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_SHARED);
	pid_t child;

	fl->step = 0;
	fill(r, 'a');
	set_inherit(r, N * PAGE, INHERIT_COPY);
	if ((child = fork_or_fail()) == 0) {
		check(r, 'a', 0, "the child", "INHERIT_COPY, at the start");
		fill(r, 'c');
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's writes");
		check(r, 'c', 0, "the child", "INHERIT_COPY, after the parent wrote");
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's writes");
	check(r, 'a', 0, "the parent", "INHERIT_COPY, after the child wrote");
	fill(r, 'p');
	fl->step = 2;
	expect_exit(wait_child(child, "the child"), 0, "INHERIT_COPY: the child");
	check(r, 'p', 0, "the parent", "INHERIT_COPY, at the end");
	munmap((void *)r, N * PAGE);
	printf("minherit: INHERIT_COPY on shared memory: the child gets a private copy\n");
}

static void case_errors(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_PRIVATE);

	errno = 0;
	if (minherit((void *)r, N * PAGE, 7) != -1 || errno != EINVAL)
		fail("minherit with value 7", errno, EINVAL);
	errno = 0;
	if (minherit((void *)(r + 1), PAGE, INHERIT_NONE) != -1 || errno != EINVAL)
		fail("minherit of an unaligned address", errno, EINVAL);
	munmap((void *)r, N * PAGE);
	printf("minherit: bad values: EINVAL\n");
}

int main(void)
{
	fl = map_anon(PAGE, MAP_SHARED);
	case_none();
	case_none_page();
	case_share();
	case_share_after_cow();
	case_copy();
	case_errors();
	printf("minherit: all checks passed\n");
	return 0;
}
