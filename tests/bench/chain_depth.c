/*
 * BENCH fault_chain_depth_ratio: a read fault whose page lies 64 objects
 * down a shadow chain, over one whose page lies one object down.
 *
 * Generation 0 touches every 16th page of a region; each generation then
 * forks the next, which writes one page of its own (so it gets a shadow)
 * and stays alive (so nothing collapses). Generation d reads the pages of
 * generation 0: each read walks d + 1 objects.
 */
#include <stdlib.h>
#include "bench.h"

#define PAGES 64
#define SPARSE 16
#define DEEP 64

static double read_cost(char *p)
{
	long before = bench_faults();
	uint64_t faulting = bench_touch(p, PAGES, SPARSE, 0);
	uint64_t mapped = bench_touch(p, PAGES, SPARSE, 0);

	return (double)(faulting - mapped) / (double)(bench_faults() - before);
}

/* Generation `gen`: writes its page, measures at depths 1 and DEEP, forks on. */
static void generation(char *p, int gen, long ep, double *shallow)
{
	pid_t pid;

	p[(PAGES * SPARSE + gen) * 4096L] = 1;	/* beyond generation 0's pages */
	if (gen == 1)
		*shallow = read_cost(p);
	if (gen == DEEP) {
		double deep;

		profile_begin();
		deep = read_cost(p);
		profile_end();

		bench_report("fault_cost_chain_depth_1", *shallow, "instructions");
		bench_report("fault_cost_chain_depth_64", deep, "instructions");
		bench_report("fault_chain_depth_ratio", deep / *shallow, "ratio");
		printf("chain_depth: %ld objects deep\n", vm_chain_depth(p));
		bench_wake(ep);			/* tell generation 0 */
		return;
	}
	if ((pid = fork()) == 0) {
		generation(p, gen + 1, ep, shallow);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int main(void)
{
	char *p = bench_region(PAGES * SPARSE + DEEP + 1);
	long ep = k_endpoint_create();
	double shallow = 0;
	pid_t pid;

	bench_touch(p, PAGES, SPARSE, 1);
	if ((pid = fork()) == 0) {
		generation(p, 1, ep, &shallow);
		_exit(0);
	}
	bench_park(ep);
	waitpid(pid, NULL, 0);
	return 0;
}
