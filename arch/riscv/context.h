/*
 * A thread's user context: what trap.S saves and restores. It is the first
 * member of struct thread, and while the thread runs in user mode, sscratch
 * holds its address; in the kernel, tp does.
 *
 * x[i - 1] holds register xi, so the offsets below follow the ISA's numbering.
 */
#ifndef ARCH_RISCV_CONTEXT_H
#define ARCH_RISCV_CONTEXT_H

#define CTX_REG(n)   (((n) - 1) * 8)	/* xn */
#define CTX_RA       CTX_REG(1)
#define CTX_SP       CTX_REG(2)
#define CTX_GP       CTX_REG(3)
#define CTX_TP       CTX_REG(4)
#define CTX_A0       CTX_REG(10)
#define CTX_PC       (31 * 8)
#define CTX_KERNEL_SP (32 * 8)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* Names for x[] indices (register number - 1). */
enum {
	REG_RA = 0, REG_SP = 1, REG_GP = 2, REG_TP = 3,
	REG_A0 = 9, REG_A1, REG_A2, REG_A3, REG_A4, REG_A5, REG_A6, REG_A7,
};

struct context {
	uint64_t x[31];		/* x1..x31 */
	uint64_t pc;		/* where to resume: sepc */
	uint64_t kernel_sp;	/* the stack trap.S switches to */
};

_Static_assert(offsetof(struct context, pc) == CTX_PC, "CTX_PC");
_Static_assert(offsetof(struct context, kernel_sp) == CTX_KERNEL_SP, "CTX_KERNEL_SP");
#endif

#endif
