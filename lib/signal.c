/*
 * Signals on the program's side. The VM server keeps the actions and the
 * mask; a handler runs from __sigtramp (crt0.S), which calls it and then
 * hands the interrupted context back to the server (VM_SIGRETURN), which
 * resumes it - so returning from a SIGSEGV handler retries the access.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/ucontext.h>
#include <unistd.h>
#include "kern.h"
#include "libuser.h"
#include "vm_proto.h"

void __sigtramp(void);

static int vm_call_checked(struct ipc_msg *m)
{
	int error;

	ipc_call(VM_SERVER_SLOT, m);
	error = (int64_t)m->tag < 0 ? EIO : (int)TAG_LABEL(m->tag);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/* Runs the handler, then resumes the context the signal interrupted. */
void __sigtramp_c(int signo, siginfo_t *info, ucontext_t *uc,
		  void (*handler)(int, siginfo_t *, void *))
{
	struct ipc_msg m = { .tag = TAG(VM_SIGRETURN, 0), .w = { (uint64_t)uc } };

	handler(signo, info, uc);	/* sa_handler takes the first argument only */
	ipc_call(VM_SERVER_SLOT, &m);
	for (;;)			/* not reached: the server resumes uc */
		k_yield();
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct ipc_msg m = { .tag = TAG(VM_SIGACTION, 0) };

	m.w[0] = (uint32_t)sig;
	if (act != NULL) {
		m.w[0] |= (uint64_t)(uint32_t)act->sa_flags << 32;
		m.w[1] = (uint64_t)act->sa_handler;
		m.w[2] = act->sa_mask;
		m.w[3] = (uint64_t)__sigtramp;	/* 0 would mean "only tell me" */
	}
	if (vm_call_checked(&m) != 0)
		return -1;
	if (oact != NULL) {
		memset(oact, 0, sizeof(*oact));
		oact->sa_handler = (void (*)(int))m.w[0];
		oact->sa_flags = (int)m.w[1];
		oact->sa_mask = m.w[2];
	}
	return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	struct ipc_msg m = { .tag = TAG(VM_SIGPROCMASK, 0) };

	if (set != NULL) {
		m.w[0] = (uint64_t)how;
		m.w[1] = *set;
	}
	if (vm_call_checked(&m) != 0)
		return -1;
	if (oset != NULL)
		*oset = m.w[0];
	return 0;
}

sig_t signal(int sig, sig_t handler)
{
	struct sigaction act = { .sa_handler = handler }, old;

	if (sigaction(sig, &act, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}

int raise(int sig)
{
	struct ipc_msg m = { .tag = TAG(VM_RAISE, 0), .w = { (uint64_t)sig } };

	return vm_call_checked(&m);
}

void siglongjmp(sigjmp_buf b, int val)
{
	if (b->savemask)
		sigprocmask(SIG_SETMASK, &b->mask, NULL);
	longjmp(b->env, val);
}

static int bad_signal(int sig)
{
	return sig <= 0 || sig >= NSIG;
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~(sigset_t)0;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set |= 1UL << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set &= ~(1UL << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	return (*set >> (sig - 1)) & 1;
}
