// boot-args: collapse=lazy
/*
 * BENCH fault_roundtrip_cow_move: a write fault whose page moves up from a
 * backing object nobody else can see (FreeBSD's v_cow_optim), instead of
 * being copied. The child writes one page (so its shadow exists over the
 * shared object), then the parent unmaps the region: the object behind the
 * child's shadow has no other user. Under the lazy collapse policy it stays
 * there, and each of the child's writes moves one page up. (Under the
 * default, eager policy the object would be merged at once and the writes
 * would find their pages at home.)
 */
#include "bench.h"

#define N 256

int main(void)
{
	char *p = bench_region(N + 1);
	long ep = k_endpoint_create();
	uint64_t faulting, mapped;
	pid_t pid;

	if (ep < 0)
		return 1;
	bench_touch(p, N + 1, 1, 1);
	if ((pid = fork()) == 0) {
		p[0] = 2;		/* a copy: the child's shadow is made */
		bench_park(ep);		/* meanwhile the parent lets go */
		profile_begin();
		faulting = bench_touch(p + 4096, N, 1, 1);
		profile_end();
		mapped = bench_touch(p + 4096, N, 1, 1);
		bench_report("fault_roundtrip_cow_move", (double)(faulting - mapped) / N,
			     "instructions");
		_exit(0);
	}
	bench_settle();
	munmap(p, (N + 1) * 4096);
	bench_wake(ep);
	waitpid(pid, NULL, 0);
	return 0;
}
