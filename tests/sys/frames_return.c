// expect-output: frames_return: round 3: free 
// expect-output: frames_return: all checks passed
/*
 * Frames go back to the pool when a process ends. A child touches N pages
 * (mmap, malloc and stack), checks that the free count fell by at least N
 * while it held them, and exits; after waitpid the parent reads the counters
 * again: v_free_count and v_objects must be what they were before. Three
 * rounds, so that a leak of even one page per process cannot hide, and one
 * more with a child killed by SIGSEGV: a killed process must free its
 * memory too.
 *
 * The parent touches nothing new between its two readings: a warm-up round
 * first faults in whatever code and data spawning and waiting need.
 */
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "frames_return"
#include "systest.h"

#define PAGE 4096
#define NMMAP 600
#define NHEAP 300
#define NSTACK 100

/* NSTACK pages of stack, written so that they are really there. */
static long __attribute__((noinline)) use_stack(int depth)
{
	volatile char frame[PAGE - 128];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth > 1)
		return use_stack(depth - 1) + frame[0] + frame[sizeof(frame) - 1];
	return frame[0];
}

static int child(const char *how)
{
	struct vmmeter before, after;
	char *m, *h;
	long i;

	get_meter(&before);
	m = mmap(NULL, NMMAP * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	h = malloc(NHEAP * PAGE);
	if (m == MAP_FAILED || h == NULL)
		return 2;
	for (i = 0; i < NMMAP; i++)
		m[i * PAGE] = 1;
	memset(h, 1, NHEAP * PAGE);
	use_stack(NSTACK);
	get_meter(&after);
	if (before.v_free_count - after.v_free_count < NMMAP + NHEAP + NSTACK) {
		printf("frames_return: child: free fell by %ld only\n",
		       (long)(before.v_free_count - after.v_free_count));
		return 3;
	}
	if (strcmp(how, "crash") == 0) {
		volatile uintptr_t null = 8;

		*(volatile int *)null = 0;	/* dies holding all of it */
	}
	return 0;
}

static void round_of(char *self, char *how, int round, int want_signal)
{
	struct vmmeter before, after;
	char what[40];
	int status;

	get_meter(&before);
	status = run_child(self, "child", how, NULL);
	get_meter(&after);
	printf("frames_return: round %d: free %lu -> %lu, objects %lu -> %lu\n", round,
	       before.v_free_count, after.v_free_count, before.v_objects, after.v_objects);
	snprintf(what, sizeof(what), "the child of round %d", round);
	expect_outcome(status, want_signal ? SIGSEGV : 0, what);
	if (after.v_free_count != before.v_free_count)
		fail("v_free_count differs after the child ended",
		     (long)after.v_free_count - (long)before.v_free_count, round);
	if (after.v_objects != before.v_objects)
		fail("v_objects differs after the child ended",
		     (long)after.v_objects - (long)before.v_objects, round);
	if (after.v_page_count != before.v_page_count)
		fail("v_page_count changed", (long)after.v_page_count, round);
}

int main(int argc, char **argv)
{
	int round;

	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return child(argv[2]);
	round_of(argv[0], "exit", 0, 0);	/* warm-up: the parent's pages fault in */
	for (round = 1; round <= 3; round++)
		round_of(argv[0], "exit", round, 0);
	round_of(argv[0], "crash", 4, 1);
	printf("frames_return: all checks passed\n");
	return 0;
}
