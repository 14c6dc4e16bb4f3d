// expect-output: fork_unmap: the child's hole and protections: MAPERR, ACCERR; the parent unaffected
// expect-output: fork_unmap: the parent's hole and protections: the child unaffected
// expect-output: fork_unmap: a shared region: the child's munmap and mprotect leave the parent's
// expect-output: fork_unmap: all checks passed
/*
 * After fork, each process's map is its own: munmap and mprotect of
 * sub-ranges in one leave the other's mappings as they were.
 *
 *   child changes   the child unmaps page 2 of a private region, makes page
 *                   4 read-only and page 6 PROT_NONE. It sees SIGSEGV with
 *                   SEGV_MAPERR at page 2, SEGV_ACCERR for a write to page 4
 *                   and for a read of page 6 (si_addr the address each time),
 *                   and its data everywhere else. The parent then reads and
 *                   writes every page, with its data.
 *   parent changes  the other way round, with pages 3 and 5, while the child
 *                   is alive: the child reads and writes them.
 *   shared region   the same over a MAP_SHARED region: the child's munmap
 *                   and PROT_READ of parts of it leave the parent's mapping
 *                   writable, and what the child wrote before is still seen.
 */
#define TEST_NAME "fork_unmap"
#include "systest.h"

#define PAGE 4096
#define N 8

struct flags {
	volatile int step;
};

static struct flags *fl;

static volatile char *page_of(volatile char *r, int i)
{
	return r + i * PAGE;
}

static void fill(volatile char *r, char v)
{
	int i;

	for (i = 0; i < N; i++)
		r[i * PAGE + 100] = (char)(v + i);
}

/* Pages other than those in skip (a bit mask) hold v + i; a failure names who. */
static void check(volatile char *r, char v, unsigned skip, const char *who)
{
	int i;

	for (i = 0; i < N; i++)
		if (!(skip & (1u << i)) && r[i * PAGE + 100] != (char)(v + i))
			failf("%s: page %d holds %d, want %d", who, i, r[i * PAGE + 100],
			      (char)(v + i));
}

/* Every page can be read and written (the write keeps the value). */
static void expect_all_usable(volatile char *r, unsigned skip, const char *who)
{
	int i;

	for (i = 0; i < N; i++) {
		if (skip & (1u << i))
			continue;
		expect_access(page_of(r, i) + 200, 0, 0, 0, who);
		expect_access(page_of(r, i) + 200, 1, 0, 0, who);
	}
}

/* The changes: a hole at hole, read-only at ro, nothing at none. */
static void change(volatile char *r, int hole, int ro, int none, const char *who)
{
	if (munmap((void *)page_of(r, hole), PAGE) != 0 ||
	    mprotect((void *)page_of(r, ro), PAGE, PROT_READ) != 0 ||
	    mprotect((void *)page_of(r, none), PAGE, PROT_NONE) != 0)
		failf("%s: munmap or mprotect: errno %d", who, errno);
}

static void expect_changed(volatile char *r, char v, int hole, int ro, int none,
			   const char *who)
{
	expect_access(page_of(r, hole) + 8, 0, SIGSEGV, SEGV_MAPERR, who);
	expect_access(page_of(r, hole) + 8, 1, SIGSEGV, SEGV_MAPERR, who);
	expect_access(page_of(r, ro) + 8, 1, SIGSEGV, SEGV_ACCERR, who);
	expect_access(page_of(r, none) + 8, 0, SIGSEGV, SEGV_ACCERR, who);
	expect_access(page_of(r, none) + 8, 1, SIGSEGV, SEGV_ACCERR, who);
	if (r[ro * PAGE + 100] != (char)(v + ro))
		failf("%s: the read-only page lost its data", who);
	check(r, v, 1u << hole | 1u << none, who);
	expect_all_usable(r, 1u << hole | 1u << ro | 1u << none, who);
}

static void case_child_changes(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_PRIVATE);
	pid_t pid;

	fl->step = 0;
	fill(r, 'a');
	if ((pid = fork_or_fail()) == 0) {
		fill(r, 'c');		/* its own copies first, for some pages */
		change(r, 2, 4, 6, "the child");
		expect_changed(r, 'c', 2, 4, 6, "the child");
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's checks");
		expect_changed(r, 'c', 2, 4, 6, "the child, after the parent's writes");
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's changes");
	check(r, 'a', 0, "the parent, while the child has its hole");
	expect_all_usable(r, 0, "the parent, while the child has its hole");
	fill(r, 'p');
	fl->step = 2;
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	check(r, 'p', 0, "the parent, after the child exited");
	expect_all_usable(r, 0, "the parent, after the child exited");
	munmap((void *)r, N * PAGE);
	printf("fork_unmap: the child's hole and protections: MAPERR, ACCERR; the parent "
	       "unaffected\n");
}

static void case_parent_changes(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_PRIVATE);
	pid_t pid;

	fl->step = 0;
	fill(r, 'a');
	if ((pid = fork_or_fail()) == 0) {
		wait_until(&fl->step, 1, "the parent's changes");
		check(r, 'a', 0, "the child, while the parent has its hole");
		expect_all_usable(r, 0, "the child, while the parent has its hole");
		fill(r, 'c');
		check(r, 'c', 0, "the child, after its writes");
		exit(0);
	}
	change(r, 3, 5, 1, "the parent");
	expect_changed(r, 'a', 3, 5, 1, "the parent");
	fl->step = 1;
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	expect_changed(r, 'a', 3, 5, 1, "the parent, after the child exited");
	munmap((void *)r, N * PAGE);
	printf("fork_unmap: the parent's hole and protections: the child unaffected\n");
}

static void case_shared(void)
{
	volatile char *r = map_anon(N * PAGE, MAP_SHARED);
	pid_t pid;

	fl->step = 0;
	fill(r, 'a');
	if ((pid = fork_or_fail()) == 0) {
		fill(r, 'c');		/* seen by the parent */
		if (munmap((void *)page_of(r, 0), 2 * PAGE) != 0 ||
		    mprotect((void *)page_of(r, 5), 3 * PAGE, PROT_READ) != 0)
			fail("the child: munmap or mprotect", errno, 0);
		expect_access(page_of(r, 1), 0, SIGSEGV, SEGV_MAPERR, "the child, shared");
		expect_access(page_of(r, 6), 1, SIGSEGV, SEGV_ACCERR, "the child, shared");
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's writes");
		check(r, 'p', 0x3, "the child, after the parent's writes");
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's changes");
	check(r, 'c', 0, "the parent, shared, after the child's writes");
	expect_all_usable(r, 0, "the parent, shared");
	fill(r, 'p');
	fl->step = 2;
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	check(r, 'p', 0, "the parent, shared, after the child exited");
	munmap((void *)r, N * PAGE);
	printf("fork_unmap: a shared region: the child's munmap and mprotect leave the parent's "
	       "mapping as it was\n");
}

int main(void)
{
	fl = map_anon(PAGE, MAP_SHARED);
	case_child_changes();
	case_parent_changes();
	case_shared();
	printf("fork_unmap: all checks passed\n");
	return 0;
}
