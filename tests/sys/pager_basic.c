// expect-output: pager_basic: ok
/*
 * A custom pager end to end: this process creates an object whose words
 * hold their own offsets, maps it shared and forks; the child reads it
 * (every word checked; page-ins count as major faults), writes a page,
 * msyncs (the pager sees the write) and exits. The parent lets go of its
 * mapping and its reference, and serves until the object closes.
 */
#define TEST_NAME "pager_basic"
#include "systest.h"
#include "libpager.h"

#define PAGES 64

static int fills, writebacks, closes;
static uint64_t written_word;

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	uint64_t *w = pages;
	size_t i;

	(void)cookie;
	for (i = 0; i < len / 8; i++)
		w[i] = offset + i * 8;
	fills++;
	return 0;
}

static int writeback(void *cookie, uint64_t offset, const void *pages, size_t len)
{
	(void)cookie, (void)len;
	if (offset == 0)
		written_word = *(const uint64_t *)pages;
	writebacks++;
	return 0;
}

static void close_object(void *cookie)
{
	(void)cookie;
	closes++;
}

static const struct pager_ops ops = { fill, writeback, close_object };

static void child(uint64_t *p)
{
	struct rusage before, after;
	long i;

	getrusage(RUSAGE_SELF, &before);
	for (i = 0; i < PAGES * 512; i++)
		if (p[i] != (uint64_t)i * 8)
			fail("word", i, (long)p[i]);
	getrusage(RUSAGE_SELF, &after);
	if (after.ru_majflt - before.ru_majflt < 1)
		fail("major faults", after.ru_majflt - before.ru_majflt, 0);
	p[0] = 0x1234;
	if (msync(p, 4096, MS_SYNC) != 0)
		fail("msync", errno, 0);
	_exit(0);
}

int main(void)
{
	uint32_t handle = pager_create(&ops, NULL, PAGES * 4096);
	uint64_t *p;
	pid_t pid;

	if (handle == 0)
		fail("pager_create", errno, 0);
	p = pager_map(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, handle, 0);
	if (p == MAP_FAILED)
		fail("pager_map", errno, 0);
	pid = fork_or_fail();
	if (pid == 0)
		child(p);
	if (munmap(p, PAGES * 4096) != 0)
		fail("munmap", errno, 0);
	if (pager_release(handle) != 0)
		fail("pager_release", errno, 0);
	pager_serve();
	if (wait_child(pid, "child") != 0)
		fail("child status", 0, 0);
	if (fills < 1 || writebacks < 1 || closes != 1)
		failf("fills %d writebacks %d closes %d", fills, writebacks, closes);
	if (written_word != 0x1234)
		fail("written word", (long)written_word, 0x1234);
	printf("pager_basic: ok (%d page-ins)\n", fills);
	return 0;
}
