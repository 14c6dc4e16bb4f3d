// expect-output: sig_fuzz: every delivery and every mask as the model said
/*
 * Signals at random, against a model of the process's signal state: the
 * blocked mask, and for SIGUSR1 and SIGUSR2 an action (a handler, SIG_IGN)
 * with random sa_mask and SA_NODEFER / SA_RESETHAND. Each step changes the
 * mask (any `how`), changes an action, raises a signal, or faults on a
 * PROT_NONE page (SIGSEGV, whose handler is always there and never
 * blocked). A handler checks the mask it runs with, may raise the other
 * signal (a nested handler, checked the same way), and leaves by returning
 * or by siglongjmp. After each step: how many times each handler ran, and
 * the mask - put back by sigreturn or by siglongjmp.
 *
 * As this system does (signal.c), a raise() that is blocked or ignored is
 * dropped, not kept pending: nothing but the thread itself sends signals.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "sig_fuzz"
#include "systest.h"
#include "../rng.h"

#define STEPS 3000
#define PAGE 4096
#define BIT(sig) (1UL << ((sig) - 1))
#define MASKABLE (BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGCHLD) | BIT(SIGURG))

enum kind { DEFAULT, IGNORED, HANDLED };

struct act {
	enum kind kind;
	int flags;		/* SA_NODEFER, SA_RESETHAND */
	sigset_t mask;
};

static sigset_t model_mask;
static struct act model[32];
static volatile int calls[32], wrong;
static volatile sigset_t expect_in_handler;
static volatile int leave_by_jump, nest;
static sigjmp_buf env;
static volatile char *guard;	/* PROT_NONE until the SIGSEGV handler opens it */

static sigset_t current_mask(void)
{
	sigset_t m = 0;

	sigprocmask(SIG_BLOCK, NULL, &m);
	return m;
}

/* The mask a handler of sig runs with, from `mask`. */
static sigset_t handler_mask(sigset_t mask, int sig)
{
	return mask | model[sig].mask | (model[sig].flags & SA_NODEFER ? 0 : BIT(sig));
}

/* Would raise(sig) now run its handler? (DEFAULT would end us: never raised.) */
static bool delivers(sigset_t mask, int sig)
{
	return model[sig].kind == HANDLED && !(mask & BIT(sig));
}

static void after_delivery(int sig)
{
	if (model[sig].flags & SA_RESETHAND)
		model[sig].kind = DEFAULT;
}

static void handler(int sig, siginfo_t *info, void *uc)
{
	int other = sig == SIGUSR1 ? SIGUSR2 : SIGUSR1;
	sigset_t mine = expect_in_handler;

	(void)uc;
	calls[sig]++;
	if (current_mask() != mine || info->si_signo != sig)
		wrong++;
	if (sig == SIGSEGV) {
		if (!leave_by_jump)
			mprotect((void *)guard, PAGE, PROT_READ | PROT_WRITE);	/* the retry works */
	} else if (nest == 0 && rng() % 3 == 0 && model[other].kind != DEFAULT) {
		bool will = delivers(mine, other);

		nest = 1;
		if (will) {
			expect_in_handler = handler_mask(mine, other);
			after_delivery(other);
		}
		raise(other);
		nest = 0;
		expect_in_handler = mine;
		if (current_mask() != mine)
			wrong++;		/* the nested handler's sigreturn put ours back */
	}
	if (leave_by_jump && nest == 0)
		siglongjmp(env, 1);
}

static void set_action(int sig)
{
	struct sigaction sa;
	struct act a = { rng() % 4 == 0 ? IGNORED : HANDLED, 0, 0 };

	if (rng() % 3 == 0)
		a.flags |= SA_NODEFER;
	if (rng() % 4 == 0)
		a.flags |= SA_RESETHAND;
	a.mask = rng() & MASKABLE;
	memset(&sa, 0, sizeof(sa));
	if (a.kind == IGNORED) {
		sa.sa_handler = SIG_IGN;
	} else {
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO | a.flags;
		sa.sa_mask = a.mask;
	}
	if (sigaction(sig, &sa, NULL) != 0)
		fail("sigaction", sig, errno);
	model[sig] = a;
}

static void change_mask(void)
{
	int how = (int[]){ SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK }[rng() % 3];
	sigset_t set = rng() & MASKABLE, old = 0;

	if (sigprocmask(how, &set, &old) != 0)
		fail("sigprocmask", how, errno);
	if (old != model_mask)
		failf("sigprocmask gave the old mask %#lx, the model has %#lx", old, model_mask);
	model_mask = how == SIG_BLOCK ? model_mask | set :
		     how == SIG_UNBLOCK ? model_mask & ~set : set;
}

/* One signal, raised or from a fault; checks what ran and the mask after. */
static void deliver(int sig)
{
	int before[32];
	bool will = sig == SIGSEGV || delivers(model_mask, sig);

	memcpy(before, (const void *)calls, sizeof(before));
	leave_by_jump = (int)(rng() % 2);
	expect_in_handler = handler_mask(model_mask, sig);
	if (will)
		after_delivery(sig);
	if (sigsetjmp(env, 1) == 0) {
		if (sig == SIGSEGV)
			guard[rng() % PAGE] = 1;
		else
			raise(sig);
	}
	if (sig == SIGSEGV)
		mprotect((void *)guard, PAGE, PROT_NONE);
	if (calls[sig] < before[sig] + (will ? 1 : 0))
		failf("signal %d: its handler ran %d times, want %d or more (nested ones)", sig,
		      calls[sig] - before[sig], will);
	if (current_mask() != model_mask)
		failf("after signal %d: mask %#lx, want %#lx", sig, current_mask(), model_mask);
}

int main(void)
{
	int i;

	rng_state = 0x452821e638d01377ULL;
	guard = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (guard == MAP_FAILED)
		fail("mmap", errno, 0);
	on_signal(SIGSEGV, handler, 0);
	model[SIGSEGV] = (struct act){ HANDLED, 0, 0 };
	set_action(SIGUSR1);
	set_action(SIGUSR2);
	for (i = 0; i < STEPS; i++) {
		switch (rng() % 6) {
		case 0:
			change_mask();
			break;
		case 1:
			set_action(rng() % 2 ? SIGUSR1 : SIGUSR2);
			break;
		case 2:
			deliver(SIGSEGV);
			break;
		default: {
			int sig = rng() % 2 ? SIGUSR1 : SIGUSR2;

			if (model[sig].kind == DEFAULT)
				set_action(sig);	/* raising it would end us */
			deliver(sig);
			break;
		}
		}
		if (wrong != 0)
			failf("step %d: a handler ran with the wrong mask or siginfo", i);
	}
	printf("sig_fuzz: %d SIGUSR1, %d SIGUSR2, %d SIGSEGV handled\n", calls[SIGUSR1],
	       calls[SIGUSR2], calls[SIGSEGV]);
	printf("sig_fuzz: every delivery and every mask as the model said\n");
	return 0;
}
