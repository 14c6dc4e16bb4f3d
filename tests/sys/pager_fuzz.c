// boot-args: pager_timeout=30
// expect-output: pager_fuzz: the VM server outlived every pager and gave every frame back
/*
 * The VM server against a pager that cannot be trusted. Each round a pager
 * of chaos serves a few objects to a client that reads, writes, msyncs,
 * mlocks, advises and remaps them at random. Most requests the pager
 * answers as it should; the others it fails with any number at all, answers
 * with an id it was never given, answers late (the time limit is 30 ms
 * here), writes past the pages it was lent (and dies of it), or just exits
 * in the middle of a request. The client's accesses may then end in SIGBUS,
 * which it catches and goes on.
 *
 * Nothing about the data is checked - the pager lies. What is: the VM
 * server outlives it all, every round ends (no client or pager waits for
 * good), and, in a second pass over the same seeds, every frame and object
 * comes back when both processes of a round are gone.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#define TEST_NAME "pager_fuzz"
#include "libpager.h"
#include "libuser.h"
#include "systest.h"
#include "../rng.h"
#include "vm_proto.h"

#define ROUNDS 16
#define NOBJ 3
#define MAX_PAGES 64
#define PAGER_STEPS 300
#define CLIENT_STEPS 400
#define SPIN_LIMIT 20000	/* yields a process waits for the other before it goes on */
#define PAGE 4096

struct round_state {
	volatile uint32_t handles[NOBJ];
	volatile uint64_t sizes[NOBJ];
	volatile int ready;	/* the pager made its objects */
	volatile int mapped;	/* the client mapped them: the pager lets go */
	volatile long requests, lies;
};

static struct round_state *rs;

static void seed(uint64_t s, uint64_t who)
{
	rng_state = (s * 2 + who) * 0x9e3779b97f4a7c15ULL + 1;
}

static void spin_until(volatile int *flag)
{
	int i;

	for (i = 0; i < SPIN_LIMIT && !*flag; i++)
		k_yield();
}

static int raw_call(uint32_t label, uint64_t w0, uint64_t w1, struct ipc_msg *m)
{
	*m = (struct ipc_msg){ .tag = TAG(label, 0), .w = { w0, w1 } };
	return vm_call(m);
}

/* ---- the pager of chaos ------------------------------------------------- */

/* What to answer a request; may write its pages, or die. */
static uint64_t answer(uint32_t kind, uint64_t pages)
{
	volatile uint64_t *window = (volatile uint64_t *)PAGER_WINDOW;
	uint64_t i, r = rng() % 100;

	if (kind != PAGER_PAGEIN && kind != PAGER_PAGEOUT)
		return r < 90 ? 0 : rng() % 200;
	if (r < 75) {
		for (i = 0; i < pages && i < 256; i++) {
			if (kind == PAGER_PAGEIN)
				window[i * PAGE / 8] = rng();
			else
				(void)window[i * PAGE / 8];
		}
		return 0;
	}
	rs->lies++;
	if (r < 88)
		return rng() % 4 == 0 ? rng() : rng() % 200;	/* any errno, or any number */
	if (r < 98) {
		spin_ms((unsigned)(rng() % 60));		/* maybe past the time limit */
		return 0;
	}
	if (r < 99)
		window[pages * PAGE / 8 + 1] = 1;		/* past what was lent: SIGSEGV */
	_exit(3);						/* mid-request */
}

static void chaos_pager(uint64_t s)
{
	uint64_t done_id = 0, done_result = 0;
	struct ipc_msg m;
	int i, step;

	seed(s, 0);
	for (i = 0; i < NOBJ; i++) {
		uint64_t size = (rng() % MAX_PAGES) * PAGE + (rng() % 2 ? rng() % PAGE : 0);

		rs->sizes[i] = size;
		if (raw_call(VM_PAGER_CREATE, size, 0, &m) == 0)
			rs->handles[i] = (uint32_t)m.w[0];
	}
	rs->ready = 1;
	spin_until(&rs->mapped);
	for (i = 0; i < NOBJ; i++)
		raw_call(VM_PAGER_RELEASE, rs->handles[i], 0, &m);
	for (step = 0; step < PAGER_STEPS; step++) {
		uint64_t r = rng() % 100;

		/* The answer to the last request: mostly its own id. */
		m = (struct ipc_msg){ .tag = TAG(VM_PAGER_WAIT, 0),
				      .w = { r < 95 ? done_id : rng() % 4 ? done_id + 1 : rng(),
					     done_result } };
		ipc_call(VM_SERVER_SLOT, &m);
		if ((int64_t)m.tag < 0 || TAG_LABEL(m.tag) == ENOENT)
			break;		/* nothing left to serve */
		rs->requests++;
		done_id = m.w[0];
		done_result = answer(TAG_LABEL(m.tag), m.w[3]);
	}
	_exit(0);
}

/* ---- its client --------------------------------------------------------- */

static char *maps[NOBJ];
static size_t lens[NOBJ];

static void map_one(int i)
{
	int flags = rng() % 2 ? MAP_SHARED : MAP_PRIVATE;

	lens[i] = ((rs->sizes[i] + PAGE - 1) / PAGE + 1) * PAGE;	/* a page past the end */
	maps[i] = pager_map(NULL, lens[i], PROT_READ | PROT_WRITE, flags, rs->handles[i], 0);
	if (maps[i] == MAP_FAILED)
		maps[i] = NULL;
}

/* A random page range [*start, *start + *len) of mapping i. */
static void some_range(int i, char **start, size_t *len)
{
	size_t pages = lens[i] / PAGE, first = rng() % pages;

	*start = maps[i] + first * PAGE;
	*len = (1 + rng() % (pages - first)) * PAGE;
}

static void client_step(void)
{
	int i = (int)(rng() % NOBJ), how;
	size_t len;
	char *p;

	if (maps[i] == NULL)
		return;
	some_range(i, &p, &len);
	switch (rng() % 10) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		try_access(p, (int)(rng() % 2), (char)rng());
		break;
	case 6:
		how = (int[]){ MS_SYNC, MS_ASYNC, MS_SYNC | MS_INVALIDATE }[rng() % 3];
		msync(p, len, how);
		break;
	case 7:
		if (rng() % 2)
			mlock(p, len);
		else
			munlock(p, len);
		break;
	case 8:
		madvise(p, len, (int)(rng() % 5));
		break;
	default:
		munmap(maps[i], lens[i]);
		map_one(i);	/* the object may be gone by now: then it stays unmapped */
		break;
	}
}

static void chaos_client(uint64_t s)
{
	int i, step;

	seed(s, 1);
	spin_until(&rs->ready);
	for (i = 0; i < NOBJ; i++)
		map_one(i);
	rs->mapped = 1;
	for (step = 0; step < CLIENT_STEPS; step++)
		client_step();
	exit(0);
}

/* ---- rounds ------------------------------------------------------------- */

struct totals {
	volatile long requests, lies;
};

static struct totals *totals;

static void round_of(int round)
{
	pid_t pager, client;

	memset((void *)rs, 0, sizeof(*rs));
	if ((pager = fork_or_fail()) == 0)
		chaos_pager((uint64_t)round + 1);
	if ((client = fork_or_fail()) == 0)
		chaos_client((uint64_t)round + 1);
	wait_child(client, "a client");
	wait_child(pager, "a pager");
	totals->requests += rs->requests;
	totals->lies += rs->lies;
	if (getpid() <= 0)
		fail("the VM server stopped answering", round, 0);
}

/*
 * Every round, in a process of its own: what the rounds' forks make us
 * allocate (our own copies after each fork) lives and dies with it, so that
 * nothing of ours lands among the rounds' records at whatever moment their
 * timing gives - which would leave a zone's page behind in one pass and
 * not in the other.
 */
static void pass(void)
{
	pid_t runner;
	int round;

	if ((runner = fork_or_fail()) == 0) {
		for (round = 0; round < ROUNDS; round++)
			round_of(round);
		_exit(0);
	}
	expect_exit(wait_child(runner, "the rounds"), 0, "the rounds");
}

int main(void)
{
	struct vmmeter before;

	rs = map_anon(PAGE, MAP_SHARED);
	totals = map_anon(PAGE, MAP_SHARED);
	/*
	 * Over the same seeds again and again: the first passes also fill
	 * caches (see vm_fuzz) and make our own first copies after a fork.
	 */
	pass();
	get_meter(&before);
	expect_meter_settles(&before, "the first pass");
	pass();
	get_meter(&before);
	totals->requests = totals->lies = 0;
	pass();
	expect_meter_settles(&before, "frames and objects after the second pass");
	printf("pager_fuzz: %ld requests served, %ld of them wrongly\n", totals->requests,
	       totals->lies);
	printf("pager_fuzz: the VM server outlived every pager and gave every frame back\n");
	return 0;
}
