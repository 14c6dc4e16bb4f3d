// expect-output: mprotect_clip: lowered: pages 2-4 read-only, page 6 PROT_NONE
// expect-output: mprotect_clip: raised: page 3 and page 6 writable again, data intact
// expect-output: mprotect_clip: bss: middle page read-only
// expect-output: mprotect_clip: all checks passed
/*
 * mprotect on a sub-range of a mapping clips its entry: only the pages
 * named change. An 8-page mapping (page i holds i + 1) gets pages 2-4
 * read-only and page 6 PROT_NONE ("lowered"); then page 3 and page 6 go
 * back to read-write ("raised": a raise in the middle of a read-only run).
 * The data must survive every change. A store to a read-only page, or any
 * access to a PROT_NONE page, must kill with SIGSEGV while the same access
 * to the neighbouring pages works: children probe one access each, after
 * building the same state at the same fixed address. The same on three
 * pages of .bss, whose entry is the program's own. Errors: a range that is
 * partly unmapped gives ENOMEM and changes nothing; unaligned address or
 * unknown bits give EINVAL.
 */
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "mprotect_clip"
#include "systest.h"

#define PAGE 4096
#define NPAGES 8
#define BASE 0x210000000UL
#define LAST_WORD (PAGE / sizeof(long) - 1)

static char bss_pages[3 * PAGE] __attribute__((aligned(PAGE)));

static volatile long *page(int i)
{
	return (volatile long *)(BASE + (uintptr_t)i * PAGE);
}

static void protect(int first, int n, int prot)
{
	if (mprotect((void *)page(first), (size_t)n * PAGE, prot) != 0)
		fail("mprotect", first, errno);
}

/* The mapping, filled, then lowered; "raised" raises part of it again. */
static void setup(const char *stage)
{
	int i;

	if (mmap((void *)BASE, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) != (void *)BASE)
		fail("mmap", 0, errno);
	for (i = 0; i < NPAGES; i++)
		page(i)[0] = page(i)[LAST_WORD] = i + 1;
	protect(2, 3, PROT_READ);
	protect(6, 1, PROT_NONE);
	if (strcmp(stage, "raised") == 0) {
		protect(3, 1, PROT_READ | PROT_WRITE);
		protect(6, 1, PROT_READ | PROT_WRITE);
	}
	if (strcmp(stage, "bss") == 0) {
		memset(bss_pages, 7, sizeof(bss_pages));
		if (mprotect(bss_pages + PAGE, PAGE, PROT_READ) != 0)
			fail("mprotect of .bss", 0, errno);
	}
}

/* A child: the state of `stage`, then one access; exit 0 if it survives. */
static int probe(const char *stage, int i, const char *op, const char *where)
{
	volatile long *p = page(i);
	int word = strcmp(where, "last") == 0 ? (int)LAST_WORD : 0;
	volatile long sink;

	setup(stage);
	if (strcmp(stage, "bss") == 0)
		p = (volatile long *)(bss_pages + (size_t)i * PAGE);
	if (strcmp(op, "read") == 0)
		sink = p[word];
	else
		p[word] = 99;
	(void)sink;
	return 0;
}

/* A child probes one access: it must die of SIGSEGV (dies) or exit 0. */
static void expect(char *self, char *stage, int i, char *op, char *where, int dies)
{
	char num[8], what[64];

	snprintf(num, sizeof(num), "%d", i);
	snprintf(what, sizeof(what), "%s: %s of page %d (%s word)", stage, op, i, where);
	expect_outcome(run_child(self, "child", stage, num, op, where, NULL), dies ? SIGSEGV : 0,
		       what);
}

/* Page i holds want in its first and last word. */
static void check_data(int i, long want)
{
	if (page(i)[0] != want || page(i)[LAST_WORD] != want)
		fail("data changed", i, page(i)[0]);
}

int main(int argc, char **argv)
{
	char *self = argv[0];
	int i;

	if (argc > 5 && strcmp(argv[1], "child") == 0)
		return probe(argv[2], atoi(argv[3]), argv[4], argv[5]);

	/* Lowered: the parent sees the data and writes the pages still writable. */
	setup("lowered");
	for (i = 0; i < NPAGES; i++)
		if (i != 6)
			check_data(i, i + 1);
	expect(self, "lowered", 1, "write", "last", 0);	/* just below the run */
	expect(self, "lowered", 2, "write", "first", 1);
	expect(self, "lowered", 3, "write", "first", 1);
	expect(self, "lowered", 4, "write", "last", 1);
	expect(self, "lowered", 4, "read", "last", 0);
	expect(self, "lowered", 5, "write", "first", 0);	/* just above it */
	expect(self, "lowered", 6, "read", "first", 1);
	expect(self, "lowered", 6, "write", "first", 1);
	expect(self, "lowered", 7, "write", "first", 0);
	printf("mprotect_clip: lowered: pages 2-4 read-only, page 6 PROT_NONE\n");

	/* Raised: page 3 splits the read-only run; page 6 kept its data. */
	protect(3, 1, PROT_READ | PROT_WRITE);
	protect(6, 1, PROT_READ | PROT_WRITE);
	check_data(6, 7);
	check_data(3, 4);
	page(3)[0] = page(3)[LAST_WORD] = 33;
	page(6)[0] = page(6)[LAST_WORD] = 66;
	check_data(3, 33);
	check_data(6, 66);
	expect(self, "raised", 2, "write", "last", 1);
	expect(self, "raised", 3, "write", "first", 0);
	expect(self, "raised", 3, "write", "last", 0);
	expect(self, "raised", 4, "write", "first", 1);
	expect(self, "raised", 6, "write", "first", 0);
	printf("mprotect_clip: raised: page 3 and page 6 writable again, data intact\n");

	/* All writable again: every page keeps what it had. */
	protect(0, NPAGES, PROT_READ | PROT_WRITE);
	for (i = 0; i < NPAGES; i++) {
		check_data(i, i == 3 ? 33 : i == 6 ? 66 : i + 1);
		page(i)[0] = page(i)[LAST_WORD] = 100 + i;
		check_data(i, 100 + i);
	}

	/* Errors. Page NPAGES is not mapped: nothing may change. */
	errno = 0;
	if (mprotect((void *)page(NPAGES - 1), 2 * PAGE, PROT_READ) != -1 || errno != ENOMEM)
		fail("mprotect over an unmapped page: want ENOMEM", errno, 0);
	page(NPAGES - 1)[0] = 1;	/* still writable, or we die here */
	errno = 0;
	if (mprotect((void *)(BASE + 8), PAGE, PROT_READ) != -1 || errno != EINVAL)
		fail("mprotect of an unaligned address: want EINVAL", errno, 0);
	errno = 0;
	if (mprotect((void *)BASE, PAGE, 0x40) != -1 || errno != EINVAL)
		fail("mprotect with an unknown bit: want EINVAL", errno, 0);
	if (munmap((void *)BASE, NPAGES * PAGE) != 0)
		fail("munmap", errno, 0);

	/* .bss: its middle page read-only, the others not. */
	expect(self, "bss", 0, "write", "last", 0);
	expect(self, "bss", 1, "read", "first", 0);
	expect(self, "bss", 1, "write", "first", 1);
	expect(self, "bss", 1, "write", "last", 1);
	expect(self, "bss", 2, "write", "first", 0);
	printf("mprotect_clip: bss: middle page read-only\n");
	printf("mprotect_clip: all checks passed\n");
	return 0;
}
