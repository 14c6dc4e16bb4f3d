// expect-output: fork_cow: fork: pids agree
// expect-output: fork_cow: parent writes first: ok
// expect-output: fork_cow: child writes first: ok
// expect-output: fork_cow: both write at once: ok
// expect-output: fork_cow: three generations, each writes in turn: ok
// expect-output: fork_cow: three generations, writes before each fork: ok
// expect-output: fork_cow: all checks passed
/*
 * fork() copies on write, whoever writes first. The memory every case
 * checks: a private mmap region, malloc'd heap, one page of .data, one of
 * .bss and two of stack - all written before the fork with one pattern
 * (ORIG). After the fork, processes write their own pattern in an order a
 * MAP_SHARED page of flags enforces, and each checks, at each step, that it
 * sees exactly its own writes (or ORIG if it has not written yet) - never
 * another's:
 *
 *   parent first    the parent writes; the child checks ORIG, writes, checks
 *   child first     the child writes; the parent checks ORIG, writes, checks
 *   both            both write everything at once (preemption interleaves)
 *   3 generations   parent, child and grandchild forked before anyone
 *                   writes; they write in turn, each checking ORIG first
 *   inherited       each generation writes before forking the next: a child
 *                   sees its parent's writes from before the fork, but none
 *                   from after it
 *
 * Each child also checks getpid() against fork's answer in its parent and
 * getppid() against its parent's pid; each wait checks WIFEXITED.
 */
#include <stdint.h>
#define TEST_NAME "fork_cow"
#include "systest.h"

#define PAGE 4096
#define N 24		/* pages of mmap region, and of heap */

enum { ORIG = 0x11, PARENT = 0x22, CHILD = 0x33, GRANDCHILD = 0x44 };

struct flags {
	volatile int step;
	volatile int done[4];
	volatile pid_t pid[4];
};

static struct flags *fl;
static char *region;		/* N pages, MAP_PRIVATE */
static char *heap;		/* N pages, malloc */
static char data_page[PAGE] __attribute__((aligned(PAGE))) = { 1 };
static char bss_page[PAGE] __attribute__((aligned(PAGE)));

/* The byte a pattern puts at page i of a area. */
static unsigned char value(int who, int area, int i)
{
	return (unsigned char)(who ^ (area << 5) ^ (i * 7));
}

static const int offsets[] = { 0, 2049, PAGE - 1 };

/* Writes pattern who into every page of every area (stack: 2 pages at stack). */
static void fill(int who, volatile char *stack)
{
	int i, k;

	for (k = 0; k < 3; k++) {
		for (i = 0; i < N; i++) {
			((volatile char *)region)[i * PAGE + offsets[k]] = (char)value(who, 0, i);
			((volatile char *)heap)[i * PAGE + offsets[k]] = (char)value(who, 1, i);
		}
		((volatile char *)data_page)[offsets[k]] = (char)value(who, 2, 0);
		((volatile char *)bss_page)[offsets[k]] = (char)value(who, 3, 0);
		stack[offsets[k]] = (char)value(who, 4, 0);
		stack[PAGE + offsets[k]] = (char)value(who, 4, 1);
	}
}

static void check_byte(const char *label, const char *me, int who, const char *area, int i,
		       int got, int want)
{
	if ((unsigned char)got != (unsigned char)want)
		failf("%s: %s sees %#x in %s page %d, want %#x (pattern %#x)", label, me,
		      (unsigned char)got, area, i, (unsigned char)want, who);
}

/* Every page must hold pattern who; me and label name the check. */
static void check(int who, volatile char *stack, const char *me, const char *label)
{
	int i, k;

	for (k = 0; k < 3; k++) {
		for (i = 0; i < N; i++) {
			check_byte(label, me, who, "mmap", i,
				   ((volatile char *)region)[i * PAGE + offsets[k]], value(who, 0, i));
			check_byte(label, me, who, "heap", i,
				   ((volatile char *)heap)[i * PAGE + offsets[k]], value(who, 1, i));
		}
		check_byte(label, me, who, ".data", 0, ((volatile char *)data_page)[offsets[k]],
			   value(who, 2, 0));
		check_byte(label, me, who, ".bss", 0, ((volatile char *)bss_page)[offsets[k]],
			   value(who, 3, 0));
		check_byte(label, me, who, "stack", 0, stack[offsets[k]], value(who, 4, 0));
		check_byte(label, me, who, "stack", 1, stack[PAGE + offsets[k]], value(who, 4, 1));
	}
}

static void reset(void)
{
	memset((void *)fl, 0, sizeof(*fl));
}

/* The child's side of a pid check: fork's answer in the parent is fl->pid[1]. */
static void child_checks_pids(pid_t parent)
{
	wait_until(&fl->done[0], 1, "the parent to publish the child's pid");
	if (getpid() != fl->pid[1])
		fail("child: getpid() differs from fork's answer", (long)getpid(), (long)fl->pid[1]);
	if (getppid() != parent)
		fail("child: getppid() is not the parent's pid", (long)getppid(), (long)parent);
}

static void case_pids(void)
{
	pid_t me = getpid(), pid;

	reset();
	pid = fork_or_fail();
	if (pid == 0) {
		child_checks_pids(me);
		exit(0);
	}
	if (pid == me)
		fail("fork returned the parent's own pid", (long)pid, (long)me);
	fl->pid[1] = pid;
	fl->done[0] = 1;
	expect_exit(wait_child(pid, "the child"), 0, "pids: the child");
	printf("fork_cow: fork: pids agree (parent %ld, child %ld)\n", (long)me, (long)pid);
}

static void case_parent_first(void)
{
	volatile char stack[2 * PAGE];
	pid_t pid;

	reset();
	fill(ORIG, stack);
	pid = fork_or_fail();
	if (pid == 0) {
		wait_until(&fl->step, 1, "the parent's writes");
		check(ORIG, stack, "the child", "parent first, before the child writes");
		fill(CHILD, stack);
		check(CHILD, stack, "the child", "parent first, after the child wrote");
		fl->step = 2;
		wait_until(&fl->step, 3, "the parent's check");
		check(CHILD, stack, "the child", "parent first, at the end");
		exit(0);
	}
	fill(PARENT, stack);
	check(PARENT, stack, "the parent", "parent first, after the parent wrote");
	fl->step = 1;
	wait_until(&fl->step, 2, "the child's writes");
	check(PARENT, stack, "the parent", "parent first, after the child wrote");
	fl->step = 3;
	expect_exit(wait_child(pid, "the child"), 0, "parent first: the child");
	check(PARENT, stack, "the parent", "parent first, after the child exited");
	printf("fork_cow: parent writes first: ok\n");
}

static void case_child_first(void)
{
	volatile char stack[2 * PAGE];
	pid_t pid;

	reset();
	fill(ORIG, stack);
	pid = fork_or_fail();
	if (pid == 0) {
		fill(CHILD, stack);
		check(CHILD, stack, "the child", "child first, after the child wrote");
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's writes");
		check(CHILD, stack, "the child", "child first, after the parent wrote");
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's writes");
	check(ORIG, stack, "the parent", "child first, before the parent writes");
	fill(PARENT, stack);
	check(PARENT, stack, "the parent", "child first, after the parent wrote");
	fl->step = 2;
	expect_exit(wait_child(pid, "the child"), 0, "child first: the child");
	check(PARENT, stack, "the parent", "child first, after the child exited");
	printf("fork_cow: child writes first: ok\n");
}

static void case_both(void)
{
	volatile char stack[2 * PAGE];
	int round;
	pid_t pid;

	reset();
	fill(ORIG, stack);
	pid = fork_or_fail();
	/* Several rounds of writing everything: the writes interleave under preemption. */
	for (round = 0; round < 4; round++)
		fill(pid == 0 ? CHILD : PARENT, stack);
	fl->done[pid == 0 ? 1 : 0] = 1;
	wait_until(&fl->done[pid == 0 ? 0 : 1], 1, "the other writer");
	if (pid == 0) {
		check(CHILD, stack, "the child", "both write");
		fl->step = 1;
		exit(0);
	}
	check(PARENT, stack, "the parent", "both write");
	expect_exit(wait_child(pid, "the child"), 0, "both: the child");
	check(PARENT, stack, "the parent", "both write, after the child exited");
	printf("fork_cow: both write at once: ok\n");
}

/*
 * Parent (gen 0), child (1), grandchild (2), all forked from ORIG memory;
 * they write in the order 0, 1, 2 - each first checks it still sees ORIG -
 * then all check their own pattern once everyone has written.
 */
static void case_three_generations(void)
{
	static const int pattern[3] = { PARENT, CHILD, GRANDCHILD };
	static const char *const names[3] = { "the parent", "the child", "the grandchild" };
	volatile char stack[2 * PAGE];
	pid_t child, grandchild = 0;
	int gen = 0;

	reset();
	fill(ORIG, stack);
	child = fork_or_fail();
	if (child == 0) {
		gen = 1;
		grandchild = fork_or_fail();
		if (grandchild == 0)
			gen = 2;
		else
			fl->step = 1;	/* everyone exists: the parent may write */
	}
	wait_until(&fl->step, gen + 1, "its turn to write");
	check(ORIG, stack, names[gen], "three generations, before its own writes");
	fill(pattern[gen], stack);
	check(pattern[gen], stack, names[gen], "three generations, after its own writes");
	fl->step = gen + 2;
	wait_until(&fl->step, 4, "the others' writes");
	check(pattern[gen], stack, names[gen], "three generations, after everyone wrote");
	if (gen == 2)
		exit(0);
	if (gen == 1) {
		expect_exit(wait_child(grandchild, "the grandchild"), 0, "the grandchild");
		check(CHILD, stack, names[1], "three generations, after the grandchild exited");
		exit(0);
	}
	expect_exit(wait_child(child, "the child"), 0, "three generations: the child");
	check(PARENT, stack, names[0], "three generations, after the child exited");
	printf("fork_cow: three generations, each writes in turn: ok\n");
}

/*
 * Each generation writes before it forks the next, and again after: a child
 * sees what its parent wrote before the fork, never what it wrote after.
 */
static void case_inherited(void)
{
	volatile char stack[2 * PAGE];
	pid_t child, grandchild;

	reset();
	fill(ORIG, stack);
	fill(PARENT, stack);
	child = fork_or_fail();
	if (child == 0) {
		check(PARENT, stack, "the child", "inherited: the parent's writes before the fork");
		fill(CHILD, stack);
		grandchild = fork_or_fail();
		if (grandchild == 0) {
			check(CHILD, stack, "the grandchild", "inherited: the child's writes");
			fl->step = 1;
			wait_until(&fl->step, 2, "the child's writes after the fork");
			check(CHILD, stack, "the grandchild", "inherited: after its parent wrote again");
			fill(GRANDCHILD, stack);
			check(GRANDCHILD, stack, "the grandchild", "inherited: its own writes");
			fl->step = 3;
			exit(0);
		}
		wait_until(&fl->step, 1, "the grandchild's first check");
		fill(ORIG, stack);	/* after the fork: the grandchild must not see it */
		fl->step = 2;
		wait_until(&fl->step, 3, "the grandchild's writes");
		check(ORIG, stack, "the child", "inherited: after the grandchild wrote");
		expect_exit(wait_child(grandchild, "the grandchild"), 0, "inherited: the grandchild");
		check(ORIG, stack, "the child", "inherited: after the grandchild exited");
		fl->step = 4;
		exit(0);
	}
	wait_until(&fl->step, 4, "the child and grandchild");
	check(PARENT, stack, "the parent", "inherited: after the descendants wrote");
	expect_exit(wait_child(child, "the child"), 0, "inherited: the child");
	printf("fork_cow: three generations, writes before each fork: ok\n");
}

int main(void)
{
	fl = map_anon(PAGE, MAP_SHARED);
	region = map_anon(N * PAGE, MAP_PRIVATE);
	heap = malloc(N * PAGE);
	if (heap == NULL)
		fail("malloc", errno, 0);
	case_pids();
	case_parent_first();
	case_child_first();
	case_both();
	case_three_generations();
	case_inherited();
	printf("fork_cow: all checks passed\n");
	return 0;
}
