/*
 * init: the first process. The boot names what it runs (the kernel command
 * line): first the servers, each as an option "-s NAME", then the program
 * and its arguments ("demo" if none). Each server - program NAME of the
 * boot image - is started and waited for until it registers the service
 * NAME, so that the program finds it; one that does not come up in
 * SERVER_WAIT_MS is reported and left out. Servers live on; init waits for
 * the program and exits with its status - which ends the machine with that
 * status. Meanwhile it reaps the orphans the VM server gives it (processes
 * whose parent ended first), as a Unix init does: else each would hold a
 * process slot forever.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "proc.h"
#include "service.h"

#define SERVER_WAIT_MS 2000

/* Starts server `name` and waits until its service is registered. */
static void start_server(char *name)
{
	char *argv[] = { name, NULL };
	int slot;

	if (spawn(name, argv) < 0) {
		printf("init: cannot start server %s (errno %d)\n", name, errno);
		return;
	}
	slot = service_lookup(name, SERVER_WAIT_MS);
	if (slot < 0) {
		printf("init: server %s did not register its service (errno %d); going on "
		       "without it\n", name, errno);
		return;
	}
	service_release(slot);	/* init itself does not call it */
}

int main(int argc, char **argv)
{
	char *demo[] = { "demo", NULL };
	char **args = argv + 1;
	int status;
	pid_t pid, reaped;

	(void)argc;
	for (; args[0] != NULL && strcmp(args[0], "-s") == 0 && args[1] != NULL; args += 2)
		start_server(args[1]);
	if (args[0] == NULL)
		args = demo;
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
