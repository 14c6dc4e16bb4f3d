// expect-output: stack_deep: 1024 frames of 4 KiB: every frame intact on the way back
// expect-output: stack_deep: runaway recursion: SIGSEGV below the 8 MiB stack
// expect-output: stack_deep: all checks passed
/*
 * The stack is 8 MiB, faulted in lazily. A recursion 1024 frames deep, each
 * with 4 KiB of locals (about 4 MiB in all) writes its depth through its
 * frame and checks it on the way back: every stack page must be there, zero
 * at first, and distinct. The faults that took (ru_minflt) must be at least
 * one per new page. Then a child recurses without end: it must die of
 * SIGSEGV when it runs off the bottom of the stack, not hang and not write
 * over anything below it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "proc.h"

#define FRAME 4096
#define DEPTH 1024

static void fail(const char *what, long a, long b)
{
	printf("stack_deep: FAIL: %s (%ld, %ld)\n", what, a, b);
	exit(1);
}

static int __attribute__((noinline)) recurse(int depth, int fresh)
{
	volatile uint32_t frame[FRAME / sizeof(uint32_t)];
	size_t i;
	int below = 0;

	for (i = 0; i < FRAME / sizeof(uint32_t); i += 64) {
		if (fresh && frame[i] != 0)
			fail("a new stack page is not zero", depth, (long)frame[i]);
		frame[i] = (uint32_t)depth * 0x10001u + (uint32_t)i;
	}
	if (depth > 1)
		below = recurse(depth - 1, fresh);
	for (i = 0; i < FRAME / sizeof(uint32_t); i += 64)
		if (frame[i] != (uint32_t)depth * 0x10001u + (uint32_t)i)
			fail("a stack frame changed", depth, (long)i);
	return below + 1;
}

/* No end in practice: each frame is a page; the 8 MiB run out after ~2048 calls. */
static volatile int runaway_limit = 1 << 30;

static int __attribute__((noinline)) runaway(int depth)
{
	volatile char frame[FRAME];

	if (depth == runaway_limit)
		return 0;
	frame[0] = (char)depth;
	frame[FRAME - 1] = (char)depth;
	return runaway(depth + 1) + frame[0] + frame[FRAME - 1];
}

int main(int argc, char **argv)
{
	char *args[] = { argv[0], "child", NULL };
	struct rusage before, after;
	int status, got;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return runaway(0) == 0 ? 2 : 3;

	getrusage(RUSAGE_SELF, &before);
	if ((got = recurse(DEPTH, 1)) != DEPTH)
		fail("recursion depth", got, DEPTH);
	getrusage(RUSAGE_SELF, &after);
	if (after.ru_minflt - before.ru_minflt < DEPTH)
		fail("fewer faults than stack pages", after.ru_minflt - before.ru_minflt, DEPTH);
	printf("stack_deep: %d frames of 4 KiB: every frame intact on the way back (%ld faults)\n",
	       DEPTH, after.ru_minflt - before.ru_minflt);

	/* The same pages again (old data in them): resident now, no new faults. */
	getrusage(RUSAGE_SELF, &before);
	if (recurse(DEPTH, 0) != DEPTH)
		fail("second recursion", 0, 0);
	getrusage(RUSAGE_SELF, &after);
	if (after.ru_minflt - before.ru_minflt > 16)
		fail("a second pass over the same stack faulted again",
		     after.ru_minflt - before.ru_minflt, 0);

	pid = spawn(argv[0], args);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		fail("spawn or waitpid", 0, 0);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
		fail("runaway recursion did not die of SIGSEGV", status, 0);
	printf("stack_deep: runaway recursion: SIGSEGV below the 8 MiB stack\n");
	printf("stack_deep: all checks passed\n");
	return 0;
}
