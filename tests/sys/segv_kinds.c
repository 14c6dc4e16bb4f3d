// expect-output: killed by SIGSEGV (SEGV_MAPERR) at address 0, pc
// expect-output: killed by SIGSEGV (SEGV_MAPERR) at address 0xdead0000, pc
// expect-output: killed by SIGSEGV (SEGV_MAPERR) at address 0xffffffc000000000, pc
// expect-output: killed by SIGSEGV (SEGV_ACCERR) at address 0x10000, pc
// expect-output: killed by SIGSEGV (SEGV_ACCERR) at address 0x200000000, pc
// expect-output: killed by SIGSEGV (SEGV_ACCERR) at address 0x200010000, pc 0x200010000
// expect-output: killed by SIGSEGV (SEGV_MAPERR) at address 0x200021008, pc
// expect-output: killed by SIGSEGV (SEGV_MAPERR) at address 0x300000000, pc 0x300000000
// expect-output: segv_kinds: all checks passed
/*
 * Each kind of bad access ends the process with SIGSEGV: a child makes one
 * access and the parent checks WIFSIGNALED and WTERMSIG. The VM server's
 * kill lines (above) say the si_code and address for each: MAPERR where no
 * entry maps the address (NULL, a wild address, a kernel address, a page
 * munmap()ed, a jump to nowhere), ACCERR where an entry maps it without the
 * right (a store to the program's own text at 0x10000, a store to a
 * PROT_READ mapping, running code from a mapping without PROT_EXEC).
 * A control child does the same setup and a legal access: it must exit 0,
 * so a setup that kills by itself cannot pass for the right fault.
 */
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "segv_kinds"
#include "systest.h"

#define PAGE 4096
#define RDONLY_AT 0x200000000UL
#define NOEXEC_AT 0x200010000UL
#define HOLE_AT   0x200020000UL
#define NOWHERE   0x300000000UL

extern char _start[];	/* the first byte of text: 0x10000 (lib/user.ld) */

static void *map_at(uintptr_t at, size_t len, int prot)
{
	void *p = mmap((void *)at, len, prot, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);

	if (p != (void *)at) {
		printf("segv_kinds: child: mmap at %#lx failed\n", (unsigned long)at);
		exit(2);
	}
	return p;
}

static int __attribute__((noinline)) forty_two(void)
{
	return 42;
}

/* One access by kind; returns only if it did not fault. */
static void access_kind(const char *kind, int legal)
{
	volatile uintptr_t addr;
	volatile int sink;

	if (strcmp(kind, "null") == 0) {
		addr = legal ? (uintptr_t)&sink : 0;
		sink = *(volatile int *)addr;
	} else if (strcmp(kind, "wild") == 0) {
		addr = legal ? (uintptr_t)&sink : 0xdead0000UL;
		sink = *(volatile int *)addr;
	} else if (strcmp(kind, "kernel") == 0) {
		addr = legal ? (uintptr_t)&sink : 0xffffffc000000000UL;
		sink = *(volatile int *)addr;
	} else if (strcmp(kind, "text") == 0) {
		addr = (uintptr_t)_start;
		if (legal)
			sink = *(volatile char *)addr;	/* text is readable */
		else
			*(volatile char *)addr = 0;
	} else if (strcmp(kind, "rdonly") == 0) {
		volatile int *p = map_at(RDONLY_AT, PAGE, PROT_READ);

		if (p[0] != 0)		/* readable, and zero */
			exit(3);
		if (!legal)
			p[0] = 1;
	} else if (strcmp(kind, "noexec") == 0) {
		uint32_t *code = map_at(NOEXEC_AT, PAGE, PROT_READ | PROT_WRITE);
		int (*fn)(void) = (int (*)(void))(uintptr_t)code;

		code[0] = 0x02a00513;	/* li a0, 42 */
		code[1] = 0x00008067;	/* ret */
		__asm__ volatile("fence.i" ::: "memory");
		if (legal)
			sink = (int)code[0];
		else
			sink = fn();
	} else if (strcmp(kind, "unmapped") == 0) {
		volatile int *p = map_at(HOLE_AT, 3 * PAGE, PROT_READ | PROT_WRITE);

		p[0] = p[PAGE / sizeof(int)] = p[2 * PAGE / sizeof(int)] = 5;
		if (munmap((void *)(HOLE_AT + PAGE), PAGE) != 0)
			exit(4);
		sink = legal ? p[2 * PAGE / sizeof(int) + 2] : p[PAGE / sizeof(int) + 2];
	} else if (strcmp(kind, "jump") == 0) {
		int (*fn)(void);

		addr = legal ? (uintptr_t)forty_two : NOWHERE;
		fn = (int (*)(void))addr;
		sink = fn();
	} else {
		exit(5);
	}
	(void)sink;
}

static char *const kinds[] = {
	"null", "wild", "kernel", "text", "rdonly", "noexec", "unmapped", "jump",
};

int main(int argc, char **argv)
{
	char what[48];
	size_t i;

	if (argc > 3 && strcmp(argv[1], "child") == 0) {
		access_kind(argv[2], strcmp(argv[3], "legal") == 0);
		return 0;
	}
	if ((uintptr_t)_start != 0x10000)
		fail("text does not begin at 0x10000", (long)(uintptr_t)_start, 0);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		snprintf(what, sizeof(what), "%s: the legal access", kinds[i]);
		expect_exit(run_child(argv[0], "child", kinds[i], "legal", NULL), 0, what);
		snprintf(what, sizeof(what), "%s: the bad access", kinds[i]);
		expect_signal(run_child(argv[0], "child", kinds[i], "bad", NULL), SIGSEGV, what);
		printf("segv_kinds: %s: legal access exits 0, bad access SIGSEGV\n", kinds[i]);
	}
	printf("segv_kinds: all checks passed\n");
	return 0;
}
