// expect-output: mlock_fork: mlock of 64 untouched pages: 64 wired, touching them takes no faults
// expect-output: mlock_fork: after fork the parent writes its locked pages without faults; the child has its own copy
// expect-output: mlock_fork: munlock: unwired, data kept; then fork is copy-on-write again
// expect-output: mlock_fork: mlock of a copy-on-write region makes the parent's own copies
// expect-output: mlock_fork: mlock does not nest; munmap unwires; errors
// expect-output: mlock_fork: all checks passed
/*
 * mlock() wires: every page of the range is faulted in at once (zero fills
 * for untouched memory, copies for copy-on-write memory) and stays mapped,
 * so touching it later takes no fault.
 *
 *   lock      64 untouched pages: v_wire_count +64, 64 frames taken; reads
 *             and writes of all of them: no minor faults
 *   fork      a wired region stays writable in the parent - its writes
 *             after fork take no fault and no copy-on-write - and the child
 *             gets a copy made at fork (not wired: v_wire_count does not
 *             count it), with the data of the fork; neither sees the
 *             other's later writes
 *   munlock   v_wire_count back, data kept; a fork after it is plain
 *             copy-on-write again (the parent's writes copy)
 *   COW lock  mlock of a region a live child shares copy-on-write gives
 *             the parent its own copies at once: its later writes take no
 *             fault and the child still sees the original data
 *   misc      mlock twice then munlock once unwires (no nesting); munmap of
 *             a locked range unwires; mlock of an unmapped range: ENOMEM;
 *             an mlock that fails part-way (EACCES at a PROT_NONE page)
 *             unwires what it wired and leaves earlier locks alone
 */
#define TEST_NAME "mlock_fork"
#include "systest.h"

#define PAGE 4096
#define N 64
#define SLACK 4

struct flags {
	volatile int step;
	volatile long child_wired_delta;
};

static struct flags *fl;

static void write_all(volatile char *r, char v)
{
	int i;

	for (i = 0; i < N; i++)
		r[i * PAGE + 9] = (char)(v + i);
}

static void check_all(volatile char *r, char v, const char *who)
{
	int i;

	for (i = 0; i < N; i++)
		if (r[i * PAGE + 9] != (char)(v + i))
			failf("%s: page %d holds %d, want %d", who, i, r[i * PAGE + 9], (char)(v + i));
}

int main(void)
{
	volatile char *r, *q;
	struct vmmeter a, b, c;
	long f0, f1;
	pid_t pid;
	int i;

	fl = map_anon(PAGE, MAP_SHARED);
	r = map_anon(N * PAGE, MAP_PRIVATE);

	/* lock: untouched pages come in now. */
	get_meter(&a);
	if (mlock((void *)r, N * PAGE) != 0)
		fail("mlock", errno, 0);
	get_meter(&b);
	expect_change("v_wire_count after mlock", (long)a.v_wire_count, (long)b.v_wire_count, N,
		      N + SLACK);
	expect_change("frames taken by mlock", (long)b.v_free_count, (long)a.v_free_count, N,
		      N + 16);
	expect_change("zero fills by mlock", (long)a.v_zfod, (long)b.v_zfod, N, N + SLACK);
	f0 = minflt();
	for (i = 0; i < N; i++)
		if (r[i * PAGE + 9] != 0)
			fail("a locked untouched page is not zero", i, r[i * PAGE + 9]);
	write_all(r, 'a');
	expect_change("minor faults touching locked pages", f0, minflt(), 0, SLACK);
	printf("mlock_fork: mlock of %d untouched pages: %d wired, touching them takes no faults "
	       "(v_wire_count +%ld)\n", N, N, (long)(b.v_wire_count - a.v_wire_count));

	/* fork: the parent's locked pages stay writable; the child has a copy. */
	fl->step = 0;
	get_meter(&a);
	if ((pid = fork_or_fail()) == 0) {
		check_all(r, 'a', "the child, at the start");
		write_all(r, 'c');
		check_all(r, 'c', "the child, after its writes");
		fl->step = 1;
		wait_until(&fl->step, 2, "the parent's writes");
		check_all(r, 'c', "the child, after the parent wrote");
		exit(0);
	}
	wait_until(&fl->step, 1, "the child's writes");
	get_meter(&b);
	f0 = minflt();
	write_all(r, 'p');
	f1 = minflt();
	get_meter(&c);
	expect_change("the parent's faults writing its locked pages after fork", f0, f1, 0, SLACK);
	expect_change("cow faults of the parent's locked pages", (long)b.v_cow_faults,
		      (long)c.v_cow_faults, 0, SLACK);
	/*
	 * The child's copy is not wired: v_wire_count grows by its IPC buffer
	 * and its page tables (pages without an object are wired), not by N.
	 */
	expect_change("v_wire_count with the child alive", (long)a.v_wire_count,
		      (long)b.v_wire_count, 0, 16);
	check_all(r, 'p', "the parent, after its writes");
	fl->step = 2;
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	check_all(r, 'p', "the parent, after the child exited");
	get_meter(&c);
	/* Back, but for a page or two of the VM's own records (slabs, page tables). */
	expect_change("v_wire_count after the child exited", (long)a.v_wire_count,
		      (long)c.v_wire_count, 0, 4);
	printf("mlock_fork: after fork the parent writes its locked pages without faults; the "
	       "child has its own copy\n");

	/* munlock: unwired, data kept; fork is copy-on-write again. */
	get_meter(&a);
	if (munlock((void *)r, N * PAGE) != 0)
		fail("munlock", errno, 0);
	get_meter(&b);
	expect_change("v_wire_count after munlock", (long)b.v_wire_count, (long)a.v_wire_count, N,
		      N);
	check_all(r, 'p', "the parent, after munlock");
	fl->step = 0;
	if ((pid = fork_or_fail()) == 0) {
		wait_until(&fl->step, 1, "the parent's writes");
		check_all(r, 'p', "the second child");
		exit(0);
	}
	get_meter(&a);
	write_all(r, 'q');
	get_meter(&b);
	expect_change("cow faults after munlock and fork", (long)a.v_cow_faults,
		      (long)b.v_cow_faults, N, N + SLACK);
	fl->step = 1;
	expect_exit(wait_child(pid, "the second child"), 0, "the second child");
	printf("mlock_fork: munlock: unwired, data kept; then fork is copy-on-write again\n");

	/* COW lock: mlock while a child shares the pages makes copies now. */
	q = map_anon(N * PAGE, MAP_PRIVATE);
	write_all(q, 'a');
	fl->step = 0;
	if ((pid = fork_or_fail()) == 0) {
		wait_until(&fl->step, 1, "the parent's mlock and writes");
		check_all(q, 'a', "the child, after the parent locked and wrote");
		exit(0);
	}
	get_meter(&a);
	if (mlock((void *)q, N * PAGE) != 0)
		fail("mlock of a copy-on-write region", errno, 0);
	get_meter(&b);
	expect_change("copies made by mlock of a shared region", (long)a.v_cow_faults,
		      (long)b.v_cow_faults, N, N + SLACK);
	f0 = minflt();
	write_all(q, 'p');
	expect_change("faults writing after mlock", f0, minflt(), 0, SLACK);
	fl->step = 1;
	expect_exit(wait_child(pid, "the third child"), 0, "the third child");
	check_all(q, 'p', "the parent, its locked copy");
	printf("mlock_fork: mlock of a copy-on-write region makes the parent's own copies\n");

	/* misc: no nesting, munmap unwires, errors. */
	get_meter(&a);
	if (mlock((void *)r, N * PAGE) != 0 || mlock((void *)r, N * PAGE) != 0)
		fail("mlock twice", errno, 0);
	if (munlock((void *)r, N * PAGE) != 0)
		fail("munlock", errno, 1);
	get_meter(&b);
	/* All N unwired (the VM's own records may differ by a page or two). */
	expect_change("v_wire_count after mlock twice, munlock once", (long)a.v_wire_count,
		      (long)b.v_wire_count, -4, 4);
	get_meter(&a);
	if (munmap((void *)q, N * PAGE) != 0)
		fail("munmap of a locked region", errno, 0);
	get_meter(&b);
	expect_change("v_wire_count after munmap of a locked region", (long)b.v_wire_count,
		      (long)a.v_wire_count, N, N + 4);	/* + the VM's own records freed */
	errno = 0;
	if (mlock((void *)q, N * PAGE) != -1 || errno != ENOMEM)
		fail("mlock of an unmapped range: want ENOMEM", errno, ENOMEM);

	/*
	 * All or nothing: r's first half locked already, its second half
	 * touched, then a PROT_NONE tail. An mlock over all three fails at the
	 * tail, unwires the second half it wired, and keeps the first half's.
	 */
	q = map_anon((N + N / 2) * PAGE, MAP_PRIVATE);
	write_all(q, 'u');
	if (mprotect((void *)(q + N * PAGE), N / 2 * PAGE, PROT_NONE) != 0 ||
	    mlock((void *)q, N / 2 * PAGE) != 0)
		fail("mprotect, mlock of the first half", errno, 0);
	get_meter(&a);
	errno = 0;
	if (mlock((void *)q, (N + N / 2) * PAGE) != -1 || errno != EACCES)
		fail("mlock over a PROT_NONE tail: want EACCES", errno, EACCES);
	get_meter(&b);
	expect_change("v_wire_count after a failed mlock", (long)a.v_wire_count,
		      (long)b.v_wire_count, 0, 0);
	if (munlock((void *)q, N / 2 * PAGE) != 0)
		fail("munlock of the first half", errno, 0);
	get_meter(&b);
	expect_change("v_wire_count after munlock of what stayed locked", (long)a.v_wire_count,
		      (long)b.v_wire_count, -N / 2, -N / 2);
	check_all(q, 'u', "a region whose mlock failed");
	printf("mlock_fork: mlock does not nest; munmap unwires; errors\n");
	printf("mlock_fork: all checks passed\n");
	return 0;
}
