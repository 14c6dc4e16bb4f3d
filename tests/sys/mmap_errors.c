// expect-output: mmap_errors: bad arguments: EINVAL, too big: ENOMEM
// expect-output: mmap_errors: munmap: unaligned, empty, wrapping: EINVAL
// expect-output: mmap_errors: a hint never clobbers; MAP_FIXED lands exactly; len rounds up
// expect-output: mmap_errors: all checks passed
/*
 * mmap and munmap check their arguments: length 0, MAP_FIXED at an
 * unaligned address, outside user space or into the megabyte below the stack
 * where pagers are lent pages, protection bits that do not exist, MAP_SHARED
 * together with MAP_PRIVATE, an anonymous mapping with a descriptor or an
 * offset: EINVAL. More than user space holds: ENOMEM. munmap of an unaligned
 * address, of length 0, of a range that wraps or of the pagers' window:
 * EINVAL. No failed call may leave anything mapped (v_objects, and a
 * mapping's neighbour data are unchanged). And the good cases next to the
 * bad ones: a hint that is taken gives another address, never the mapping
 * already there, and a hint where the length cannot fit, or past user
 * space, is ignored, not an error (nor a reason to map next to the break,
 * where the heap must grow); MAP_FIXED returns exactly its address; a length that is not a
 * page multiple rounds up.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vm_proto.h>
#define TEST_NAME "mmap_errors"
#include "systest.h"

#define PAGE 4096
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANON)

/* mmap must fail with one of two errnos (the same twice if only one fits). */
static void mmap_fails(const char *what, void *addr, size_t len, int prot, int flags,
		       int fd, off_t off, int want, int or_want)
{
	void *p;

	errno = 0;
	p = mmap(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED || (errno != want && errno != or_want)) {
		printf("mmap_errors: %s: returned %p, errno %d, want MAP_FAILED and %d\n", what, p,
		       errno, want);
		fail(what, errno, want);
	}
}

static void munmap_fails(const char *what, void *addr, size_t len)
{
	errno = 0;
	if (munmap(addr, len) != -1 || errno != EINVAL)
		fail(what, errno, EINVAL);
}

int main(void)
{
	struct vmmeter before, after;
	char *a, *b, *c, *brk;

	/* Warm-up: the first write to errno makes the data segment's private copy. */
	mmap_fails("length 0", NULL, 0, RW, ANON, -1, 0, EINVAL, EINVAL);
	get_meter(&before);
	mmap_fails("length 0", NULL, 0, RW, ANON, -1, 0, EINVAL, EINVAL);
	mmap_fails("MAP_FIXED, unaligned", (void *)0x230000100UL, PAGE, RW, ANON | MAP_FIXED, -1,
		   0, EINVAL, EINVAL);
	mmap_fails("MAP_FIXED at 0", NULL, PAGE, RW, ANON | MAP_FIXED, -1, 0, EINVAL, EINVAL);
	mmap_fails("MAP_FIXED past user space", (void *)0x3ffffff000UL, 2 * PAGE, RW,
		   ANON | MAP_FIXED, -1, 0, EINVAL, EINVAL);
	mmap_fails("MAP_FIXED into the pager window", (void *)(PAGER_WINDOW - PAGE), 2 * PAGE,
		   RW, ANON | MAP_FIXED, -1, 0, EINVAL, EINVAL);
	mmap_fails("MAP_FIXED over the pager window", (void *)(PAGER_WINDOW_END - PAGE),
		   2 * PAGE, RW, ANON | MAP_FIXED, -1, 0, EINVAL, EINVAL);
	mmap_fails("protection bit 0x8", NULL, PAGE, RW | 0x8, ANON, -1, 0, EINVAL, EINVAL);
	mmap_fails("protection bit 0x80", NULL, PAGE, 0x80, ANON, -1, 0, EINVAL, EINVAL);
	mmap_fails("MAP_SHARED | MAP_PRIVATE", NULL, PAGE, RW, ANON | MAP_SHARED, -1, 0, EINVAL,
		   EINVAL);
	mmap_fails("MAP_ANON with a descriptor", NULL, PAGE, RW, ANON, 3, 0, EINVAL, EINVAL);
	mmap_fails("MAP_ANON with an offset", NULL, PAGE, RW, ANON, -1, PAGE, EINVAL, EINVAL);
	mmap_fails("a length that wraps when rounded", NULL, SIZE_MAX - 10, RW, ANON, -1, 0,
		   EINVAL, ENOMEM);
	mmap_fails("more than user space", NULL, (size_t)1 << 40, RW, ANON, -1, 0, ENOMEM,
		   ENOMEM);
	get_meter(&after);
	if (after.v_objects != before.v_objects)
		fail("a failed mmap left an object", (long)after.v_objects, (long)before.v_objects);
	printf("mmap_errors: bad arguments: EINVAL, too big: ENOMEM\n");

	a = mmap(NULL, 4 * PAGE, RW, ANON, -1, 0);
	if (a == MAP_FAILED)
		fail("mmap", errno, 0);
	a[0] = 'a';
	a[4 * PAGE - 1] = 'z';
	munmap_fails("munmap, unaligned", a + 100, PAGE);
	munmap_fails("munmap, length 0", a, 0);
	munmap_fails("munmap, a range that wraps", a, SIZE_MAX - PAGE);
	munmap_fails("munmap past user space", (void *)0x3ffffff000UL, 2 * PAGE);
	munmap_fails("munmap of the pager window", (void *)PAGER_WINDOW, PAGE);
	if (a[0] != 'a' || a[4 * PAGE - 1] != 'z')
		fail("a failed munmap changed the mapping", a[0], a[4 * PAGE - 1]);
	printf("mmap_errors: munmap: unaligned, empty, wrapping: EINVAL\n");

	/* The hint is taken: somewhere else, a's data untouched. */
	b = mmap(a, 2 * PAGE, RW, ANON, -1, 0);
	if (b == MAP_FAILED || (b < a + 4 * PAGE && b + 2 * PAGE > a))
		fail("mmap with a taken hint overlaps", (long)(uintptr_t)b, (long)(uintptr_t)a);
	if (a[0] != 'a' || a[4 * PAGE - 1] != 'z' || b[0] != 0)
		fail("mmap with a taken hint changed data", a[0], b[0]);

	/* A hint where nothing fits (the top of user space): mapped elsewhere. */
	c = mmap((void *)(0x4000000000UL - PAGE), 2 * PAGE, RW, ANON, -1, 0);
	if (c == MAP_FAILED)
		fail("mmap with a hint where the length does not fit", errno, 0);
	c[2 * PAGE - 1] = 1;
	if (munmap(c, 2 * PAGE) != 0)
		fail("munmap", errno, 0);

	/* A hint past user space (rounding it up would wrap): not next to the break. */
	brk = sbrk(0);
	c = mmap((void *)-4095L, PAGE, RW, ANON, -1, 0);
	if (c == MAP_FAILED)
		fail("mmap with a hint past user space", errno, 0);
	c[0] = 1;
	if (sbrk(PAGE) != brk || sbrk(-PAGE) != brk + PAGE)
		fail("a mapping from a wild hint blocks the heap", (long)(uintptr_t)c,
		     (long)(uintptr_t)brk);
	if (munmap(c, PAGE) != 0)
		fail("munmap", errno, 0);

	/* MAP_FIXED: exactly there; over a's middle, whose ends keep their data. */
	c = mmap(a + PAGE, 2 * PAGE, RW, ANON | MAP_FIXED, -1, 0);
	if (c != a + PAGE)
		fail("MAP_FIXED did not return its address", (long)(uintptr_t)c, 0);
	if (a[0] != 'a' || a[4 * PAGE - 1] != 'z')
		fail("MAP_FIXED changed the pages around it", a[0], a[4 * PAGE - 1]);

	/* A length of one byte: a whole page. */
	c = mmap(NULL, 1, RW, ANON, -1, 0);
	if (c == MAP_FAILED || (uintptr_t)c % PAGE != 0)
		fail("mmap of 1 byte", errno, 0);
	c[PAGE - 1] = 1;
	if (munmap(c, 1) != 0 || munmap(a, 4 * PAGE) != 0 || munmap(b, 2 * PAGE) != 0)
		fail("munmap", errno, 0);
	printf("mmap_errors: a hint never clobbers; MAP_FIXED lands exactly; len rounds up\n");
	printf("mmap_errors: all checks passed\n");
	return 0;
}
