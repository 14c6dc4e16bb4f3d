// expect-output: pager_tail: ok
/*
 * An object whose size is not a whole number of pages. Its last page
 * reaches past the end; the bytes there must read as zeros, as past the
 * end of a file, even from a pager that writes every byte it is given:
 * libpager gives fill and writeback only the bytes inside the object.
 * The child checks what it reads and writes the last page back; the
 * parent (the pager) checks how far the callbacks were asked to go.
 */
#define TEST_NAME "pager_tail"
#include "systest.h"
#include "libpager.h"

#define SIZE (4096 + 100)	/* one page and 100 bytes of the next */

static uint64_t fill_end, writeback_end;	/* the furthest byte each was given */

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	(void)cookie;
	memset(pages, 0xa5, len);
	if (offset + len > fill_end)
		fill_end = offset + len;
	return 0;
}

static int writeback(void *cookie, uint64_t offset, const void *pages, size_t len)
{
	(void)cookie, (void)pages;
	if (offset + len > writeback_end)
		writeback_end = offset + len;
	return 0;
}

static const struct pager_ops ops = { .fill = fill, .writeback = writeback };

static void child(volatile unsigned char *p)
{
	long i;

	for (i = 0; i < SIZE; i++)
		if (p[i] != 0xa5)
			fail("byte inside the object", i, p[i]);
	for (i = SIZE; i < 2 * 4096; i++)
		if (p[i] != 0)
			fail("byte past the end", i, p[i]);
	p[SIZE - 1] = 1;
	if (msync((void *)p, 2 * 4096, MS_SYNC) != 0)
		fail("msync", errno, 0);
	_exit(0);
}

int main(void)
{
	uint32_t handle = pager_create(&ops, NULL, SIZE);
	void *p;
	pid_t pid;

	if (handle == 0)
		fail("pager_create", errno, 0);
	p = pager_map(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, handle, 0);
	if (p == MAP_FAILED)
		fail("pager_map", errno, 0);
	pid = fork_or_fail();
	if (pid == 0)
		child(p);
	if (munmap(p, SIZE) != 0 || pager_release(handle) != 0)
		fail("munmap or pager_release", errno, 0);
	pager_serve();
	expect_exit(wait_child(pid, "child"), 0, "child");
	if (fill_end != SIZE || writeback_end != SIZE)
		fail("fill and writeback reached", (long)fill_end, (long)writeback_end);
	printf("pager_tail: ok\n");
	return 0;
}
