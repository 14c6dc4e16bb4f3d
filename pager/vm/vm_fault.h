/* The page-fault procedure (vm_fault.c) and what it tells its caller. */
#ifndef VM_VM_FAULT_H
#define VM_VM_FAULT_H

#include "vm_map.h"

/* fault_flags */
#define VM_FAULT_NORMAL 0x0
#define VM_FAULT_WIRE   0x1	/* fault the page in and wire it (mlock) */
#define VM_FAULT_DIRTY  0x2	/* the page will be written: mark it dirty */
/*
 * The second half of a fault that waited (KERN_PENDING) for a busy page:
 * not counted again, and after a page-in it started itself, info->behind
 * and info->ahead (as that first half left them) say which neighbours the
 * pager read, to be mapped along with the page.
 */
#define VM_FAULT_RESUME 0x4

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
	FAULT_OUTCOME_PAGER,	/* read from a pager (or being read: KERN_PENDING) */
	FAULT_OUTCOME_BUSY,	/* the page was busy with I/O: KERN_PENDING */
	FAULT_OUTCOME_ERROR,
};

struct vm_fault_info {
	enum vm_fault_outcome outcome;
	uint32_t object_id;	/* the object the page was found in */
	int depth;		/* its place in the chain: 0 is the first object */
	int prefaulted;		/* neighbours mapped along with it */
	int paged_in;		/* pages a pager read, or is reading (the cluster) */
	int behind, ahead;	/* ... the part of it before and after the page */
	vm_page_t busy;		/* KERN_PENDING: the busy page to wait for */
};

/*
 * Handles a fault at vaddr of type fault_type (VM_PROT_READ / WRITE /
 * EXECUTE) in map: on success the page, and maybe some neighbours, are
 * entered in map's pmap. Returns KERN_SUCCESS or the reason it failed:
 * KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE, KERN_OUT_OF_BOUNDS,
 * KERN_FAILURE (the pager failed), KERN_RESOURCE_SHORTAGE - or
 * KERN_PENDING: the page is busy with pager I/O (this fault may have just
 * started it); the caller waits until info->busy is no longer busy and
 * calls again with VM_FAULT_RESUME. info may be NULL only for faults on
 * memory without an asynchronous pager.
 */
int vm_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type, int fault_flags,
	     struct vm_fault_info *info);

#endif
