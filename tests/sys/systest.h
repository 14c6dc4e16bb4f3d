/*
 * The scaffolding the system tests share: FAIL lines, running this program
 * again as a child, checking how a child ended, and reading the VM counters.
 * A test defines TEST_NAME before it includes this file:
 *
 *	#define TEST_NAME "munmap_hole"
 *	#include "systest.h"
 *
 * and its failures print "munmap_hole: FAIL: ..." and exit 1. FAIL_NUMBERS,
 * if defined first, is the format of the two numbers fail() prints.
 * Everything here is static inline: a test pays only for what it calls.
 */
#ifndef TESTS_SYS_SYSTEST_H
#define TESTS_SYS_SYSTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/vmmeter.h>
#include <sys/wait.h>
#include "proc.h"

#ifndef TEST_NAME
#error "define TEST_NAME (the test's name in its FAIL lines) before including systest.h"
#endif
#ifndef FAIL_NUMBERS
#define FAIL_NUMBERS "(%ld, %ld)"
#endif

#define SYSTEST_MAX_ARGS 8	/* arguments after the program's name, at most */

/* Prints "TEST_NAME: FAIL: " and the formatted rest of the line; exits 1. */
static inline void __attribute__((noreturn, format(printf, 1, 2))) failf(const char *fmt, ...)
{
	va_list ap;

	printf(TEST_NAME ": FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

/* A failed check: what, and two numbers that say more; exits 1. */
static inline void __attribute__((noreturn)) fail(const char *what, long a, long b)
{
	failf("%s " FAIL_NUMBERS, what, a, b);
}

/* Spawns this program (self: argv[0]) again with ap's arguments up to NULL. */
static inline pid_t spawn_self_v(char *self, va_list ap)
{
	char *args[SYSTEST_MAX_ARGS + 2];
	int n = 0;

	args[n++] = self;
	while ((args[n] = va_arg(ap, char *)) != NULL)
		if (++n > SYSTEST_MAX_ARGS)
			failf("spawn_self: more than %d arguments", SYSTEST_MAX_ARGS);
	return spawn(self, args);
}

/*
 * Spawns this program again: argv is self and then the arguments, up to a
 * NULL. Returns spawn's answer (the pid, or -1 with errno set).
 */
static inline pid_t __attribute__((sentinel)) spawn_self(char *self, ...)
{
	va_list ap;
	pid_t pid;

	va_start(ap, self);
	pid = spawn_self_v(self, ap);
	va_end(ap);
	return pid;
}

/*
 * Runs this program again as a child - argv self, then the arguments up to
 * a NULL, e.g. run_child(self, "child", how, NULL) - waits for it and
 * returns its wait status. Fails if it cannot spawn or wait.
 */
static inline int __attribute__((sentinel)) run_child(char *self, ...)
{
	va_list ap;
	const char *first;
	int status;
	pid_t pid;

	va_start(ap, self);
	first = va_arg(ap, const char *);
	va_end(ap);
	va_start(ap, self);
	pid = spawn_self_v(self, ap);
	va_end(ap);
	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		failf("spawn or waitpid of %s %s (%ld, %d)", self, first ? first : "", (long)pid,
		      errno);
	return status;
}

/* The child (what) must have exited, with status code. */
static inline void expect_exit(int status, int code, const char *what)
{
	if (!WIFEXITED(status) || WIFSIGNALED(status) || WEXITSTATUS(status) != code)
		failf("%s: status %#x, want exit %d", what, status, code);
}

/* The child (what) must have been killed by signal signo, not have exited. */
static inline void expect_signal(int status, int signo, const char *what)
{
	if (WIFEXITED(status) || !WIFSIGNALED(status) || WTERMSIG(status) != signo)
		failf("%s: status %#x, want signal %d", what, status, signo);
}

/* signo 0: the child (what) must have exited 0; else died of signo. */
static inline void expect_outcome(int status, int signo, const char *what)
{
	if (signo != 0)
		expect_signal(status, signo, what);
	else
		expect_exit(status, 0, what);
}

/* Reads the VM counters into v; fails if it cannot. */
static inline void get_meter(struct vmmeter *v)
{
	if (getvmmeter(v) != 0)
		fail("getvmmeter", errno, 0);
}

/* Whether a and b count the same free frames and the same objects. */
static inline int meter_same(const struct vmmeter *a, const struct vmmeter *b)
{
	return a->v_free_count == b->v_free_count && a->v_objects == b->v_objects;
}

/* Frames and objects must be back (after as before); else fails with the differences. */
static inline void expect_meter_back(const struct vmmeter *before, const struct vmmeter *after,
				     const char *what)
{
	if (!meter_same(before, after))
		fail(what, (long)after->v_free_count - (long)before->v_free_count,
		     (long)after->v_objects - (long)before->v_objects);
}

/* The minor faults (ru_minflt) this process has taken so far. */
static inline long minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		fail("getrusage", errno, 0);
	return ru.ru_minflt;
}

#endif
