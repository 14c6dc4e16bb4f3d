// expect-output: killed by SIGBUS (BUS_OOMERR)
// expect-output: oom: the child ran out of memory: SIGBUS; every frame came back
// expect-output: oom: all checks passed
/*
 * Running out of memory. A child maps twice what the machine has and
 * writes page after page: when no frame is left, the fault that needs one
 * ends the child with SIGBUS (BUS_OOMERR), as FreeBSD's vm_fault_trap()
 * would - not a hang, and not a VM server panic. After the wait,
 * v_free_count and v_objects are back where they were (the VM's own
 * records that ran short along the way came back too), and the parent can
 * map and touch a thousand new pages.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/vmmeter.h>
#include <sys/wait.h>
#include "proc.h"

#define PAGE 4096
#define HUGE ((size_t)256 << 20)	/* twice the machine's memory */

static void fail(const char *what, long a, long b)
{
	printf("oom: FAIL: %s (%ld, %ld)\n", what, a, b);
	exit(1);
}

static int child(void)
{
	char *p = mmap(NULL, HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		return 2;
	for (i = 0; i < HUGE; i += PAGE)
		p[i] = 1;
	return 3;	/* all of it fit: the machine has more memory than we thought */
}

int main(int argc, char **argv)
{
	char *args[] = { argv[0], "child", NULL };
	struct vmmeter before, after;
	char *p;
	int status, i;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child();

	getvmmeter(&before);
	if ((size_t)before.v_page_count * PAGE >= HUGE)
		fail("the machine has more memory than the test assumes",
		     (long)before.v_page_count, 0);
	pid = spawn(argv[0], args);
	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		fail("spawn or waitpid", pid, errno);
	getvmmeter(&after);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGBUS)
		fail("the child's status: want SIGBUS", status, 0);
	if (after.v_free_count != before.v_free_count || after.v_objects != before.v_objects)
		fail("frames or objects not back after the child",
		     (long)after.v_free_count - (long)before.v_free_count,
		     (long)after.v_objects - (long)before.v_objects);
	printf("oom: the child ran out of memory: SIGBUS; every frame came back\n");

	p = mmap(NULL, 1000 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (p == MAP_FAILED)
		fail("mmap after the child", errno, 0);
	for (i = 0; i < 1000; i++)
		p[i * PAGE] = (char)i;
	for (i = 0; i < 1000; i++)
		if (p[i * PAGE] != (char)i)
			fail("data after the child", i, 0);
	printf("oom: all checks passed\n");
	return 0;
}
