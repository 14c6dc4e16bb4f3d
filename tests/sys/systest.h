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
 * Tests of fork and signals also find here: fork_or_fail, wait_child,
 * map_anon, wait_until (a flag in a MAP_SHARED page another process sets),
 * wait_orphaned, expect_change, expect_meter_settles, on_signal and
 * default_signal, and try_access/expect_access (one access that may fault:
 * which signal, si_code and si_addr it raised).
 */
#ifndef TESTS_SYS_SYSTEST_H
#define TESTS_SYS_SYSTEST_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/vmmeter.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kern.h"
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

/*
 * ---- fork, shared memory, waiting, signals (issue 3's tests) ----
 */

#define SYSTEST_SPINS 5000000L	/* yields wait_until allows before it gives up */

/* fork(), or fail. */
static inline pid_t fork_or_fail(void)
{
	pid_t pid = fork();

	if (pid < 0)
		fail("fork", errno, 0);
	return pid;
}

/* Waits for the child pid (what: its name in a FAIL line); returns its wait status. */
static inline int wait_child(pid_t pid, const char *what)
{
	int status = 0;
	pid_t got = waitpid(pid, &status, 0);

	if (got != pid)
		failf("waitpid for %s (pid %ld): got %ld, errno %d", what, (long)pid, (long)got,
		      errno);
	return status;
}

/* An anonymous mapping of len bytes; flags MAP_SHARED or MAP_PRIVATE (plus others). */
static inline void *map_anon(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANON, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap", errno, (long)len);
	return p;
}

/* Spins for ms milliseconds of the time CSR (QEMU virt: 10 MHz), yielding. */
static inline void spin_ms(unsigned ms)
{
	uint64_t end = rdtime() + (uint64_t)ms * 10000;

	while (rdtime() < end)
		k_yield();
}

/*
 * Spins, yielding the CPU, until *word == value (another process - a parent
 * or child sharing the page - sets it). Fails after a long while.
 */
static inline void wait_until(volatile int *word, int value, const char *what)
{
	long spins;

	for (spins = 0; *word != value; spins++) {
		if (spins == SYSTEST_SPINS)
			failf("pid %ld gave up waiting for %s (%d, want %d)", (long)getpid(), what,
			      *word, value);
		k_yield();
	}
}

/* Spins, yielding, until this process's parent has exited (init, pid 1, adopts it). */
static inline void wait_orphaned(void)
{
	long spins;

	for (spins = 0; getppid() != 1; spins++) {
		if (spins == SYSTEST_SPINS)
			failf("pid %ld gave up waiting for its parent %ld to exit", (long)getpid(),
			      (long)getppid());
		k_yield();
	}
}

/* Fails unless b - a is in [lo, hi]; prints the three numbers first. */
static inline void expect_change(const char *what, long a, long b, long lo, long hi)
{
	if (b - a < lo || b - a > hi)
		failf("%s went from %ld to %ld: by %ld, want %ld..%ld", what, a, b, b - a, lo, hi);
}

/*
 * Reads the counters until frames and objects are back to *before (other
 * processes - orphans, a parent that exits - may still be ending); fails
 * with the differences if they never come back.
 */
static inline void expect_meter_settles(const struct vmmeter *before, const char *what)
{
	struct vmmeter now;
	long tries;

	for (tries = 0; tries < 200000; tries++) {
		get_meter(&now);
		if (meter_same(before, &now))
			return;
		k_yield();
	}
	expect_meter_back(before, &now, what);
}

/* Installs fn for signo with SA_SIGINFO | flags and an empty sa_mask; fails if refused. */
static inline void on_signal(int signo, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	if (sigaction(signo, &sa, NULL) != 0)
		fail("sigaction", signo, errno);
}

/* Puts signo back to its default action. */
static inline void default_signal(int signo)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	if (sigaction(signo, &sa, NULL) != 0)
		fail("sigaction SIG_DFL", signo, errno);
}

/*
 * One access that may fault. A SIGSEGV or SIGBUS it raises is caught
 * (the handler leaves with siglongjmp) and described; the actions the two
 * signals had are put back afterwards.
 */
struct access_result {
	int signo;	/* 0: the access worked */
	int code;	/* si_code */
	void *addr;	/* si_addr */
};

struct systest_probe {
	sigjmp_buf env;
	volatile int signo, code;
	void *volatile addr;
};

static inline struct systest_probe *systest_probe_state(void)
{
	static struct systest_probe state;

	return &state;
}

static inline void systest_probe_handler(int signo, siginfo_t *info, void *uc)
{
	struct systest_probe *s = systest_probe_state();

	(void)uc;
	s->signo = signo;
	s->code = info->si_code;
	s->addr = info->si_addr;
	siglongjmp(s->env, 1);
}

/* Reads the byte at addr (write 0), or stores value there (write 1). */
static inline struct access_result try_access(volatile char *addr, int write, char value)
{
	struct systest_probe *s = systest_probe_state();
	struct sigaction sa, old_segv, old_bus;
	struct access_result r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = systest_probe_handler;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSEGV, &sa, &old_segv) != 0 || sigaction(SIGBUS, &sa, &old_bus) != 0)
		fail("probe: sigaction", errno, 0);
	s->signo = 0;
	if (sigsetjmp(s->env, 1) == 0) {
		if (write)
			*addr = value;
		else
			(void)*addr;
	}
	r.signo = s->signo;
	r.code = s->code;
	r.addr = s->addr;
	if (sigaction(SIGSEGV, &old_segv, NULL) != 0 || sigaction(SIGBUS, &old_bus, NULL) != 0)
		fail("probe: sigaction", errno, 1);
	return r;
}

/*
 * The access (write or read of addr) must end in signo with si_code code
 * and si_addr addr - or, with signo 0, work. what names it in the FAIL line.
 */
static inline void expect_access(volatile char *addr, int write, int signo, int code,
				const char *what)
{
	struct access_result r = try_access(addr, write, 'w');

	if (r.signo != signo || (signo != 0 && (r.code != code || r.addr != (void *)addr)))
		failf("%s: %s of %p: signal %d code %d si_addr %p, want signal %d code %d", what,
		      write ? "write" : "read", (void *)addr, r.signo, r.code, r.addr, signo,
		      code);
}

/* This process's resource usage so far; fails if it cannot be had. */
static inline struct rusage rusage_self(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		fail("getrusage", errno, 0);
	return ru;
}

/* The minor faults (ru_minflt) this process has taken so far. */
static inline long minflt(void)
{
	return rusage_self().ru_minflt;
}

/* The major faults (ru_majflt): those that started a pager's page-in. */
static inline long majflt(void)
{
	return rusage_self().ru_majflt;
}

#endif
