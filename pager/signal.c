/*
 * Signals, as the VM server gives them. The kernel only lets a server read
 * and replace the registers of a thread that waits for its reply; the rest
 * is here:
 *
 *   delivery   a fault with no mapping to give (or a raise()) becomes a
 *              signal. With a handler, the thread's registers go into a
 *              frame on its own stack - siginfo_t, then ucontext_t - and it
 *              resumes at the process's trampoline, which calls the handler.
 *              With none, or with the signal blocked or ignored (a fault
 *              cannot be ignored), the process ends as the default action.
 *   sigreturn  the trampoline hands the ucontext_t back: the thread resumes
 *              with those registers - at the faulting instruction, which
 *              runs again - and the mask it had.
 *
 * The handler may also leave by siglongjmp(), which restores the mask it
 * saved through sigprocmask().
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ucontext.h>
#include "libuser.h"
#include "pmap_riscv.h"
#include "vm_proto.h"
#include "vmserver.h"

#define SIG_BIT(signo) (1UL << ((signo) - 1))

/* What a handler's thread finds on its stack. */
struct sigframe {
	siginfo_t info;
	ucontext_t uc;
};

static bool valid_signal(uint64_t signo)
{
	return signo >= 1 && signo < NSIGNALS;
}

/* Signals whose default action is to do nothing. */
static bool ignored_by_default(int signo)
{
	return signo == SIGCHLD || signo == SIGURG || signo == SIGWINCH || signo == SIGINFO ||
	       signo == SIGCONT;
}

/*
 * Resumes `thread` (which waits for our reply) with ctx. False if the kernel
 * refused it (a pc outside user space): the thread still waits.
 */
static bool resume_with(uint64_t thread, const struct user_context *ctx)
{
	pmap_batch_flush();
	memcpy(ipc_buffer, ctx, sizeof(*ctx));
	return k_context_reply(thread) == 0;
}

/*
 * Builds the frame below the thread's sp and resumes the thread in the
 * trampoline. Returns false if the frame cannot be written (the stack is
 * full or gone): the caller ends the process.
 */
static bool enter_handler(struct proc *p, uint64_t thread, int signo, int code, uint64_t addr)
{
	const struct sig_action *act = &p->sigact[signo];
	struct sigframe frame;
	struct user_context ctx;
	vm_offset_t sp;

	if (k_context_get(thread) != 0)
		return false;
	memcpy(&ctx, ipc_buffer, sizeof(ctx));
	/*
	 * raise() waits in a call, whose a0 holds no value of its own yet: after
	 * the handler it returns the reply's tag, and that is success.
	 */
	if (code == SI_USER)
		ctx.x[UCTX_A0] = TAG(0, 0);
	memset(&frame, 0, sizeof(frame));
	frame.info.si_signo = signo;
	frame.info.si_code = code;
	frame.info.si_addr = (void *)addr;
	frame.info.si_pid = p->pid;
	frame.uc.uc_sigmask = p->sigmask;
	frame.uc.uc_mcontext = ctx;
	sp = (ctx.x[UCTX_SP] - sizeof(frame)) & ~(vm_offset_t)15;
	if (ctx.x[UCTX_SP] < sizeof(frame) || p->sigtramp >= USER_SPACE_END ||
	    copyout(p, sp, &frame, sizeof(frame)) != 0)
		return false;
	ctx.pc = p->sigtramp;
	ctx.x[UCTX_SP] = sp;
	ctx.x[UCTX_A0] = (uint64_t)signo;
	ctx.x[UCTX_A0 + 1] = sp + offsetof(struct sigframe, info);
	ctx.x[UCTX_A0 + 2] = sp + offsetof(struct sigframe, uc);
	ctx.x[UCTX_A0 + 3] = act->handler;
	p->sigmask |= act->mask | (act->flags & SA_NODEFER ? 0 : SIG_BIT(signo));
	if (act->flags & SA_RESETHAND)
		p->sigact[signo].handler = (uint64_t)SIG_DFL;
	return resume_with(thread, &ctx);
}

/*
 * A handler runs unless the signal is blocked. A fault's signal that is
 * blocked or ignored cannot be held back - the access would only fault
 * again - so it kills, as FreeBSD's trapsignal() does.
 */
void signal_deliver(struct proc *p, uint64_t thread, int signo, int code, uint64_t addr,
		    uint64_t pc)
{
	const struct sig_action *act = &p->sigact[signo];

	if (act->handler > (uint64_t)SIG_IGN && !(p->sigmask & SIG_BIT(signo)) &&
	    p->sigtramp != 0 && enter_handler(p, thread, signo, code, addr))
		return;
	proc_kill(p, signo, code, addr, pc);
}

/* sigaction: the old action in the reply; the new one from the words. */
static void do_sigaction(struct proc *p, struct ipc_msg *m)
{
	uint64_t signo = m->w[0] & 0xffffffff, flags = m->w[0] >> 32;
	struct sig_action *act = &p->sigact[signo < NSIGNALS ? signo : 0];
	struct sig_action old = *act;

	if (!valid_signal(signo) || ((signo == SIGKILL || signo == SIGSTOP) && m->w[1] != 0) ||
	    m->w[3] >= USER_SPACE_END) {	/* the trampoline: a user address */
		m->tag = TAG(EINVAL, 0);
		return;
	}
	if (m->w[3] != 0) {		/* 0: a query, sigaction(sig, NULL, &old) */
		act->handler = m->w[1];
		act->flags = (int)flags;
		act->mask = m->w[2] & ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
		p->sigtramp = m->w[3];
	}
	m->tag = TAG(0, 0);
	m->w[0] = old.handler;
	m->w[1] = (uint64_t)old.flags;
	m->w[2] = old.mask;
}

static void do_sigprocmask(struct proc *p, struct ipc_msg *m)
{
	uint64_t old = p->sigmask, set = m->w[1] & ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));

	switch (m->w[0]) {
	case 0:
		break;
	case SIG_BLOCK:
		p->sigmask |= set;
		break;
	case SIG_UNBLOCK:
		p->sigmask &= ~set;
		break;
	case SIG_SETMASK:
		p->sigmask = set;
		break;
	default:
		m->tag = TAG(EINVAL, 0);
		return;
	}
	m->tag = TAG(0, 0);
	m->w[0] = old;
}

/* The trampoline's return: the saved context goes back in, checked. */
static void do_sigreturn(struct proc *p, struct ipc_msg *m)
{
	ucontext_t uc;

	if (copyin(p, m->w[0], &uc, sizeof(uc)) != 0 || uc.uc_mcontext.pc >= USER_SPACE_END) {
		m->peer = 0;
		proc_kill(p, SIGSEGV, SEGV_MAPERR, m->w[0], 0);
		return;
	}
	p->sigmask = uc.uc_sigmask & ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
	if (!resume_with(m->peer, &uc.uc_mcontext))
		proc_kill(p, SIGSEGV, SEGV_MAPERR, m->w[0], 0);
	m->peer = 0;
}

/*
 * raise(): the calling thread takes the signal as if it faulted, except that
 * an ignored or blocked one is simply dropped (blocked signals are not kept
 * pending here: nothing but the thread itself could send one).
 */
static void do_raise(struct proc *p, struct ipc_msg *m)
{
	uint64_t signo = m->w[0], thread = m->peer;
	const struct sig_action *act = &p->sigact[signo < NSIGNALS ? signo : 0];

	if (!valid_signal(signo)) {
		m->tag = TAG(EINVAL, 0);
		return;
	}
	m->tag = TAG(0, 0);
	if (act->handler == (uint64_t)SIG_IGN || (p->sigmask & SIG_BIT(signo)) ||
	    (act->handler == (uint64_t)SIG_DFL && ignored_by_default((int)signo)))
		return;
	/* The handler returns into raise(), past its ecall: no other reply. */
	m->peer = 0;
	signal_deliver(p, thread, (int)signo, SI_USER, 0, 0);
}

void signal_request(struct proc *p, struct ipc_msg *m)
{
	switch (TAG_LABEL(m->tag)) {
	case VM_SIGACTION:
		do_sigaction(p, m);
		break;
	case VM_SIGPROCMASK:
		do_sigprocmask(p, m);
		break;
	case VM_SIGRETURN:
		do_sigreturn(p, m);
		break;
	case VM_RAISE:
		do_raise(p, m);
		break;
	}
}
