/*
 * init: the first process. It runs the program the boot named (the kernel
 * command line: "prog args..."; "demo" if none), waits for it, and exits
 * with its status - which ends the machine with that status. Meanwhile it
 * reaps the orphans the VM server gives it (processes whose parent ended
 * first), as a Unix init does: else each would hold a process slot forever.
 */
#include <stdio.h>
#include <sys/wait.h>
#include "proc.h"

int main(int argc, char **argv)
{
	char *demo[] = { "demo", NULL };
	char **args = argc > 1 ? argv + 1 : demo;
	int status;
	pid_t pid, reaped;

	pid = spawn(args[0], args);
	if (pid < 0) {
		printf("init: cannot start %s\n", args[0]);
		return 127;
	}
	while ((reaped = waitpid(-1, &status, 0)) != pid) {
		if (reaped < 0) {
			printf("init: waitpid failed\n");
			return 126;
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
