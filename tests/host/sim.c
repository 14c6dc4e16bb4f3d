/*
 * The simulated machine behind pmap_hw.h. Each address space is a hash table
 * from page number to a simulated PTE with accessed and dirty bits, set by
 * sim_translate as hardware would set them.
 */
#include <stdio.h>
#include <stdlib.h>
#include "sim.h"
#include "pmap_hw.h"
#include "vm_page.h"

#define SIM_SPACES  64
#define SIM_BUCKETS 1024

struct sim_pte {
	vm_offset_t va;
	vm_paddr_t pa;
	vm_prot_t prot;
	bool accessed, dirty;
	struct sim_pte *next;
};

struct sim_space {
	bool in_use;
	struct sim_pte *buckets[SIM_BUCKETS];
};

static uint8_t *memory;
static uint64_t memory_pages;
static uint8_t device_page[PAGE_SIZE];
static struct sim_space spaces[SIM_SPACES];
static uint64_t mapped_pages;

void vm_panic(const char *file, int line, const char *what)
{
	fprintf(stderr, "VM assertion failed at %s:%d: %s\n", file, line, what);
	abort();
}

void sim_boot(uint64_t npages)
{
	struct vm_phys_range range = { SIM_PHYS_BASE, SIM_PHYS_BASE + npages * PAGE_SIZE };
	int i;

	free(memory);
	memory = aligned_alloc(PAGE_SIZE, npages * PAGE_SIZE);
	memory_pages = npages;
	memset(memory, 0xa5, npages * PAGE_SIZE);	/* frames start dirty */
	for (i = 0; i < SIM_SPACES; i++)
		VM_ASSERT(!spaces[i].in_use);
	mapped_pages = 0;
	vm_page_startup(&range, 1, 0, 0);
}

void *hw_frame_address(vm_paddr_t pa)
{
	VM_ASSERT(pa >= SIM_PHYS_BASE && pa < SIM_PHYS_BASE + memory_pages * PAGE_SIZE);
	return memory + (pa - SIM_PHYS_BASE);
}

static struct sim_space *space_of(uint64_t id)
{
	VM_ASSERT(id < SIM_SPACES && spaces[id].in_use);
	return &spaces[id];
}

int hw_space_create(uint64_t *id)
{
	uint64_t i;

	for (i = 1; i < SIM_SPACES; i++) {
		if (!spaces[i].in_use) {
			spaces[i].in_use = true;
			*id = i;
			return 0;
		}
	}
	return -1;
}

static struct sim_pte **slot_of(struct sim_space *s, vm_offset_t va)
{
	struct sim_pte **pp = &s->buckets[atop(va) % SIM_BUCKETS];

	while (*pp != NULL && (*pp)->va != va)
		pp = &(*pp)->next;
	return pp;
}

static void remove_pte(struct sim_pte **pp)
{
	struct sim_pte *pte = *pp;

	*pp = pte->next;
	free(pte);
	mapped_pages--;
}

void hw_space_destroy(uint64_t id)
{
	struct sim_space *s = space_of(id);
	int b;

	for (b = 0; b < SIM_BUCKETS; b++)
		while (s->buckets[b] != NULL)
			remove_pte(&s->buckets[b]);
	s->in_use = false;
}

int hw_enter(uint64_t id, vm_offset_t va, vm_paddr_t pa, vm_prot_t prot)
{
	struct sim_pte **pp = slot_of(space_of(id), va);

	VM_ASSERT((va & PAGE_MASK) == 0 && (prot & VM_PROT_READ));
	VM_ASSERT(vm_page_from_phys(pa) != NULL || pa == SIM_DEVICE_PA);
	if (*pp == NULL) {
		*pp = calloc(1, sizeof(**pp));
		(*pp)->va = va;
		mapped_pages++;
	}
	/* A new entry, even for the same frame: the kernel's space_map writes one. */
	(*pp)->accessed = (*pp)->dirty = false;
	(*pp)->pa = pa;
	(*pp)->prot = prot;
	return 0;
}

void hw_remove(uint64_t id, vm_offset_t sva, vm_offset_t eva)
{
	struct sim_space *s = space_of(id);
	vm_offset_t va;

	for (va = sva; va < eva; va += PAGE_SIZE) {
		struct sim_pte **pp = slot_of(s, va);

		if (*pp != NULL)
			remove_pte(pp);
	}
}

void hw_protect(uint64_t id, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot)
{
	struct sim_space *s = space_of(id);
	vm_offset_t va;

	VM_ASSERT(prot & VM_PROT_READ);
	for (va = sva; va < eva; va += PAGE_SIZE) {
		struct sim_pte *pte = *slot_of(s, va);

		if (pte != NULL)
			pte->prot &= prot;	/* as the kernel's: lowers only */
	}
}

void hw_read_ad(uint64_t id, vm_offset_t va, bool *accessed, bool *dirty)
{
	struct sim_pte *pte = *slot_of(space_of(id), va);

	*accessed = pte != NULL && pte->accessed;
	*dirty = pte != NULL && pte->dirty;
}

void hw_clear_ad(uint64_t id, vm_offset_t va, bool accessed, bool dirty)
{
	struct sim_pte *pte = *slot_of(space_of(id), va);

	if (pte == NULL)
		return;
	if (accessed)
		pte->accessed = false;
	if (dirty)
		pte->dirty = false;
}

uint8_t *sim_translate(uint64_t id, vm_offset_t va, vm_prot_t access)
{
	struct sim_pte *pte = *slot_of(space_of(id), trunc_page(va));

	if (pte == NULL || (access & ~pte->prot) != 0)
		return NULL;
	pte->accessed = true;
	if (access & VM_PROT_WRITE)
		pte->dirty = true;
	if (pte->pa == SIM_DEVICE_PA)	/* the VM never asks hw_frame_address for it */
		return device_page + (va & PAGE_MASK);
	return (uint8_t *)hw_frame_address(pte->pa) + (va & PAGE_MASK);
}

vm_prot_t sim_prot(uint64_t id, vm_offset_t va)
{
	struct sim_pte *pte = *slot_of(space_of(id), trunc_page(va));

	return pte != NULL ? pte->prot : VM_PROT_NONE;
}

uint64_t sim_mapped_pages(void)
{
	return mapped_pages;
}

uint64_t sim_spaces_in_use(void)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < SIM_SPACES; i++)
		n += spaces[i].in_use;
	return n;
}
