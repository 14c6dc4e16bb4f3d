/*
 * BENCH chain_depth_after_1000_forks: a process forks a child and exits,
 * 1,000 generations in a row, each writing some pages it inherited and one
 * new one first. Collapse keeps the chain short: the last generation
 * reports how many objects back its memory.
 */
#include "bench.h"

#define GENERATIONS 1000
#define PAGES 8

static void generation(char *p, int gen, long ep)
{
	p[(gen % PAGES) * 4096] = (char)gen;	/* an inherited page */
	p[PAGES * 4096] = (char)gen;		/* and the extra one */
	if (gen == GENERATIONS) {
		ipc_call_empty((uint64_t)ep, (uint32_t)vm_chain_depth(p));
		return;
	}
	if (fork() == 0)
		generation(p, gen + 1, ep);
	_exit(0);				/* the parent goes; its child lives on */
}

int main(void)
{
	char *p = bench_region(PAGES + 1);
	long ep = k_endpoint_create();
	uint64_t peer = 0, depth;

	bench_touch(p, PAGES + 1, 1, 1);
	if (fork() == 0)
		generation(p, 1, ep);
	depth = TAG_LABEL(ipc_reply_wait_empty((uint64_t)ep, &peer, 0));
	bench_report("chain_depth_after_1000_forks", (double)depth, "objects");
	return 0;
}
