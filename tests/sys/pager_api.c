// expect-output: pager_api: ok
/*
 * The edges of the protocol, on both sides.
 *  - pager_map refuses a handle that names no object - never made, or
 *    closed, even once its slot holds a new object (EBADF) - an offset
 *    that is not page-aligned, MAP_ANON, and flags with neither or both of
 *    MAP_SHARED and MAP_PRIVATE (EINVAL).
 *  - pager_create takes a size of 0 (an empty file's object: every page
 *    of it is past its end, SIGBUS/BUS_OBJERR); pager_release refuses
 *    another process's handle, and its own a second time (EINVAL).
 *  - An object nobody maps closes as soon as its pager lets go: the pager
 *    hears PAGER_CLOSE, and then, serving nothing, gets ENOENT from
 *    pager_serve_one at once instead of waiting forever.
 */
#define TEST_NAME "pager_api"
#include "pagertest.h"

#define PAGES 16

static int closes;

static void count_close(void *cookie)
{
	(void)cookie;
	closes++;
}

static const struct pager_ops own_ops = { pagertest_fill, NULL, count_close };

static void expect_map_fails(uint32_t handle, uint64_t offset, int flags, int error,
			     const char *what)
{
	void *p = pager_map(NULL, PAGE, PROT_READ, flags, handle, offset);

	if (p != MAP_FAILED || errno != error)
		failf("pager_map of %s: %p, errno %d; want MAP_FAILED, errno %d", what, p, errno,
		      error);
}

/* An object of 0 bytes: it can be mapped, but not touched; it closes as any other. */
static void empty_object(void)
{
	uint32_t handle = pager_create(&own_ops, NULL, 0);
	char *p;

	if (handle == 0)
		fail("pager_create of 0 bytes", errno, 0);
	if ((p = pager_map(NULL, PAGE, PROT_READ, MAP_SHARED, handle, 0)) == MAP_FAILED)
		fail("pager_map of an empty object", errno, 0);
	expect_access(p, 0, SIGBUS, BUS_OBJERR, "an empty object");
	munmap(p, PAGE);
	if (pager_release(handle) != 0 || pager_serve_one() != 0 || closes != 1)
		fail("the close of an empty object", closes, 1);
}

/* We serve an object of our own, which nobody maps. */
static void own_object(void)
{
	uint32_t handle;

	if (pager_serve_one() != ENOENT)
		fail("pager_serve_one with no object", 0, 0);
	empty_object();
	if ((handle = pager_create(&own_ops, NULL, PAGE)) == 0)
		fail("pager_create", errno, 0);
	if (pager_release(handle) != 0)
		fail("pager_release", errno, 0);
	if (pager_release(handle) != -1 || errno != EINVAL)
		fail("a second pager_release: want EINVAL", errno, 0);
	if (pager_serve_one() != 0 || closes != 2)
		fail("the close of an object nobody maps", closes, 2);
	if (pager_serve_one() != ENOENT)
		fail("pager_serve_one once the object closed", 0, 0);
}

int main(void)
{
	uint32_t first;
	char *p;

	own_object();
	pagertest_setup(PAGES, false);
	p = pager_start(&pagertest_ops, MAP_SHARED);
	first = plog->handle;
	expect_map_fails(0, 0, MAP_SHARED, EBADF, "handle 0");
	expect_map_fails(first ^ 0x10000, 0, MAP_SHARED, EBADF, "a handle nobody was given");
	expect_map_fails(first, 100, MAP_SHARED, EINVAL, "an offset inside a page");
	expect_map_fails(first, 0, MAP_SHARED | MAP_ANON, EINVAL, "MAP_ANON");
	expect_map_fails(first, 0, 0, EINVAL, "neither MAP_SHARED nor MAP_PRIVATE");
	expect_map_fails(first, 0, MAP_SHARED | MAP_PRIVATE, EINVAL, "MAP_SHARED | MAP_PRIVATE");
	if (pager_release(first) != -1 || errno != EINVAL)
		fail("pager_release of another's object: want EINVAL", errno, 0);
	expect_page(p, 0, "the object, after all that");
	pager_finish(p);
	expect_map_fails(first, 0, MAP_SHARED, EBADF, "a closed object's handle");

	pagertest_setup(PAGES, false);
	p = pager_start(&pagertest_ops, MAP_SHARED);
	/* It likely has the first one's slot: the old handle must still name nothing. */
	if (plog->handle == first)
		fail("a new object with a closed one's handle", (long)first, 0);
	expect_map_fails(first, 0, MAP_SHARED, EBADF, "a closed object's handle, later");
	expect_page(p + PAGE, PAGE, "the second object");
	pager_finish(p);
	printf("pager_api: ok\n");
	return 0;
}
