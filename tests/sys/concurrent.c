// expect-output: concurrent: 40 children at once, 200 pages each: every child saw only its own data
// expect-output: concurrent: all checks passed
/*
 * Many processes fault at the same time. 40 children run at once (the
 * timer interleaves them), each filling 200 pages - mmap, heap and stack -
 * with a pattern of its own pid, yielding between pages so that their
 * faults interleave in the VM server, then checking all of it. A frame
 * given to two processes, or a mapping entered in the wrong address space,
 * shows as another child's pattern; a child that finds one exits 1. All 40
 * must exit 0, and afterwards every frame is back.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kern.h"
#define TEST_NAME "concurrent"
#include "systest.h"

#define NCHILD 40
#define NPAGES 200
#define PAGE 4096

static uint64_t mark(int pid, int page)
{
	return ((uint64_t)pid << 32) | (uint64_t)page;
}

static int check(volatile uint64_t *p, int pid, int page)
{
	return p[0] == mark(pid, page) && p[PAGE / 8 - 1] == ~mark(pid, page);
}

static int __attribute__((noinline)) on_stack(int pid, int depth)
{
	volatile uint64_t frame[PAGE / 8];
	int ok;

	frame[0] = mark(pid, depth);
	frame[PAGE / 8 - 1] = ~mark(pid, depth);
	k_yield();
	ok = depth > 1 ? on_stack(pid, depth - 1) : 1;
	return ok && check(frame, pid, depth);
}

static int child(void)
{
	int pid = getpid(), i;
	char *m = mmap(NULL, NPAGES / 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANON, -1, 0);
	char *h = malloc(NPAGES / 4 * PAGE);

	if (m == MAP_FAILED || h == NULL)
		return 2;
	h = (char *)(((uintptr_t)h + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
	for (i = 0; i < NPAGES / 2; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(m + (size_t)i * PAGE);

		p[0] = mark(pid, i);
		p[PAGE / 8 - 1] = ~mark(pid, i);
		k_yield();
	}
	for (i = 0; i < NPAGES / 4 - 1; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(h + (size_t)i * PAGE);

		p[0] = mark(pid, i + 1000);
		p[PAGE / 8 - 1] = ~mark(pid, i + 1000);
		k_yield();
	}
	if (!on_stack(pid, NPAGES / 4))
		return 1;
	for (i = 0; i < NPAGES / 2; i++)
		if (!check((volatile uint64_t *)(m + (size_t)i * PAGE), pid, i))
			return 1;
	for (i = 0; i < NPAGES / 4 - 1; i++)
		if (!check((volatile uint64_t *)(h + (size_t)i * PAGE), pid, i + 1000))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct vmmeter before, after;
	pid_t kids[NCHILD], got;
	int i, j, status;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child();

	get_meter(&before);
	for (i = 0; i < NCHILD; i++)
		if ((kids[i] = spawn_self(argv[0], "child", NULL)) <= 0)
			fail("spawn", i, errno);
	for (i = 0; i < NCHILD; i++) {
		if ((got = wait(&status)) <= 0)
			fail("wait", i, errno);
		for (j = 0; j < NCHILD && kids[j] != got; j++)
			;
		if (j == NCHILD)
			fail("wait returned a stranger", got, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail("a child found data not its own, or failed (pid, status)", got, status);
	}
	get_meter(&after);
	expect_meter_back(&before, &after, "frames or objects not back");
	printf("concurrent: %d children at once, %d pages each: every child saw only its own data\n",
	       NCHILD, NPAGES);
	printf("concurrent: all checks passed\n");
	return 0;
}
