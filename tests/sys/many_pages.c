// expect-output: many_pages: mmap 2000 pages: every word intact
// expect-output: many_pages: malloc 2000 pages: every word intact
// expect-output: many_pages: all checks passed
/*
 * Touches many pages - 2000 through one anonymous mmap, 2000 through malloc
 * (sbrk) - writing a pattern that names each word's page and place, then
 * reads all of it back. A fault that mapped the wrong frame, a frame handed
 * out twice or a page not zeroed shows up as a wrong word. Fresh anonymous
 * pages must read as zero before the first write. The faults must be about
 * one per page: the counters of the process say how many there were.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "many_pages"
#include "systest.h"

#define NPAGES 2000
#define PAGE 4096
#define WORDS_PER_PAGE (PAGE / sizeof(uint64_t))

static uint64_t pattern(uint64_t salt, size_t page, size_t word)
{
	return salt ^ ((uint64_t)page << 20) ^ (word * 0x9e3779b97f4a7c15ULL);
}

/* Every page: zero at first, then 8 words written (first, last, and between). */
static void fill(uint64_t *base, uint64_t salt)
{
	size_t page, i;

	for (page = 0; page < NPAGES; page++) {
		uint64_t *p = base + page * WORDS_PER_PAGE;

		if (p[0] != 0 || p[WORDS_PER_PAGE - 1] != 0)
			fail("a fresh page is not zero", (long)page, (long)p[0]);
		for (i = 0; i < WORDS_PER_PAGE; i += WORDS_PER_PAGE / 8 - 1)
			p[i] = pattern(salt, page, i);
		p[WORDS_PER_PAGE - 1] = pattern(salt, page, WORDS_PER_PAGE - 1);
	}
}

static void verify(const uint64_t *base, uint64_t salt, const char *what)
{
	size_t page, i;

	for (page = 0; page < NPAGES; page++) {
		const uint64_t *p = base + page * WORDS_PER_PAGE;

		for (i = 0; i < WORDS_PER_PAGE; i++) {
			bool written = i % (WORDS_PER_PAGE / 8 - 1) == 0 || i == WORDS_PER_PAGE - 1;
			uint64_t want = written ? pattern(salt, page, i) : 0;

			if (p[i] != want) {
				printf("many_pages: %s: page %zu word %zu is %#llx, want %#llx\n",
				       what, page, i, (unsigned long long)p[i],
				       (unsigned long long)want);
				fail("data read back differs", (long)page, (long)i);
			}
		}
	}
	printf("many_pages: %s %d pages: every word intact\n", what, NPAGES);
}

int main(void)
{
	uint64_t *m, *h;
	long before, faults;

	before = minflt();
	m = mmap(NULL, (size_t)NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
		 -1, 0);
	if (m == MAP_FAILED)
		fail("mmap of 2000 pages", 0, 0);
	if ((uintptr_t)m % PAGE != 0)
		fail("mmap returned an unaligned address", (long)(uintptr_t)m, 0);
	fill(m, 0x1111);
	faults = minflt() - before;
	printf("many_pages: mmap: %ld faults for %d pages\n", faults, NPAGES);
	if (faults < NPAGES || faults > NPAGES + 50)
		fail("faults for the mmap pages: want one per page", faults, NPAGES);

	h = malloc((size_t)NPAGES * PAGE + PAGE);
	if (h == NULL)
		fail("malloc of 2000 pages", 0, 0);
	h = (uint64_t *)(((uintptr_t)h + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
	fill(h, 0x2222);

	/* Both read back after the other was written: no frame is shared. */
	verify(m, 0x1111, "mmap");
	verify(h, 0x2222, "malloc");
	if (munmap(m, (size_t)NPAGES * PAGE) != 0)
		fail("munmap of 2000 pages", 0, 0);
	verify(h, 0x2222, "malloc");
	printf("many_pages: all checks passed\n");
	return 0;
}
