// expect-output: wait_calls: no such child: ECHILD; no such program: ENOENT
// expect-output: wait_calls: WNOHANG: 0 while the child runs, its status once it ends
// expect-output: wait_calls: waitpid(pid) waits for that child only
// expect-output: wait_calls: wait() reaped 5 children, each once
// expect-output: wait_calls: all checks passed
/*
 * waitpid's cases. A pid that is not our child (none at all, or init)
 * gives -1/ECHILD, and so does waitpid(-1) with no children; spawn of a
 * program the boot image lacks gives -1/ENOENT. WNOHANG returns 0 while
 * the child runs (a child that computes for a while), and then - polled,
 * yielding between polls - its pid and status once it has ended; after
 * that, ECHILD: a child is reaped once. waitpid(pid) must wait for that
 * child even when another one ends first, which a later wait() collects.
 * waitpid(0) waits for any child in our process group: there is only one.
 * wait() on five children returns each pid exactly once with its status.
 */
#include <unistd.h>
#include "kern.h"
#define TEST_NAME "wait_calls"
#include "systest.h"

/* Starts a child that runs `how` and exits with code; returns its pid. */
static pid_t start(char *self, char *how, char *code)
{
	pid_t pid = spawn_self(self, "child", how, code, NULL);

	if (pid <= 0)
		fail("spawn", pid, errno);
	return pid;
}

static int child(const char *how, int code)
{
	volatile unsigned long i, sum = 0;

	if (strcmp(how, "slow") == 0)
		for (i = 0; i < 30000000; i++)
			sum += i;
	return code + (int)(sum & 0);
}

int main(int argc, char **argv)
{
	char *self = argv[0];
	pid_t pid, a, b, got, kids[5];
	int status, i, j, polls, seen[5] = { 0 };

	if (argc > 3 && strcmp(argv[1], "child") == 0)
		return child(argv[2], atoi(argv[3]));

	/* Nothing to wait for. */
	errno = 0;
	if (waitpid(-1, &status, 0) != -1 || errno != ECHILD)
		fail("waitpid(-1) with no children: want ECHILD", errno, 0);
	errno = 0;
	if (waitpid(12345, &status, 0) != -1 || errno != ECHILD)
		fail("waitpid of a pid that does not exist: want ECHILD", errno, 0);
	errno = 0;
	if (waitpid(1, &status, WNOHANG) != -1 || errno != ECHILD)
		fail("waitpid of init, not our child: want ECHILD", errno, 0);
	errno = 0;
	if (wait(&status) != -1 || errno != ECHILD)
		fail("wait() with no children: want ECHILD", errno, 0);
	errno = 0;
	if (spawn("test_no_such_program", (char *[]){ "x", NULL }) != -1 || errno != ENOENT)
		fail("spawn of a missing program: want ENOENT", errno, 0);
	errno = 0;
	if (spawn("", (char *[]){ "", NULL }) != -1 || errno != ENOENT)
		fail("spawn of an empty path: want ENOENT", errno, 0);
	printf("wait_calls: no such child: ECHILD; no such program: ENOENT\n");

	/* WNOHANG: 0 while it runs, then the status; blocking wait after. */
	pid = start(self, "slow", "3");
	if ((got = waitpid(pid, &status, WNOHANG)) != 0)
		fail("WNOHANG on a running child: want 0", got, status);
	if ((got = waitpid(pid, &status, 0)) != pid)
		fail("waitpid after WNOHANG", got, errno);
	expect_exit(status, 3, "the slow child's status");
	errno = 0;
	if (waitpid(pid, &status, WNOHANG) != -1 || errno != ECHILD)
		fail("WNOHANG on a child already reaped: want ECHILD", errno, 0);

	/* WNOHANG polled until a quick child has ended. */
	pid = start(self, "quick", "4");
	for (polls = 0; (got = waitpid(pid, &status, WNOHANG)) == 0; polls++) {
		if (polls > 100000)
			fail("WNOHANG never saw the quick child end", polls, 0);
		k_yield();
	}
	if (got != pid)
		fail("WNOHANG poll returned", got, errno);
	expect_exit(status, 4, "the quick child's status (WNOHANG)");
	printf("wait_calls: WNOHANG: 0 while the child runs, its status once it ends (%d polls)\n",
	       polls);

	/* waitpid(b) while a ends first. */
	a = start(self, "quick", "5");
	b = start(self, "slow", "6");
	if ((got = waitpid(b, &status, 0)) != b)
		fail("waitpid(b) returned another pid", got, b);
	expect_exit(status, 6, "b's status");
	if ((got = waitpid(-1, &status, 0)) != a)
		fail("wait for a after b", got, a);
	expect_exit(status, 5, "a's status");
	printf("wait_calls: waitpid(pid) waits for that child only\n");

	/* waitpid(0): our process group, which every process shares. */
	pid = start(self, "quick", "8");
	if ((got = waitpid(0, &status, 0)) != pid)
		fail("waitpid(0) did not return our child", got, errno);
	expect_exit(status, 8, "the status from waitpid(0)");

	/* wait() on five. */
	for (i = 0; i < 5; i++) {
		char code[4];

		snprintf(code, sizeof(code), "%d", 20 + i);
		kids[i] = start(self, i % 2 ? "slow" : "quick", code);
	}
	for (j = 0; j < 5; j++) {
		if ((got = wait(&status)) <= 0)
			fail("wait() on five children", got, errno);
		for (i = 0; i < 5 && kids[i] != got; i++)
			;
		if (i == 5 || seen[i]++)
			fail("wait() returned a pid not ours, or one twice", got, i);
		expect_exit(status, 20 + i, "a status from wait()");
	}
	errno = 0;
	if (wait(&status) != -1 || errno != ECHILD)
		fail("a sixth wait(): want ECHILD", errno, 0);
	printf("wait_calls: wait() reaped 5 children, each once\n");
	printf("wait_calls: all checks passed\n");
	return 0;
}
