// expect-status: 132
// expect-output: sigill: children: .word 0, csrr sstatus, sret -> SIGILL; ebreak -> SIGTRAP
// expect-output: (test_sigill) killed by SIGILL (ILL_ILLOPC)
/*
 * Instructions a user process may not run end it with SIGILL: the all-zero
 * word (defined illegal), reading a supervisor CSR, sret. ebreak ends it
 * with SIGTRAP. Children run each; the parent checks WTERMSIG. Then the
 * parent runs `.word 0` itself: the machine's status must be 128 + 4, and
 * the VM server names the signal. A mismatch exits 1 before that.
 */
#define TEST_NAME "sigill"
#include "systest.h"

static void bad_instruction(const char *kind)
{
	unsigned long x = 0;

	if (strcmp(kind, "zero") == 0)
		__asm__ volatile(".word 0");
	else if (strcmp(kind, "csr") == 0)
		__asm__ volatile("csrr %0, sstatus" : "=r"(x));
	else if (strcmp(kind, "sret") == 0)
		__asm__ volatile("sret");
	else if (strcmp(kind, "ebreak") == 0)
		__asm__ volatile("ebreak");
	printf("sigill: child %s: survived (%lu)\n", kind, x);
}

/* A child runs the instruction `kind`: it must die of signo. */
static void expect(char *self, char *kind, int signo)
{
	expect_signal(run_child(self, "child", kind, NULL), signo, kind);
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "child") == 0) {
		bad_instruction(argv[2]);
		return 0;
	}
	expect(argv[0], "zero", SIGILL);
	expect(argv[0], "csr", SIGILL);
	expect(argv[0], "sret", SIGILL);
	expect(argv[0], "ebreak", SIGTRAP);
	printf("sigill: children: .word 0, csrr sstatus, sret -> SIGILL; ebreak -> SIGTRAP\n");
	printf("sigill: now the program itself runs .word 0\n");
	__asm__ volatile(".word 0");
	printf("sigill: FAIL: .word 0 did not kill\n");
	return 1;
}
