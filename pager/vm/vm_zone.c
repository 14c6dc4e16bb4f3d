#include "vm_zone.h"
#include "pmap.h"
#include "vm_page.h"

struct vm_slab {
	vm_page_t page;
	struct vm_slab *next, *prev;	/* on the zone's partial list */
	void *free_items;		/* freed items, linked through their first word */
	char *unused;			/* items never handed out: from here to the end */
	unsigned nfree;			/* both kinds */
};

#define SLAB_HEADER ((sizeof(struct vm_slab) + 7) & ~(size_t)7)

void vm_zone_init(struct vm_zone *z, const char *name, size_t size)
{
	memset(z, 0, sizeof(*z));
	z->name = name;
	z->size = (size + 7) & ~(size_t)7;
	z->per_slab = (unsigned)((PAGE_SIZE - SLAB_HEADER) / z->size);
	VM_ASSERT(z->per_slab > 0);
}

void vm_zone_init_zeroed(struct vm_zone *z, const char *name, size_t size)
{
	vm_zone_init(z, name, size);
	z->kept_zeroed = true;
}

static void partial_insert(struct vm_zone *z, struct vm_slab *slab)
{
	slab->prev = NULL;
	slab->next = z->partial;
	if (z->partial != NULL)
		z->partial->prev = slab;
	z->partial = slab;
}

static void partial_remove(struct vm_zone *z, struct vm_slab *slab)
{
	if (slab->prev != NULL)
		slab->prev->next = slab->next;
	else
		z->partial = slab->next;
	if (slab->next != NULL)
		slab->next->prev = slab->prev;
}

/* A new slab on the partial list, or NULL when the VM has no page. */
static struct vm_slab *slab_create(struct vm_zone *z)
{
	vm_page_t m = vm_page_alloc(NULL, 0, 0);
	struct vm_slab *slab;

	if (m == NULL)
		return NULL;
	slab = pmap_page_address(m);
	slab->page = m;
	slab->free_items = NULL;
	slab->unused = (char *)slab + SLAB_HEADER;
	slab->nfree = z->per_slab;
	partial_insert(z, slab);
	z->npages++;
	return slab;
}

/*
 * An item from a slab that has one: a freed one first. *fresh says whether
 * it was never used, so holds whatever the page held before.
 */
static inline void *take_item(struct vm_zone *z, struct vm_slab *slab, bool *fresh)
{
	void *item = slab->free_items;

	*fresh = item == NULL;
	if (item != NULL) {
		slab->free_items = *(void **)item;
	} else {
		item = slab->unused;
		slab->unused += z->size;
	}
	if (--slab->nfree == 0)
		partial_remove(z, slab);
	z->nused++;
	return item;
}

static __attribute__((noinline)) void *alloc_from_new_slab(struct vm_zone *z, bool *fresh)
{
	struct vm_slab *slab = slab_create(z);

	return slab != NULL ? take_item(z, slab, fresh) : NULL;
}

void *vm_zone_alloc_uninit(struct vm_zone *z)
{
	bool fresh;

	if (z->partial == NULL)
		return alloc_from_new_slab(z, &fresh);
	return take_item(z, z->partial, &fresh);
}

void *vm_zone_alloc(struct vm_zone *z)
{
	bool fresh;
	uint64_t *item = z->partial != NULL ? take_item(z, z->partial, &fresh) :
					      alloc_from_new_slab(z, &fresh);

	if (item == NULL)
		return NULL;
	if (z->kept_zeroed && !fresh)
		item[0] = 0;	/* the rest is zero already: only the free list's link */
	else
		memset(item, 0, z->size);
	return item;
}

void vm_zone_free(struct vm_zone *z, void *item)
{
	struct vm_slab *slab = (void *)trunc_page((uintptr_t)item);

	*(void **)item = slab->free_items;
	slab->free_items = item;
	z->nused--;
	if (slab->nfree++ == 0)
		partial_insert(z, slab);
	if (slab->nfree == z->per_slab) {
		partial_remove(z, slab);
		z->npages--;
		vm_page_unwire(slab->page);
		vm_page_free(slab->page);
	}
}
