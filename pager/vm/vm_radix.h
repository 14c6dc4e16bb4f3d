/*
 * A radix tree from 64-bit keys to pointers: resident pages by index in an
 * object (as FreeBSD's vm_radix), and mappings by page number in a pmap.
 *
 * Each node has 64 slots, one per 6 bits of key; the tree is as tall as its
 * largest key needs, so a lookup costs O(log64 key) - two levels for an object
 * of 16 MiB, five for all of Sv39's user space - however many keys it holds.
 */
#ifndef VM_VM_RADIX_H
#define VM_VM_RADIX_H

#include "vm.h"

struct vm_radix {
	void *root;		/* a node, or NULL when empty */
	int height;		/* levels of nodes; keys < 64^height fit */
	int top_shift;		/* 6 * (height - 1): the root's slot is key >> top_shift */
	/*
	 * The last bottom-level node a lookup or insert reached, and its keys
	 * >> 6. Faults come in runs of neighbours, which share that node: then
	 * a lookup is one compare and one load. NULL when it was freed.
	 */
	void *hint_leaf;
	uint64_t hint_prefix;
};

void vm_radix_startup(void);

static inline void vm_radix_init(struct vm_radix *rt)
{
	rt->root = NULL;
	rt->height = 0;
	rt->top_shift = 0;
	rt->hint_leaf = NULL;
	rt->hint_prefix = 0;
}

static inline bool vm_radix_is_empty(const struct vm_radix *rt)
{
	return rt->root == NULL;
}

/* Stores value (not NULL) at key, which must be free. Returns 0, or -1 when out of memory. */
int vm_radix_insert(struct vm_radix *rt, uint64_t key, void *value);
/* The value at key, or NULL. (It updates the hint: the tree is not const.) */
void *vm_radix_lookup(struct vm_radix *rt, uint64_t key);
/*
 * The value with the smallest key in [first, last] (its key in *found), or
 * NULL. The walk stops at last: a range walk never visits nodes past its end.
 */
void *vm_radix_lookup_range(struct vm_radix *rt, uint64_t first, uint64_t last,
			    uint64_t *found);
/* The value with the smallest key >= key (its key in *found), or NULL. */
static inline void *vm_radix_lookup_ge(struct vm_radix *rt, uint64_t key, uint64_t *found)
{
	return vm_radix_lookup_range(rt, key, UINT64_MAX, found);
}
/* Removes and returns the value at key (NULL if none); frees emptied nodes. */
void *vm_radix_remove(struct vm_radix *rt, uint64_t key);

/*
 * The 64 slots of the bottom-level node that holds key, or NULL if there is
 * none: slot i holds key (key & ~63) + i. For walks over ranges that change
 * values but not the tree; the pointer is good until the next insert or
 * remove.
 */
void **vm_radix_leaf_slots(struct vm_radix *rt, uint64_t key);
#define VM_RADIX_LEAF_KEYS 64

/* Nodes in use, for leak checks. */
uint64_t vm_radix_nodes_in_use(void);

#endif
