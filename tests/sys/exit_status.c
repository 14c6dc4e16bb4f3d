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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proc.h"

static void fail(const char *what, long a, long b)
{
	printf("exit_status: FAIL: %s (%#lx, %ld)\n", what, a, b);
	exit(1);
}

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

static int run(char *self, char *how)
{
	char *args[] = { self, "child", how, NULL };
	int status;
	pid_t pid = spawn(self, args);

	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		fail("spawn or waitpid", pid, 0);
	return status;
}

static void expect_exit(char *self, char *how, int code)
{
	int status = run(self, how);

	if (!WIFEXITED(status) || WIFSIGNALED(status) || WEXITSTATUS(status) != code) {
		printf("exit_status: child %s: status %#x, want exit %d\n", how, status, code);
		fail("wrong exit status", status, code);
	}
}

int main(int argc, char **argv)
{
	int status;

	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return child(argv[2]);
	expect_exit(argv[0], "7", 7);
	expect_exit(argv[0], "0", 0);
	expect_exit(argv[0], "255", 255);
	expect_exit(argv[0], "exit259", 3);
	expect_exit(argv[0], "_exit42", 42);
	expect_exit(argv[0], "talk", 0);
	printf("\n");
	status = run(argv[0], "segv");
	if (WIFEXITED(status) || !WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
		fail("a killed child's status", status, 0);
	printf("exit_status: children: 7, 0, 255, 3 (from 259), 42 (_exit), SIGSEGV\n");
	printf("exit_status: now exiting with 7 myself\n");
	return 7;
}
