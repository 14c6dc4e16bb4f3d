/*
 * The kernel's view of the address space (Sv39).
 *
 *   0x0000_0000_0000 .. USER_TOP            user space, one page table per task
 *   DIRECT_MAP_BASE + pa                     every physical address (devices
 *                                            and RAM), gigapages, global
 *   KERNEL_VIRT_BASE                         the kernel image, linked here and
 *                                            loaded at KERNEL_PHYS_BASE
 *
 * The upper half is the same in every page table: each new root copies the
 * kernel's entries 256..511 and never changes them, so they are global.
 */
#ifndef ARCH_RISCV_MEMLAYOUT_H
#define ARCH_RISCV_MEMLAYOUT_H

#define PAGE_SHIFT        12
#define PAGE_SIZE         (1UL << PAGE_SHIFT)

#define KERNEL_PHYS_BASE  0x80200000UL            /* where QEMU puts us */
#define KERNEL_VIRT_BASE  0xffffffff80200000UL    /* where we run */
#define KERNEL_VIRT_OFFSET (KERNEL_VIRT_BASE - KERNEL_PHYS_BASE)
#define DIRECT_MAP_BASE   0xffffffc000000000UL
#define DIRECT_MAP_SIZE   (64UL << 30)             /* covers pa 0 .. 64 GiB */

/* User addresses are the lower half of Sv39: bit 38 clear. */
#define USER_TOP          0x4000000000UL

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

/* The kernel reaches any physical address through the direct map. */
static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

/* Only for addresses inside the direct map or the kernel image. */
static inline paddr_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	return v >= KERNEL_VIRT_BASE ? v - KERNEL_VIRT_OFFSET : v - DIRECT_MAP_BASE;
}
#endif

#endif
