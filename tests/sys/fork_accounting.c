// expect-output: fork_accounting: quick: frames and objects back
// expect-output: fork_accounting: write: frames and objects back
// expect-output: fork_accounting: grandchild: frames and objects back
// expect-output: fork_accounting: orphan: frames and objects back
// expect-output: fork_accounting: killed: frames and objects back
// expect-output: fork_accounting: shared: frames and objects back
// expect-output: fork_accounting: wired: frames and objects back
// expect-output: fork_accounting: minherit: frames and objects back
// expect-output: fork_accounting: all checks passed
/*
 * Every frame and every VM object a forked child takes comes back when it
 * ends. For each kind of child below, a "family" process (spawned, so that
 * this program's own memory stays as it is) maps a private region of 256
 * written pages, a shared one and a wired one, then forks the child and
 * waits for it:
 *
 *   quick       exits at once
 *   write       writes every page of all three (copies), mallocs, exits
 *   grandchild  writes half, forks a grandchild that writes everything
 *   orphan      forks a grandchild and exits; the orphan writes everything
 *               once init is its parent, and exits (init reaps it)
 *   killed      writes everything, then dies of SIGSEGV
 *   shared      maps a new MAP_SHARED region, forks a grandchild, both write
 *   wired       mlock()s the private region (a wired copy of every page)
 *               and exits without munlock
 *   minherit    a region with INHERIT_NONE, SHARE and COPY parts
 *
 * Inside the family, after the child's wait, the frames and objects in use
 * are those of before the fork within a small slack (the family's own
 * copy-on-write of its stack and data while the child ran) - while the
 * child held hundreds - and so is v_wire_count (the VM's own records are
 * wired pages too), though the "wired" child wired 256. Once the family
 * has exited, v_free_count and v_objects are exactly as before it started.
 */
#include <stdint.h>
#define TEST_NAME "fork_accounting"
#include "systest.h"

#define PAGE 4096
#define N 256		/* the private region */
#define NS 16		/* the shared region */
#define NW 8		/* the wired region */
#define SLACK_FRAMES 16
#define SLACK_OBJECTS 4
#define SLACK_WIRED 3	/* the VM's own records (slabs, page tables) are wired pages */

struct family {
	volatile char *priv, *shared, *wired;
	volatile int *flag;	/* in the shared region's last page */
};

static struct family fam;

static void write_all(char v)
{
	int i;

	for (i = 0; i < N; i++)
		fam.priv[i * PAGE] = v;
	for (i = 0; i < NS - 1; i++)
		fam.shared[i * PAGE] = v;
	for (i = 0; i < NW; i++)
		fam.wired[i * PAGE] = v;
}

static void read_all(char v, const char *who)
{
	int i;

	for (i = 0; i < N; i++)
		if (fam.priv[i * PAGE] != v)
			failf("%s: private page %d holds %d, want %d", who, i, fam.priv[i * PAGE], v);
}

static int child_kind(const char *kind)
{
	pid_t pid;
	int i;

	if (strcmp(kind, "quick") == 0)
		return 0;
	if (strcmp(kind, "write") == 0) {
		char *heap;

		read_all('f', "the child");
		write_all('c');
		if ((heap = malloc(100 * PAGE)) == NULL)
			return 2;
		memset(heap, 1, 100 * PAGE);
		read_all('c', "the child");
		return 0;
	}
	if (strcmp(kind, "grandchild") == 0) {
		for (i = 0; i < N / 2; i++)
			fam.priv[i * PAGE] = 'c';
		if ((pid = fork_or_fail()) == 0) {
			write_all('g');
			read_all('g', "the grandchild");
			exit(0);
		}
		expect_exit(wait_child(pid, "the grandchild"), 0, "the grandchild");
		for (i = 0; i < N; i++)
			if (fam.priv[i * PAGE] != (i < N / 2 ? 'c' : 'f'))
				fail("the child's data after the grandchild", i, fam.priv[i * PAGE]);
		return 0;
	}
	if (strcmp(kind, "orphan") == 0) {
		if ((pid = fork_or_fail()) == 0) {
			wait_orphaned();	/* the parent has gone when init adopts us */
			write_all('o');
			read_all('o', "the orphan");
			*fam.flag = 1;
			exit(0);
		}
		return 0;
	}
	if (strcmp(kind, "killed") == 0) {
		volatile uintptr_t null = 8;

		write_all('k');
		*(volatile int *)null = 0;
		return 3;
	}
	if (strcmp(kind, "shared") == 0) {
		volatile char *s = map_anon(64 * PAGE, MAP_SHARED);

		if ((pid = fork_or_fail()) == 0) {
			for (i = 0; i < 64; i += 2)
				s[i * PAGE] = 'g';
			write_all('g');
			exit(0);
		}
		for (i = 1; i < 64; i += 2)
			s[i * PAGE] = 'c';
		expect_exit(wait_child(pid, "the grandchild"), 0, "the grandchild");
		for (i = 0; i < 64; i++)
			if (s[i * PAGE] != (i % 2 ? 'c' : 'g'))
				fail("shared data", i, s[i * PAGE]);
		return 0;
	}
	if (strcmp(kind, "wired") == 0) {
		if (mlock((void *)fam.priv, N * PAGE) != 0)
			return 4;
		read_all('f', "the child, wired");
		write_all('w');
		return 0;	/* exits with the pages wired */
	}
	return 5;
}

/* A region with INHERIT_NONE, INHERIT_SHARE and INHERIT_COPY parts: its own round. */
static void minherit_round(void)
{
	volatile char *m = map_anon(48 * PAGE, MAP_PRIVATE);
	pid_t pid;
	int i;

	for (i = 0; i < 48; i++)
		m[i * PAGE] = 'f';
	if (minherit((void *)m, 16 * PAGE, INHERIT_NONE) != 0 ||
	    minherit((void *)(m + 16 * PAGE), 16 * PAGE, INHERIT_SHARE) != 0)
		fail("minherit", errno, 0);
	if ((pid = fork_or_fail()) == 0) {
		if (mmap((void *)m, 16 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) != (void *)m)
			exit(6);
		for (i = 0; i < 48; i++)
			m[i * PAGE] = 'c';
		exit(0);
	}
	expect_exit(wait_child(pid, "the minherit child"), 0, "the minherit child");
	for (i = 0; i < 48; i++)
		if (m[i * PAGE] != (i >= 16 && i < 32 ? 'c' : 'f'))
			fail("minherit: the family's data", i, m[i * PAGE]);
	munmap((void *)m, 48 * PAGE);
}

static int family(const char *kind)
{
	struct vmmeter before, after;
	int status, i;
	pid_t pid;

	fam.priv = map_anon(N * PAGE, MAP_PRIVATE);
	fam.shared = map_anon(NS * PAGE, MAP_SHARED);
	fam.wired = map_anon(NW * PAGE, MAP_PRIVATE);
	fam.flag = (volatile int *)(fam.shared + (NS - 1) * PAGE);
	write_all('f');
	if (mlock((void *)fam.wired, NW * PAGE) != 0)
		fail("mlock", errno, 0);
	/* Warm-up: the code of fork and wait, and the leftovers of a first fork. */
	for (i = 0; i < 2; i++) {
		if ((pid = fork_or_fail()) == 0)
			exit(0);
		expect_exit(wait_child(pid, "a warm-up child"), 0, "a warm-up child");
	}

	get_meter(&before);
	if (strcmp(kind, "minherit") == 0) {
		minherit_round();
	} else {
		*fam.flag = 0;
		if ((pid = fork_or_fail()) == 0)
			exit(child_kind(kind));
		status = wait_child(pid, kind);
		if (strcmp(kind, "killed") == 0)
			expect_signal(status, SIGSEGV, kind);
		else
			expect_exit(status, 0, kind);
		if (strcmp(kind, "orphan") == 0)
			wait_until(fam.flag, 1, "the orphan's writes");
	}
	read_all('f', "the family");
	for (i = 0; i < 200000; i++) {	/* an orphan may still be ending */
		get_meter(&after);
		if (labs((long)after.v_wire_count - (long)before.v_wire_count) <= SLACK_WIRED &&
		    (long)before.v_free_count - (long)after.v_free_count <= SLACK_FRAMES)
			break;
		k_yield();
	}
	printf("fork_accounting: %s: in the family, free %ld -> %ld, objects %ld -> %ld, "
	       "wired %ld -> %ld\n", kind, (long)before.v_free_count, (long)after.v_free_count,
	       (long)before.v_objects, (long)after.v_objects, (long)before.v_wire_count,
	       (long)after.v_wire_count);
	expect_change("v_wire_count after the child", (long)before.v_wire_count,
		      (long)after.v_wire_count, -SLACK_WIRED, SLACK_WIRED);
	expect_change("frames in use after the child", (long)after.v_free_count,
		      (long)before.v_free_count, -SLACK_FRAMES, SLACK_FRAMES);
	expect_change("objects after the child", (long)before.v_objects, (long)after.v_objects,
		      -SLACK_OBJECTS, SLACK_OBJECTS);
	return 0;
}

static const char *const kinds[] = {
	"quick", "write", "grandchild", "orphan", "killed", "shared", "wired", "minherit",
};

int main(int argc, char **argv)
{
	struct vmmeter base;
	char what[64];
	size_t i;

	if (argc > 2 && strcmp(argv[1], "family") == 0)
		return family(argv[2]);
	/* Warm-up: spawning, waiting and printing fault in our own pages. */
	expect_exit(run_child(argv[0], "family", "quick", NULL), 0, "the warm-up family");
	snprintf(what, sizeof(what), "%s", kinds[0]);
	printf("fork_accounting: warm-up family done (%s)\n", what);
	get_meter(&base);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		expect_exit(run_child(argv[0], "family", (char *)kinds[i], NULL), 0, kinds[i]);
		snprintf(what, sizeof(what), "%s: frames or objects not back", kinds[i]);
		expect_meter_settles(&base, what);
		printf("fork_accounting: %s: frames and objects back\n", kinds[i]);
	}
	printf("fork_accounting: all checks passed\n");
	return 0;
}
