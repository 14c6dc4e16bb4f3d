/*
 * The demo `make run` shows: a program touches fresh pages, each first touch
 * is a page fault the kernel sends to the VM server, which zero-fills a page
 * and replies with the mapping. The counters say what happened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/vmmeter.h>
#include <unistd.h>

#define PAGES 256

int main(void)
{
	struct vmmeter before, after;
	struct rusage ru;
	char *p;
	int i;

	printf("demo: pid %d touches %d fresh pages\n", getpid(), PAGES);
	p = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (p == MAP_FAILED) {
		printf("demo: mmap failed\n");
		return 1;
	}
	getvmmeter(&before);
	for (i = 0; i < PAGES; i++)
		p[i * 4096] = (char)i;
	getvmmeter(&after);
	for (i = 0; i < PAGES; i++)
		if (p[i * 4096] != (char)i)
			return 2;
	getrusage(RUSAGE_SELF, &ru);
	printf("demo: %lu faults went to the pager: %lu zero fills, %lu pages now in use\n",
	       after.v_vm_faults - before.v_vm_faults, after.v_zfod - before.v_zfod,
	       before.v_free_count - after.v_free_count);
	printf("demo: this process: %ld minor faults, %ld major\n", ru.ru_minflt, ru.ru_majflt);
	char *s = malloc(100);
	snprintf(s, 100, "malloc works too");
	printf("demo: %s; exiting 0\n", s);
	free(s);
	return 0;
}
