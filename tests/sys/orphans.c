// expect-output: orphans: 100 children each left an orphan; all reaped, no slot lost
// expect-output: orphans: all checks passed
/*
 * A process whose parent ends first is an orphan: it goes to init, which
 * must reap it when it ends - else its zombie holds one of the VM server's
 * 64 process slots forever. 100 children each spawn a grandchild and exit
 * without waiting for it (half the grandchildren end at once, half after
 * some work, so both the zombie handed over and the running orphan that
 * ends later are covered). If orphans were not reaped, spawning would fail
 * long before the 100th round. The grandchildren are not ours: waitpid
 * never returns them. Once they have all ended, every frame is back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vmmeter.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kern.h"
#include "proc.h"

#define ROUNDS 100

static void fail(const char *what, long a, long b)
{
	printf("orphans: FAIL: %s (%ld, %ld)\n", what, a, b);
	exit(1);
}

static int grandchild(const char *how)
{
	volatile unsigned long i, sum = 0;

	if (strcmp(how, "slow") == 0)
		for (i = 0; i < 300000; i++)
			sum += i;
	return (int)(sum & 0);
}

/* Spawns a grandchild and leaves it. */
static int child(char *self, char *how)
{
	char *args[] = { self, "grandchild", how, NULL };

	return spawn(self, args) > 0 ? 0 : 10 + errno;
}

/* 100 rounds of a child that leaves an orphan behind. */
static int manager(char *self)
{
	int round, status;
	pid_t pid;

	for (round = 0; round < ROUNDS; round++) {
		char *args[] = { self, "child", round % 2 ? "slow" : "quick", NULL };

		if ((pid = spawn(self, args)) <= 0)
			fail("spawn failed: process slots leaked? (round, errno)", round, errno);
		if (waitpid(pid, &status, 0) != pid)
			fail("waitpid", round, errno);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail("the child could not spawn: process slots leaked? (round, status)",
			     round, status);
	}
	errno = 0;
	if (waitpid(-1, &status, WNOHANG) != -1 || errno != ECHILD)
		fail("waitpid returned a grandchild, or a child twice", errno, 0);
	return 0;
}

int main(int argc, char **argv)
{
	char *args[] = { argv[0], "manager", NULL };
	struct vmmeter before, now;
	int status, tries;
	pid_t pid;

	if (argc > 2 && strcmp(argv[1], "grandchild") == 0)
		return grandchild(argv[2]);
	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return child(argv[0], argv[2]);
	if (argc > 1 && strcmp(argv[1], "manager") == 0)
		return manager(argv[0]);

	/* A manager process does the rounds: our own memory stays as it is. */
	getvmmeter(&before);
	if ((pid = spawn(argv[0], args)) <= 0 || waitpid(pid, &status, 0) != pid)
		fail("spawn or waitpid of the manager", pid, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail("the manager failed", status, 0);

	/* The last grandchildren may still run: give them time to end. */
	for (tries = 0; tries < 100000; tries++) {
		getvmmeter(&now);
		if (now.v_free_count == before.v_free_count && now.v_objects == before.v_objects)
			break;
		k_yield();
	}
	if (now.v_free_count != before.v_free_count || now.v_objects != before.v_objects)
		fail("frames or objects not back after the orphans ended",
		     (long)now.v_free_count - (long)before.v_free_count,
		     (long)now.v_objects - (long)before.v_objects);
	printf("orphans: %d children each left an orphan; all reaped, no slot lost\n", ROUNDS);
	printf("orphans: all checks passed\n");
	return 0;
}
