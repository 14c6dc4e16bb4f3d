// expect-output: killed by SIGSEGV (SEGV_MAPERR) at address 0x18
// expect-output: killed by SIGSEGV (SEGV_ACCERR)
// expect-output: killed by SIGILL (ILL_ILLOPC)
// expect-output: killed by SIGTRAP (TRAP_BRKPT)
// expect-output: killed by SIGBUS (BUS_ADRALN)
// expect-output: killed by SIGUSR1 (SI_USER)
// expect-output: killed by SIGABRT (SI_USER)
// expect-output: killed by SIGSEGV (SI_USER)
// expect-output: sig_default: all checks passed
/*
 * With no handler, a signal's default action: a forked child does one
 * thing and the parent checks how waitpid says it ended.
 *
 *   killed, WTERMSIG   a load from NULL + 24 (SIGSEGV), a store to a
 *                      read-only page (SIGSEGV), an illegal instruction
 *                      (SIGILL), ebreak (SIGTRAP), a misaligned atomic
 *                      (SIGBUS), raise() of SIGUSR1, SIGTERM, SIGKILL,
 *                      SIGABRT (abort()), SIGSEGV
 *   not killed         raise() of SIGCHLD, SIGURG, SIGWINCH (ignored by
 *                      default) and of a SIG_IGN'd SIGUSR1: raise returns 0
 *                      and the child exits 0
 *
 * WIFEXITED is false and WIFSIGNALED true for each killed child; the VM
 * server's kill lines (above) name signal and code. A control child, which
 * does the setup but not the deed, exits 0 each time.
 */
#include <stdint.h>
#define TEST_NAME "sig_default"
#include "systest.h"

#define PAGE 4096

struct kind {
	const char *name;
	int signo;	/* 0: the child must exit 0 */
};

static const struct kind kinds[] = {
	{ "null", SIGSEGV },	{ "rdonly", SIGSEGV },	{ "illegal", SIGILL },
	{ "ebreak", SIGTRAP },	{ "misaligned", SIGBUS }, { "usr1", SIGUSR1 },
	{ "term", SIGTERM },	{ "kill", SIGKILL },	{ "abort", SIGABRT },
	{ "segv", SIGSEGV },	{ "chld", 0 },		{ "urg", 0 },
	{ "winch", 0 },		{ "ignored", 0 },
};

static void deed(const char *name, int really)
{
	volatile uintptr_t addr = really ? 24 : (uintptr_t)&addr;
	volatile int sink = 0;

	if (strcmp(name, "null") == 0) {
		sink = *(volatile int *)addr;
	} else if (strcmp(name, "rdonly") == 0) {
		volatile int *p = map_anon(PAGE, MAP_PRIVATE);

		if (mprotect((void *)p, PAGE, really ? PROT_READ : PROT_READ | PROT_WRITE) != 0)
			exit(2);
		p[1] = 1;
	} else if (strcmp(name, "illegal") == 0) {
		if (really)
			__asm__ volatile(".4byte 0x00000000");
	} else if (strcmp(name, "ebreak") == 0) {
		if (really)
			__asm__ volatile("ebreak");
	} else if (strcmp(name, "misaligned") == 0) {
		volatile int *p = map_anon(PAGE, MAP_PRIVATE);
		volatile char *at = (volatile char *)p + (really ? 2 : 0);

		__asm__ volatile("amoadd.w zero, zero, (%0)" : : "r"(at) : "memory");
	} else {
		static const struct { const char *name; int signo; } raised[] = {
			{ "usr1", SIGUSR1 }, { "term", SIGTERM }, { "kill", SIGKILL },
			{ "segv", SIGSEGV }, { "chld", SIGCHLD }, { "urg", SIGURG },
			{ "winch", SIGWINCH }, { "ignored", SIGUSR1 },
		};
		size_t i;

		if (strcmp(name, "abort") == 0) {
			if (really)
				abort();
			return;
		}
		if (strcmp(name, "ignored") == 0 && signal(SIGUSR1, SIG_IGN) == SIG_ERR)
			exit(3);
		for (i = 0; i < sizeof(raised) / sizeof(raised[0]); i++)
			if (strcmp(name, raised[i].name) == 0 && really && raise(raised[i].signo) != 0)
				exit(4);
	}
	(void)sink;
}

int main(void)
{
	char what[64];
	size_t i;
	pid_t pid;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if ((pid = fork_or_fail()) == 0) {
			deed(kinds[i].name, 0);
			exit(0);
		}
		snprintf(what, sizeof(what), "%s: the control child", kinds[i].name);
		expect_exit(wait_child(pid, what), 0, what);
		if ((pid = fork_or_fail()) == 0) {
			deed(kinds[i].name, 1);
			exit(0);
		}
		snprintf(what, sizeof(what), "%s", kinds[i].name);
		expect_outcome(wait_child(pid, what), kinds[i].signo, what);
		printf("sig_default: %s: %s %d\n", kinds[i].name,
		       kinds[i].signo ? "killed by signal" : "ignored: exit", kinds[i].signo);
	}
	printf("sig_default: all checks passed\n");
	return 0;
}
