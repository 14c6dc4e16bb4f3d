// expect-output: map_cycle: 300 cycles: free and objects back to baseline
// expect-output: map_cycle: all checks passed
/*
 * mmap, touch, munmap, many times over, in shapes that exercise the map's
 * clipping: a whole mapping; one split by mprotect into three entries that
 * share an object, unmapped in one call; one unmapped piece by piece from
 * the middle out; one replaced in part by a MAP_FIXED mapping. After every
 * cycle the frames and the objects must all be back: v_free_count and
 * v_objects equal to the baseline. A leak of one page or one object per
 * cycle shows at once; the cycle number says which shape leaked.
 */
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "map_cycle"
#include "systest.h"

#define PAGE 4096
#define NPAGES 16
#define CYCLES 300

static char *map(void *at, int npages, int flags)
{
	char *p = mmap(at, (size_t)npages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANON | flags, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap", errno, npages);
	return p;
}

static void touch(char *p, int from, int to, char v)
{
	int i;

	for (i = from; i < to; i++) {
		if (p[(size_t)i * PAGE + 5] != 0 && p[(size_t)i * PAGE + 5] != v)
			fail("unexpected data", i, p[(size_t)i * PAGE + 5]);
		p[(size_t)i * PAGE + 5] = v;
	}
}

static void unmap(char *p, int from, int to)
{
	if (munmap(p + (size_t)from * PAGE, (size_t)(to - from) * PAGE) != 0)
		fail("munmap", errno, from);
}

static void one_cycle(int shape)
{
	char *p = map(NULL, NPAGES, 0);
	int i;

	touch(p, 0, NPAGES, 1);
	switch (shape) {
	case 0:		/* whole */
		unmap(p, 0, NPAGES);
		break;
	case 1:		/* three entries, one object */
		if (mprotect(p + 4 * PAGE, 4 * PAGE, PROT_READ) != 0)
			fail("mprotect", errno, 0);
		unmap(p, 0, NPAGES);
		break;
	case 2:		/* from the middle out */
		for (i = 0; i < NPAGES / 2; i++) {
			unmap(p, NPAGES / 2 + i, NPAGES / 2 + i + 1);
			unmap(p, NPAGES / 2 - i - 1, NPAGES / 2 - i);
		}
		break;
	case 3:		/* part replaced, then all */
		if (map(p + 3 * PAGE, 5, MAP_FIXED) != p + 3 * PAGE)
			fail("MAP_FIXED over a mapping", 0, 0);
		touch(p, 3, 8, 2);
		unmap(p, 0, NPAGES);
		break;
	}
}

int main(void)
{
	struct vmmeter base, now;
	int cycle;

	one_cycle(0);	/* warm-up: the zones and this code fault in */
	one_cycle(1);
	get_meter(&base);
	for (cycle = 0; cycle < CYCLES; cycle++) {
		one_cycle(cycle % 4);
		get_meter(&now);
		if (!meter_same(&base, &now)) {
			printf("map_cycle: cycle %d (shape %d): free %lu -> %lu, objects %lu -> %lu\n",
			       cycle, cycle % 4, base.v_free_count, now.v_free_count,
			       base.v_objects, now.v_objects);
			fail("frames or objects not returned", cycle, cycle % 4);
		}
	}
	printf("map_cycle: %d cycles: free and objects back to baseline\n", CYCLES);
	printf("map_cycle: all checks passed\n");
	return 0;
}
