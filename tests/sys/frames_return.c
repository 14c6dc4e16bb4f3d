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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vmmeter.h>
#include <sys/wait.h>
#include <signal.h>
#include "proc.h"

#define PAGE 4096
#define NMMAP 600
#define NHEAP 300
#define NSTACK 100

static void fail(const char *what, long a, long b)
{
	printf("frames_return: FAIL: %s (%ld, %ld)\n", what, a, b);
	exit(1);
}

static void meter(struct vmmeter *v)
{
	if (getvmmeter(v) != 0)
		fail("getvmmeter", 0, 0);
}

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

	meter(&before);
	m = mmap(NULL, NMMAP * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	h = malloc(NHEAP * PAGE);
	if (m == MAP_FAILED || h == NULL)
		return 2;
	for (i = 0; i < NMMAP; i++)
		m[i * PAGE] = 1;
	memset(h, 1, NHEAP * PAGE);
	use_stack(NSTACK);
	meter(&after);
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

/* Runs one child; returns its wait status. */
static int run(char *self, char *how)
{
	char *args[] = { self, "child", how, NULL };
	int status;
	pid_t pid = spawn(self, args);

	if (pid < 0)
		fail("spawn", pid, 0);
	if (waitpid(pid, &status, 0) != pid)
		fail("waitpid", pid, 0);
	return status;
}

static void round_of(char *self, char *how, int round, int want_signal)
{
	struct vmmeter before, after;
	int status;

	meter(&before);
	status = run(self, how);
	meter(&after);
	printf("frames_return: round %d: free %lu -> %lu, objects %lu -> %lu\n", round,
	       before.v_free_count, after.v_free_count, before.v_objects, after.v_objects);
	if (want_signal ? !(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) :
			  !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		fail("the child's wait status", status, round);
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
