/* The page-fault procedure (vm_fault.c) and what it tells its caller. */
#ifndef VM_VM_FAULT_H
#define VM_VM_FAULT_H

#include "vm_map.h"

/* fault_flags */
#define VM_FAULT_NORMAL 0x0
#define VM_FAULT_WIRE   0x1	/* fault the page in and wire it (mlock) */
#define VM_FAULT_DIRTY  0x2	/* the page will be written: mark it dirty */

/* Read-ahead window, in pages (FreeBSD's VM_FAULT_READ_AHEAD_*). */
#define VM_FAULT_READ_AHEAD_MIN  7
#define VM_FAULT_READ_AHEAD_INIT 15
#define VM_FAULT_READ_AHEAD_MAX  127
#define VM_FAULT_READ_DEFAULT    (1 + VM_FAULT_READ_AHEAD_INIT)

/* How a fault was served, for counters and the fault trace. */
enum vm_fault_outcome {
	FAULT_OUTCOME_SOFT,	/* the page was resident in the first object */
	FAULT_OUTCOME_BACKING,	/* resident lower in the chain, mapped read-only */
	FAULT_OUTCOME_ZERO,	/* zero fill */
	FAULT_OUTCOME_COW_COPY,	/* copied up from a backing object */
	FAULT_OUTCOME_COW_MOVE,	/* moved up from a private backing object */
	FAULT_OUTCOME_PAGER,	/* read from a pager */
	FAULT_OUTCOME_ERROR,
};

struct vm_fault_info {
	enum vm_fault_outcome outcome;
	uint32_t object_id;	/* the object the page was found in */
	int depth;		/* its place in the chain: 0 is the first object */
	int prefaulted;		/* neighbours mapped along with it */
	int paged_in;		/* pages a pager read (the cluster) */
};

/*
 * Handles a fault at vaddr of type fault_type (VM_PROT_READ / WRITE /
 * EXECUTE) in map: on success the page, and maybe some neighbours, are
 * entered in map's pmap. Returns KERN_SUCCESS or the reason it failed:
 * KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE, KERN_OUT_OF_BOUNDS,
 * KERN_FAILURE (the pager failed), KERN_RESOURCE_SHORTAGE. info may be NULL.
 */
int vm_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type, int fault_flags,
	     struct vm_fault_info *info);

#endif
