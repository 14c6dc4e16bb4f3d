// expect-output: fork_readonly: parent and child read 256 shared pages: 
// expect-output: fork_readonly: all checks passed
/*
 * Sharing for reading costs nothing: after fork, while the parent and the
 * child only read the parent's 256 written pages, no page is copied -
 * v_cow_faults stays put (up to the few stack and data pages the two write
 * to run at all) and the frames in use grow by the child's page tables and
 * those few copies, far less than 256. Both see the parent's data. The
 * child's reads are faults (its page tables start empty) but minor ones
 * (ru_majflt unchanged: nothing came from a pager). Then the child writes
 * one page: exactly that page is copied, and the parent still reads its own.
 *
 * A first fork, before the readings, faults in the code that fork and wait
 * run, so that the counters see only what the test does.
 */
#define TEST_NAME "fork_readonly"
#include "systest.h"

#define PAGE 4096
#define N 256
#define SLACK 12		/* copies of stack and data pages */
#define FRAME_SLACK 64		/* the child's page tables and those copies */

struct shared {
	volatile int step;
	volatile long child_minflt, child_majflt, child_bad;
};

static struct shared *sh;
static volatile char *region;

static long read_all(void)
{
	long bad = 0;
	int i;

	for (i = 0; i < N; i++)
		if (region[i * PAGE] != (char)(i + 1) || region[i * PAGE + PAGE - 1] != (char)~i)
			bad++;
	return bad;
}

static void child(void)
{
	struct rusage r0, r1;

	if (getrusage(RUSAGE_SELF, &r0) != 0)
		exit(2);
	sh->child_bad = read_all();
	if (getrusage(RUSAGE_SELF, &r1) != 0)
		exit(2);
	sh->child_minflt = r1.ru_minflt - r0.ru_minflt;
	sh->child_majflt = r1.ru_majflt - r0.ru_majflt;
	sh->step = 1;
	wait_until(&sh->step, 2, "the parent's reading");
	region[7 * PAGE] = 'c';		/* one write: one copy */
	sh->step = 3;
	wait_until(&sh->step, 4, "the parent's check of page 7");
	if (region[7 * PAGE] != 'c')
		exit(3);
	exit(0);
}

int main(void)
{
	struct vmmeter m0, m1, m2;
	pid_t pid;
	int i;

	sh = map_anon(PAGE, MAP_SHARED);
	region = map_anon(N * PAGE, MAP_PRIVATE);
	for (i = 0; i < N; i++) {
		region[i * PAGE] = (char)(i + 1);
		region[i * PAGE + PAGE - 1] = (char)~i;
	}
	/* Warm-up: fork, wait and the child's start fault in. */
	if ((pid = fork_or_fail()) == 0)
		exit(0);
	expect_exit(wait_child(pid, "the warm-up child"), 0, "the warm-up child");

	get_meter(&m0);
	if ((pid = fork_or_fail()) == 0)
		child();
	wait_until(&sh->step, 1, "the child's reading");
	if (read_all() != 0)
		fail("the parent reads wrong data after fork", read_all(), 0);
	get_meter(&m1);
	if (sh->child_bad != 0)
		fail("the child reads wrong data", sh->child_bad, 0);
	printf("fork_readonly: parent and child read %d shared pages: %ld copy-on-write faults, "
	       "%ld frames; the child took %ld minor faults, %ld major\n", N,
	       (long)(m1.v_cow_faults - m0.v_cow_faults), (long)(m0.v_free_count - m1.v_free_count),
	       sh->child_minflt, sh->child_majflt);
	expect_change("v_cow_faults while both only read", (long)m0.v_cow_faults,
		      (long)m1.v_cow_faults, 0, SLACK);
	expect_change("frames in use while both only read", (long)m1.v_free_count,
		      (long)m0.v_free_count, 0, FRAME_SLACK);
	if (sh->child_minflt < 1 || sh->child_minflt > N)
		fail("the child's reads: minor faults", sh->child_minflt, N);
	if (sh->child_majflt != 0)
		fail("the child's reads were major faults", sh->child_majflt, 0);

	/* The child writes page 7: one copy, the parent's page unchanged. */
	sh->step = 2;
	wait_until(&sh->step, 3, "the child's write");
	get_meter(&m2);
	expect_change("v_cow_faults for the child's one write", (long)m1.v_cow_faults,
		      (long)m2.v_cow_faults, 1, 1 + SLACK);
	if (region[7 * PAGE] != 8)
		fail("the parent sees the child's write", region[7 * PAGE], 8);
	sh->step = 4;
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	if (read_all() != 0)
		fail("the parent's data changed", read_all(), 0);
	printf("fork_readonly: one write by the child copied one page; the parent kept its own\n");
	printf("fork_readonly: all checks passed\n");
	return 0;
}
