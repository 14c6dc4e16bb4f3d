// args: alpha "beta" 3
// expect-output: proc_args: init passed 4 arguments: test_proc_args alpha "beta" 3
// expect-output: proc_args: child saw its argv, its pid and its parent's pid
// expect-output: proc_args: all checks passed
/*
 * Arguments and identities. init passes the boot's arguments through (the
 * `args:` line above, quotes and all, split at spaces). A child spawned
 * with an argv - including an empty string, a long string and many
 * arguments - sees exactly that argv, NULL-terminated; its getpid() is the
 * pid spawn() returned (the child exits with a checksum of it) and its
 * getppid() the parent's getpid(). Too many arguments, or arguments too
 * long for one page, fail with E2BIG and start nothing.
 */
#include <unistd.h>
#define TEST_NAME "proc_args"
#include "systest.h"

#define LONG_ARG 1000

static char long_arg[LONG_ARG + 1];

static void make_long_arg(void)
{
	int i;

	for (i = 0; i < LONG_ARG; i++)
		long_arg[i] = (char)('a' + i % 26);
	long_arg[LONG_ARG] = '\0';
}

/* The child: argv[2] is the parent's pid; then "", the long one, "x" * 20. */
static int child(int argc, char **argv)
{
	int i;

	make_long_arg();
	if (argc != 24 || argv[argc] != NULL)
		return 10;
	if (strcmp(argv[0], "test_proc_args") != 0 || strcmp(argv[1], "child") != 0)
		return 11;
	if (atoi(argv[2]) != getppid())
		return 12;
	if (strcmp(argv[3], "") != 0 || strcmp(argv[4], long_arg) != 0)
		return 13;
	for (i = 5; i < 24; i++)
		if (strlen(argv[i]) != 1 || argv[i][0] != 'A' + i)
			return 14;
	if (getpid() <= 1 || getpid() == getppid())
		return 15;
	return 100 + getpid() % 100;
}

int main(int argc, char **argv)
{
	char *args[40], pid_text[16], letters[24][2], *big[7];
	int i, status;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child(argc, argv);

	/* What init passed. */
	printf("proc_args: init passed %d arguments:", argc);
	for (i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	if (argc != 4 || strcmp(argv[1], "alpha") != 0 || strcmp(argv[2], "\"beta\"") != 0 ||
	    strcmp(argv[3], "3") != 0 || argv[4] != NULL)
		fail("the arguments init passed", argc, 0);
	if (getpid() <= 1)
		fail("our pid: init is 1, we come after", getpid(), 0);
	if (getppid() != 1)
		fail("our parent is init, pid 1", getppid(), 0);

	/* A child with an argv of 24. */
	make_long_arg();
	snprintf(pid_text, sizeof(pid_text), "%d", (int)getpid());
	args[0] = argv[0];
	args[1] = "child";
	args[2] = pid_text;
	args[3] = "";
	args[4] = long_arg;
	for (i = 5; i < 24; i++) {
		letters[i][0] = (char)('A' + i);
		letters[i][1] = '\0';
		args[i] = letters[i];
	}
	args[24] = NULL;
	if ((pid = spawn(argv[0], args)) <= 0)
		fail("spawn", pid, errno);
	if (pid == getpid())
		fail("the child has our pid", pid, 0);
	if (waitpid(pid, &status, 0) != pid)
		fail("waitpid", errno, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 100 + pid % 100)
		fail("the child's check (10..15: which one failed; else its pid)",
		     WEXITSTATUS(status), 100 + pid % 100);
	printf("proc_args: child saw its argv, its pid and its parent's pid\n");

	/* Too many arguments: E2BIG. */
	for (i = 0; i < 39; i++)
		args[i] = "many";
	args[39] = NULL;
	errno = 0;
	if (spawn(argv[0], args) != -1 || errno != E2BIG)
		fail("spawn with 39 arguments: want E2BIG", errno, 0);

	/* More than a page of argument text, in few arguments: E2BIG. */
	big[0] = argv[0];
	for (i = 1; i <= 5; i++)
		big[i] = long_arg;
	big[i] = NULL;
	errno = 0;
	if (spawn(argv[0], big) != -1 || errno != E2BIG)
		fail("spawn with more than a page of arguments: want E2BIG", errno, 0);
	errno = 0;
	if (waitpid(-1, &status, 0) != -1 || errno != ECHILD)
		fail("a failed spawn left a child behind", errno, 0);
	printf("proc_args: all checks passed\n");
	return 0;
}
