// expect-output: fork_chain: 200 generations: each saw its ancestors' writes
// expect-output: fork_chain: frames and objects back after the chain
// expect-output: fork_chain: shell: 200 children, each exiting after the next fork
// expect-output: fork_chain: frames and objects back after the shell
// expect-output: fork_chain: all checks passed
/*
 * A chain of 200 generations, each of which forks the next and exits at
 * once: generation k+1 waits until its parent has gone (init is its parent
 * then), checks that a private region shows what every ancestor wrote, and
 * writes one page of it itself before forking in turn. Each write after
 * the parent is gone is the pattern that would add one object to a shadow
 * chain per generation if nothing shortened the chains: v_objects, read
 * by each generation once its parent has gone, must stay within a few
 * objects of the first reading - not grow with the generations. The last
 * generation reports through a MAP_SHARED page. The chain runs under a
 * "head" process (spawned: this program's memory stays as it is); when the
 * head and the whole chain have ended, v_free_count and v_objects are
 * exactly what they were before.
 *
 * Then a shell's pattern, 200 rounds: one process forks child after child,
 * each living until the next is forked; the parent and the new child both
 * write after each fork. The parent's v_objects must not grow with the
 * rounds either (objects left below shared ones would pile up), and when
 * the shell has ended, frames and objects are back.
 */
#define TEST_NAME "fork_chain"
#include "systest.h"

#define PAGE 4096
#define GENERATIONS 200
#define NPAGES 16
#define OBJECT_BOUND 8		/* v_objects may wander this much, no more */
#define FRAME_BOUND 64

struct report {
	volatile int done, reached, bad, bad_page, bad_value;
	volatile long objects_min, objects_max, free_min, free_max;
	volatile long objects_first, objects_last;
};

static struct report *rep;
static volatile int *region;	/* NPAGES pages; page j's first int */

/* What page j must hold in generation k, before k writes: the last writer's k. */
static int expected(int j, int k)
{
	int g;

	for (g = k - 1; g >= 1; g--)
		if (g % NPAGES == j)
			return g;
	return -1;	/* the head's value */
}

static void __attribute__((noreturn)) generation(int k, int last)
{
	struct vmmeter v;
	int j;

	for (;;) {
		if (k > 1)
			wait_orphaned();	/* the parent has gone when init adopts us */
		for (j = 0; j < NPAGES; j++) {
			if (region[j * PAGE / sizeof(int)] != expected(j, k)) {
				rep->bad = k;
				rep->bad_page = j;
				rep->bad_value = region[j * PAGE / sizeof(int)];
				rep->done = 1;
				exit(1);
			}
		}
		region[(k % NPAGES) * PAGE / sizeof(int)] = k;
		if (k > 1) {
			get_meter(&v);
			if (k == 2)
				rep->objects_min = rep->objects_max = rep->objects_first =
					(long)v.v_objects;
			if (k == 2)
				rep->free_min = rep->free_max = (long)v.v_free_count;
			if ((long)v.v_objects < rep->objects_min)
				rep->objects_min = (long)v.v_objects;
			if ((long)v.v_objects > rep->objects_max)
				rep->objects_max = (long)v.v_objects;
			if ((long)v.v_free_count < rep->free_min)
				rep->free_min = (long)v.v_free_count;
			if ((long)v.v_free_count > rep->free_max)
				rep->free_max = (long)v.v_free_count;
			rep->objects_last = (long)v.v_objects;
		}
		rep->reached = k;
		if (k == last) {
			rep->done = 1;
			exit(0);
		}
		if (fork_or_fail() != 0)
			exit(0);	/* the parent goes at once */
		k++;
	}
}

static int head(int gens)
{
	pid_t pid;
	int j;

	rep = map_anon(PAGE, MAP_SHARED);
	region = map_anon(NPAGES * PAGE, MAP_PRIVATE);
	for (j = 0; j < NPAGES; j++)
		region[j * PAGE / sizeof(int)] = -1;
	if ((pid = fork_or_fail()) == 0)
		generation(1, gens);
	expect_exit(wait_child(pid, "generation 1"), 0, "generation 1");
	wait_until(&rep->done, 1, "the last generation");
	if (rep->bad != 0)
		failf("generation %d: page %d holds %d, want %d", rep->bad, rep->bad_page,
		      rep->bad_value, expected(rep->bad_page, rep->bad));
	if (rep->reached != gens)
		fail("the chain ended early (reached, want)", rep->reached, gens);
	for (j = 0; j < NPAGES; j++)
		if (region[j * PAGE / sizeof(int)] != -1)
			fail("the head sees a descendant's write", j, region[j * PAGE / sizeof(int)]);
	if (gens < 3)
		return 0;
	printf("fork_chain: %d generations: each saw its ancestors' writes; v_objects %ld at "
	       "generation 2, %ld at the last, %ld..%ld throughout; free %ld..%ld\n", gens,
	       rep->objects_first, rep->objects_last, rep->objects_min, rep->objects_max,
	       rep->free_min, rep->free_max);
	if (rep->objects_max - rep->objects_min > OBJECT_BOUND)
		fail("v_objects grew along the chain (max - min, bound)",
		     rep->objects_max - rep->objects_min, OBJECT_BOUND);
	if (rep->free_max - rep->free_min > FRAME_BOUND)
		fail("frames in use grew along the chain (max - min, bound)",
		     rep->free_max - rep->free_min, FRAME_BOUND);
	return 0;
}

/*
 * A shell's pattern: one process lives throughout and forks child after
 * child; each child lives until the next one is forked. After each fork
 * the parent writes a page and the new child writes one; then the previous
 * child exits. The parent's v_objects, read after each exit, must not grow
 * with the rounds, and each child sees the parent's data as of its fork.
 */
static int shell(int rounds)
{
	struct vmmeter v;
	long first = 0, lo = 0, hi = 0;
	pid_t prev = 0, pid;
	int k, j;

	rep = map_anon(PAGE, MAP_SHARED);
	region = map_anon(NPAGES * PAGE, MAP_PRIVATE);
	for (j = 0; j < NPAGES; j++)
		region[j * PAGE / sizeof(int)] = -1;
	for (k = 1; k <= rounds; k++) {
		rep->reached = 0;
		if ((pid = fork_or_fail()) == 0) {
			for (j = 0; j < NPAGES; j++)
				if (region[j * PAGE / sizeof(int)] != expected(j, k))
					failf("shell round %d: the child sees %d in page %d, want %d", k,
					      region[j * PAGE / sizeof(int)], j, expected(j, k));
			region[((k + 7) % NPAGES) * PAGE / sizeof(int)] = -k;	/* its own copy */
			rep->reached = k;
			wait_until(&rep->done, k, "the next fork");
			exit(0);
		}
		wait_until(&rep->reached, k, "the new child's check");
		region[(k % NPAGES) * PAGE / sizeof(int)] = k;
		rep->done = k - 1;	/* the previous child may go */
		if (prev != 0)
			expect_exit(wait_child(prev, "the previous child"), 0, "a shell child");
		prev = pid;
		get_meter(&v);
		if (k == 2)
			first = lo = hi = (long)v.v_objects;
		if (k >= 2 && (long)v.v_objects < lo)
			lo = (long)v.v_objects;
		if (k >= 2 && (long)v.v_objects > hi)
			hi = (long)v.v_objects;
	}
	rep->done = rounds;
	expect_exit(wait_child(prev, "the last child"), 0, "the last shell child");
	if (rounds < 3)
		return 0;
	printf("fork_chain: shell: %d children, each exiting after the next fork: v_objects %ld "
	       "at round 2, %ld..%ld throughout\n", rounds, first, lo, hi);
	if (hi - lo > OBJECT_BOUND)
		fail("v_objects grew with the shell's children (max - min, bound)", hi - lo,
		     OBJECT_BOUND);
	return 0;
}

int main(int argc, char **argv)
{
	struct vmmeter base;
	char gens[16];

	if (argc > 2 && strcmp(argv[1], "head") == 0)
		return head(atoi(argv[2]));
	if (argc > 2 && strcmp(argv[1], "shell") == 0)
		return shell(atoi(argv[2]));
	/* Warm-up: a short chain, and our own printing, fault in what they need. */
	expect_exit(run_child(argv[0], "head", "2", NULL), 0, "the warm-up head");
	snprintf(gens, sizeof(gens), "%d", GENERATIONS);
	printf("fork_chain: warm-up chain done\n");
	get_meter(&base);
	expect_exit(run_child(argv[0], "head", gens, NULL), 0, "the head");
	expect_meter_settles(&base, "frames or objects not back after the chain");
	printf("fork_chain: frames and objects back after the chain\n");
	expect_exit(run_child(argv[0], "shell", "2", NULL), 0, "the warm-up shell");
	get_meter(&base);
	expect_exit(run_child(argv[0], "shell", gens, NULL), 0, "the shell");
	expect_meter_settles(&base, "frames or objects not back after the shell");
	printf("fork_chain: frames and objects back after the shell\n");
	printf("fork_chain: all checks passed\n");
	return 0;
}
