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
#include <unistd.h>
#include "kern.h"
#define TEST_NAME "orphans"
#include "systest.h"

#define ROUNDS 100

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
	return spawn_self(self, "grandchild", how, NULL) > 0 ? 0 : 10 + errno;
}

/* 100 rounds of a child that leaves an orphan behind. */
static int manager(char *self)
{
	int round, status;
	pid_t pid;

	for (round = 0; round < ROUNDS; round++) {
		if ((pid = spawn_self(self, "child", round % 2 ? "slow" : "quick", NULL)) <= 0)
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
	struct vmmeter before, now;
	int tries;

	if (argc > 2 && strcmp(argv[1], "grandchild") == 0)
		return grandchild(argv[2]);
	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return child(argv[0], argv[2]);
	if (argc > 1 && strcmp(argv[1], "manager") == 0)
		return manager(argv[0]);

	/* A manager process does the rounds: our own memory stays as it is. */
	get_meter(&before);
	expect_exit(run_child(argv[0], "manager", NULL), 0, "the manager");

	/* The last grandchildren may still run: give them time to end. */
	for (tries = 0; tries < 100000; tries++) {
		get_meter(&now);
		if (meter_same(&before, &now))
			break;
		k_yield();
	}
	expect_meter_back(&before, &now, "frames or objects not back after the orphans ended");
	printf("orphans: %d children each left an orphan; all reaped, no slot lost\n", ROUNDS);
	printf("orphans: all checks passed\n");
	return 0;
}
