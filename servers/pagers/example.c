/*
 * example.c - the smallest useful pager: memory whose contents are
 * computed the first time someone reads them.
 *
 * The object is a table of a million squares (entry n holds n * n). No
 * page of it exists until a program touches one; then the VM server lends
 * this process zeroed pages, and libpager calls fill() to write the
 * squares they hold. A child reads a few entries; the parent serves its
 * page faults until the object closes. docs/writing-a-pager.md tells more.
 *
 *	make run APP=servers/pagers/example.c
 *	make conformance PAGER=servers/pagers/example.c
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libpager.h"

#define ENTRIES 1000000
#define SIZE (ENTRIES * sizeof(uint64_t))	/* 8,000,000 bytes: 1953 pages and a bit */

static int page_ins;	/* requests served: one fill() each */

/* The whole pager: the object's bytes [offset, offset + len) into pages. */
static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	uint64_t *entry = pages, first = offset / sizeof(uint64_t);
	size_t i;

	(void)cookie;		/* one table: nothing to tell objects apart */
	for (i = 0; i < len / sizeof(uint64_t); i++)
		entry[i] = (first + i) * (first + i);
	page_ins++;
	return 0;
}

static const struct pager_ops ops = { .fill = fill };	/* read-only: no writeback */

PAGER_CONFORMANCE(&ops, NULL, SIZE);	/* what the conformance test tests */

/* The client: a few scattered entries. Each first touch of a page is a fault. */
static int client(const uint64_t *square)
{
	static const uint64_t n[] = { 0, 7, 4096, 123456, ENTRIES - 1 };
	int wrong = 0;
	size_t i;

	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		printf("%lu squared is %lu\n", (unsigned long)n[i], (unsigned long)square[n[i]]);
		wrong += square[n[i]] != n[i] * n[i];
	}
	return wrong;
}

int main(void)
{
	uint32_t handle = pager_create(&ops, NULL, SIZE);
	const uint64_t *square = MAP_FAILED;
	pid_t pid = -1;
	int status = 1;

	if (handle != 0)
		square = pager_map(NULL, SIZE, PROT_READ, MAP_SHARED, handle, 0);
	if (square == MAP_FAILED || (pid = fork()) < 0) {
		perror("example");
		return 1;
	}
	if (pid == 0)		/* the child inherits the shared mapping */
		_exit(client(square));
	munmap((void *)square, SIZE);	/* the child's mapping keeps the object alive */
	pager_release(handle);		/* and now only it does */
	pager_serve();			/* until the child's mapping goes: the object closes */
	waitpid(pid, &status, 0);
	printf("example: %d page-ins served\n", page_ins);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
