/*
 * Resident pages: one struct vm_page for each frame of the pool.
 *
 * A page is either free (on the free queue, no object) or belongs to exactly
 * one object at one index. The free queue keeps pages known to be zero
 * (PG_ZERO) at its head, so zero fill can skip the zeroing when it can.
 */
#ifndef VM_VM_PAGE_H
#define VM_VM_PAGE_H

#include "vm.h"

struct vm_object;
struct pv_entry;

enum vm_page_queue {
	PQ_NONE,	/* wired, or not on any queue */
	PQ_FREE,
	PQ_ACTIVE,	/* resident in an object, recently used */
	PQ_INACTIVE,	/* resident, a candidate for page-out */
};

#define PG_ZERO 0x01	/* free page known to be all zeros */

typedef struct vm_page {
	vm_paddr_t phys;		/* the frame */
	struct vm_object *object;	/* NULL when free or used by the VM itself */
	vm_pindex_t pindex;		/* index in object */
	struct vm_page *qnext, *qprev;	/* on queue `queue` */
	struct pv_entry *pv_list;	/* where it is mapped (pmap.c) */
	uint16_t wire_count;		/* > 0: never paged out */
	uint8_t queue;			/* enum vm_page_queue */
	uint8_t flags;			/* PG_ */
	bool valid;			/* contents are good (whole page) */
	bool dirty;			/* differs from the backing store */
	bool busy;			/* contents being filled: wait, don't map */
	bool referenced;		/* seen accessed since last cleared */
} *vm_page_t;

/* A range of frames given to the VM [start, end). */
struct vm_phys_range {
	vm_paddr_t start, end;
};

/*
 * Takes the frames of `ranges` as the pages the VM manages. The frames of
 * [used_start, used_end) are someone else's already (the server's own image)
 * and stay out of the free queue; so do the frames the vm_page array itself
 * needs, taken from the largest range.
 */
void vm_page_startup(const struct vm_phys_range *ranges, int nranges,
		     vm_paddr_t used_start, vm_paddr_t used_end);

/*
 * Allocates a page. With an object, the page is inserted at pindex, valid
 * and clean are false, and it is on no queue; without an object it is wired
 * (for the VM's own structures). Returns NULL when no page is free.
 * VM_ALLOC_ZERO prefers a page known to be zero: PG_ZERO in m->flags says
 * whether it got one, and the caller zeroes it if not.
 */
#define VM_ALLOC_ZERO 0x1
vm_page_t vm_page_alloc(struct vm_object *object, vm_pindex_t pindex, int flags);

/*
 * Allocates npages physically contiguous pages (DMA memory for a device)
 * and inserts them in object at pindex, pindex + 1, ... As vm_page_alloc's,
 * they are not valid and on no queue; PG_ZERO says which are known to be
 * zero. Returns the first; the others follow it (m + 1 is the next frame's
 * page). NULL when no run of free frames is long enough, or out of memory.
 */
vm_page_t vm_page_alloc_contig(struct vm_object *object, vm_pindex_t pindex, uint64_t npages);

/* Removes the page from its object and mappings and frees it. */
void vm_page_free(vm_page_t m);

/* The page for a frame, or NULL if the frame is not managed. */
vm_page_t vm_page_from_phys(vm_paddr_t pa);

void vm_page_wire(vm_page_t m);
void vm_page_unwire(vm_page_t m);
/* Marks a page recently used (the active queue) unless wired. */
void vm_page_activate(vm_page_t m);
/* Lowers a page's priority: the inactive queue (MADV_DONTNEED, drop-behind). */
void vm_page_deactivate(vm_page_t m);

/* How many pages are on `queue` now (FreeBSD's v_active_count and friends). */
uint64_t vm_page_queue_length(enum vm_page_queue queue);

/* Zeroes up to n free pages ahead of need; returns how many it zeroed. */
uint64_t vm_page_prezero(uint64_t n);

/* Checks the queues against the counters; tests call it after every step. */
void vm_page_validate(void);

#endif
