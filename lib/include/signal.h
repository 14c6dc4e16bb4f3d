/*
 * Signals, with FreeBSD's numbers, flags and si_code values. Replaces
 * picolibc's <signal.h> (which has no si_addr and no sa_sigaction).
 *
 * Faults become signals in the VM server: it delivers one to the handler a
 * program installed with sigaction(), or ends the program with it.
 */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_
#define _SYS_SIGNAL_H		/* picolibc's <sys/signal.h>: ours instead */

#include <sys/types.h>

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGIOT    SIGABRT
#define SIGEMT    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGBUS    10
#define SIGSEGV   11
#define SIGSYS    12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGURG    16
#define SIGSTOP   17
#define SIGTSTP   18
#define SIGCONT   19
#define SIGCHLD   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGIO     23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGINFO   29
#define SIGUSR1   30
#define SIGUSR2   31
#define NSIG      32

typedef int sig_atomic_t;
typedef unsigned long sigset_t;		/* bit (signo - 1) */
typedef void (*sig_t)(int);
typedef void (*_sig_func_ptr)(int);

#define SIG_DFL ((sig_t)0)
#define SIG_IGN ((sig_t)1)
#define SIG_ERR ((sig_t)-1)

union sigval {
	int sival_int;
	void *sival_ptr;
};

struct sigevent {
	int sigev_notify;
	int sigev_signo;
	union sigval sigev_value;
};

typedef struct {
	int si_signo;		/* the signal */
	int si_errno;
	int si_code;		/* why: SEGV_MAPERR, BUS_OBJERR, ... */
	pid_t si_pid;
	uid_t si_uid;
	int si_status;
	void *si_addr;		/* the faulting address (the pc for SIGILL) */
	union sigval si_value;
} siginfo_t;

/* si_code */
#define SI_USER     0x10001	/* raise(), kill() */
#define ILL_ILLOPC  1	/* illegal opcode */
#define SEGV_MAPERR 1	/* address not mapped */
#define SEGV_ACCERR 2	/* mapped, but the access is not allowed */
#define BUS_ADRALN  1	/* misaligned address */
#define BUS_ADRERR  2	/* nonexistent physical address */
#define BUS_OBJERR  3	/* object-specific error (past its end, pager failure) */
#define BUS_OOMERR  100	/* no memory to back the page */
#define TRAP_BRKPT  1	/* breakpoint */

struct sigaction {
	union {
		void (*__sa_handler)(int);
		void (*__sa_sigaction)(int, siginfo_t *, void *);
	} __sigaction_u;
	int sa_flags;
	sigset_t sa_mask;
};
#define sa_handler   __sigaction_u.__sa_handler
#define sa_sigaction __sigaction_u.__sa_sigaction

#define SA_ONSTACK   0x0001
#define SA_RESTART   0x0002
#define SA_RESETHAND 0x0004	/* back to SIG_DFL once delivered */
#define SA_NODEFER   0x0010	/* do not block the signal in its handler */
#define SA_NOCLDWAIT 0x0020
#define SA_SIGINFO   0x0040	/* call sa_sigaction with siginfo */

#define SIG_BLOCK   1
#define SIG_UNBLOCK 2
#define SIG_SETMASK 3

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
int sigprocmask(int how, const sigset_t *set, sigset_t *oset);
sig_t signal(int sig, sig_t handler);
int raise(int sig);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

#endif
