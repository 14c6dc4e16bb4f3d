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
#define TEST_NAME "stack_deep"
#include "systest.h"

#define FRAME 4096
#define DEPTH 1024

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
	long before, faults;
	int got;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return runaway(0) == 0 ? 2 : 3;

	before = minflt();
	if ((got = recurse(DEPTH, 1)) != DEPTH)
		fail("recursion depth", got, DEPTH);
	faults = minflt() - before;
	if (faults < DEPTH)
		fail("fewer faults than stack pages", faults, DEPTH);
	printf("stack_deep: %d frames of 4 KiB: every frame intact on the way back (%ld faults)\n",
	       DEPTH, faults);

	/* The same pages again (old data in them): resident now, no new faults. */
	before = minflt();
	if (recurse(DEPTH, 0) != DEPTH)
		fail("second recursion", 0, 0);
	faults = minflt() - before;
	if (faults > 16)
		fail("a second pass over the same stack faulted again", faults, 0);

	expect_signal(run_child(argv[0], "child", NULL), SIGSEGV, "runaway recursion");
	printf("stack_deep: runaway recursion: SIGSEGV below the 8 MiB stack\n");
	printf("stack_deep: all checks passed\n");
	return 0;
}
