// expect-output: fork_shared: MAP_SHARED: writes both ways, and a grandchild's, are seen; MAP_PRIVATE: not
// expect-output: fork_shared: shared pages first touched after the fork: one page for both
// expect-output: fork_shared: writes to shared pages take no copy-on-write faults
// expect-output: fork_shared: MAP_FIXED mappings are inherited at their addresses
// expect-output: fork_shared: a MAP_FIXED mapping over the child's shared one cuts only the child off
// expect-output: fork_shared: the parent's munmap leaves the child's shared pages
// expect-output: fork_shared: all checks passed
/*
 * MAP_SHARED | MAP_ANON memory is shared across fork; MAP_PRIVATE memory
 * is copied on write. A parent, a child and a grandchild write in turn
 * (a MAP_SHARED page of flags orders them) and each sees the others'
 * writes to the shared region - also to pages nobody touched before the
 * fork - and only its own to the private one. Shared writes are no
 * copy-on-write faults. MAP_FIXED mappings, shared and private, are at the
 * same addresses in the child; a new MAP_FIXED mapping the child puts over
 * its shared one is the child's alone. A shared region the parent unmaps
 * stays whole in the child.
 */
#include <stdint.h>
#define TEST_NAME "fork_shared"
#include "systest.h"

#define PAGE 4096
#define N 16
#define SLACK 6
#define FIXED_SHARED  0x200000000UL
#define FIXED_PRIVATE 0x200100000UL

struct flags {
	volatile int step;
	volatile long cow;
};

static struct flags *fl;
static volatile char *shared, *priv;

static void fill(volatile char *r, char v)
{
	int i;

	for (i = 0; i < N; i++)
		r[i * PAGE + 64] = (char)(v + i);
}

static void check(volatile char *r, char v, const char *who, const char *what)
{
	int i;

	for (i = 0; i < N; i++)
		if (r[i * PAGE + 64] != (char)(v + i))
			failf("%s: %s: page %d holds %d, want %d", who, what, i, r[i * PAGE + 64],
			      (char)(v + i));
}

static void case_both_ways(void)
{
	pid_t child, grandchild;

	fl->step = 0;
	fill(shared, 'a');
	fill(priv, 'a');
	if ((child = fork_or_fail()) == 0) {
		check(shared, 'a', "the child", "shared, at the start");
		fill(shared, 'c');
		fill(priv, 'c');
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's writes");
		check(shared, 'p', "the child", "shared, after the parent wrote");
		check(priv, 'c', "the child", "private, after the parent wrote");
		if ((grandchild = fork_or_fail()) == 0) {
			check(shared, 'p', "the grandchild", "shared, at the start");
			check(priv, 'c', "the grandchild", "private, at the start");
			fill(shared, 'g');
			fill(priv, 'g');
			exit(0);
		}
		expect_exit(wait_child(grandchild, "the grandchild"), 0, "the grandchild");
		check(shared, 'g', "the child", "shared, after the grandchild wrote");
		check(priv, 'c', "the child", "private, after the grandchild wrote");
		fl->step = 3;
		wait_until(&fl->step, 4, "the parent's check");
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's writes");
	check(shared, 'c', "the parent", "shared, after the child wrote");
	check(priv, 'a', "the parent", "private, after the child wrote");
	fill(shared, 'p');
	fill(priv, 'p');
	fl->step = 2;
	wait_until(&fl->step, 3, "the grandchild's writes");
	check(shared, 'g', "the parent", "shared, after the grandchild wrote");
	check(priv, 'p', "the parent", "private, after the grandchild wrote");
	fl->step = 4;
	expect_exit(wait_child(child, "the child"), 0, "the child");
	printf("fork_shared: MAP_SHARED: writes both ways, and a grandchild's, are seen; "
	       "MAP_PRIVATE: not\n");
}

/* A shared region nobody touched before the fork: the first touch decides for both. */
static void case_untouched(void)
{
	volatile char *fresh = map_anon(N * PAGE, MAP_SHARED);
	struct vmmeter a, b;
	pid_t child;
	int i;

	fl->step = 0;
	if ((child = fork_or_fail()) == 0) {
		for (i = 0; i < N; i += 2)
			fresh[i * PAGE] = (char)('c' + i);	/* even pages: the child first */
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's writes");
		for (i = 1; i < N; i += 2)
			if (fresh[i * PAGE] != (char)('p' + i))
				fail("the child does not see the parent's first touch", i, fresh[i * PAGE]);
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's writes");
	get_meter(&a);
	for (i = 0; i < N; i++) {
		if (i % 2 == 0 && fresh[i * PAGE] != (char)('c' + i))
			fail("the parent does not see the child's first touch", i, fresh[i * PAGE]);
		if (i % 2 == 1) {
			if (fresh[i * PAGE] != 0)
				fail("an untouched shared page is not zero", i, fresh[i * PAGE]);
			fresh[i * PAGE] = (char)('p' + i);
		}
	}
	get_meter(&b);
	/* The child's N/2 pages are there already: the parent fills N/2 more, no more. */
	expect_change("zero fills for the parent's half", (long)a.v_zfod, (long)b.v_zfod, N / 2,
		      N / 2 + SLACK);
	fl->step = 2;
	expect_exit(wait_child(child, "the child"), 0, "the child (untouched)");
	munmap((void *)fresh, N * PAGE);
	printf("fork_shared: shared pages first touched after the fork: one page for both\n");
}

static void case_no_cow(void)
{
	struct vmmeter a, b;
	pid_t child;

	fl->step = 0;
	fill(shared, 'a');
	if ((child = fork_or_fail()) == 0) {
		get_meter(&a);
		fill(shared, 'c');
		get_meter(&b);
		fl->cow = (long)(b.v_cow_faults - a.v_cow_faults);
		fl->step = 1;
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's writes");
	get_meter(&a);
	fill(shared, 'p');
	get_meter(&b);
	expect_exit(wait_child(child, "the child"), 0, "the child (no cow)");
	if (fl->cow > SLACK)
		fail("the child's writes to shared pages took cow faults", fl->cow, N);
	expect_change("v_cow_faults for the parent's shared writes", (long)a.v_cow_faults,
		      (long)b.v_cow_faults, 0, SLACK);
	printf("fork_shared: writes to shared pages take no copy-on-write faults (child %ld, "
	       "parent %ld)\n", fl->cow, (long)(b.v_cow_faults - a.v_cow_faults));
}

static volatile char *map_fixed(uintptr_t at, int flags)
{
	void *p = mmap((void *)at, N * PAGE, PROT_READ | PROT_WRITE, flags | MAP_ANON | MAP_FIXED,
		       -1, 0);

	if (p != (void *)at)
		fail("mmap MAP_FIXED", (long)(uintptr_t)p, errno);
	return p;
}

static void case_fixed(void)
{
	volatile char *fs = map_fixed(FIXED_SHARED, MAP_SHARED);
	volatile char *fp = map_fixed(FIXED_PRIVATE, MAP_PRIVATE);
	pid_t child;

	fl->step = 0;
	fill(fs, 'a');
	fill(fp, 'a');
	if ((child = fork_or_fail()) == 0) {
		check(fs, 'a', "the child", "MAP_FIXED shared");
		check(fp, 'a', "the child", "MAP_FIXED private");
		fill(fs, 'c');
		fill(fp, 'c');
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's check");
		/* A new private mapping over the shared one: the child's alone. */
		map_fixed(FIXED_SHARED, MAP_PRIVATE);
		fill(fs, 'z');
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's writes");
	check(fs, 'c', "the parent", "MAP_FIXED shared, after the child wrote");
	check(fp, 'a', "the parent", "MAP_FIXED private, after the child wrote");
	printf("fork_shared: MAP_FIXED mappings are inherited at their addresses\n");
	fl->step = 2;
	expect_exit(wait_child(child, "the child"), 0, "the child (fixed)");
	check(fs, 'c', "the parent", "MAP_FIXED shared, after the child mapped over it");
	fill(fs, 'p');
	check(fs, 'p', "the parent", "MAP_FIXED shared, after the child remapped it");
	munmap((void *)fs, N * PAGE);
	munmap((void *)fp, N * PAGE);
}

/* The child maps a new region over its shared one; the parent keeps writing its own. */
static void case_fixed_cut(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_SHARED);
	pid_t child;
	int i;

	fl->step = 0;
	fill(r, 'a');
	if ((child = fork_or_fail()) == 0) {
		if (mmap((void *)r, N * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) != (void *)r)
			fail("the child: MAP_FIXED over the shared region", errno, 0);
		for (i = 0; i < N; i++)
			if (r[i * PAGE + 64] != 0)
				fail("the child: the new mapping is not zero", i, r[i * PAGE + 64]);
		fill(r, 'c');
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's writes");
		check(r, 'c', "the child", "its own mapping, after the parent wrote the shared one");
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's remapping");
	check(r, 'a', "the parent", "the shared region, after the child mapped over its own");
	fill(r, 'p');
	fl->step = 2;
	expect_exit(wait_child(child, "the child"), 0, "the child (cut)");
	check(r, 'p', "the parent", "the shared region at the end");
	munmap((void *)r, N * PAGE);
	printf("fork_shared: a MAP_FIXED mapping over the child's shared one cuts only the child "
	       "off\n");
}

/* The parent unmaps a shared region: the child still has every page of it. */
static void case_parent_unmaps(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_SHARED);
	pid_t child;

	fl->step = 0;
	fill(r, 'a');
	if ((child = fork_or_fail()) == 0) {
		wait_until(&fl->step, 1, "the parent's munmap");
		check(r, 'a', "the child", "the shared region the parent unmapped");
		fill(r, 'c');
		check(r, 'c', "the child", "the shared region the parent unmapped, written");
		exit(0);
	}
	if (munmap((void *)r, N * PAGE) != 0)
		fail("munmap", errno, 0);
	fl->step = 1;
	expect_exit(wait_child(child, "the child"), 0, "the child (unmapped)");
	printf("fork_shared: the parent's munmap leaves the child's shared pages\n");
}

int main(void)
{
	fl = map_anon(PAGE, MAP_SHARED);
	shared = map_anon(N * PAGE, MAP_SHARED);
	priv = map_anon(N * PAGE, MAP_PRIVATE);
	case_both_ways();
	case_untouched();
	case_no_cow();
	case_fixed();
	case_fixed_cut();
	case_parent_unmaps();
	printf("fork_shared: all checks passed\n");
	return 0;
}
