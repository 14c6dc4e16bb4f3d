// expect-output: sbrk: grew 64 pages, data intact
// expect-output: sbrk: shrank: the pages above the break are gone
// expect-output: sbrk: grew again: fresh pages read zero
// expect-output: sbrk: all checks passed
/*
 * The break: sbrk(n) returns the old break and moves it; memory up to the
 * new break is readable, writable and zero at first; shrinking gives the
 * pages above the new break back (a child that reads one dies of SIGSEGV,
 * and v_free_count rises); growing again gives fresh zero pages, not the
 * old data. The break cannot go below where it began, nor into the stack:
 * both fail with ENOMEM and leave it where it was. No malloc here, so the
 * break is ours alone.
 */
#include <stdint.h>
#include <unistd.h>
#define TEST_NAME "sbrk"
#define FAIL_NUMBERS "(%#lx, %#lx)"
#include "systest.h"

#define PAGE 4096
#define GROW 64

static char *brk_now(void)
{
	return sbrk(0);
}

/* A child: grow, shrink back, then read what was the last page. */
static int probe(void)
{
	char *start = sbrk(GROW * PAGE);
	volatile char sink;

	if (start == (void *)-1)
		return 2;
	start[GROW * PAGE - 1] = 1;
	if (sbrk(-GROW * PAGE) == (void *)-1)
		return 3;
	sink = start[GROW * PAGE - 1];
	(void)sink;
	return 0;
}

int main(int argc, char **argv)
{
	struct vmmeter before, after;
	char *start, *p;
	int i;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return probe();

	start = brk_now();
	if ((uintptr_t)start % PAGE != 0 || start == (void *)-1)
		fail("the initial break", (long)(uintptr_t)start, 0);

	/* Grow: the old break comes back; zero, writable memory above it. */
	if ((p = sbrk(GROW * PAGE)) != start)
		fail("sbrk(+) did not return the old break", (long)(uintptr_t)p,
		     (long)(uintptr_t)start);
	if (brk_now() != start + GROW * PAGE)
		fail("the break after growing", (long)(uintptr_t)brk_now(), 0);
	for (i = 0; i < GROW; i++) {
		if (start[i * PAGE] != 0 || start[i * PAGE + PAGE - 1] != 0)
			fail("a new heap page is not zero", i, 0);
		start[i * PAGE] = (char)i;
		start[i * PAGE + PAGE - 1] = (char)~i;
	}
	for (i = 0; i < GROW; i++)
		if (start[i * PAGE] != (char)i || start[i * PAGE + PAGE - 1] != (char)~i)
			fail("heap data changed", i, 0);
	printf("sbrk: grew %d pages, data intact\n", GROW);

	/* Shrink by half: the frames go back; the lower half keeps its data. */
	get_meter(&before);
	if (sbrk(-(GROW / 2) * PAGE) != start + GROW * PAGE)
		fail("sbrk(-) did not return the old break", 0, 0);
	get_meter(&after);
	if (brk_now() != start + GROW / 2 * PAGE)
		fail("the break after shrinking", (long)(uintptr_t)brk_now(), 0);
	if ((long)(after.v_free_count - before.v_free_count) < GROW / 2)
		fail("shrinking freed too few frames",
		     (long)(after.v_free_count - before.v_free_count), GROW / 2);
	for (i = 0; i < GROW / 2; i++)
		if (start[i * PAGE] != (char)i)
			fail("heap data below the break changed", i, 0);
	expect_signal(run_child(argv[0], "child", NULL), SIGSEGV, "a read above a lowered break");
	printf("sbrk: shrank: the pages above the break are gone\n");

	/* Grow again, in small steps: zero, not the old contents. */
	for (i = GROW / 2; i < GROW; i++)
		if (sbrk(PAGE) != start + i * PAGE)
			fail("sbrk(PAGE) again", i, 0);
	for (i = GROW / 2; i < GROW; i++)
		if (start[i * PAGE] != 0 || start[i * PAGE + PAGE - 1] != 0)
			fail("a page regained is not zero", i, start[i * PAGE]);
	for (i = 0; i < GROW / 2; i++)
		if (start[i * PAGE] != (char)i)
			fail("heap data changed after growing again", i, 0);
	printf("sbrk: grew again: fresh pages read zero\n");

	/* A break within a page: the page stays. */
	if (sbrk(-PAGE / 2) == (void *)-1 || brk_now() != start + GROW * PAGE - PAGE / 2)
		fail("sbrk by half a page", 0, 0);
	start[GROW * PAGE - PAGE / 2 - 1] = 5;

	/* Not below the start, not into the stack: ENOMEM, the break unmoved. */
	p = brk_now();
	errno = 0;
	if (sbrk(-(GROW + 1) * PAGE) != (void *)-1 || errno != ENOMEM || brk_now() != p)
		fail("sbrk below the initial break", errno, (long)(uintptr_t)brk_now());
	errno = 0;
	if (sbrk((intptr_t)0x80000000) != (void *)-1 || errno != ENOMEM || brk_now() != p)
		fail("sbrk into the stack", errno, (long)(uintptr_t)brk_now());
	errno = 0;
	if (sbrk(INTPTR_MAX) != (void *)-1 || errno != ENOMEM || brk_now() != p)
		fail("sbrk that wraps around", errno, (long)(uintptr_t)brk_now());
	if (sbrk(start - p) != p || brk_now() != start)
		fail("sbrk back to the start", 0, 0);
	printf("sbrk: all checks passed\n");
	return 0;
}
