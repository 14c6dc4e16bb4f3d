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
#define OBJ_CLEANED    0x4	/* ... its last write-back started */

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
	/*
	 * Every resident page's index lies in [lo_pindex, hi_pindex] (empty:
	 * lo > hi). A walk down a shadow chain asks each object for one index;
	 * a shadow holds the few pages its process wrote, so most objects can
	 * answer "no" with two compares, without the radix tree.
	 */
	vm_pindex_t lo_pindex, hi_pindex;
	/*
	 * Pager reads and writes under way (FreeBSD's paging_in_progress).
	 * An object whose last reference goes while it is non-zero dies only
	 * when it drops to zero: the I/O still has its pages.
	 */
	int paging_in_progress;
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
 * What happens when an object's last user but its shadow goes: see
 * release_to_shadow in vm_object.c. Eager is FreeBSD's; lazy lets pages move
 * up one by one on write (so that v_cow_optim has work) and collapses at
 * the next fork. The VM server takes it from the boot option collapse=.
 */
enum vm_collapse_policy { VM_COLLAPSE_EAGER, VM_COLLAPSE_LAZY };
extern enum vm_collapse_policy vm_collapse_policy;

/* vm_object_collapse at every level of the chain from object down. */
void vm_object_collapse_chain(vm_object_t object);

/*
 * Shortens the chain below object (FreeBSD's vm_object_collapse): a backing
 * object only object refers to is absorbed - its pages move up, it dies;
 * one that others share but whose pages object all hides is bypassed.
 */
void vm_object_collapse(vm_object_t object);

/*
 * Makes *object the backing object of a new anonymous object for `length`
 * pages from *offset, which replaces it; the caller's reference moves to the
 * new object. An anonymous *object only the caller refers to needs no
 * shadow and stays as it is. Returns KERN_SUCCESS or KERN_RESOURCE_SHORTAGE.
 */
int vm_object_shadow(vm_object_t *object, vm_pindex_t *offset, vm_pindex_t length);

static inline vm_page_t vm_object_page_lookup(vm_object_t object, vm_pindex_t pindex)
{
	if (pindex < object->lo_pindex || pindex > object->hi_pindex)
		return NULL;
	return vm_radix_lookup(&object->pages, pindex);
}

/*
 * One step down a shadow chain, past every object that cannot have page
 * pindex: one with no resident page in range and an object below it - an
 * object with a pager is always the last of its chain (only anonymous
 * objects shadow, and collapse never takes a pager's), so none is passed.
 * On return *object (at *pindex, *depth levels further) might have it: it
 * is in range, or the last object; false when there is no next object.
 * One load a level decides both: the next object's backing object.
 */
static inline bool vm_object_chain_next(vm_object_t *object, vm_pindex_t *pindex, int *depth)
{
	vm_object_t o = *object, next = o->backing_object;
	vm_pindex_t i = *pindex;
	int d = *depth;

	if (next == NULL)
		return false;
	do {
		i += o->backing_offset;
		o = next;
		d++;
		next = o->backing_object;
	} while (next != NULL && (i < o->lo_pindex || i > o->hi_pindex));
	*object = o;
	*pindex = i;
	*depth = d;
	return true;
}

/* Puts m in object at pindex (free there). Returns 0, or -1 when out of memory. */
int vm_object_page_insert(vm_object_t object, vm_page_t m, vm_pindex_t pindex);
/* Takes m out of its object. */
void vm_object_page_remove(vm_page_t m);
/* Moves m to another object and index (copy-on-write by move). */
int vm_object_page_rename(vm_page_t m, vm_object_t object, vm_pindex_t pindex);
/* Frees the object's resident pages in [start, end). */
void vm_object_page_remove_range(vm_object_t object, vm_pindex_t start, vm_pindex_t end);

/*
 * Pager I/O starts on object / ends. When a dead object's last ends, it
 * writes back its dirty pages (once), and when that ends too, it is freed.
 */
void vm_object_pip_add(vm_object_t object);
void vm_object_pip_wakeup(vm_object_t object);

/*
 * Writes back the dirty pages of object in [start, end) (FreeBSD's
 * vm_object_page_clean), in runs of consecutive pages. Returns VM_PAGER_OK
 * when every page there is clean; VM_PAGER_PEND while some are being
 * written (*busy, if not NULL, is one of them: wait for it and call again);
 * VM_PAGER_ERROR if a write failed (its pages stay dirty).
 */
int vm_object_page_clean(vm_object_t object, vm_pindex_t start, vm_pindex_t end,
			 vm_page_t *busy);

/* Frees the clean, unwired, idle pages of [start, end) (msync's MS_INVALIDATE). */
void vm_object_page_invalidate(vm_object_t object, vm_pindex_t start, vm_pindex_t end);

/* Objects in the chain below object, itself included. */
int vm_object_chain_depth(vm_object_t object);

/* Checks the object's pages and shadow links. */
void vm_object_validate(vm_object_t object);

#endif
