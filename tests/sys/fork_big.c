// expect-output: fork_big: 16 MiB resident; fork; both wrote all 4096 pages: 
// expect-output: fork_big: after the child exited: every page the parent cannot see any more is free
// expect-output: fork_big: all checks passed
/*
 * fork of a big process: 16 MiB (4096 pages) written, then fork, then the
 * parent and the child both write every page at the same time (preemption
 * interleaves them) and check every page: each sees only its own writes.
 * While both are alive every write copies (no move: the original is still
 * shared): v_cow_faults grows by 2 x 4096 and v_cow_optim not at all, and
 * 2 x 4096 more frames are in use. When the child has exited, its copies are
 * free again, and so are the originals, which only the parent's own copies
 * still hide: the frames in use are those of before the fork, within a
 * small slack. The fork itself is quick: it copies no page.
 */
#define TEST_NAME "fork_big"
#include "systest.h"

#define PAGE 4096
#define N 4096			/* 16 MiB */
#define SLACK 16
#define FRAME_SLACK 48

struct flags {
	volatile int done[2];
	volatile long bad;
};

static struct flags *fl;
static volatile long *big;

static long word(int i, long who)
{
	return who * 1000003L + i;
}

static long write_and_check(long who)
{
	long bad = 0;
	int i;

	for (i = 0; i < N; i++) {
		if (big[i * (PAGE / 8)] != word(i, 0) || big[i * (PAGE / 8) + PAGE / 8 - 1] != ~word(i, 0))
			bad++;
		big[i * (PAGE / 8)] = word(i, who);
		big[i * (PAGE / 8) + PAGE / 8 - 1] = ~word(i, who);
	}
	for (i = 0; i < N; i++)
		if (big[i * (PAGE / 8)] != word(i, who) ||
		    big[i * (PAGE / 8) + PAGE / 8 - 1] != ~word(i, who))
			bad++;
	return bad;
}

int main(void)
{
	struct vmmeter m0, m1, m2, m3;
	long bad;
	pid_t pid;
	int i;

	fl = map_anon(PAGE, MAP_SHARED);
	big = map_anon((size_t)N * PAGE, MAP_PRIVATE);
	for (i = 0; i < N; i++) {
		big[i * (PAGE / 8)] = word(i, 0);
		big[i * (PAGE / 8) + PAGE / 8 - 1] = ~word(i, 0);
	}
	/* Warm-up: the code fork and wait run. */
	if ((pid = fork_or_fail()) == 0)
		exit(0);
	expect_exit(wait_child(pid, "the warm-up child"), 0, "the warm-up child");

	get_meter(&m0);
	pid = fork_or_fail();
	if (pid == 0) {
		fl->bad = write_and_check(2);
		fl->done[1] = 1;
		wait_until(&fl->done[0], 2, "the parent's writes and readings");
		exit(0);
	}
	get_meter(&m1);
	bad = write_and_check(1);
	fl->done[0] = 1;
	wait_until(&fl->done[1], 1, "the child's writes");
	get_meter(&m2);
	fl->done[0] = 2;	/* the child may go */
	if (bad != 0 || fl->bad != 0)
		fail("wrong data after both wrote (parent, child)", bad, fl->bad);
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	for (i = 0; i < N; i++)
		if (big[i * (PAGE / 8)] != word(i, 1))
			fail("the parent's data after the child exited", i, 0);
	get_meter(&m3);
	printf("fork_big: 16 MiB resident; fork; both wrote all %d pages: fork took %ld frames; "
	       "%ld copy-on-write faults (%ld moves), %ld frames while both lived; %ld after the "
	       "child exited\n", N, (long)m0.v_free_count - (long)m1.v_free_count,
	       (long)(m2.v_cow_faults - m0.v_cow_faults), (long)(m2.v_cow_optim - m0.v_cow_optim),
	       (long)m0.v_free_count - (long)m2.v_free_count,
	       (long)m0.v_free_count - (long)m3.v_free_count);
	expect_change("frames taken by fork itself", (long)m1.v_free_count, (long)m0.v_free_count,
		      0, FRAME_SLACK);
	expect_change("v_cow_faults while both wrote everything", (long)m0.v_cow_faults,
		      (long)m2.v_cow_faults, 2 * N, 2 * N + SLACK);
	expect_change("v_cow_optim while both wrote everything", (long)m0.v_cow_optim,
		      (long)m2.v_cow_optim, 0, 0);
	expect_change("frames in use while both lived", (long)m2.v_free_count,
		      (long)m0.v_free_count, 2 * N, 2 * N + N / 32);	/* + page tables, pv entries */
	expect_change("frames in use after the child exited", (long)m3.v_free_count,
		      (long)m0.v_free_count, -FRAME_SLACK, FRAME_SLACK);
	printf("fork_big: after the child exited: every page the parent cannot see any more is "
	       "free\n");
	printf("fork_big: all checks passed\n");
	return 0;
}
