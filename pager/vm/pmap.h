/*
 * The physical map: every hardware effect the VM core has goes through here.
 *
 * This layer is machine-independent. It remembers each mapping it makes -
 * per page (pv entries: where is this page mapped?) and per pmap (what is at
 * this address?) - so that the core can revoke them: write-protect a page
 * for copy-on-write, remove all mappings of a page it frees. The page-table
 * work itself goes to the pmap_hw.h backend: the kernel, or a simulation.
 */
#ifndef VM_PMAP_H
#define VM_PMAP_H

#include "vm.h"
#include "vm_page.h"
#include "vm_radix.h"

typedef struct pmap {
	uint64_t hw_id;			/* the backend's address space */
	struct vm_radix pvs;		/* atop(va) -> struct pv_entry */
	uint64_t resident_count;	/* pages mapped */
	bool hw_gone;			/* pmap_remove_pages destroyed the space */
} *pmap_t;

struct pv_entry {
	pmap_t pmap;
	vm_offset_t va;
	vm_page_t page;
	/*
	 * What the hardware entry may allow: exactly that, but after
	 * pmap_protect_hw, which lowers the hardware alone - an upper bound
	 * then. Safe either way: a right recorded and not in the hardware
	 * costs a needless backend call at most (a dirty bit read, a protect).
	 */
	vm_prot_t prot;
	bool wired;
	struct pv_entry *next;		/* in page->pv_list */
};

void pmap_startup(void);

/*
 * Every call here that takes the right to write away from a mapping (lowers,
 * replaces or removes it) first keeps what the hardware saw - the dirty bit -
 * in the page's dirty mark, for pages with a store: a write through a
 * mapping never gets lost with it.
 */

/* A new, empty pmap, or NULL if the backend has no address space left. */
pmap_t pmap_create(void);
/* Removes every mapping and destroys the backend's address space. */
void pmap_destroy(pmap_t pmap);
/*
 * The process is exiting: forget all mappings at once and destroy the
 * backend's space now (FreeBSD's pmap_remove_pages). Later pmap calls on
 * this pmap touch no hardware.
 */
void pmap_remove_pages(pmap_t pmap);

/*
 * Maps m at va with prot, replacing whatever was mapped there. Returns
 * KERN_SUCCESS, or KERN_RESOURCE_SHORTAGE when no pv entry or page table
 * can be had.
 */
int pmap_enter(pmap_t pmap, vm_offset_t va, vm_page_t m, vm_prot_t prot, bool wired);
void pmap_remove(pmap_t pmap, vm_offset_t sva, vm_offset_t eva);
/* Lowers the protection of the mappings in range (never raises it). */
void pmap_protect(pmap_t pmap, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot);
/*
 * The same for the hardware alone: one backend call, no pass over the
 * records, whose rights become an upper bound. Fork write-protects a whole
 * process this way: what its records say of the write right only decides
 * whether a dirty bit is worth reading later, and the bit is kept - the
 * hardware keeps it while the right is gone - until that read.
 */
void pmap_protect_hw(pmap_t pmap, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot);

/*
 * Mappings of frames the VM does not manage - a device's registers: no
 * vm_page, so no pv entry and no accessed/dirty tracking. They go straight
 * to the backend, and the map entry that made one (MAP_ENTRY_DEVICE)
 * removes it. Enter returns KERN_SUCCESS or KERN_RESOURCE_SHORTAGE.
 */
int pmap_enter_unmanaged(pmap_t pmap, vm_offset_t va, vm_paddr_t pa, vm_prot_t prot);
void pmap_remove_unmanaged(pmap_t pmap, vm_offset_t sva, vm_offset_t eva);

/* Clears the wired mark of the mapping at va; returns whether it was wired. */
bool pmap_unwire(pmap_t pmap, vm_offset_t va);

/* The page mapped at va, or NULL. */
vm_page_t pmap_lookup(pmap_t pmap, vm_offset_t va, vm_prot_t *prot);
/* Nothing is mapped at va: a prefault may map something there. */
bool pmap_is_prefaultable(pmap_t pmap, vm_offset_t va);

/* Operations on every mapping of a page. */
void pmap_remove_all(vm_page_t m);
void pmap_remove_write(vm_page_t m);
bool pmap_is_modified(vm_page_t m);
bool pmap_is_referenced(vm_page_t m);
void pmap_clear_modify(vm_page_t m);
void pmap_clear_reference(vm_page_t m);
int pmap_page_mapping_count(vm_page_t m);

/* Page contents, through the backend's window onto physical memory. */
void *pmap_page_address(vm_page_t m);
void pmap_zero_page(vm_page_t m);
void pmap_copy_page(vm_page_t src, vm_page_t dst);

/* Checks every pv entry against its page and pmap; tests call it. */
void pmap_validate(pmap_t pmap);

#endif
