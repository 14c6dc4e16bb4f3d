/*
 * Boot entry. OpenSBI enters here in S-mode with the MMU off:
 *   a0 = this hart's id, a1 = physical address of the device tree.
 *
 * We run at the load address just long enough to turn on Sv39 with a boot
 * page table of gigapages (identity for the jump, the direct map, the kernel
 * image), then continue at the link address in the upper half.
 */
#include "memlayout.h"

#define PTE_KERNEL_RWX 0xef	/* V R W X G A D */
#define PTE_KERNEL_RW  0xe7	/* V R W G A D: devices */
#define PTE_BOOT_RWX   0xcf	/* V R W X A D: identity, dropped after boot */
#define GIGA_PTE(pa, flags) ((((pa) >> 12) << 10) | (flags))

	.section .text.boot
	.globl _start
_start:
	la	sp, boot_stack_top		/* pc-relative: a physical address */
	la	t0, boot_pagetable
	srli	t0, t0, 12
	li	t1, 8 << 60			/* MODE = Sv39, ASID 0 */
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma

	li	t0, KERNEL_VIRT_OFFSET
	add	sp, sp, t0
	ld	t0, 1f				/* an absolute, upper-half address */
	jr	t0
	.balign 8
1:	.dword	kmain_trampoline

	.text
kmain_trampoline:
	mv	tp, zero
	call	kmain				/* kmain(hartid, dtb_pa) never returns */
2:	wfi
	j	2b

	.section .data
	.balign 4096
	.globl boot_pagetable
boot_pagetable:
	.dword	0, 0
	.dword	GIGA_PTE(0x80000000, PTE_BOOT_RWX)	/* [2] identity of 2..3 GiB */
	.fill	253, 8, 0
	.dword	GIGA_PTE(0x00000000, PTE_KERNEL_RW)	/* [256] direct map: devices */
	.dword	0
	.dword	GIGA_PTE(0x80000000, PTE_KERNEL_RW)	/* [258] direct map: RAM */
	.fill	251, 8, 0
	.dword	GIGA_PTE(0x80000000, PTE_KERNEL_RWX)	/* [510] kernel image, until
							   main.c maps it page by page */
	.dword	0

	.section .bss
	.balign 16
	.globl boot_stack, boot_stack_top
boot_stack:
	.space	16384
boot_stack_top:
