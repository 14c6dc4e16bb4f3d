// expect-status: 7
// expect-output: exit_status: children: 7, 0, 255, 3 (from 259), 42 (_exit), SIGSEGV
// expect-output: exit_status: child's last words, no newline
// expect-output: exit_status: now exiting with 7 myself
/*
 * Exit statuses travel from a child to its parent: return from main with 7,
 * with 0, with 255; exit(259), of which only the low 8 bits (3) count;
 * _exit(42). Each must come back as WIFEXITED with that WEXITSTATUS (and
 * not WIFSIGNALED); a child killed by a signal must not look as if it
 * exited. Output still in the line buffer when a child exits is written
 * out. Last, the program itself exits with 7: init passes it on and the
 * machine's status is 7 (expect-status above), so a mismatch (exit 1)
 * fails the test too.
 */
#include <unistd.h>
#define TEST_NAME "exit_status"
#include "systest.h"

static int child(const char *how)
{
	volatile unsigned long wild = 0x5000;

	if (strcmp(how, "exit259") == 0)
		exit(259);
	if (strcmp(how, "_exit42") == 0)
		_exit(42);
	if (strcmp(how, "talk") == 0) {
		printf("exit_status: child's last words, no newline");
		return 0;
	}
	if (strcmp(how, "segv") == 0)
		return *(volatile int *)wild;
	return atoi(how);
}

/* A child run as `how` must exit with code. */
static void child_exits(char *self, char *how, int code)
{
	char what[32];

	snprintf(what, sizeof(what), "child %s", how);
	expect_exit(run_child(self, "child", how, NULL), code, what);
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return child(argv[2]);
	child_exits(argv[0], "7", 7);
	child_exits(argv[0], "0", 0);
	child_exits(argv[0], "255", 255);
	child_exits(argv[0], "exit259", 3);
	child_exits(argv[0], "_exit42", 42);
	child_exits(argv[0], "talk", 0);
	printf("\n");
	expect_signal(run_child(argv[0], "child", "segv", NULL), SIGSEGV, "a killed child");
	printf("exit_status: children: 7, 0, 255, 3 (from 259), 42 (_exit), SIGSEGV\n");
	printf("exit_status: now exiting with 7 myself\n");
	return 7;
}
