// expect-output: conformance: all checks passed
/*
 * The pager conformance test: does a pager built with libpager behave as
 * the VM server and its clients need? It is linked with the pager's own
 * file, which names its object with PAGER_CONFORMANCE (libpager.h), and
 * runs on the real system:
 *
 *   this process   creates the object through ops that count and watch
 *                  each request before passing it to the pager's own, and
 *                  serves it with pager_serve(), as the pager would;
 *   the prober     (a child) maps it, and runs each check in a process of
 *                  its own - a crash fails that check alone - after
 *                  dropping the object's pages (msync MS_INVALIDATE), so
 *                  that every check pages in from the pager afresh.
 *
 * Each check prints PASS, FAIL or SKIP (it does not apply to this pager),
 * its name and what it saw. The last line says whether all passed; the
 * exit status is 0 exactly then.
 *
 *	make conformance PAGER=path/to/pager.c
 */
#define TEST_NAME "conformance"
#include <stdbool.h>
#include "systest.h"
#include "libpager.h"

#define PAGE 4096
#define SAMPLES 16		/* pages compared with fill(): the first, the last, between */
#define RANDOM_READS 8		/* scattered pages read under MADV_RANDOM */
#define SEQUENTIAL_MAX 4096	/* pages the sequential check reads, at most */
#define HOLD_SPINS 2000		/* yields a held page-in waits for a second fault */

/*
 * What the pager's process and the probes share: MAP_SHARED memory, made
 * before the first fork. The counting ops write it as requests come; the
 * checks read it once their faults are served.
 */
struct shared {
	int pageins, closes;		/* the requests the pager got */
	long pagein_pages;
	long watched;			/* a page whose requests are noted (-1: none) */
	int watched_pageins, watched_writebacks;
	bool hold;			/* hold the next page-in of `watched` ... */
	uint64_t intrans_before;	/* ... until v_intrans rises past this */
	bool hold_gave_up;
	uint64_t wb_offset, wb_len;	/* the last write-back of `watched` */
	unsigned char wb_page[PAGE];	/* ... and the bytes it brought of it */
	bool last_unmap;		/* the last mapping is going */
	bool closed_early;		/* close came before that */
	int passed, failed, skipped;
};

static struct pager_conformance pager;	/* what the pager's file names */
static uint64_t npages;			/* the object's pages, the last maybe partial */
static uint64_t map_len;		/* the probes' mapping: one page past the end */
static volatile struct shared *sh;
static const char *current;		/* the check under way */

/* ---- verdicts -------------------------------------------------------- */

/* Prints the verdict line of the current check: PASS or FAIL, and what was seen. */
static void report(bool ok, const char *fmt, va_list ap)
{
	printf("%s %-13s ", ok ? "PASS" : "FAIL", current);
	vprintf(fmt, ap);
	printf("\n");
}

/* Prints the verdict of the current check, and counts it. */
static void __attribute__((format(printf, 2, 3))) verdict(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ok, fmt, ap);
	va_end(ap);
	if (ok)
		sh->passed++;
	else
		sh->failed++;
}

/* The check process's end: its verdict, and its exit status (the prober counts it). */
static void __attribute__((noreturn, format(printf, 2, 3)))
check_end(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ok, fmt, ap);
	va_end(ap);
	exit(ok ? 0 : 1);
}

#define check_fail(...) check_end(false, __VA_ARGS__)
#define check_pass(...) check_end(true, __VA_ARGS__)

/* ---- the counting ops, in the pager's process ------------------------- */

/* Does [offset, offset + len) hold some of page `page`? */
static bool covers(uint64_t offset, uint64_t len, long page)
{
	uint64_t at = (uint64_t)page * PAGE;

	return page >= 0 && at >= offset && at < offset + len;
}

/* Holds a page-in until a second fault has met its page busy (v_intrans rose). */
static void hold_for_second_fault(void)
{
	struct vmmeter v;
	long spins;

	for (spins = 0; spins < HOLD_SPINS; spins++) {
		get_meter(&v);
		if (v.v_intrans > sh->intrans_before)
			return;
		k_yield();
	}
	sh->hold_gave_up = true;
}

static int counted_fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	(void)cookie;
	sh->pageins++;
	sh->pagein_pages += (long)((len + PAGE - 1) / PAGE);
	if (covers(offset, len, sh->watched)) {
		sh->watched_pageins++;
		if (sh->hold) {
			sh->hold = false;
			hold_for_second_fault();
		}
	}
	return pager.ops->fill(pager.cookie, offset, pages, len);
}

static int counted_writeback(void *cookie, uint64_t offset, const void *pages, size_t len)
{
	uint64_t at = (uint64_t)sh->watched * PAGE;

	(void)cookie;
	if (covers(offset, len, sh->watched)) {
		sh->watched_writebacks++;
		sh->wb_offset = offset;
		sh->wb_len = len;
		memcpy((void *)sh->wb_page, (const char *)pages + (at - offset),
		       offset + len - at < PAGE ? offset + len - at : PAGE);
	}
	return pager.ops->writeback(pager.cookie, offset, pages, len);
}

static void counted_close(void *cookie)
{
	(void)cookie;
	sh->closes++;
	if (!sh->last_unmap)
		sh->closed_early = true;
	if (pager.ops->close != NULL)
		pager.ops->close(pager.cookie);
}

/* ---- what the pages should hold ---------------------------------------- */

/* The bytes of page i inside the object: PAGE, but for a partial last page. */
static uint64_t page_bytes(uint64_t i)
{
	uint64_t rest = pager.size - i * PAGE;

	return rest < PAGE ? rest : PAGE;
}

/* The k-th of n pages spread evenly over the object, from the first to the last. */
static uint64_t sample(uint64_t k, uint64_t n)
{
	return n > 1 ? k * (npages - 1) / (n - 1) : 0;
}

/*
 * Page i as mapped at base must read what a direct call of fill() writes
 * into a zeroed buffer - which is left in want.
 */
static void expect_page(const char *base, uint64_t i, unsigned char *want)
{
	const volatile unsigned char *page = (const volatile unsigned char *)base + i * PAGE;
	uint64_t n = page_bytes(i), j;
	int error;

	memset(want, 0, PAGE);
	if ((error = pager.ops->fill(pager.cookie, i * PAGE, want, n)) != 0)
		check_fail("fill() of page %lu returned %d", (unsigned long)i, error);
	for (j = 0; j < n; j++)
		if (page[j] != want[j])
			check_fail("page %lu byte %lu reads %#x, fill() writes %#x", (unsigned long)i,
				   (unsigned long)j, page[j], want[j]);
}

/* ---- the checks, each in a process of its own ------------------------- */

static unsigned char want[PAGE];

static void check_fill(char *base)
{
	uint64_t n = npages < SAMPLES ? npages : SAMPLES, k;

	for (k = 0; k < n; k++)
		expect_page(base, sample(k, n), want);
	check_pass("%lu pages, the first and the last among them, read what fill() writes",
		   (unsigned long)n);
}

static const char *skip_tail(void)
{
	return pager.size % PAGE == 0 ? "the size is a whole number of pages" : NULL;
}

static void check_tail(char *base)
{
	const volatile char *p = base;
	uint64_t at;

	for (at = pager.size; at < npages * PAGE; at++)
		if (p[at] != 0)
			check_fail("byte %lu, past the end at %lu, reads %#x", (unsigned long)at,
				   (unsigned long)pager.size, (unsigned char)p[at]);
	check_pass("the %lu bytes of the last page past the end read as zeros",
		   (unsigned long)(npages * PAGE - pager.size));
}

static void check_past_end(char *base)
{
	char *beyond = base + npages * PAGE;
	struct access_result r = try_access(beyond, 0, 0);

	if (r.signo != SIGBUS || r.code != BUS_OBJERR || r.addr != beyond)
		check_fail("a read at %p: signal %d, code %d, si_addr %p; want SIGBUS (%d), "
			   "BUS_OBJERR (%d), at the address read", (void *)beyond, r.signo,
			   r.code, r.addr, SIGBUS, BUS_OBJERR);
	check_pass("a read of the page after the last: SIGBUS/BUS_OBJERR at its address");
}

/*
 * Two processes read one page at the same time. The pager holds the
 * page-in until the second fault has found the page busy, so the two
 * really overlap; they must share that one page-in. (The second only
 * reads: the first checks the bytes, and says how it went.)
 */
static void check_shared_fault(char *base)
{
	uint64_t page = npages / 2;
	struct vmmeter before, after;
	int status;
	pid_t pid;

	get_meter(&before);
	sh->watched = (long)page;
	sh->intrans_before = before.v_intrans;
	sh->hold = true;
	pid = fork_or_fail();
	(void)*(const volatile char *)(base + page * PAGE);	/* both processes */
	if (pid == 0)
		_exit(0);
	expect_page(base, page, want);
	status = wait_child(pid, "the second reader");
	get_meter(&after);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		check_fail("the second reader ended with status %#x", status);
	if (sh->hold_gave_up)
		check_fail("no second fault met page %lu busy (v_intrans stayed at %lu)",
			   (unsigned long)page, (unsigned long)after.v_intrans);
	if (sh->watched_pageins != 1)
		check_fail("%d page-ins of page %lu, want 1", sh->watched_pageins,
			   (unsigned long)page);
	check_pass("two processes faulted page %lu at once: one page-in, v_intrans +%lu",
		   (unsigned long)page, (unsigned long)(after.v_intrans - before.v_intrans));
}

static void check_random(char *base)
{
	uint64_t n = npages < RANDOM_READS ? npages : RANDOM_READS, k;
	int requests = sh->pageins;
	long pages = sh->pagein_pages;

	if (madvise(base, map_len, MADV_RANDOM) != 0)
		check_fail("madvise(MADV_RANDOM): errno %d", errno);
	for (k = 0; k < n; k++)
		expect_page(base, sample(k, n), want);
	requests = sh->pageins - requests;
	pages = sh->pagein_pages - pages;
	if ((uint64_t)requests != n || (uint64_t)pages != n)
		check_fail("%lu scattered pages: %d page-ins of %ld pages, want one page each",
			   (unsigned long)n, requests, pages);
	check_pass("%lu scattered pages under MADV_RANDOM: a page-in of one page each",
		   (unsigned long)n);
}

static void check_sequential(char *base)
{
	uint64_t n = npages < SEQUENTIAL_MAX ? npages : SEQUENTIAL_MAX, most = n / 64 + 16, i;
	int requests = sh->pageins;

	for (i = 0; i < n; i++)
		(void)*(const volatile char *)(base + i * PAGE);
	requests = sh->pageins - requests;
	if ((uint64_t)requests > most)
		check_fail("%lu pages read front to back took %d page-ins, want at most %lu",
			   (unsigned long)n, requests, (unsigned long)most);
	check_pass("%lu pages read front to back in %d page-ins (at most %lu)",
		   (unsigned long)n, requests, (unsigned long)most);
}

static const char *skip_writeback(void)
{
	return pager.ops->writeback == NULL ? "the pager has no writeback: a read-only object" :
					      NULL;
}

/* Changes a few bytes of page i, spread over it, and the same in want. */
static void scribble(char *base, uint64_t i)
{
	uint64_t n = page_bytes(i), at;

	for (at = 0; at < n; at += n / 4 + 1) {
		base[i * PAGE + at] ^= 0x5a;
		want[at] ^= 0x5a;
	}
}

/* msync(MS_SYNC) of page i must bring writeback its offset and the bytes of want. */
static void expect_writeback(char *base, uint64_t i)
{
	uint64_t n = page_bytes(i);

	sh->watched_writebacks = 0;
	if (msync(base + i * PAGE, PAGE, MS_SYNC) != 0)
		check_fail("msync(MS_SYNC) of page %lu: errno %d", (unsigned long)i, errno);
	if (sh->watched_writebacks != 1)
		check_fail("%d write-backs of page %lu, want 1", sh->watched_writebacks,
			   (unsigned long)i);
	if (sh->wb_offset != i * PAGE || sh->wb_len != n)
		check_fail("write-back at %lu of %lu bytes; want %lu bytes at %lu",
			   (unsigned long)sh->wb_offset, (unsigned long)sh->wb_len,
			   (unsigned long)n, (unsigned long)(i * PAGE));
	if (memcmp((const void *)sh->wb_page, want, n) != 0)
		check_fail("write-back of page %lu: not the bytes written", (unsigned long)i);
}

/*
 * A write, then msync: writeback sees it. The bytes are then put back, and
 * written back again, so that a pager with a store ends as it began.
 */
static void check_writeback(char *base)
{
	uint64_t i = npages / 3;

	sh->watched = (long)i;
	expect_page(base, i, want);
	scribble(base, i);
	expect_writeback(base, i);
	scribble(base, i);
	expect_writeback(base, i);
	check_pass("writes to page %lu reached writeback at msync(MS_SYNC), with their "
		   "offset and bytes", (unsigned long)i);
}

static const struct check {
	const char *name;
	const char *(*skip)(void);	/* why it does not apply, or NULL; may be NULL */
	void (*run)(char *base);	/* exits: 0 passed, else failed */
} checks[] = {
	{ "fill", NULL, check_fill },
	{ "tail", skip_tail, check_tail },
	{ "past-end", NULL, check_past_end },
	{ "shared-fault", NULL, check_shared_fault },
	{ "random", NULL, check_random },
	{ "sequential", NULL, check_sequential },
	{ "writeback", skip_writeback, check_writeback },
};

/* ---- the prober ------------------------------------------------------- */

static void run_check(const struct check *c, char *base)
{
	const char *skip = c->skip != NULL ? c->skip() : NULL;
	int status;
	pid_t pid;

	current = c->name;
	if (skip != NULL) {
		printf("SKIP %-13s %s\n", c->name, skip);
		sh->skipped++;
		return;
	}
	sh->watched = -1;
	sh->hold = sh->hold_gave_up = false;
	sh->watched_pageins = sh->watched_writebacks = 0;
	if (msync(base, map_len, MS_INVALIDATE) != 0)
		fail("msync(MS_INVALIDATE)", errno, 0);
	pid = fork_or_fail();
	if (pid == 0)
		c->run(base);
	status = wait_child(pid, c->name);
	if (WIFSIGNALED(status))
		verdict(false, "killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) == 0)
		sh->passed++;	/* it said so */
	else
		sh->failed++;	/* it said why, or a helper of systest.h did */
}

/* Runs the checks; then lets go of the last mapping, and the object closes. */
static void __attribute__((noreturn)) probe(char *base)
{
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		run_check(&checks[i], base);
	sh->last_unmap = true;
	if (munmap(base, map_len) != 0)
		fail("munmap", errno, 0);
	exit(0);
}

/* ---- the pager's process ---------------------------------------------- */

/*
 * After pager_serve() returned: close came once, after the last mapping
 * went, and the handle is dead - nobody can map the object again.
 */
static void check_close(uint32_t handle)
{
	void *p = pager_map(NULL, PAGE, PROT_READ, MAP_SHARED, handle, 0);

	current = "close";
	if (sh->closes != 1)
		verdict(false, "close() called %d times, want once", sh->closes);
	else if (sh->closed_early)
		verdict(false, "close() came while the object was still mapped");
	else if (p != MAP_FAILED || errno != EBADF)
		verdict(false, "the closed object's handle still maps (%p, errno %d)", p, errno);
	else
		verdict(true, "once, after the last mapping went; then pager_serve() returned");
}

int main(void)
{
	struct pager_ops counting = { .fill = counted_fill, .close = counted_close };
	int prot = PROT_READ;
	uint32_t handle;
	pid_t prober;
	char *base;

	pager = pager_conformance_object();
	if (pager.ops == NULL || pager.ops->fill == NULL || pager.size == 0)
		failf("PAGER_CONFORMANCE names no ops, no fill or a size of 0");
	npages = (pager.size + PAGE - 1) / PAGE;
	map_len = (npages + 1) * PAGE;
	sh = map_anon(sizeof(*sh), MAP_SHARED);
	if (pager.ops->writeback != NULL) {
		counting.writeback = counted_writeback;
		prot |= PROT_WRITE;
	}
	printf("conformance: an object of %lu bytes (%lu pages), %s\n",
	       (unsigned long)pager.size, (unsigned long)npages,
	       pager.ops->writeback != NULL ? "written back" : "read-only");
	if ((handle = pager_create(&counting, NULL, pager.size)) == 0)
		fail("pager_create", errno, 0);
	if ((base = pager_map(NULL, map_len, prot, MAP_SHARED, handle, 0)) == MAP_FAILED)
		fail("pager_map", errno, 0);
	if ((prober = fork_or_fail()) == 0)
		probe(base);
	/* The prober's mapping keeps the object alive; the checks' go with them. */
	if (munmap(base, map_len) != 0 || pager_release(handle) != 0)
		fail("munmap or pager_release", errno, 0);
	pager_serve();
	expect_exit(wait_child(prober, "the prober"), 0, "the prober");
	check_close(handle);
	if (sh->failed == 0)
		printf("conformance: all checks passed (%d, %d skipped)\n", sh->passed, sh->skipped);
	else
		printf("conformance: %d of %d checks FAILED\n", sh->failed, sh->passed + sh->failed);
	return sh->failed == 0 ? 0 : 1;
}
