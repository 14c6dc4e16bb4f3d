/*
 * The scaffolding of the external pager tests (pager_*.c), over systest.h.
 *
 * A test forks its pager: a child that creates one object, serves it with
 * libpager, and writes down each request it served in a log in shared
 * memory (struct pager_log), where the test - the parent - and the
 * clients it forks can read what the pager was asked. The object's data
 * is the pattern (each 8-byte word holds its own offset, inverted: no word
 * is 0, so a page of zeros shows), or, for tests of write-back, a store in
 * shared memory that starts with the pattern and takes what is written
 * back: the test can read it, or change what the next page-in brings.
 *
 *	#define TEST_NAME "pager_error"
 *	#include "pagertest.h"
 *
 *	pagertest_setup(PAGES, false);		the log (and a store or not)
 *	p = pager_start(&pagertest_ops, MAP_SHARED);
 *	... faults, clients; checks of plog->pageins, plog->records[] ...
 *	pager_finish(p);			unmapped, closed; the pager exited 0
 *
 * A test whose pager misbehaves (fails, dies, hangs) writes a fill that
 * calls pagertest_fill and adds its twist. The pager benchmarks
 * (tests/bench/pager_*.c) start their pager here too.
 */
#ifndef TESTS_SYS_PAGERTEST_H
#define TESTS_SYS_PAGERTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "systest.h"
#include "libpager.h"
#include "vm_proto.h"

#define PAGE 4096
#define LOG_RECORDS 1024	/* requests logged one by one; later ones only counted */

struct request_record {
	uint32_t kind;		/* PAGER_PAGEIN or PAGER_PAGEOUT */
	uint32_t pages;
	uint64_t offset;	/* in bytes */
	int result;		/* what the pager answered */
};

struct pager_log {
	volatile uint32_t handle;	/* the object's, once ready */
	volatile int ready;		/* 1: the pager made the object */
	volatile int mapped;		/* 1: the test mapped it: the pager lets go */
	volatile int pageins, pageouts, closes;	/* requests served, any result */
	volatile long pages_in, pages_out;
	volatile int fail_writebacks;	/* set: writeback answers EIO */
	volatile int step;		/* free for the test's own handshakes */
	volatile long intrans_target;	/* hold_for_waiters: the v_intrans to wait for */
	volatile int nrecords;
	struct request_record records[LOG_RECORDS];
};

static struct pager_log *plog;
static uint64_t *store;			/* NULL: the object's data is the pattern */
static uint64_t object_size;		/* bytes */
static pid_t pager_pid;

/* The word the object holds at byte `offset` (8-aligned) until written. */
static inline uint64_t pattern_word(uint64_t offset)
{
	return ~offset;
}

static inline void pattern_fill(uint64_t *words, uint64_t offset, size_t len)
{
	size_t i;

	for (i = 0; i < len / 8; i++)
		words[i] = pattern_word(offset + i * 8);
}

/* The word the pager would page in at `offset` now. */
static inline uint64_t object_word(uint64_t offset)
{
	return store != NULL ? store[offset / 8] : pattern_word(offset);
}

/*
 * The log and, if with_store, the store, for an object of `pages` pages:
 * shared memory, mapped before any fork so that every process sees it.
 */
static inline void pagertest_setup(uint64_t pages, bool with_store)
{
	object_size = pages * PAGE;
	plog = map_anon(sizeof(*plog), MAP_SHARED);
	if (with_store) {
		store = map_anon(object_size, MAP_SHARED);
		pattern_fill(store, 0, object_size);
	}
}

/* Writes down a request the pager served, then counts it. */
static inline void log_request(uint32_t kind, uint64_t offset, size_t len, int result)
{
	int n = plog->nrecords;

	if (n < LOG_RECORDS)
		plog->records[n] = (struct request_record){ kind, (uint32_t)(len / PAGE), offset,
							    result };
	__asm__ volatile("" ::: "memory");	/* the record before the counts that announce it */
	plog->nrecords = n + 1;
	if (kind == PAGER_PAGEIN) {
		plog->pages_in += (long)(len / PAGE);
		plog->pageins++;
	} else {
		plog->pages_out += (long)(len / PAGE);
		plog->pageouts++;
	}
}

/* Does a request of len bytes from `offset` cover page `page`? */
static inline bool covers(uint64_t offset, size_t len, int page)
{
	return offset <= (uint64_t)page * PAGE && (uint64_t)page * PAGE < offset + len;
}

/* A fill that fails: logged, and EIO for the VM server. */
static inline int fill_failed(uint64_t offset, size_t len)
{
	log_request(PAGER_PAGEIN, offset, len, EIO);
	return EIO;
}

/* The pager's callbacks: fill from the store (or the pattern), write back to it. */
static inline int pagertest_fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	(void)cookie;
	if (offset + len > object_size) {
		log_request(PAGER_PAGEIN, offset, len, EINVAL);
		return EINVAL;	/* past the end: the VM server never asks that */
	}
	if (store != NULL)
		memcpy(pages, store + offset / 8, len);
	else
		pattern_fill(pages, offset, len);
	log_request(PAGER_PAGEIN, offset, len, 0);
	return 0;
}

static inline int pagertest_writeback(void *cookie, uint64_t offset, const void *pages,
				      size_t len)
{
	int result = 0;

	(void)cookie;
	if (plog->fail_writebacks || offset + len > object_size)
		result = EIO;
	else if (store != NULL)
		memcpy(store + offset / 8, pages, len);
	log_request(PAGER_PAGEOUT, offset, len, result);
	return result;
}

static inline void pagertest_close(void *cookie)
{
	(void)cookie;
	plog->closes++;
}

static const struct pager_ops pagertest_ops = {
	pagertest_fill, pagertest_writeback, pagertest_close
};

/*
 * Spins, yielding, until the counter of struct vmmeter at `field` (an
 * offsetof) reaches `target`; fails after a long while.
 */
static inline void wait_for_meter(size_t field, long target, const char *what)
{
	struct vmmeter v;
	long spins, now;

	for (spins = 0;; spins++) {
		get_meter(&v);
		if ((now = *(const long *)((const char *)&v + field)) >= target)
			return;
		if (spins == SYSTEST_SPINS)
			failf("pid %ld gave up waiting for %s (%ld, want %ld)", (long)getpid(), what,
			      now, target);
		k_yield();
	}
}

/*
 * In a fill: holds the answer until v_intrans reaches plog->intrans_target,
 * that is, until as many faults as the test expects wait for the pages
 * being read - so that they overlap the page-in whatever the scheduler does.
 */
static inline void hold_for_waiters(void)
{
	wait_for_meter(offsetof(struct vmmeter, v_intrans), plog->intrans_target,
		       "faults to wait for the page-in");
}

/* Sets the v_intrans hold_for_waiters waits for: `waiters` more faults than now. */
static inline void expect_waiters(int waiters)
{
	struct vmmeter v;

	get_meter(&v);
	plog->intrans_target = (long)v.v_intrans + waiters;
}

/* Maps len bytes of the object from `offset` (flags MAP_SHARED or MAP_PRIVATE); fails if refused. */
static inline char *map_object(uint64_t offset, size_t len, int flags)
{
	char *p = pager_map(NULL, len, PROT_READ | PROT_WRITE, flags, plog->handle, offset);

	if (p == MAP_FAILED)
		failf("pager_map of %zu bytes at %lu: errno %d", len, (unsigned long)offset, errno);
	return p;
}

/* madvise, or fail. */
static inline void advise(void *p, size_t len, int advice)
{
	if (madvise(p, len, advice) != 0)
		failf("madvise(%p, %zu, %d): errno %d", p, len, advice, errno);
}

/*
 * Forks the pager and maps its whole object (flags as map_object's). The
 * pager makes the object, waits until it is mapped, lets go of its own
 * reference - from then on the object lives while some process maps it -
 * and serves until it closes; then it exits 0.
 */
static inline char *pager_start(const struct pager_ops *ops, int flags)
{
	uint32_t handle;
	char *p;

	if ((pager_pid = fork_or_fail()) == 0) {
		if ((handle = pager_create(ops, NULL, object_size)) == 0)
			failf("pager_create: errno %d", errno);
		plog->handle = handle;
		plog->ready = 1;
		wait_until(&plog->mapped, 1, "the test to map the object");
		if (pager_release(handle) != 0)
			failf("pager_release: errno %d", errno);
		pager_serve();
		_exit(0);
	}
	wait_until(&plog->ready, 1, "the pager to make its object");
	p = map_object(0, object_size, flags);
	plog->mapped = 1;
	return p;
}

/*
 * Unmaps the test's last mapping of the whole object, at p: the object
 * closes, and the pager must end well.
 */
static inline void pager_finish(char *p)
{
	if (munmap(p, object_size) != 0)
		fail("munmap", errno, 0);
	expect_exit(wait_child(pager_pid, "the pager"), 0, "the pager");
	if (plog->closes != 1)
		fail("closes", plog->closes, 1);
}

/* Every word of the page at p must be what the object holds at `offset`. */
static inline void expect_page(const volatile char *p, uint64_t offset, const char *what)
{
	const volatile uint64_t *w = (const volatile uint64_t *)p;
	int i;

	for (i = 0; i < PAGE / 8; i++)
		if (w[i] != object_word(offset + (uint64_t)i * 8))
			failf("%s: the word at offset %#lx holds %#lx, want %#lx", what,
			      (unsigned long)(offset + (uint64_t)i * 8), (unsigned long)w[i],
			      (unsigned long)object_word(offset + (uint64_t)i * 8));
}

/* A child that reads page `page` of the mapping at p (object offset 0) and checks it. */
static inline pid_t page_reader(char *p, int page)
{
	pid_t pid = fork_or_fail();

	if (pid == 0) {
		expect_page(p + page * PAGE, (uint64_t)page * PAGE, "a reader");
		_exit(0);
	}
	return pid;
}

/*
 * Reads one word of each of `pages` pages from p, where the object's byte
 * `offset` is mapped, front to back; each must be the object's.
 */
static inline void expect_words(const char *p, uint64_t offset, long pages, const char *what)
{
	long i;

	for (i = 0; i < pages; i++) {
		uint64_t at = offset + (uint64_t)i * PAGE;
		uint64_t word = *(const volatile uint64_t *)(p + i * PAGE);

		if (word != object_word(at))
			failf("%s: the word at offset %#lx holds %#lx, want %#lx", what,
			      (unsigned long)at, (unsigned long)word,
			      (unsigned long)object_word(at));
	}
}

/*
 * Runs expect_words once on a private page of the pattern (without a
 * store), so that a count of the faults of a read that follows has only
 * the read's own, none of our code's.
 */
static inline void rehearse_reads(void)
{
	uint64_t *page = map_anon(PAGE, MAP_PRIVATE);

	pattern_fill(page, 0, PAGE);
	expect_words((char *)page, 0, 1, "a rehearsal");
	munmap(page, PAGE);
}

/*
 * The page-ins logged from record `first` on must follow each other, from
 * byte `offset`, with no gap or overlap, and cover `pages` pages in all.
 * Returns how many there were.
 */
static inline int expect_contiguous_pageins(int first, uint64_t offset, long pages,
					    const char *what)
{
	int i;

	if (plog->nrecords > LOG_RECORDS)
		failf("%s: %d requests: more than the log holds", what, plog->nrecords);
	for (i = first; i < plog->nrecords; i++) {
		const struct request_record *r = &plog->records[i];

		if (r->kind != PAGER_PAGEIN || r->offset != offset || r->result != 0)
			failf("%s: request %d: kind %#x offset %#lx result %d, want a page-in at %#lx",
			      what, i - first, r->kind, (unsigned long)r->offset, r->result,
			      (unsigned long)offset);
		offset += (uint64_t)r->pages * PAGE;
		pages -= r->pages;
	}
	if (pages != 0)
		failf("%s: the requests covered %ld pages too few", what, pages);
	return plog->nrecords - first;
}

/* How many page-ins the pager has served that covered the byte at `offset`. */
static inline int pageins_covering(uint64_t offset)
{
	int i, n = 0;

	for (i = 0; i < plog->nrecords && i < LOG_RECORDS; i++) {
		const struct request_record *r = &plog->records[i];

		if (r->kind == PAGER_PAGEIN && offset >= r->offset &&
		    offset < r->offset + (uint64_t)r->pages * PAGE)
			n++;
	}
	return n;
}

#endif
