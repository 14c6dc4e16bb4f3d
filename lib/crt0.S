/*
 * Program entry. Whoever starts the program sets sp and passes one
 * argument in a0 (for processes: the argument block on the stack).
 */
	.section .text.start
	.globl	_start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	call	__start_c			/* never returns */
1:	j	1b

/*
 * A forked child's first instructions (fork.c): a0 = the parent's saved
 * frame, sp = the parent's stack pointer; gp and tp as for any start.
 */
	.text
	.globl	__fork_child
__fork_child:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	call	__fork_child_c			/* never returns */
1:	j	1b

/*
 * Where a signal handler is entered (signal.c): a0 = signo, a1 = &siginfo,
 * a2 = &ucontext, a3 = the handler, all set up by the VM server.
 */
	.globl	__sigtramp
__sigtramp:
	call	__sigtramp_c			/* never returns: sigreturn */
1:	j	1b
