// expect-output: munmap_hole: hole of 64 pages: freed 64 frames, the rest intact
// expect-output: munmap_hole: MAP_FIXED in the hole: zero pages, old data gone
// expect-output: munmap_hole: all checks passed
/*
 * munmap of pages in the middle of a mapping leaves two pieces that keep
 * their data, and a hole where any access kills with SIGSEGV (children
 * probe the pages on each side of each edge). The hole's frames go back to
 * the pool at once (v_free_count rises by the pages of the hole). A new
 * MAP_FIXED mapping in the hole reads as zero, never as the old data. Then
 * the ends: munmap of the first and last page clips the pieces from
 * outside. munmap of a range with nothing mapped in it succeeds.
 */
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "munmap_hole"
#include "systest.h"

#define PAGE 4096
#define NPAGES 256
#define HOLE 96		/* the hole: pages [HOLE, HOLE + NHOLE) */
#define NHOLE 64
#define BASE 0x220000000UL

static volatile uint64_t *page(int i)
{
	return (volatile uint64_t *)(BASE + (uintptr_t)i * PAGE);
}

static uint64_t value(int i, int word)
{
	return 0xabc00000000ULL + (uint64_t)i * 1000 + (uint64_t)word;
}

static void fill(void)
{
	int i, w;

	if (mmap((void *)BASE, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) != (void *)BASE)
		fail("mmap", errno, 0);
	for (i = 0; i < NPAGES; i++)
		for (w = 0; w < PAGE / 8; w += 64)
			page(i)[w] = value(i, w);
}

static void check(int from, int to)
{
	int i, w;

	for (i = from; i < to; i++)
		for (w = 0; w < PAGE / 8; w += 64)
			if (page(i)[w] != value(i, w))
				fail("data changed", i, w);
}

static void punch(void)
{
	if (munmap((void *)page(HOLE), NHOLE * PAGE) != 0)
		fail("munmap of the hole", errno, 0);
}

/* A child: the same mapping and hole, then a read of page i. */
static int probe(int i)
{
	volatile uint64_t sink;

	fill();
	punch();
	sink = page(i)[1];
	(void)sink;
	return 0;
}

/* A child reads page i: in the hole it must die of SIGSEGV, else exit 0. */
static void expect(char *self, int i, int dies)
{
	char num[8], what[48];

	snprintf(num, sizeof(num), "%d", i);
	snprintf(what, sizeof(what), "a read of page %d, %s the hole", i, dies ? "in" : "next to");
	expect_outcome(run_child(self, "child", num, NULL), dies ? SIGSEGV : 0, what);
}

int main(int argc, char **argv)
{
	struct vmmeter before, after;
	long freed;
	int i;

	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return probe(atoi(argv[2]));

	fill();
	get_meter(&before);
	punch();
	get_meter(&after);
	freed = (long)after.v_free_count - (long)before.v_free_count;
	if (freed < NHOLE || freed > NHOLE + 4)
		fail("frames freed by the hole", freed, NHOLE);
	check(0, HOLE);
	check(HOLE + NHOLE, NPAGES);
	printf("munmap_hole: hole of %d pages: freed %ld frames, the rest intact\n", NHOLE,
	       freed);

	expect(argv[0], HOLE - 1, 0);
	expect(argv[0], HOLE, 1);
	expect(argv[0], HOLE + NHOLE / 2, 1);
	expect(argv[0], HOLE + NHOLE - 1, 1);
	expect(argv[0], HOLE + NHOLE, 0);

	/* Something new in the hole starts from zero. */
	if (mmap((void *)page(HOLE), NHOLE * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) != (void *)page(HOLE))
		fail("MAP_FIXED in the hole", errno, 0);
	for (i = HOLE; i < HOLE + NHOLE; i++) {
		if (page(i)[0] != 0 || page(i)[64] != 0 || page(i)[PAGE / 8 - 1] != 0)
			fail("a page in the refilled hole is not zero", i, (long)page(i)[0]);
		page(i)[0] = value(i, 0);
	}
	check(0, HOLE);
	check(HOLE + NHOLE, NPAGES);
	printf("munmap_hole: MAP_FIXED in the hole: zero pages, old data gone\n");

	/* The ends; then a range where nothing is mapped. */
	if (munmap((void *)BASE, PAGE) != 0 || munmap((void *)page(NPAGES - 1), PAGE) != 0)
		fail("munmap of the first and last page", errno, 0);
	check(1, HOLE);
	check(HOLE + NHOLE, NPAGES - 1);
	if (munmap((void *)BASE, PAGE) != 0)
		fail("munmap of a range already unmapped", errno, 0);
	if (munmap((void *)BASE, NPAGES * PAGE) != 0)
		fail("munmap of everything", errno, 0);
	printf("munmap_hole: all checks passed\n");
	return 0;
}
