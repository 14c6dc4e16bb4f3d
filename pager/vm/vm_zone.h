/*
 * Zones: allocators of one fixed-size structure (objects, map entries, radix
 * nodes, pv entries), carved from wired pages of the pool - the same pages
 * user memory comes from, as FreeBSD's UMA takes its memory from the VM.
 *
 * Each page is a slab: a header, then items. A slab with free items is on
 * its zone's partial list; a slab whose last item is freed goes back to the
 * VM at once, so page counts return exactly to where they were.
 */
#ifndef VM_VM_ZONE_H
#define VM_VM_ZONE_H

#include "vm.h"

struct vm_slab;

struct vm_zone {
	const char *name;
	size_t size;			/* of one item, rounded up to 8 */
	unsigned per_slab;
	struct vm_slab *partial;	/* slabs with a free item */
	uint64_t nused;			/* items handed out */
	uint64_t npages;		/* slabs */
	bool kept_zeroed;		/* see vm_zone_init_zeroed */
};

void vm_zone_init(struct vm_zone *z, const char *name, size_t size);
/*
 * A zone whose items stay zeroed while free: the zone zeroes an item the
 * first time it hands it out, and its user frees each item zeroed again - as
 * a radix node is, empty - but for its first word, which the free list
 * borrows. So vm_zone_alloc of a used item clears one word, not the item.
 */
void vm_zone_init_zeroed(struct vm_zone *z, const char *name, size_t size);
/* A zeroed item, or NULL when no page is free. */
void *vm_zone_alloc(struct vm_zone *z);
/* The same, not zeroed: for a caller that sets every field at once. */
void *vm_zone_alloc_uninit(struct vm_zone *z);
void vm_zone_free(struct vm_zone *z, void *item);

#endif
