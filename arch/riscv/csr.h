/* Control and status registers, and the few instructions C cannot say. */
#ifndef ARCH_RISCV_CSR_H
#define ARCH_RISCV_CSR_H

#include <stdint.h>

#define csr_read(csr) ({ uint64_t v_; \
	__asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) \
	__asm__ volatile("csrw " #csr ", %0" :: "rK"((uint64_t)(val)))
#define csr_set(csr, bits) \
	__asm__ volatile("csrs " #csr ", %0" :: "rK"((uint64_t)(bits)))
#define csr_clear(csr, bits) \
	__asm__ volatile("csrc " #csr ", %0" :: "rK"((uint64_t)(bits)))

/* sstatus */
#define SSTATUS_SIE   (1UL << 1)
#define SSTATUS_SPIE  (1UL << 5)
#define SSTATUS_SPP   (1UL << 8)
#define SSTATUS_SUM   (1UL << 18)

/* sie / sip */
#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)

/* scause */
#define SCAUSE_INTERRUPT         (1UL << 63)
#define IRQ_S_TIMER              5
#define EXC_INST_MISALIGNED      0
#define EXC_INST_ACCESS          1
#define EXC_ILLEGAL_INST         2
#define EXC_BREAKPOINT           3
#define EXC_LOAD_MISALIGNED      4
#define EXC_LOAD_ACCESS          5
#define EXC_STORE_MISALIGNED     6
#define EXC_STORE_ACCESS         7
#define EXC_ECALL_U              8
#define EXC_INST_PAGE_FAULT      12
#define EXC_LOAD_PAGE_FAULT      13
#define EXC_STORE_PAGE_FAULT     15

/* satp */
#define SATP_MODE_SV39  (8UL << 60)
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK  0xffffUL

static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

static inline void sfence_vma_asid(uint64_t asid)
{
	__asm__ volatile("sfence.vma zero, %0" :: "r"(asid) : "memory");
}

static inline void sfence_vma_page(uint64_t va, uint64_t asid)
{
	__asm__ volatile("sfence.vma %0, %1" :: "r"(va), "r"(asid) : "memory");
}

static inline uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static inline void wfi(void)
{
	__asm__ volatile("wfi");
}

#endif
