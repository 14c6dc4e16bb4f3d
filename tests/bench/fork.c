/*
 * BENCH fork_64mib_per_page: fork of a process with 64 MiB resident, in
 * instructions per resident page, as the parent sees it: no page is copied,
 * the parent's 16,384 mappings are write-protected in one pass.
 */
#include "bench.h"

#define PAGES 16384

int main(void)
{
	char *p = bench_region(PAGES);
	uint64_t t0, t1;
	pid_t pid;

	bench_touch(p, PAGES, 1, 1);
	profile_begin();
	t0 = rdinstret();
	pid = fork();
	if (pid == 0)
		_exit(0);
	t1 = rdinstret();
	profile_end();
	bench_report("fork_64mib_per_page", (double)(t1 - t0) / PAGES, "instructions");
	waitpid(pid, NULL, 0);
	return 0;
}
