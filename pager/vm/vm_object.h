/*
 * VM objects: what a map entry maps. An object holds resident pages by index
 * and may be backed by a pager (a store of data) and/or by another object
 * (a shadow chain: copy-on-write). A lookup that misses in an object goes on
 * to its backing object at index + backing_offset; a chain's end is zero fill.
 *
 *     entry -> first_object --backing--> object --backing--> object (pager)
 *              (private copies)          (older copies)      (the file)
 */
#ifndef VM_VM_OBJECT_H
#define VM_VM_OBJECT_H

#include "vm.h"
#include "vm_page.h"
#include "vm_pager.h"
#include "vm_radix.h"

#define OBJ_ONEMAPPING 0x1	/* one map entry maps it, at one offset */
#define OBJ_DEAD       0x2	/* being torn down */

typedef struct vm_object {
	uint32_t id;				/* for traces */
	uint32_t flags;				/* OBJ_ */
	const struct vm_pager_ops *pager;	/* NULL: anonymous */
	void *handle;				/* the pager's own data */
	vm_pindex_t size;			/* in pages */
	int ref_count;				/* map entries and shadows */
	int shadow_count;			/* objects whose backing object it is */
	struct vm_object *backing_object;
	vm_pindex_t backing_offset;		/* in pages */
	struct vm_object *shadows;		/* first of the objects shadowing it */
	struct vm_object *shadow_next, *shadow_prev;
	struct vm_radix pages;			/* resident pages by index */
	uint64_t resident_page_count;
} *vm_object_t;

void vm_object_startup(void);

/* A new anonymous object of `size` pages, one reference; NULL when out of memory. */
vm_object_t vm_object_allocate(vm_pindex_t size);
/* A new object backed by a pager. */
vm_object_t vm_object_allocate_pager(const struct vm_pager_ops *pager, void *handle,
				     vm_pindex_t size);

void vm_object_reference(vm_object_t object);
/* Drops a reference; the last one frees the object, its pages, and its
 * reference on its backing object (and so on down the chain). */
void vm_object_deallocate(vm_object_t object);

/*
 * Shortens the chain below object (FreeBSD's vm_object_collapse): a backing
 * object only object refers to is absorbed - its pages move up, it dies;
 * one that others share but whose pages object all hides is bypassed.
 */
void vm_object_collapse(vm_object_t object);

/*
 * Makes *object the backing object of a new anonymous object for `length`
 * pages from *offset, which replaces it; the caller's reference moves to the
 * new object. Returns KERN_SUCCESS or KERN_RESOURCE_SHORTAGE.
 */
int vm_object_shadow(vm_object_t *object, vm_pindex_t *offset, vm_pindex_t length);

static inline vm_page_t vm_object_page_lookup(vm_object_t object, vm_pindex_t pindex)
{
	return vm_radix_lookup(&object->pages, pindex);
}

/* Puts m in object at pindex (free there). Returns 0, or -1 when out of memory. */
int vm_object_page_insert(vm_object_t object, vm_page_t m, vm_pindex_t pindex);
/* Takes m out of its object. */
void vm_object_page_remove(vm_page_t m);
/* Moves m to another object and index (copy-on-write by move). */
int vm_object_page_rename(vm_page_t m, vm_object_t object, vm_pindex_t pindex);
/* Frees the object's resident pages in [start, end). */
void vm_object_page_remove_range(vm_object_t object, vm_pindex_t start, vm_pindex_t end);

/* Objects in the chain below object, itself included. */
int vm_object_chain_depth(vm_object_t object);

/* Checks the object's pages and shadow links. */
void vm_object_validate(vm_object_t object);

#endif
