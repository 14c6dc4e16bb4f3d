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
