/* The parts of the ELF64 format the kernel's root-task loader reads. */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stdint.h>

#define ELF_MAGIC   0x464c457fU	/* "\177ELF" */
#define ELF_PT_LOAD 1
#define ELF_PF_X    1
#define ELF_PF_W    2
#define ELF_PF_R    4
#define ELF_EM_RISCV 243

struct elf64_ehdr {
	uint32_t magic;
	uint8_t ident[12];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#endif
