#include <elf.h>
#include <errno.h>
#include <string.h>
#include "exec.h"
#include "image_pager.h"

static vm_prot_t segment_prot(uint32_t flags)
{
	return (flags & PF_R ? VM_PROT_READ : 0) | (flags & PF_W ? VM_PROT_WRITE : 0) |
	       (flags & PF_X ? VM_PROT_EXECUTE : 0);
}

static int kern_to_errno(int rv)
{
	return rv == KERN_RESOURCE_SHORTAGE ? -ENOMEM : -EINVAL;
}

/*
 * A PT_LOAD segment: the pages holding file bytes map an image object (its
 * page 0 is the page of p_vaddr); the pages wholly past p_filesz are
 * anonymous. Writable segments are private: copy-on-write, object made at
 * the first write.
 */
static int map_segment(struct proc *p, const struct initrd_file *file, const Elf64_Phdr *ph)
{
	vm_offset_t start = trunc_page(ph->p_vaddr), end = round_page(ph->p_vaddr + ph->p_memsz);
	vm_offset_t in_page = ph->p_vaddr & PAGE_MASK;
	vm_offset_t file_end = round_page(ph->p_vaddr + ph->p_filesz);
	vm_prot_t prot = segment_prot(ph->p_flags);
	int cow = (prot & VM_PROT_WRITE) ? MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY : 0;
	vm_object_t object;
	int rv;

	if (ph->p_offset < in_page || ph->p_offset + ph->p_filesz > file->size ||
	    ph->p_filesz > ph->p_memsz || end > USER_HEAP_END ||
	    start < USER_MIN)
		return -ENOEXEC;
	if (ph->p_filesz > 0) {
		object = image_object_create(file->data + ph->p_offset - in_page,
					     in_page + ph->p_filesz);
		if (object == NULL)
			return -ENOMEM;
		rv = vm_map_insert(p->map, object, 0, start, file_end, prot, VM_PROT_ALL, cow);
		if (rv != KERN_SUCCESS) {
			vm_object_deallocate(object);
			return rv == KERN_NO_SPACE ? -ENOEXEC : kern_to_errno(rv);
		}
		start = file_end;
	}
	if (start < end) {
		rv = vm_map_insert(p->map, NULL, 0, start, end, prot, VM_PROT_ALL, 0);
		if (rv != KERN_SUCCESS)
			return rv == KERN_NO_SPACE ? -ENOEXEC : kern_to_errno(rv);
	}
	if (end > p->brk_start)
		p->brk_start = p->brk = end;
	return 0;
}

int exec_load(struct proc *p, const struct initrd_file *file, vm_offset_t *entry)
{
	const Elf64_Ehdr *eh = (const void *)file->data;
	int i, error;

	if (file->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_RISCV ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > file->size)
		return -ENOEXEC;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const void *)(file->data + eh->e_phoff +
						      (uint64_t)i * sizeof(Elf64_Phdr));

		if (ph->p_type == PT_LOAD && ph->p_memsz > 0 &&
		    (error = map_segment(p, file, ph)) != 0)
			return error;
	}
	*entry = eh->e_entry;
	return 0;
}

int exec_stack(struct proc *p, int argc, char *const argv[], vm_offset_t *sp)
{
	vm_offset_t strings, block, va;
	size_t total = 0;
	uint64_t word;
	int i, rv;

	rv = vm_map_insert(p->map, NULL, 0, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP,
			   VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, 0);
	if (rv != KERN_SUCCESS)
		return kern_to_errno(rv);
	for (i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	if (total > PAGE_SIZE)
		return -E2BIG;
	strings = USER_STACK_TOP - ((total + 15) & ~(size_t)15);
	block = (strings - (uint64_t)(argc + 2) * sizeof(uint64_t)) & ~(vm_offset_t)15;
	word = (uint64_t)argc;
	if ((rv = copyout(p, block, &word, sizeof(word))) != 0)
		return rv;
	for (i = 0, va = strings; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		if ((rv = copyout(p, block + 8 * (uint64_t)(i + 1), &va, sizeof(va))) != 0 ||
		    (rv = copyout(p, va, argv[i], n)) != 0)
			return rv;
		va += n;
	}
	word = 0;
	if ((rv = copyout(p, block + 8 * (uint64_t)(argc + 1), &word, sizeof(word))) != 0)
		return rv;
	*sp = block;
	return 0;
}
