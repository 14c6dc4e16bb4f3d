/*
 * What a machine (or a simulation of one) does for pmap.c: page tables of
 * address spaces named by number, and access to physical frames. The VM
 * server implements it with kernel calls (pager/pmap_riscv.c); host tests
 * with a simulated MMU (tests/host/sim.c).
 */
#ifndef VM_PMAP_HW_H
#define VM_PMAP_HW_H

#include "vm.h"

/* Creates an address space; returns 0 and its id, or -1 if none is left. */
int hw_space_create(uint64_t *id);
void hw_space_destroy(uint64_t id);

/*
 * Maps one page; returns 0, or -1 if the backend ran out of page tables.
 * The entry is new: its accessed and dirty bits are clear, even where it
 * replaces one for the same frame.
 */
int hw_enter(uint64_t id, vm_offset_t va, vm_paddr_t pa, vm_prot_t prot);
void hw_remove(uint64_t id, vm_offset_t sva, vm_offset_t eva);
/* Each page mapped in [sva, eva) keeps only the rights in prot (which has READ). */
void hw_protect(uint64_t id, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot);

/* Hardware accessed/dirty bits of the page mapped at va. */
void hw_read_ad(uint64_t id, vm_offset_t va, bool *accessed, bool *dirty);
void hw_clear_ad(uint64_t id, vm_offset_t va, bool accessed, bool dirty);

/* Where the VM can read and write frame pa. */
void *hw_frame_address(vm_paddr_t pa);

#endif
