/*
 * logger.c - a pager that says what it is asked: watch the VM server
 * decide how much to read at once.
 *
 * A custom pager decides where an object's data comes from (here, a RAM
 * disk in this process: 8 MiB whose words start out holding their own
 * offsets); the VM server decides which pages to ask for, and when. This
 * pager prints each request it gets - its kind, its pages - while a child
 * process uses the object:
 *
 *   1. reads it front to back, with no advice: a sequential reader, so the
 *      read-ahead window grows, 8, 16, 24, ... pages, up to 128;
 *   2. under MADV_RANDOM, reads every 128th page: one page per request;
 *   3. under MADV_SEQUENTIAL, front to back: 128 pages per request at once;
 *   4. writes a word, and msync(MS_INVALIDATE) writes its page back (a
 *      page-out) and drops it; reading the word again pages it in.
 *
 * Between passes the child drops the object's pages, so that each pass
 * reads from the pager again. When the child exits, its mapping goes and
 * the object closes; the pager prints what each pass cost.
 *
 *	make run APP=servers/pagers/logger.c
 *	make conformance PAGER=servers/pagers/logger.c
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libpager.h"

#define PAGE 4096
#define PAGES 2048
#define SIZE ((uint64_t)PAGES * PAGE)
#define WRITTEN_PAGE 100	/* the page pass 4 writes */

enum pass { FRONT_TO_BACK, RANDOM, SEQUENTIAL, WRITE, PASSES };

static const char *const pass_name[PASSES] = {
	"front to back", "MADV_RANDOM", "MADV_SEQUENTIAL", "write, msync",
};

/*
 * The pager's cookie, in memory shared with the child (made before the
 * fork): the child says which pass it is in, the pager counts under it.
 */
struct log {
	bool echo;		/* print each request (main turns it on) */
	enum pass pass;
	int requests[PASSES], pages[PASSES];
};

static uint64_t store[SIZE / 8];	/* the object's data */

static void note(struct log *log, const char *kind, uint64_t offset, size_t len)
{
	unsigned long first = offset / PAGE, pages = (len + PAGE - 1) / PAGE;

	if (log->echo)
		printf("  %-8s pages %4lu-%-4lu (%lu)\n", kind, first, first + pages - 1, pages);
	log->requests[log->pass]++;
	log->pages[log->pass] += (int)pages;
}

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	note(cookie, "page-in", offset, len);
	memcpy(pages, (const char *)store + offset, len);
	return 0;
}

static int writeback(void *cookie, uint64_t offset, const void *pages, size_t len)
{
	note(cookie, "page-out", offset, len);
	memcpy((char *)store + offset, pages, len);
	return 0;
}

static void close_object(void *cookie)
{
	struct log *log = cookie;

	if (log->echo)
		printf("  close\n");
}

static const struct pager_ops ops = { fill, writeback, close_object };

/* A fresh log, in shared memory, over a freshly numbered store. */
static struct log *new_log(void)
{
	struct log *log = mmap(NULL, sizeof(*log), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANON, -1, 0);
	uint64_t i;

	if (log == MAP_FAILED) {
		perror("logger");
		exit(1);
	}
	for (i = 0; i < SIZE / 8; i++)
		store[i] = i * 8;
	return log;
}

PAGER_CONFORMANCE(&ops, new_log(), SIZE);

/* ---- the child ---------------------------------------------------------- */

static void begin(struct log *log, enum pass pass)
{
	printf("pass %d: %s\n", pass + 1, pass_name[pass]);
	log->pass = pass;
}

/*
 * Reads the first word of every step-th page, which holds its offset; then
 * drops the pages. Returns how many words were wrong.
 */
static int read_pages(uint64_t *object, int step)
{
	int page, wrong = 0;

	for (page = 0; page < PAGES; page += step)
		wrong += object[page * PAGE / 8] != (uint64_t)page * PAGE;
	msync(object, SIZE, MS_INVALIDATE);
	return wrong;
}

static int client(struct log *log, uint64_t *object)
{
	uint64_t *word = &object[WRITTEN_PAGE * PAGE / 8];
	int wrong;

	begin(log, FRONT_TO_BACK);
	wrong = read_pages(object, 1);
	begin(log, RANDOM);
	madvise(object, SIZE, MADV_RANDOM);
	wrong += read_pages(object, PAGES / 16);
	begin(log, SEQUENTIAL);
	madvise(object, SIZE, MADV_SEQUENTIAL);
	wrong += read_pages(object, 1);
	begin(log, WRITE);
	madvise(object, SIZE, MADV_NORMAL);
	*word = 42;
	msync(word, PAGE, MS_INVALIDATE);	/* written back, then dropped */
	wrong += *word != 42;			/* paged in again, from the store */
	return wrong;
}

/* ---- the pager ---------------------------------------------------------- */

static void summary(const struct log *log)
{
	int pass;

	printf("pass                 requests  pages\n");
	for (pass = 0; pass < PASSES; pass++)
		printf("%d %-18s %8d %6d\n", pass + 1, pass_name[pass], log->requests[pass],
		       log->pages[pass]);
}

int main(void)
{
	struct log *log = new_log();
	uint32_t handle = pager_create(&ops, log, SIZE);
	uint64_t *object = MAP_FAILED;
	pid_t pid = -1;
	int status = 1;

	log->echo = true;
	if (handle != 0)
		object = pager_map(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, handle, 0);
	if (object == MAP_FAILED || (pid = fork()) < 0) {
		perror("logger");
		return 1;
	}
	if (pid == 0)
		_exit(client(log, object) != 0);
	munmap(object, SIZE);
	pager_release(handle);
	pager_serve();		/* until the child's mapping goes */
	waitpid(pid, &status, 0);
	summary(log);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
