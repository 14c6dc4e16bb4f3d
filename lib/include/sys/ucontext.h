/* What a signal handler's third argument points to. */
#ifndef _SYS_UCONTEXT_H_
#define _SYS_UCONTEXT_H_

#include <signal.h>
#include "uapi/abi.h"

typedef struct __ucontext {
	sigset_t uc_sigmask;			/* the mask to restore on return */
	struct user_context uc_mcontext;	/* the registers to resume with */
} ucontext_t;

#endif
