// boot-args: pager_timeout=100
// expect-output: pager_close_late: ok
/*
 * A close waits for a busy pager as long as it takes. One pager serves two
 * objects, A and B. A client's read of A makes the pager's fill take three
 * times the time limit (the read ends in SIGBUS, as it must); meanwhile the
 * last mapping of B goes, so B's close is queued behind that fill. A close
 * has nobody waiting for it, so no time limit: when the pager asks for
 * work again, it hears B's close, then A's - both close callbacks run.
 */
#define TEST_NAME "pager_close_late"
#include "libpager.h"
#include "systest.h"

#define PAGE 4096
#define PAGES 4
#define SLOW_MS 300

struct shared {
	volatile uint32_t a, b;		/* handles */
	volatile int ready, mapped, in_fill;
	volatile int closes;
};

static struct shared *sh;

static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	(void)cookie, (void)offset;
	memset(pages, 'a', len);
	sh->in_fill = 1;
	spin_ms(SLOW_MS);
	return 0;
}

static void close_cb(void *cookie)
{
	(void)cookie;
	sh->closes++;
}

static const struct pager_ops ops = { .fill = fill, .close = close_cb };

static void __attribute__((noreturn)) pager(void)
{
	sh->a = pager_create(&ops, NULL, PAGES * PAGE);
	sh->b = pager_create(&ops, NULL, PAGES * PAGE);
	sh->ready = 1;
	wait_until(&sh->mapped, 1, "the client's mappings");
	pager_release(sh->a);
	pager_release(sh->b);
	pager_serve();
	_exit(0);
}

int main(void)
{
	pid_t pg, reader;
	char *a, *b;

	sh = map_anon(PAGE, MAP_SHARED);
	if ((pg = fork_or_fail()) == 0)
		pager();
	wait_until(&sh->ready, 1, "the pager's objects");
	a = pager_map(NULL, PAGES * PAGE, PROT_READ, MAP_SHARED, sh->a, 0);
	b = pager_map(NULL, PAGES * PAGE, PROT_READ, MAP_SHARED, sh->b, 0);
	if (a == MAP_FAILED || b == MAP_FAILED)
		fail("pager_map", errno, 0);
	sh->mapped = 1;
	if ((reader = fork_or_fail()) == 0) {
		(void)*(volatile char *)a;	/* SIGBUS: the fill is too slow */
		_exit(0);
	}
	wait_until(&sh->in_fill, 1, "the slow fill");
	if (munmap(b, PAGES * PAGE) != 0)	/* B's last mapping: its close waits */
		fail("munmap of B", errno, 0);
	expect_signal(wait_child(reader, "the reader"), SIGBUS, "the reader of A");
	if (munmap(a, PAGES * PAGE) != 0)
		fail("munmap of A", errno, 0);
	expect_exit(wait_child(pg, "the pager"), 0, "the pager");
	if (sh->closes != 2)
		fail("close callbacks (want both A's and B's)", sh->closes, 2);
	printf("pager_close_late: ok\n");
	return 0;
}
