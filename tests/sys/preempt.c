// expect-output: preempt: both ran
/*
 * Preemptive scheduling, both ways. The child touches fresh pages without
 * end (its faults go to the VM server and straight back: it never waits on
 * the run queue). The parent spins without a system call, reading the zero
 * fill counter before and after. It can only see the count move if the tick
 * took the CPU from it, and only finish if the tick took it from the child.
 */
#include <sys/mman.h>
#define TEST_NAME "preempt"
#include "systest.h"

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
	struct vmmeter before, after;
	volatile unsigned long n;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		child_touch_forever();
	get_meter(&before);
	if (spawn_self(argv[0], "child", NULL) < 0)
		fail("spawn", errno, 0);
	for (n = 0; n < 30000000; n++)
		;
	get_meter(&after);
	printf("preempt: the child faulted %lu pages in while the parent spun\n",
	       after.v_zfod - before.v_zfod);
	if (after.v_zfod - before.v_zfod < 100)
		fail("the child did not run", (long)(after.v_zfod - before.v_zfod), 100);
	printf("preempt: both ran\n");
	return 0;
}
