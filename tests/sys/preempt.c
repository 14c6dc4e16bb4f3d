// expect-output: preempt: both ran
/*
 * Preemptive scheduling, both ways. The child touches fresh pages without
 * end (its faults go to the VM server and straight back: it never waits on
 * the run queue). The parent spins without a system call, reading the zero
 * fill counter before and after. It can only see the count move if the tick
 * took the CPU from it, and only finish if the tick took it from the child.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vmmeter.h>
#include "proc.h"

#define CHILD_PAGES 16384

static void child_touch_forever(void)
{
	char *p = mmap(NULL, CHILD_PAGES * 4096L, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANON, -1, 0);
	long i;

	for (i = 0;; i = (i + 1) % CHILD_PAGES)
		p[i * 4096] = 1;
}

int main(int argc, char **argv)
{
	char *child[] = { "test_preempt", "child", NULL };
	struct vmmeter before, after;
	volatile unsigned long n;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		child_touch_forever();
	getvmmeter(&before);
	if (spawn("test_preempt", child) < 0) {
		printf("FAIL: spawn\n");
		return 1;
	}
	for (n = 0; n < 30000000; n++)
		;
	getvmmeter(&after);
	printf("preempt: the child faulted %lu pages in while the parent spun\n",
	       after.v_zfod - before.v_zfod);
	if (after.v_zfod - before.v_zfod < 100) {
		printf("FAIL: the child did not run\n");
		return 1;
	}
	printf("preempt: both ran\n");
	return 0;
}
