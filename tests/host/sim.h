/*
 * A simulated machine for the VM core on the host: physical memory, and an
 * MMU with a page table per address space (pmap_hw.h). Tests read and write
 * "user memory" through it; an access the simulated page table does not
 * allow is a fault, which the test hands to vm_fault() as the VM server would.
 */
#ifndef TESTS_HOST_SIM_H
#define TESTS_HOST_SIM_H

#include "vm.h"

#define SIM_PHYS_BASE 0x80000000UL
/* A page of device registers: not the VM's, but a pmap may map it unmanaged. */
#define SIM_DEVICE_PA 0x10001000UL

/* Boots the VM over npages simulated frames. */
void sim_boot(uint64_t npages);

/*
 * One access through the simulated MMU. Returns a pointer to the byte, or
 * NULL on a fault (not mapped, or mapped without the right).
 */
uint8_t *sim_translate(uint64_t space, vm_offset_t va, vm_prot_t access);

/*
 * What the simulated page table allows at va (VM_PROT_NONE: nothing mapped),
 * without touching the accessed and dirty bits as an access would.
 */
vm_prot_t sim_prot(uint64_t space, vm_offset_t va);

/* Pages the simulated page tables map, across all spaces (leak checks). */
uint64_t sim_mapped_pages(void);
uint64_t sim_spaces_in_use(void);

#endif
