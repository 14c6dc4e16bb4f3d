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
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "oom"
#include "systest.h"

#define PAGE 4096
#define HUGE ((size_t)256 << 20)	/* twice the machine's memory */

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
	struct vmmeter before, after;
	char *p;
	int status, i;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child();

	get_meter(&before);
	if ((size_t)before.v_page_count * PAGE >= HUGE)
		fail("the machine has more memory than the test assumes",
		     (long)before.v_page_count, 0);
	status = run_child(argv[0], "child", NULL);
	get_meter(&after);
	expect_signal(status, SIGBUS, "the child");
	expect_meter_back(&before, &after, "frames or objects not back after the child");
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
