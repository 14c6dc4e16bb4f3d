// expect-output: cow_move: shared with a live child: the parent's 128 writes: all copies, no moves
// expect-output: cow_move: shared with a live child: the child's 128 writes: all copies, no moves
// expect-output: cow_move: after the child exited: the parent's 127 writes copied nothing
// expect-output: cow_move: after the parent exited: the child's 127 writes copied nothing
// expect-output: cow_move: one of two children exited: 63 writes copied; after both: 64 writes copied nothing
// expect-output: cow_move: child gone before any write: 128 writes, no copies
// expect-output: cow_move: all checks passed
/*
 * Copy-on-write copies a page only when someone else can still see the
 * original. vm_fault_cow moves the page up instead (v_cow_optim) when the
 * object it was found in is anonymous, directly below the faulting map's
 * first object, and that shadow is its only user (one shadow, one
 * reference). From user space:
 *
 *   shared         both processes alive: every write copies, none moves -
 *                  the parent's writes and then the child's (the parent's
 *                  shadow still refers to the original object)
 *   child exited   the parent wrote one page while the child was alive (so
 *                  it has a shadow over the shared object); the child exits;
 *                  the parent's writes to the other pages copy nothing
 *   parent exited  the same the other way round: the child's shadow, the
 *                  parent gone, the child's writes copy nothing
 *   two children   one child gone, one still sharing: writes copy; both
 *                  gone: writes copy nothing
 *   no shadow yet  the child exits before anyone writes: the parent's writes
 *                  copy nothing
 *
 * "Copy nothing" means: no frame taken, and either every copy-on-write
 * fault was a move (v_cow_optim counts exactly the writes: the original
 * object stayed below, reachable by the writer alone), or there was none
 * (the VM merged that object into the writer's when the other went, as
 * FreeBSD's vm_object_deallocate does) - the test prints which. Where a
 * copy is required, v_cow_optim must not move at all. In every case the
 * data is right. The counters are system-wide: the other processes wait in
 * a loop that takes no faults.
 */
#ifndef TEST_NAME
#define TEST_NAME "cow_move"
#endif
#include <string.h>
#include "systest.h"

/*
 * Which way "no copy" must happen: the default (eager) collapse policy
 * merges the object when the other user goes; cow_move_lazy.c includes this
 * file under collapse=lazy, where each page must move up as it is written.
 */
#ifndef WANT_HOW
#define WANT_HOW "merged"
#endif

#define PAGE 4096
#define N 128
#define SLACK 6		/* copy-on-write faults of stack and data pages */
#define FRAME_SLACK 24

struct shared {
	volatile int step;
	volatile long d_cow, d_optim, d_frames;
	volatile int bad;
};

static struct shared *sh;
static volatile char *region;

static void fill_region(char v)
{
	int i;

	for (i = 0; i < N; i++)
		region[i * PAGE] = (char)(v + i);
}

/* Writes pages [from, to) with v + i; returns how many read wrong (want old + i) before. */
static int write_range(int from, int to, char old, char v)
{
	int i, bad = 0;

	for (i = from; i < to; i++) {
		if (region[i * PAGE + 1] != 0 || region[i * PAGE] != (char)(old + i))
			bad++;
		region[i * PAGE] = (char)(v + i);
	}
	return bad;
}

static int check_range(int from, int to, char v)
{
	int i, bad = 0;

	for (i = from; i < to; i++)
		if (region[i * PAGE] != (char)(v + i))
			bad++;
	return bad;
}

struct delta {
	long cow, optim, frames;	/* frames: taken (positive) */
};

static struct delta measure(const struct vmmeter *a, const struct vmmeter *b)
{
	struct delta d = { (long)(b->v_cow_faults - a->v_cow_faults),
			   (long)(b->v_cow_optim - a->v_cow_optim),
			   (long)a->v_free_count - (long)b->v_free_count };

	return d;
}

static void new_region(void)
{
	region = map_anon(N * PAGE, MAP_PRIVATE);
	fill_region('a');
	memset((void *)sh, 0, sizeof(*sh));
}

static void done_region(void)
{
	if (munmap((void *)region, N * PAGE) != 0)
		fail("munmap", errno, 0);
}

/* Writes pages [from, to) must all have been copied: n copies, no move. */
static void expect_copies(struct delta d, int n, const char *what)
{
	if (d.optim != 0)
		failf("%s: %ld pages moved, but the original was still shared", what, d.optim);
	if (d.cow < n || d.cow > n + SLACK)
		failf("%s: %ld copy-on-write faults, want %d", what, d.cow, n);
	if (d.frames < n)
		failf("%s: %ld frames taken for %d copies", what, d.frames, n);
}

/*
 * n writes that need no copy: no frame taken, no page copied. Either each
 * found its page in a backing object only the writer can reach and moved
 * it (n copy-on-write faults, all moves), or that object was merged into
 * the writer's own when the other process went (no copy-on-write fault at
 * all). Returns how the pages came: "moved" or "merged".
 */
static const char *expect_no_copies(struct delta d, int n, const char *what)
{
	if (d.cow - d.optim > SLACK)
		failf("%s: %ld pages copied (%ld cow faults, %ld moves), want none", what,
		      d.cow - d.optim, d.cow, d.optim);
	if (d.frames > FRAME_SLACK)
		failf("%s: %ld frames taken, want (almost) none", what, d.frames);
	if (d.cow <= SLACK) {
		if (strcmp(WANT_HOW, "merged") != 0)
			failf("%s: merged, want %s", what, WANT_HOW);
		return "merged";
	}
	if (d.optim < n || d.optim > n + SLACK)
		failf("%s: %ld pages moved (v_cow_optim), want %d; %ld copy-on-write faults", what,
		      d.optim, n, d.cow);
	if (strcmp(WANT_HOW, "moved") != 0)
		failf("%s: moved, want %s", what, WANT_HOW);
	return "moved";
}

static void case_shared(void)
{
	struct vmmeter a, b;
	struct delta d;
	pid_t pid;

	new_region();
	if ((pid = fork_or_fail()) == 0) {
		wait_until(&sh->step, 1, "the parent's writes");
		get_meter(&a);
		sh->bad = write_range(0, N, 'a', 'c');
		get_meter(&b);
		d = measure(&a, &b);
		sh->d_cow = d.cow;
		sh->d_optim = d.optim;
		sh->d_frames = d.frames;
		sh->step = 2;
		exit(0);
	}
	get_meter(&a);
	if (write_range(0, N, 'a', 'p') != 0)
		fail("shared: the parent read wrong data", 0, 0);
	get_meter(&b);
	expect_copies(measure(&a, &b), N, "shared: the parent's writes");
	printf("cow_move: shared with a live child: the parent's %d writes: all copies, no moves "
	       "(%ld cow faults, %ld moves)\n", N, measure(&a, &b).cow, measure(&a, &b).optim);
	sh->step = 1;
	expect_exit(wait_child(pid, "the child"), 0, "shared: the child");
	if (sh->bad != 0)
		fail("shared: the child read wrong data", sh->bad, 0);
	d.cow = sh->d_cow;
	d.optim = sh->d_optim;
	d.frames = sh->d_frames;
	expect_copies(d, N, "shared: the child's writes");
	printf("cow_move: shared with a live child: the child's %d writes: all copies, no moves "
	       "(%ld cow faults, %ld moves)\n", N, d.cow, d.optim);
	if (check_range(0, N, 'p') != 0)
		fail("shared: the parent's data", 0, 0);
	done_region();
}

static void case_child_exited(void)
{
	struct vmmeter a, b;
	const char *how;
	pid_t pid;

	new_region();
	if ((pid = fork_or_fail()) == 0) {
		wait_until(&sh->step, 1, "the parent's first write");
		sh->bad = check_range(0, N, 'a');
		exit(0);
	}
	/* One write while the child is alive: the parent's shadow, one copy. */
	if (write_range(0, 1, 'a', 'p') != 0)
		fail("child exited: wrong data", 0, 0);
	sh->step = 1;
	expect_exit(wait_child(pid, "the child"), 0, "child exited: the child");
	if (sh->bad != 0)
		fail("child exited: the child read wrong data", sh->bad, 0);
	get_meter(&a);
	if (write_range(1, N, 'a', 'p') != 0)
		fail("child exited: the parent read wrong data", 0, 0);
	get_meter(&b);
	how = expect_no_copies(measure(&a, &b), N - 1, "child exited: the parent's writes");
	if (check_range(0, N, 'p') != 0)
		fail("child exited: the parent's data after the moves", 0, 0);
	printf("cow_move: after the child exited: the parent's %d writes copied nothing (%s: "
	       "%ld cow faults, %ld moves)\n", N - 1, how, measure(&a, &b).cow,
	       measure(&a, &b).optim);
	done_region();
}

/* A middle process maps and forks; it exits; its child writes. */
static void case_parent_exited(void)
{
	struct vmmeter a, b;
	struct delta d;
	const char *how;
	pid_t mid, pid;

	memset((void *)sh, 0, sizeof(*sh));
	if ((mid = fork_or_fail()) == 0) {
		region = map_anon(N * PAGE, MAP_PRIVATE);
		fill_region('a');
		if ((pid = fork_or_fail()) != 0) {
			wait_until(&sh->step, 1, "the child's first write");
			exit(0);	/* the child's original pages are its alone now */
		}
		if (write_range(0, 1, 'a', 'c') != 0)
			sh->bad = 1;
		sh->step = 1;
		wait_orphaned();	/* the parent has gone when init adopts us */
		get_meter(&a);
		sh->bad += write_range(1, N, 'a', 'c');
		get_meter(&b);
		sh->bad += check_range(0, N, 'c');
		d = measure(&a, &b);
		sh->d_cow = d.cow;
		sh->d_optim = d.optim;
		sh->d_frames = d.frames;
		sh->step = 2;
		exit(0);
	}
	expect_exit(wait_child(mid, "the middle process"), 0, "parent exited: the middle process");
	wait_until(&sh->step, 2, "the orphan's writes");
	if (sh->bad != 0)
		fail("parent exited: the orphan read wrong data", sh->bad, 0);
	d.cow = sh->d_cow;
	d.optim = sh->d_optim;
	d.frames = sh->d_frames;
	how = expect_no_copies(d, N - 1, "parent exited: the child's writes");
	printf("cow_move: after the parent exited: the child's %d writes copied nothing (%s: "
	       "%ld cow faults, %ld moves)\n", N - 1, how, d.cow, d.optim);
}

/* Two children share the original; the copies stop only when both are gone. */
static void case_two_children(void)
{
	struct vmmeter a, b, c;
	const char *how;
	pid_t one, two;

	new_region();
	if ((one = fork_or_fail()) == 0) {
		wait_until(&sh->step, 1, "the parent's first write");
		exit(check_range(0, N, 'a') != 0);
	}
	if ((two = fork_or_fail()) == 0) {
		wait_until(&sh->step, 2, "the parent's second batch");
		exit(check_range(0, N, 'a') != 0);
	}
	if (write_range(0, 1, 'a', 'p') != 0)
		fail("two children: wrong data", 0, 0);
	sh->step = 1;
	expect_exit(wait_child(one, "the first child"), 0, "two children: the first child");
	get_meter(&a);
	if (write_range(1, N / 2, 'a', 'p') != 0)
		fail("two children: wrong data in the first half", 0, 0);
	get_meter(&b);
	expect_copies(measure(&a, &b), N / 2 - 1, "two children: writes while one child remains");
	sh->step = 2;
	expect_exit(wait_child(two, "the second child"), 0, "two children: the second child");
	get_meter(&b);
	if (write_range(N / 2, N, 'a', 'p') != 0)
		fail("two children: wrong data in the second half", 0, 0);
	get_meter(&c);
	how = expect_no_copies(measure(&b, &c), N / 2, "two children: writes after both exited");
	if (check_range(0, N, 'p') != 0)
		fail("two children: the parent's data", 0, 0);
	printf("cow_move: one of two children exited: %d writes copied; after both: %d writes "
	       "copied nothing (%s)\n", N / 2 - 1, N / 2, how);
	done_region();
}

static void case_no_shadow(void)
{
	struct vmmeter a, b;
	struct delta d;
	pid_t pid;

	new_region();
	if ((pid = fork_or_fail()) == 0)
		exit(check_range(0, N, 'a') != 0);
	expect_exit(wait_child(pid, "the child"), 0, "no shadow: the child");
	get_meter(&a);
	if (write_range(0, N, 'a', 'p') != 0)
		fail("no shadow: wrong data", 0, 0);
	get_meter(&b);
	d = measure(&a, &b);
	if (d.cow - d.optim > SLACK || d.frames > FRAME_SLACK)
		failf("no shadow: %ld copies (%ld cow faults, %ld moves), %ld frames taken",
		      d.cow - d.optim, d.cow, d.optim, d.frames);
	printf("cow_move: child gone before any write: %d writes, no copies (%ld cow faults, "
	       "%ld moves)\n", N, d.cow, d.optim);
	done_region();
}

int main(void)
{
	pid_t pid;

	sh = map_anon(PAGE, MAP_SHARED);
	/* Warm-up: fork, wait and the child's start fault in. */
	if ((pid = fork_or_fail()) == 0)
		exit(0);
	expect_exit(wait_child(pid, "the warm-up child"), 0, "the warm-up child");
	case_shared();
	case_child_exited();
	case_parent_exited();
	case_two_children();
	case_no_shadow();
	printf("cow_move: all checks passed\n");
	return 0;
}
