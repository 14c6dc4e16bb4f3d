// expect-output: sig_handlers: handler returns after mprotect: the store is retried and lands
// expect-output: sig_handlers: handler returns after mmap over a hole: the load is retried
// expect-output: sig_handlers: registers survive a handled fault
// expect-output: sig_handlers: siglongjmp out of 1000 handlers: mask restored each time
// expect-output: sig_handlers: sigsetjmp without the mask: SIGSEGV stays blocked; the next fault kills
// expect-output: sig_handlers: a fault inside the SIGSEGV handler kills the process
// expect-output: sig_handlers: SA_NODEFER: a nested fault runs the handler again, both retried
// expect-output: sig_handlers: SA_RESETHAND: the second fault kills
// expect-output: sig_handlers: sa_mask and the signal itself blocked in the handler, restored after
// expect-output: sig_handlers: sigprocmask: block, unblock, setmask; SIGKILL cannot be blocked
// expect-output: sig_handlers: a blocked or ignored SIGSEGV from a fault still kills
// expect-output: sig_handlers: handlers are inherited across fork
// expect-output: sig_handlers: all checks passed
/*
 * Signal handlers: how they are entered, left and nested.
 *
 *   retry        a store to a read-only page: the handler mprotect()s it
 *                writable and returns; the store runs again and lands. A
 *                load from a hole: the handler maps the page; the load runs
 *                again and reads zero. The handler ran once each time.
 *   registers    t0-t6 and a7, set just before a faulting store, hold their
 *                values after the handler has returned
 *   siglongjmp   1000 faults each left by siglongjmp (sigsetjmp(env, 1)):
 *                each time SIGSEGV is unblocked again and the next fault
 *                reaches the handler; with sigsetjmp(env, 0) the mask the
 *                handler ran with stays: SIGSEGV blocked, and a fault kills
 *   nested       a fault inside a SIGSEGV handler (SIGSEGV blocked there)
 *                kills the process with SIGSEGV
 *   SA_NODEFER   the nested fault enters the handler again (depth 2); each
 *                level maps its page and returns; both accesses complete
 *   SA_RESETHAND the first fault is handled, and the action is SIG_DFL after
 *                it: the second fault kills
 *   sa_mask      in a SIGUSR1 handler with SIGUSR2 in sa_mask, both are
 *                blocked (raise(SIGUSR2) there does nothing); after it, the
 *                mask is what it was
 *   sigprocmask  SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, the old mask; a blocked
 *                raise() is not delivered while blocked (at most once at
 *                SIG_UNBLOCK); SIGKILL cannot be blocked or caught; a bad
 *                `how` is EINVAL, and so is a trampoline past user space
 *   no escape    a fault's SIGSEGV that is blocked, or ignored, kills
 *   fork         the child runs the handler its parent installed
 *
 * Kills happen in forked children; the parent checks WTERMSIG.
 */
#include <stdint.h>
#include <sys/ucontext.h>
#define TEST_NAME "sig_handlers"
#include "libuser.h"
#include "systest.h"
#include "vm_proto.h"

#define PAGE 4096
#define HOLE_AT 0x200000000UL
#define HOLE2_AT 0x200010000UL

static volatile int calls, depth, max_depth;
static volatile int last_code;
static void *volatile last_addr;
static volatile sigset_t mask_in_handler;
static sigjmp_buf env;

static sigset_t current_mask(void)
{
	sigset_t m;

	if (sigprocmask(SIG_BLOCK, NULL, &m) != 0)
		fail("sigprocmask query", errno, 0);
	return m;
}

static int blocked(int signo)
{
	sigset_t m = current_mask();

	return sigismember(&m, signo);
}

static void record(siginfo_t *info)
{
	calls++;
	last_code = info->si_code;
	last_addr = info->si_addr;
	mask_in_handler = current_mask();
}

/* ---- retry -------------------------------------------------------------- */

static void make_writable(int signo, siginfo_t *info, void *uc)
{
	(void)signo;
	(void)uc;
	record(info);
	if (mprotect((void *)((uintptr_t)info->si_addr & ~(uintptr_t)(PAGE - 1)), PAGE,
		     PROT_READ | PROT_WRITE) != 0)
		_exit(90);
}

static void map_the_hole(int signo, siginfo_t *info, void *uc)
{
	uintptr_t page = (uintptr_t)info->si_addr & ~(uintptr_t)(PAGE - 1);

	(void)signo;
	(void)uc;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	record(info);
	if (mmap((void *)page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON | MAP_FIXED,
		 -1, 0) != (void *)page)
		_exit(91);
	depth--;
}

static void retry(void)
{
	volatile int *p = map_anon(PAGE, MAP_PRIVATE);
	volatile int v;

	p[3] = 5;
	if (mprotect((void *)p, PAGE, PROT_READ) != 0)
		fail("mprotect", errno, 0);
	on_signal(SIGSEGV, make_writable, 0);
	calls = 0;
	p[3] = 77;	/* faults once; the handler makes it writable; retried */
	if (calls != 1 || p[3] != 77 || last_code != SEGV_ACCERR || last_addr != (void *)&p[3])
		failf("retry after mprotect: %d calls, value %d, code %d, si_addr %p (want %p)",
		      calls, p[3], last_code, last_addr, (void *)&p[3]);
	if (!sigismember((sigset_t *)&mask_in_handler, SIGSEGV))
		fail("SIGSEGV was not blocked in its handler", 0, 0);
	if (blocked(SIGSEGV))
		fail("SIGSEGV still blocked after the handler returned", 0, 0);
	printf("sig_handlers: handler returns after mprotect: the store is retried and lands\n");

	on_signal(SIGSEGV, map_the_hole, 0);
	calls = 0;
	v = *(volatile int *)(HOLE_AT + 40);
	if (calls != 1 || v != 0 || last_code != SEGV_MAPERR || last_addr != (void *)(HOLE_AT + 40))
		failf("retry after mmap: %d calls, value %d, code %d, si_addr %p", calls, v,
		      last_code, last_addr);
	*(volatile int *)(HOLE_AT + 40) = 3;	/* mapped now: no fault */
	if (calls != 1)
		fail("a fault after the handler mapped the page", calls, 1);
	munmap((void *)HOLE_AT, PAGE);
	default_signal(SIGSEGV);
	printf("sig_handlers: handler returns after mmap over a hole: the load is retried\n");
}

/* ---- registers ---------------------------------------------------------- */

static void __attribute__((noinline)) store_with_registers(volatile int *addr, uint64_t out[8])
{
	__asm__ volatile("li t0, 0x1111\n li t1, 0x2222\n li t2, 0x3333\n li t3, 0x4444\n"
			 "li t4, 0x5555\n li t5, 0x6666\n li t6, 0x7777\n li a7, 0x8888\n"
			 "sw t1, 0(%0)\n"
			 "sd t0, 0(%1)\n sd t1, 8(%1)\n sd t2, 16(%1)\n sd t3, 24(%1)\n"
			 "sd t4, 32(%1)\n sd t5, 40(%1)\n sd t6, 48(%1)\n sd a7, 56(%1)\n"
			 : : "r"(addr), "r"(out)
			 : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a7", "memory");
}

static void registers(void)
{
	volatile int *p = map_anon(PAGE, MAP_PRIVATE);
	uint64_t out[8];
	int i;

	p[0] = 1;
	if (mprotect((void *)p, PAGE, PROT_READ) != 0)
		fail("mprotect", errno, 0);
	on_signal(SIGSEGV, make_writable, 0);
	calls = 0;
	store_with_registers(p, out);
	default_signal(SIGSEGV);
	if (calls != 1 || p[0] != 0x2222)
		fail("the faulting store (calls, value)", calls, p[0]);
	for (i = 0; i < 8; i++)
		if (out[i] != 0x1111UL * (uint64_t)(i + 1))
			fail("a register changed across the handler (index, value)", i, (long)out[i]);
	printf("sig_handlers: registers survive a handled fault\n");
}

/* ---- siglongjmp ----------------------------------------------------------- */

static void jump_out(int signo, siginfo_t *info, void *uc)
{
	(void)signo;
	(void)uc;
	record(info);
	siglongjmp(env, 1);
}

static void longjmps(void)
{
	volatile int i, jumped = 0;
	pid_t pid;

	on_signal(SIGSEGV, jump_out, 0);
	calls = 0;
	for (i = 0; i < 1000; i++) {
		if (sigsetjmp(env, 1) == 0)
			*(volatile int *)(HOLE_AT + (uintptr_t)i * 8) = i;
		else
			jumped++;
		if (blocked(SIGSEGV))
			fail("SIGSEGV blocked after siglongjmp with a saved mask", i, 0);
	}
	if (calls != 1000 || jumped != 1000 || last_addr != (void *)(HOLE_AT + 999 * 8))
		fail("1000 faults left by siglongjmp (calls, jumps)", calls, jumped);
	printf("sig_handlers: siglongjmp out of 1000 handlers: mask restored each time\n");

	/* Without the mask saved: SIGSEGV stays blocked, and the next fault kills. */
	if ((pid = fork_or_fail()) == 0) {
		if (sigsetjmp(env, 0) == 0)
			*(volatile int *)HOLE_AT = 1;
		if (!blocked(SIGSEGV))
			_exit(2);
		*(volatile int *)HOLE_AT = 2;	/* blocked: kills */
		_exit(3);
	}
	expect_signal(wait_child(pid, "the sigsetjmp(env, 0) child"), SIGSEGV,
		      "the sigsetjmp(env, 0) child");
	default_signal(SIGSEGV);
	printf("sig_handlers: sigsetjmp without the mask: SIGSEGV stays blocked; the next fault "
	       "kills\n");
}

/* ---- nested faults ---------------------------------------------------------- */

struct report {
	volatile int entered, depth_max, done;
};

static struct report *rep;

static void fault_again(int signo, siginfo_t *info, void *uc)
{
	(void)signo;
	(void)info;
	(void)uc;
	rep->entered++;
	*(volatile int *)HOLE2_AT = 1;	/* SIGSEGV is blocked here: this kills */
	rep->done = 1;
}

static void nodefer_handler(int signo, siginfo_t *info, void *uc)
{
	uintptr_t page = (uintptr_t)info->si_addr & ~(uintptr_t)(PAGE - 1);
	volatile int v;

	(void)signo;
	(void)uc;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	calls++;
	if (depth == 1) {
		if (blocked(SIGSEGV))
			_exit(92);	/* SA_NODEFER: not blocked */
		v = *(volatile int *)(HOLE2_AT + 4);	/* nested fault: depth 2 */
		if (v != 0)
			_exit(93);
	}
	if (mmap((void *)page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON | MAP_FIXED,
		 -1, 0) != (void *)page)
		_exit(94);
	depth--;
}

static void nested(void)
{
	pid_t pid;

	rep = map_anon(PAGE, MAP_SHARED);
	if ((pid = fork_or_fail()) == 0) {
		on_signal(SIGSEGV, fault_again, 0);
		*(volatile int *)HOLE_AT = 1;
		_exit(4);
	}
	expect_signal(wait_child(pid, "the nested-fault child"), SIGSEGV, "the nested-fault child");
	if (rep->entered != 1 || rep->done != 0)
		fail("the nested-fault child's handler (entered, finished)", rep->entered, rep->done);
	printf("sig_handlers: a fault inside the SIGSEGV handler kills the process\n");

	on_signal(SIGSEGV, nodefer_handler, SA_NODEFER);
	calls = depth = max_depth = 0;
	*(volatile int *)(HOLE_AT + 8) = 5;
	default_signal(SIGSEGV);
	if (calls != 2 || max_depth != 2 || depth != 0 || *(volatile int *)(HOLE_AT + 8) != 5 ||
	    *(volatile int *)(HOLE2_AT + 4) != 0)
		failf("SA_NODEFER: %d calls, depth %d (max %d)", calls, depth, max_depth);
	munmap((void *)HOLE_AT, PAGE);
	munmap((void *)HOLE2_AT, PAGE);
	printf("sig_handlers: SA_NODEFER: a nested fault runs the handler again, both retried\n");
}

/* ---- SA_RESETHAND ----------------------------------------------------------- */

static void resethand(void)
{
	struct sigaction old;
	pid_t pid;

	if ((pid = fork_or_fail()) == 0) {
		on_signal(SIGSEGV, jump_out, SA_RESETHAND);
		calls = 0;
		if (sigsetjmp(env, 1) == 0)
			*(volatile int *)HOLE_AT = 1;
		if (calls != 1)
			_exit(5);
		if (sigaction(SIGSEGV, NULL, &old) != 0 || old.sa_handler != SIG_DFL)
			_exit(6);
		*(volatile int *)HOLE_AT = 2;	/* the default action now */
		_exit(7);
	}
	expect_signal(wait_child(pid, "the SA_RESETHAND child"), SIGSEGV, "the SA_RESETHAND child");
	printf("sig_handlers: SA_RESETHAND: the second fault kills\n");
}

/* ---- masks -------------------------------------------------------------------- */

static volatile int usr2_calls, usr2_calls_in_handler;

static void usr1_handler(int signo, siginfo_t *info, void *uc)
{
	(void)signo;
	(void)uc;
	record(info);
	raise(SIGUSR2);		/* blocked by sa_mask: nothing happens here */
	usr2_calls_in_handler = usr2_calls;
}

static void usr2_handler(int signo)
{
	(void)signo;
	usr2_calls++;
}

static void masks(void)
{
	struct sigaction sa, old;
	sigset_t set, prev, now;
	struct ipc_msg m;
	int error;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = usr1_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		fail("sigaction SIGUSR1", errno, 0);
	if (signal(SIGUSR2, usr2_handler) == SIG_ERR)
		fail("signal SIGUSR2", errno, 0);
	if (sigaction(SIGUSR1, NULL, &old) != 0 || old.sa_sigaction != usr1_handler ||
	    !(old.sa_flags & SA_SIGINFO) || !sigismember(&old.sa_mask, SIGUSR2))
		fail("sigaction does not report the action", old.sa_flags, 0);
	calls = usr2_calls = 0;
	prev = current_mask();
	if (raise(SIGUSR1) != 0)
		fail("raise", errno, 0);
	if (calls != 1 || last_code != SI_USER)
		fail("the SIGUSR1 handler (calls, code)", calls, last_code);
	if (!sigismember((sigset_t *)&mask_in_handler, SIGUSR1) ||
	    !sigismember((sigset_t *)&mask_in_handler, SIGUSR2))
		fail("SIGUSR1 and SIGUSR2 not blocked in the handler", (long)mask_in_handler, 0);
	if (usr2_calls_in_handler != 0)
		fail("raise(SIGUSR2) ran its handler while blocked", usr2_calls_in_handler, 0);
	if (current_mask() != prev)
		fail("the mask after the handler", (long)current_mask(), (long)prev);
	if (usr2_calls > 1)	/* dropped, or delivered once the mask was restored */
		fail("the blocked SIGUSR2 ran more than once", usr2_calls, 1);
	usr2_calls = 0;
	if (raise(SIGUSR2) != 0 || usr2_calls != 1)
		fail("raise(SIGUSR2) after the handler", usr2_calls, 1);
	printf("sig_handlers: sa_mask and the signal itself blocked in the handler, restored "
	       "after\n");

	/* sigprocmask */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, &prev) != 0 || sigismember(&prev, SIGUSR1))
		fail("sigprocmask SIG_BLOCK", errno, 0);
	calls = 0;
	if (raise(SIGUSR1) != 0 || calls != 0)
		fail("raise of a blocked SIGUSR1 ran the handler", calls, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, &prev) != 0 || !sigismember(&prev, SIGUSR1))
		fail("sigprocmask: the old mask", (long)prev, 0);
	now = current_mask();
	if (!sigismember(&now, SIGUSR1) || !sigismember(&now, SIGUSR2))
		fail("sigprocmask: both blocked", (long)now, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) != 0 || blocked(SIGUSR1) || !blocked(SIGUSR2))
		fail("sigprocmask SIG_UNBLOCK", (long)current_mask(), 0);
	/*
	 * The raise() while blocked was dropped here (this system keeps no
	 * pending signals) or, as POSIX has it, delivered on SIG_UNBLOCK: 0 or 1.
	 */
	if (calls > 1)
		fail("the blocked SIGUSR1 ran its handler more than once", calls, 1);
	calls = 0;
	if (raise(SIGUSR1) != 0 || calls != 1)
		fail("raise(SIGUSR1) once unblocked", calls, 1);
	sigemptyset(&set);
	if (sigprocmask(SIG_SETMASK, &set, NULL) != 0 || current_mask() != 0)
		fail("sigprocmask SIG_SETMASK", (long)current_mask(), 0);
	sigfillset(&set);
	if (sigprocmask(SIG_SETMASK, &set, NULL) != 0 || blocked(SIGKILL) || blocked(SIGSTOP) ||
	    !blocked(SIGSEGV))
		fail("sigprocmask: SIGKILL and SIGSTOP cannot be blocked", (long)current_mask(), 0);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	errno = 0;
	if (sigprocmask(99, &set, NULL) != -1 || errno != EINVAL)
		fail("sigprocmask with how 99: want EINVAL", errno, EINVAL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = usr2_handler;
	errno = 0;
	if (sigaction(SIGKILL, &sa, NULL) != -1 || errno != EINVAL)
		fail("sigaction(SIGKILL) with a handler: want EINVAL", errno, EINVAL);
	errno = 0;
	if (sigaction(0, &sa, NULL) != -1 || errno != EINVAL)
		fail("sigaction(0): want EINVAL", errno, EINVAL);
	/* The trampoline lib names must be a user address: a handler is entered there. */
	m = (struct ipc_msg){ .tag = TAG(VM_SIGACTION, 0),
			      .w = { SIGUSR1, (uint64_t)(uintptr_t)usr2_handler, 0, USER_SPACE_END } };
	if ((error = vm_call(&m)) != EINVAL)
		fail("sigaction with a trampoline past user space: want EINVAL", error, EINVAL);
	default_signal(SIGUSR1);
	default_signal(SIGUSR2);
	printf("sig_handlers: sigprocmask: block, unblock, setmask; SIGKILL cannot be blocked\n");
}

/* ---- no escape from a fault --------------------------------------------------- */

static void no_escape(void)
{
	sigset_t set;
	pid_t pid;

	if ((pid = fork_or_fail()) == 0) {
		on_signal(SIGSEGV, jump_out, 0);
		sigemptyset(&set);
		sigaddset(&set, SIGSEGV);
		sigprocmask(SIG_BLOCK, &set, NULL);
		*(volatile int *)HOLE_AT = 1;
		_exit(8);
	}
	expect_signal(wait_child(pid, "the blocked-SIGSEGV child"), SIGSEGV,
		      "the blocked-SIGSEGV child");
	if ((pid = fork_or_fail()) == 0) {
		signal(SIGSEGV, SIG_IGN);
		if (raise(SIGSEGV) != 0)	/* ignored: raise returns */
			_exit(9);
		*(volatile int *)HOLE_AT = 1;	/* a fault cannot be ignored */
		_exit(10);
	}
	expect_signal(wait_child(pid, "the ignored-SIGSEGV child"), SIGSEGV,
		      "the ignored-SIGSEGV child");
	printf("sig_handlers: a blocked or ignored SIGSEGV from a fault still kills\n");
}

/* ---- fork ------------------------------------------------------------------------ */

static void exit_from_handler(int signo, siginfo_t *info, void *uc)
{
	(void)uc;
	_exit(signo == SIGSEGV && info->si_addr == (void *)HOLE_AT ? 42 : 43);
}

static void inherited(void)
{
	pid_t pid;

	on_signal(SIGSEGV, exit_from_handler, 0);
	if ((pid = fork_or_fail()) == 0) {
		*(volatile int *)HOLE_AT = 1;
		_exit(11);
	}
	expect_exit(wait_child(pid, "the child with the inherited handler"), 42,
		    "the child with the inherited handler");
	default_signal(SIGSEGV);
	printf("sig_handlers: handlers are inherited across fork\n");
}

int main(void)
{
	retry();
	registers();
	longjmps();
	nested();
	resethand();
	masks();
	no_escape();
	inherited();
	printf("sig_handlers: all checks passed\n");
	return 0;
}
