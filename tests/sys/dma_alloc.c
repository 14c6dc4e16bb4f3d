// expect-output: dma_alloc: sizes: 1 byte to 16 pages; 0 and more than 16 pages: EINVAL
// expect-output: dma_alloc: page-aligned, in RAM, zeroed, apart from each other
// expect-output: dma_alloc: wired: v_wire_count rose by its pages
// expect-output: dma_alloc: a forked child has none of it: SEGV_MAPERR
// expect-output: dma_alloc: munmap and exit give every frame back; a reused frame is zeroed
// expect-output: dma_alloc: all checks passed
/*
 * DMA memory (device.h; VM_DMA_ALLOC): zeroed, wired, physically contiguous
 * pages, mapped in the caller only.
 *
 *   sizes      1 byte (one page), 3 pages and a byte (four), 16 pages (the
 *              most) work; 0 bytes and 16 pages and a byte give EINVAL.
 *   placement  each va and pa is page-aligned and the pa is in RAM; every
 *              byte reads zero; the physical ranges [pa, pa + size) do not
 *              overlap, and patterns written to each survive the others'.
 *              (That the frames of one allocation are contiguous cannot be
 *              seen from here: the host test of vm_page_alloc_contig checks
 *              it.)
 *   wired      v_wire_count rises by the allocation's pages (a page more
 *              at most: the VM's own structures may need one).
 *   fork       a child reads SIGSEGV/SEGV_MAPERR there: never inherited.
 *   freeing    munmap, and the exit of a child that keeps its allocations,
 *              bring v_free_count and v_objects back; memory filled, freed
 *              and allocated again reads zero.
 */
#define TEST_NAME "dma_alloc"
#include "device.h"
#include "systest.h"

#define PAGE 4096
#define MAX_BYTES (16 * PAGE)
#define RAM_START 0x80000000UL
#define RAM_END   (RAM_START + (128UL << 20))	/* tools/qemu-run: -m 128M */

struct dma {
	unsigned char *va;
	uint64_t pa;
	size_t size;		/* rounded to pages */
};

static struct dma alloc_or_fail(size_t bytes)
{
	struct dma d = { .size = (bytes + PAGE - 1) / PAGE * PAGE };

	if ((d.va = dma_alloc(bytes, &d.pa)) == NULL)
		failf("dma_alloc(%lu): errno %d", (unsigned long)bytes, errno);
	return d;
}

static void expect_zero(const struct dma *d, const char *what)
{
	size_t i;

	for (i = 0; i < d->size; i++)
		if (d->va[i] != 0)
			failf("%s: byte %lu is %d", what, (unsigned long)i, d->va[i]);
}

static void expect_pattern(const struct dma *d, unsigned char v)
{
	size_t i;

	for (i = 0; i < d->size; i += 512)
		if (d->va[i] != v)
			failf("the allocation at pa %#lx lost its pattern", (unsigned long)d->pa);
}

static void expect_rejected(size_t bytes)
{
	uint64_t pa;

	errno = 0;
	if (dma_alloc(bytes, &pa) != NULL || errno != EINVAL)
		failf("dma_alloc(%lu): errno %d, want EINVAL", (unsigned long)bytes, errno);
}

static void expect_sane(const struct dma *d)
{
	if (((uintptr_t)d->va & (PAGE - 1)) != 0 || (d->pa & (PAGE - 1)) != 0 ||
	    d->pa < RAM_START || d->pa + d->size > RAM_END)
		failf("dma_alloc gave va %p, pa %#lx", (void *)d->va, (unsigned long)d->pa);
}

static int overlap(const struct dma *a, const struct dma *b)
{
	return a->pa < b->pa + b->size && b->pa < a->pa + a->size;
}

static void free_dma(const struct dma *d)
{
	if (munmap(d->va, d->size) != 0)
		fail("munmap of DMA memory", errno, 0);
}

/* Three allocations: sane, zero, apart; patterns each keep. A child sees none. */
static void case_placement_and_fork(void)
{
	struct dma d[3] = { alloc_or_fail(1), alloc_or_fail(3 * PAGE + 1),
			    alloc_or_fail(MAX_BYTES) };
	pid_t pid;
	int i;

	expect_rejected(0);
	expect_rejected(MAX_BYTES + 1);
	expect_rejected((size_t)-1);
	printf("dma_alloc: sizes: 1 byte to 16 pages; 0 and more than 16 pages: EINVAL\n");
	for (i = 0; i < 3; i++) {
		expect_sane(&d[i]);
		expect_zero(&d[i], "fresh DMA memory");
		if (overlap(&d[i], &d[(i + 1) % 3]))
			fail("two allocations overlap; their pas", (long)d[i].pa,
			     (long)d[(i + 1) % 3].pa);
		memset(d[i].va, 'a' + i, d[i].size);
	}
	for (i = 0; i < 3; i++)
		expect_pattern(&d[i], (unsigned char)('a' + i));
	printf("dma_alloc: page-aligned, in RAM, zeroed, apart from each other\n");
	if ((pid = fork_or_fail()) == 0) {
		for (i = 0; i < 3; i++)
			expect_access((volatile char *)d[i].va + d[i].size - 1, 0, SIGSEGV,
				      SEGV_MAPERR, "the child, in the parent's DMA memory");
		exit(0);
	}
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	printf("dma_alloc: a forked child has none of it: SEGV_MAPERR\n");
	for (i = 0; i < 3; i++)
		free_dma(&d[i]);
}

static void case_wired(void)
{
	struct vmmeter before, after;
	struct dma d;

	get_meter(&before);
	d = alloc_or_fail(4 * PAGE);
	get_meter(&after);
	expect_change("v_wire_count", (long)before.v_wire_count, (long)after.v_wire_count, 4, 5);
	free_dma(&d);
	printf("dma_alloc: wired: v_wire_count rose by its pages\n");
}

/* Fills an allocation, frees it, and allocates again: reused or not, it is zero. */
static void case_freeing(char *self)
{
	struct vmmeter before, after;
	struct dma d = alloc_or_fail(MAX_BYTES);

	memset(d.va, 0xff, d.size);
	free_dma(&d);
	expect_exit(run_child(self, "child", NULL), 0, "the warm-up child");
	get_meter(&before);
	d = alloc_or_fail(MAX_BYTES);
	expect_zero(&d, "DMA memory allocated again");
	free_dma(&d);
	get_meter(&after);
	expect_meter_back(&before, &after, "after dma_alloc and munmap: frames, objects");
	expect_exit(run_child(self, "child", NULL), 0, "the child that keeps its memory");
	expect_meter_settles(&before, "after a child's exit: frames, objects");
	printf("dma_alloc: munmap and exit give every frame back; a reused frame is zeroed\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		alloc_or_fail(MAX_BYTES);
		alloc_or_fail(PAGE);
		return 0;	/* exit frees them */
	}
	case_placement_and_fork();
	case_wired();
	case_freeing(argv[0]);
	printf("dma_alloc: all checks passed\n");
	return 0;
}
