/* picolibc's <setjmp.h>, and sigsetjmp/siglongjmp, which it has only for Cygwin. */
#ifndef LIB_SETJMP_H
#define LIB_SETJMP_H

#include_next <setjmp.h>
#include <signal.h>

typedef struct {
	jmp_buf env;
	int savemask;
	sigset_t mask;
} sigjmp_buf[1];

/* Saves the signal mask if savemask is not 0, then setjmp() - in the caller's frame. */
#define sigsetjmp(b, save) \
	((b)->savemask = (save), \
	 (save) ? (void)sigprocmask(SIG_BLOCK, 0, &(b)->mask) : (void)0, \
	 setjmp((b)->env))

/* Restores the mask sigsetjmp saved, then longjmp(). Leaves a signal handler. */
void siglongjmp(sigjmp_buf b, int val) __attribute__((noreturn));

#endif
