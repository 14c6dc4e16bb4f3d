// expect-output: pager_uaccess: ok
/*
 * The VM server's own reads and writes of a process's memory (copyin,
 * copyout) where a pager backs it and has not supplied the page yet. The
 * server cannot wait for a page-in in the middle of a call, so such memory
 * counts as bad memory - but the server must go on: a sigreturn whose
 * context is in such a page kills the process with SIGSEGV, a signal whose
 * handler's frame would go in such a page (the thread runs on a stack in
 * a pager's mapping) kills it with that signal, as a bad stack does.
 * Then the VM server still serves, the page-ins it started complete, and
 * the pager still works. (A server that could wait there would resume the
 * sigreturn and run the handler instead; this test would change with it.)
 */
#define TEST_NAME "pager_uaccess"
#include "pagertest.h"

#define PAGES 64
#define CONTEXT_PAGE 20		/* cluster [16, 32): nobody reads it first */
#define STACK_TOP 48		/* a stack in [32, 48) */

static char *object;

static void handler(int signo, siginfo_t *info, void *uc)
{
	(void)signo, (void)info, (void)uc;
	_exit(2);		/* its frame could not have been written */
}

/* A VM_SIGRETURN, as the trampoline makes, with a context in the pager's page. */
static void __attribute__((noreturn)) sigreturn_from_object(void)
{
	struct ipc_msg m = { .tag = TAG(VM_SIGRETURN, 0),
			     .w = { (uint64_t)(object + CONTEXT_PAGE * PAGE) } };

	ipc_call(VM_SERVER_SLOT, &m);
	_exit(1);		/* a sigreturn does not return */
}

static void raise_term(void)
{
	raise(SIGTERM);
}

/* Calls fn with sp at top: fn runs on another stack. */
static void call_on_stack(void (*fn)(void), char *top)
{
	__asm__ volatile("mv s1, sp\n\t"
			 "mv sp, %1\n\t"
			 "jalr %0\n\t"
			 "mv sp, s1"
			 :
			 : "r"(fn), "r"(top)
			 : "s1", "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a0", "a1", "a2",
			   "a3", "a4", "a5", "a6", "a7", "memory");
}

static void __attribute__((noreturn)) signal_on_object_stack(void)
{
	on_signal(SIGTERM, handler, 0);
	call_on_stack(raise_term, object + STACK_TOP * PAGE);
	_exit(1);
}

static int run(void (*fn)(void), const char *what)
{
	pid_t pid = fork_or_fail();

	if (pid == 0)
		fn();
	return wait_child(pid, what);
}

int main(void)
{
	pagertest_setup(PAGES, false);
	object = pager_start(&pagertest_ops, MAP_SHARED);
	expect_signal(run(sigreturn_from_object, "a sigreturn"), SIGSEGV,
		      "a sigreturn from a context the pager has not supplied");
	expect_outcome(run(signal_on_object_stack, "a signal"), SIGTERM,
		       "a signal frame on a stack the pager has not supplied");
	expect_page(object + CONTEXT_PAGE * PAGE, CONTEXT_PAGE * PAGE, "the context's page");
	expect_page(object + (STACK_TOP - 1) * PAGE, (STACK_TOP - 1) * PAGE, "the stack's page");
	pager_finish(object);
	printf("pager_uaccess: ok\n");
	return 0;
}
