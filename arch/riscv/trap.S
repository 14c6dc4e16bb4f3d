/*
 * Trap entry and exit.
 *
 * While a thread runs in user mode, sscratch holds its struct context; in the
 * kernel, sscratch is 0 and tp holds the context of the thread that entered
 * (`current`). The kernel runs with interrupts off, on one stack per hart,
 * and never touches user memory through user addresses, so a trap taken in
 * the kernel is a bug.
 *
 * Two entries, two costs:
 *  - A system call is a function call by contract (abi.h): t0..t6 are
 *    clobbered and s0..s11 are preserved - by the C code itself. So the entry
 *    saves only ra, sp, tp and the pc, and hands a0..a7 to C untouched. Only
 *    if the thread does not continue are its gp and s0..s11 written out.
 *  - Any other trap (fault, interrupt) saves everything.
 * Every exit to a thread other than the one that entered restores everything.
 */
#include "context.h"

#define SAVE(reg, n)	sd reg, CTX_REG(n)(tp)
#define LOAD(reg, n)	ld reg, CTX_REG(n)(tp)

	.section .text
	.globl	trap_vector
	.balign	4
trap_vector:
	csrrw	tp, sscratch, tp
	beqz	tp, kernel_trap
	sd	ra, CTX_RA(tp)
	sd	sp, CTX_SP(tp)
	ld	sp, CTX_KERNEL_SP(tp)
	csrrw	ra, sscratch, zero		/* the user's tp; now "in the kernel" */
	sd	ra, CTX_TP(tp)
	csrr	ra, scause
	addi	ra, ra, -8			/* EXC_ECALL_U */
	bnez	ra, full_trap

	csrr	ra, sepc
	addi	ra, ra, 4			/* resume after the ecall */
	sd	ra, CTX_PC(tp)
	call	syscall_dispatch		/* a0 = the thread to run next */
	bne	a0, tp, switch_from_syscall

	/* The caller continues: its results are in its context. */
	ld	ra, CTX_PC(tp)
	csrw	sepc, ra
	LOAD(a0, 10); LOAD(a1, 11); LOAD(a2, 12); LOAD(a3, 13)
	LOAD(a4, 14); LOAD(a5, 15); LOAD(a6, 16); LOAD(a7, 17)
	ld	ra, CTX_RA(tp)
	ld	sp, CTX_SP(tp)
	csrw	sscratch, tp
	ld	tp, CTX_TP(tp)
	sret

switch_from_syscall:
	/* The caller waits: park the registers it expects back. */
	SAVE(gp, 3)
	SAVE(s0, 8); SAVE(s1, 9)
	SAVE(s2, 18); SAVE(s3, 19); SAVE(s4, 20); SAVE(s5, 21); SAVE(s6, 22)
	SAVE(s7, 23); SAVE(s8, 24); SAVE(s9, 25); SAVE(s10, 26); SAVE(s11, 27)
	mv	tp, a0
	call	thread_activate			/* its address space: a0 = tp */
	j	restore_all

full_trap:
	csrr	ra, sepc
	sd	ra, CTX_PC(tp)
	SAVE(gp, 3)
	SAVE(t0, 5); SAVE(t1, 6); SAVE(t2, 7); SAVE(s0, 8); SAVE(s1, 9)
	SAVE(a0, 10); SAVE(a1, 11); SAVE(a2, 12); SAVE(a3, 13)
	SAVE(a4, 14); SAVE(a5, 15); SAVE(a6, 16); SAVE(a7, 17)
	SAVE(s2, 18); SAVE(s3, 19); SAVE(s4, 20); SAVE(s5, 21); SAVE(s6, 22)
	SAVE(s7, 23); SAVE(s8, 24); SAVE(s9, 25); SAVE(s10, 26); SAVE(s11, 27)
	SAVE(t3, 28); SAVE(t4, 29); SAVE(t5, 30); SAVE(t6, 31)
	call	trap_dispatch			/* a0 = the thread to run next */
	mv	tp, a0

/* Resumes the thread whose context is in tp, restoring every register. */
restore_all:
	sd	sp, CTX_KERNEL_SP(tp)
	ld	ra, CTX_PC(tp)
	csrw	sepc, ra
	LOAD(ra, 1); LOAD(gp, 3)
	LOAD(t0, 5); LOAD(t1, 6); LOAD(t2, 7); LOAD(s0, 8); LOAD(s1, 9)
	LOAD(a0, 10); LOAD(a1, 11); LOAD(a2, 12); LOAD(a3, 13)
	LOAD(a4, 14); LOAD(a5, 15); LOAD(a6, 16); LOAD(a7, 17)
	LOAD(s2, 18); LOAD(s3, 19); LOAD(s4, 20); LOAD(s5, 21); LOAD(s6, 22)
	LOAD(s7, 23); LOAD(s8, 24); LOAD(s9, 25); LOAD(s10, 26); LOAD(s11, 27)
	LOAD(t3, 28); LOAD(t4, 29); LOAD(t5, 30); LOAD(t6, 31)
	ld	sp, CTX_SP(tp)
	csrw	sscratch, tp
	ld	tp, CTX_TP(tp)
	sret

/* user_enter(thread, kernel_stack_top): the first return to user mode. */
	.globl	user_enter
user_enter:
	mv	tp, a0
	mv	sp, a1
	j	restore_all

kernel_trap:
	csrrw	tp, sscratch, tp		/* put things back as they were */
	call	kernel_trap_panic
1:	j	1b
