#include "vm_fault.h"
#include "vm_map.h"
#include "vm_zone.h"

static struct vm_zone map_zone, entry_zone;

void vm_map_startup(void)
{
	vm_zone_init(&map_zone, "vm map", sizeof(struct vm_map));
	vm_zone_init(&entry_zone, "vm map entry", sizeof(struct vm_map_entry));
}

/* ---- the AVL tree, keyed by start ------------------------------------- */

static int height(vm_map_entry_t e)
{
	return e != NULL ? e->height : 0;
}

static void update_height(vm_map_entry_t e)
{
	int l = height(e->left), r = height(e->right);

	e->height = 1 + (l > r ? l : r);
}

static vm_map_entry_t rotate_right(vm_map_entry_t y)
{
	vm_map_entry_t x = y->left;

	y->left = x->right;
	x->right = y;
	update_height(y);
	update_height(x);
	return x;
}

static vm_map_entry_t rotate_left(vm_map_entry_t x)
{
	vm_map_entry_t y = x->right;

	x->right = y->left;
	y->left = x;
	update_height(x);
	update_height(y);
	return y;
}

/* Restores |height(left) - height(right)| <= 1 at e; returns the subtree's root. */
static vm_map_entry_t rebalance(vm_map_entry_t e)
{
	int balance;

	update_height(e);
	balance = height(e->left) - height(e->right);
	if (balance > 1) {
		if (height(e->left->left) < height(e->left->right))
			e->left = rotate_left(e->left);
		return rotate_right(e);
	}
	if (balance < -1) {
		if (height(e->right->right) < height(e->right->left))
			e->right = rotate_right(e->right);
		return rotate_left(e);
	}
	return e;
}

static vm_map_entry_t tree_insert(vm_map_entry_t root, vm_map_entry_t e)
{
	if (root == NULL) {
		e->left = e->right = NULL;
		e->height = 1;
		return e;
	}
	if (e->start < root->start)
		root->left = tree_insert(root->left, e);
	else
		root->right = tree_insert(root->right, e);
	return rebalance(root);
}

static vm_map_entry_t tree_remove_min(vm_map_entry_t root, vm_map_entry_t *min)
{
	if (root->left == NULL) {
		*min = root;
		return root->right;
	}
	root->left = tree_remove_min(root->left, min);
	return rebalance(root);
}

static vm_map_entry_t tree_remove(vm_map_entry_t root, vm_map_entry_t e)
{
	vm_map_entry_t min;

	VM_ASSERT(root != NULL);
	if (e->start < root->start) {
		root->left = tree_remove(root->left, e);
	} else if (e->start > root->start) {
		root->right = tree_remove(root->right, e);
	} else {
		VM_ASSERT(root == e);
		if (e->left == NULL || e->right == NULL)
			return e->left != NULL ? e->left : e->right;
		e->right = tree_remove_min(e->right, &min);
		min->left = e->left;
		min->right = e->right;
		return rebalance(min);
	}
	return rebalance(root);
}

/* ---- entries ---------------------------------------------------------- */

vm_map_entry_t vm_map_search(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t e;

	for (e = map->root; e != NULL;) {
		if (addr < e->start)
			e = e->left;
		else if (addr >= e->end)
			e = e->right;
		else
			return map->hint = e;
	}
	return NULL;
}

/* The last entry starting at or below addr, or NULL. */
static vm_map_entry_t entry_at_or_before(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t e = map->root, best = NULL;

	while (e != NULL) {
		if (e->start <= addr) {
			best = e;
			e = e->right;
		} else {
			e = e->left;
		}
	}
	return best;
}

/* The first entry ending above addr, or NULL. */
static vm_map_entry_t first_entry_after(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t e = entry_at_or_before(map, addr);

	if (e == NULL)
		return map->first;
	return e->end > addr ? e : e->next;
}

/* Puts e (with start and end set) into the tree and the list after prev. */
static void entry_link(vm_map_t map, vm_map_entry_t prev, vm_map_entry_t e)
{
	e->prev = prev;
	e->next = prev != NULL ? prev->next : map->first;
	if (e->next != NULL)
		e->next->prev = e;
	else
		map->last = e;
	if (prev != NULL)
		prev->next = e;
	else
		map->first = e;
	map->root = tree_insert(map->root, e);
	map->nentries++;
	map->timestamp++;
}

static void entry_unlink(vm_map_t map, vm_map_entry_t e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		map->first = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		map->last = e->prev;
	map->root = tree_remove(map->root, e);
	if (map->hint == e)
		map->hint = NULL;
	map->nentries--;
	map->timestamp++;
}

/*
 * Splits e at addr: a new entry takes [e->start, addr), e keeps the rest.
 * The halves share e's object (another reference). No other key lies in
 * [old start, addr), so moving e's start keeps the tree ordered.
 */
static int clip_start(vm_map_t map, vm_map_entry_t e, vm_offset_t addr)
{
	vm_map_entry_t front;

	if (addr <= e->start)
		return KERN_SUCCESS;
	if ((front = vm_zone_alloc(&entry_zone)) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	*front = *e;
	front->end = addr;
	if (e->object != NULL)
		vm_object_reference(e->object);
	e->offset += atop(addr - e->start);
	e->start = addr;
	entry_link(map, e->prev, front);
	return KERN_SUCCESS;
}

/* Splits e at addr: e keeps [e->start, addr), a new entry takes the rest. */
static int clip_end(vm_map_t map, vm_map_entry_t e, vm_offset_t addr)
{
	vm_map_entry_t back;

	if (addr >= e->end)
		return KERN_SUCCESS;
	if ((back = vm_zone_alloc(&entry_zone)) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	*back = *e;
	back->start = addr;
	back->offset += atop(addr - e->start);
	if (e->object != NULL)
		vm_object_reference(e->object);
	e->end = addr;
	entry_link(map, e, back);
	return KERN_SUCCESS;
}

/* ---- maps ------------------------------------------------------------- */

vm_map_t vm_map_create(vm_offset_t min, vm_offset_t max)
{
	vm_map_t map = vm_zone_alloc(&map_zone);

	if (map == NULL)
		return NULL;
	if ((map->pmap = pmap_create()) == NULL) {
		vm_zone_free(&map_zone, map);
		return NULL;
	}
	map->min_offset = min;
	map->max_offset = max;
	return map;
}

void vm_map_destroy(vm_map_t map)
{
	if (map->first != NULL)
		vm_map_delete(map, map->first->start, map->last->end);
	VM_ASSERT(map->nentries == 0);
	pmap_destroy(map->pmap);
	vm_zone_free(&map_zone, map);
}

/*
 * Can e simply grow to cover [e->end, end) instead of a new entry? Only for
 * anonymous memory that nothing else sees: sbrk's heap grows this way.
 */
static bool can_extend(vm_map_entry_t e, vm_object_t object, vm_prot_t prot,
		       vm_prot_t max, int cow)
{
	vm_object_t o = e->object;

	if (object != NULL || e->protection != prot || e->max_protection != max ||
	    e->eflags != cow || e->wired_count != 0 || e->inheritance != VM_INHERIT_COPY ||
	    e->behavior != MAP_BEHAV_NORMAL || (cow & MAP_ENTRY_DEVICE))
		return false;
	return o == NULL || (o->pager == NULL && o->ref_count == 1 && o->backing_object == NULL &&
			     (o->flags & OBJ_ONEMAPPING) &&
			     e->offset + atop(e->end - e->start) == o->size);
}

int vm_map_insert(vm_map_t map, vm_object_t object, vm_pindex_t offset,
		  vm_offset_t start, vm_offset_t end, vm_prot_t prot, vm_prot_t max,
		  int cow)
{
	vm_map_entry_t prev, next, e;

	if (start >= end || (start | end) & PAGE_MASK || (prot & ~max) != 0)
		return KERN_INVALID_ARGUMENT;
	if (start < map->min_offset || end > map->max_offset)
		return KERN_NO_SPACE;
	prev = entry_at_or_before(map, start);
	next = prev != NULL ? prev->next : map->first;
	if ((prev != NULL && prev->end > start) || (next != NULL && next->start < end))
		return KERN_NO_SPACE;
	if (prev != NULL && prev->end == start && can_extend(prev, object, prot, max, cow)) {
		if (prev->object != NULL)
			prev->object->size += atop(end - start);
		prev->end = end;
		map->timestamp++;
		return KERN_SUCCESS;
	}
	if ((e = vm_zone_alloc(&entry_zone)) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	e->start = start;
	e->end = end;
	e->object = object;
	e->offset = offset;
	e->protection = prot;
	e->max_protection = max;
	e->inheritance = VM_INHERIT_COPY;
	e->eflags = (uint16_t)cow;
	e->next_read = start;
	entry_link(map, prev, e);
	return KERN_SUCCESS;
}

int vm_map_insert_device(vm_map_t map, vm_offset_t start, vm_paddr_t pa)
{
	vm_prot_t prot = VM_PROT_READ | VM_PROT_WRITE;
	int rv;

	rv = vm_map_insert(map, NULL, atop(pa), start, start + PAGE_SIZE, prot, prot,
			   MAP_ENTRY_DEVICE);
	if (rv != KERN_SUCCESS)
		return rv;
	vm_map_lookup_entry(map, start)->inheritance = VM_INHERIT_NONE;
	if ((rv = pmap_enter_unmanaged(map->pmap, start, pa, prot)) != KERN_SUCCESS)
		vm_map_delete(map, start, start + PAGE_SIZE);
	return rv;
}

int vm_map_find_space(vm_map_t map, vm_offset_t length, vm_offset_t *addr)
{
	vm_offset_t start = round_page(*addr) > map->min_offset ? round_page(*addr)
								 : map->min_offset;
	vm_map_entry_t e;

	for (e = first_entry_after(map, start); e != NULL && e->start < start + length;
	     e = e->next)
		start = e->end > start ? e->end : start;
	if (start + length > map->max_offset || start + length < start)
		return KERN_NO_SPACE;
	*addr = start;
	return KERN_SUCCESS;
}

/*
 * Unwires the pages an entry wired, those of [e->start, end_va): all of
 * them, or as far as a failed wiring got - a page further on may be wired
 * by another entry (shared memory) and is not this one's to unwire. They
 * are in its first object - wiring made every copy - whether mapped still
 * or not (mprotect may have removed the mappings), so the walk is over the
 * object, as FreeBSD's.
 */
static void entry_unwire_to(vm_map_t map, vm_map_entry_t e, vm_offset_t end_va)
{
	vm_pindex_t pindex = e->offset, end = e->offset + atop(end_va - e->start), found;
	vm_page_t m;

	while (e->object != NULL && pindex < end &&
	       (m = vm_radix_lookup_range(&e->object->pages, pindex, end - 1, &found)) != NULL) {
		if (m->wire_count > 0)
			vm_page_unwire(m);
		pmap_unwire(map->pmap, e->start + ptoa(found - e->offset));
		pindex = found + 1;
	}
	e->wired_count = 0;
	e->eflags &= (uint16_t)~(MAP_ENTRY_USER_WIRED | MAP_ENTRY_WIRING);
}

static void entry_unwire(vm_map_t map, vm_map_entry_t e)
{
	entry_unwire_to(map, e, e->end);
}

/*
 * Removes one entry whose mappings are gone. Pages of an anonymous object
 * that only this entry maps can go now (FreeBSD's OBJ_ONEMAPPING test):
 * no other entry or shadow can reach them.
 */
static void entry_delete(vm_map_t map, vm_map_entry_t e)
{
	vm_object_t object = e->object;

	if (e->wired_count > 0)
		entry_unwire(map, e);
	entry_unlink(map, e);
	if (object != NULL) {
		if (object->pager == NULL && (object->flags & OBJ_ONEMAPPING) &&
		    object->ref_count > 1)
			vm_object_page_remove_range(object, e->offset,
						    e->offset + atop(e->end - e->start));
		vm_object_deallocate(object);
	}
	vm_zone_free(&entry_zone, e);
}

int vm_map_delete(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	vm_map_entry_t e, next;
	int rv;

	for (e = first_entry_after(map, start); e != NULL && e->start < end; e = next) {
		if ((rv = clip_start(map, e, start)) != KERN_SUCCESS ||
		    (rv = clip_end(map, e, end)) != KERN_SUCCESS)
			return rv;
		next = e->next;
		pmap_remove(map->pmap, e->start, e->end);
		if (e->eflags & MAP_ENTRY_DEVICE)
			pmap_remove_unmanaged(map->pmap, e->start, e->end);
		entry_delete(map, e);
	}
	return KERN_SUCCESS;
}

bool vm_map_range_mapped(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	vm_map_entry_t e = vm_map_lookup_entry(map, start);

	for (; e != NULL && e->end < end; e = e->next)
		if (e->next == NULL || e->next->start != e->end)
			return false;
	return e != NULL;
}

/*
 * The object whose pages [*first, *last) of e's object stand for: the last
 * of its chain (FreeBSD's vm_object_sync walks down too: a private
 * mapping's own copies have no store, but the file below them has), the
 * range moved by the offsets on the way and cut at its end. NULL if it has
 * no store to write to.
 */
static vm_object_t sync_target(vm_map_entry_t e, vm_pindex_t *first, vm_pindex_t *last)
{
	vm_object_t object = e->object;

	if (object == NULL)
		return NULL;
	for (; object->backing_object != NULL; object = object->backing_object) {
		*first += object->backing_offset;
		*last += object->backing_offset;
	}
	if (*last > object->size)
		*last = object->size;
	if (object->pager == NULL || object->pager->putpages == NULL || *first >= *last)
		return NULL;
	return object;
}

int vm_map_sync(vm_map_t map, vm_offset_t start, vm_offset_t end, bool invalidate,
		vm_page_t *busy)
{
	int result = VM_PAGER_OK, rv;
	vm_map_entry_t e;

	for (e = first_entry_after(map, start); e != NULL && e->start < end; e = e->next) {
		vm_offset_t from = e->start > start ? e->start : start;
		vm_offset_t to = e->end < end ? e->end : end;
		vm_pindex_t first = e->offset + atop(from - e->start);
		vm_pindex_t last = first + atop(to - from);
		vm_object_t object = sync_target(e, &first, &last);

		if (object == NULL)
			continue;
		rv = vm_object_page_clean(object, first, last, busy);
		if (rv == VM_PAGER_OK && invalidate)
			vm_object_page_invalidate(object, first, last);
		if (rv == VM_PAGER_ERROR || (rv == VM_PAGER_PEND && result == VM_PAGER_OK))
			result = rv;
	}
	return result;
}

int vm_map_protect(vm_map_t map, vm_offset_t start, vm_offset_t end, vm_prot_t prot)
{
	vm_map_entry_t e;
	int rv;

	if (!vm_map_range_mapped(map, start, end))
		return KERN_INVALID_ADDRESS;
	/* A device entry keeps the protection its one mapping was made with. */
	for (e = vm_map_lookup_entry(map, start); e != NULL && e->start < end; e = e->next)
		if ((prot & ~e->max_protection) ||
		    ((e->eflags & MAP_ENTRY_DEVICE) && prot != e->protection))
			return KERN_PROTECTION_FAILURE;
	for (e = vm_map_lookup_entry(map, start); e != NULL && e->start < end; e = e->next) {
		if ((rv = clip_start(map, e, start)) != KERN_SUCCESS ||
		    (rv = clip_end(map, e, end)) != KERN_SUCCESS)
			return rv;
		/* Lowering takes effect now; raising, at the next fault. */
		pmap_protect(map->pmap, e->start, e->end, prot);
		e->protection = prot;
	}
	map->timestamp++;
	return KERN_SUCCESS;
}

/*
 * The first touch of untouched anonymous memory: its object is born now,
 * private. (Out of line, as the other slow steps of a lookup: the common
 * lookup needs no saved registers.) A device entry has no object either,
 * and never gets one: its page was mapped with it, so a fault there is an
 * access the entry does not allow - and must never become a zero fill.
 */
static __attribute__((noinline)) int entry_make_object(vm_map_entry_t e)
{
	if (e->eflags & MAP_ENTRY_DEVICE)
		return KERN_PROTECTION_FAILURE;
	if ((e->object = vm_object_allocate(atop(e->end - e->start))) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	e->offset = 0;
	e->eflags &= (uint16_t)~MAP_ENTRY_NEEDS_COPY;
	return KERN_SUCCESS;
}

/* The first write to a needs-copy entry makes the private copy's object. */
static __attribute__((noinline)) int entry_make_shadow(vm_map_t map, vm_map_entry_t e)
{
	if (vm_object_shadow(&e->object, &e->offset, atop(e->end - e->start)) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	e->eflags &= (uint16_t)~MAP_ENTRY_NEEDS_COPY;
	map->timestamp++;
	return KERN_SUCCESS;
}

int vm_map_lookup(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
		  vm_map_entry_t *entryp, vm_object_t *object, vm_pindex_t *pindex,
		  vm_prot_t *prot, bool *wired)
{
	vm_map_entry_t e = vm_map_lookup_entry(map, vaddr);
	int rv;

	if (e == NULL)
		return KERN_INVALID_ADDRESS;
	if ((fault_type & VM_PROT_ALL & ~e->protection) != 0)
		return KERN_PROTECTION_FAILURE;
	*wired = e->wired_count > 0;
	if (*wired)	/* a wiring fault takes every right the entry gives */
		fault_type = e->protection | (fault_type & VM_PROT_COPY);
	*prot = e->protection;
	if (e->object == NULL && (rv = entry_make_object(e)) != KERN_SUCCESS)
		return rv;
	if (e->eflags & MAP_ENTRY_NEEDS_COPY) {
		if (fault_type & (VM_PROT_WRITE | VM_PROT_COPY)) {
			if (entry_make_shadow(map, e) != KERN_SUCCESS)
				return KERN_RESOURCE_SHORTAGE;
		} else {
			/* A read maps the shared page read-only. */
			*prot &= (vm_prot_t)~VM_PROT_WRITE;
		}
	}
	*entryp = e;
	*object = e->object;
	*pindex = e->offset + atop(vaddr - e->start);
	return KERN_SUCCESS;
}

/* ---- fork ------------------------------------------------------------- */

/* A copy of e for map `to`, with a reference on e's object; NULL if out of memory. */
static vm_map_entry_t entry_clone(vm_map_t to, vm_map_entry_t e)
{
	vm_map_entry_t clone = vm_zone_alloc(&entry_zone);

	if (clone == NULL)
		return NULL;
	*clone = *e;
	clone->wired_count = 0;			/* wiring is not inherited */
	clone->eflags &= (uint16_t)~MAP_ENTRY_USER_WIRED;
	if (clone->object != NULL)
		vm_object_reference(clone->object);
	entry_link(to, to->last, clone);	/* entries come in address order */
	return clone;
}

/*
 * Before a chain is shared, it is made as short as it can be (FreeBSD's
 * vm_map_copy_entry collapses too): at every level, backing objects only the
 * chain above can see are absorbed, hidden ones bypassed - every level,
 * because under the lazy policy a released object may wait anywhere in the
 * chain. So fork-and-exit generations keep a chain a few objects deep.
 */
static void shorten_before_sharing(vm_object_t object)
{
	vm_object_collapse_chain(object);
}

/* VM_INHERIT_SHARE: both maps see the same object, private copy first if due. */
static int fork_share(vm_map_t old, vm_map_t new, vm_map_entry_t e)
{
	if (e->object == NULL && entry_make_object(e) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	if ((e->eflags & MAP_ENTRY_NEEDS_COPY) && entry_make_shadow(old, e) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	shorten_before_sharing(e->object);
	e->object->flags &= ~OBJ_ONEMAPPING;
	return entry_clone(new, e) != NULL ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

/*
 * A wired entry cannot become copy-on-write in the parent (its pages must
 * stay writable without a fault), so the child's copy is made at once, as
 * FreeBSD's vm_fault_copy_entry does: every page of the range is resident
 * in the parent's first object (wiring put it there) and is copied into a
 * new object of the child's, which maps them at its first touch. Not by
 * faults on the child's entry: its protection may forbid them (mlock, then
 * mprotect(PROT_NONE), then fork).
 */
static int fork_copy_now(vm_map_entry_t clone)
{
	vm_object_t source = clone->object, copy;
	vm_pindex_t i, n = atop(clone->end - clone->start);

	if ((copy = vm_object_allocate(n)) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	for (i = 0; i < n; i++) {
		vm_page_t from = vm_object_page_lookup(source, clone->offset + i), to;

		VM_ASSERT(from != NULL && from->valid);
		if ((to = vm_page_alloc(copy, i, 0)) == NULL) {
			vm_object_deallocate(copy);
			return KERN_RESOURCE_SHORTAGE;
		}
		pmap_copy_page(from, to);
		to->valid = to->dirty = true;
		vm_page_activate(to);
	}
	clone->object = copy;
	clone->offset = 0;
	clone->eflags &= (uint16_t)~MAP_ENTRY_NEEDS_COPY;
	vm_object_deallocate(source);		/* the clone's reference */
	return KERN_SUCCESS;
}

/* VM_INHERIT_COPY: copy-on-write in both maps, made lazily (vm_map_lookup). */
static int fork_copy(vm_map_t old, vm_map_t new, vm_map_entry_t e)
{
	vm_map_entry_t clone = entry_clone(new, e);

	if (clone == NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (e->object == NULL)
		return KERN_SUCCESS;		/* nothing touched yet: nothing to share */
	shorten_before_sharing(e->object);
	e->object->flags &= ~OBJ_ONEMAPPING;
	clone->eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
	if (e->wired_count > 0)
		return fork_copy_now(clone);
	if (!(e->eflags & MAP_ENTRY_NEEDS_COPY))
		pmap_protect_hw(old->pmap, e->start, e->end,
				e->protection & (vm_prot_t)~VM_PROT_WRITE);
	e->eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
	return KERN_SUCCESS;
}

vm_map_t vm_map_fork(vm_map_t old)
{
	vm_map_t new = vm_map_create(old->min_offset, old->max_offset);
	vm_map_entry_t e;
	int rv = KERN_SUCCESS;

	if (new == NULL)
		return NULL;
	for (e = old->first; e != NULL && rv == KERN_SUCCESS; e = e->next) {
		if (e->eflags & MAP_ENTRY_DEVICE)
			continue;	/* a device has one owner: never inherited */
		if (e->inheritance == VM_INHERIT_SHARE)
			rv = fork_share(old, new, e);
		else if (e->inheritance == VM_INHERIT_COPY)
			rv = fork_copy(old, new, e);
	}
	old->timestamp++;
	if (rv != KERN_SUCCESS) {
		vm_map_destroy(new);
		return NULL;
	}
	return new;
}

/* ---- attributes of ranges: inheritance, advice, wiring ----------------- */

/*
 * Clips the entries of [start, end) and calls fn on each; the range must be
 * mapped. Stops at the first error.
 */
static int for_each_entry(vm_map_t map, vm_offset_t start, vm_offset_t end,
			  int (*fn)(vm_map_t, vm_map_entry_t, int), int arg)
{
	vm_map_entry_t e;
	int rv;

	if (!vm_map_range_mapped(map, start, end))
		return KERN_INVALID_ADDRESS;
	for (e = vm_map_lookup_entry(map, start); e != NULL && e->start < end; e = e->next) {
		if ((rv = clip_start(map, e, start)) != KERN_SUCCESS ||
		    (rv = clip_end(map, e, end)) != KERN_SUCCESS ||
		    (rv = fn(map, e, arg)) != KERN_SUCCESS)
			return rv;
	}
	map->timestamp++;
	return KERN_SUCCESS;
}

static int set_inheritance(vm_map_t map, vm_map_entry_t e, int inheritance)
{
	(void)map;
	e->inheritance = (uint8_t)inheritance;
	return KERN_SUCCESS;
}

int vm_map_inherit(vm_map_t map, vm_offset_t start, vm_offset_t end, int inheritance)
{
	if (inheritance != VM_INHERIT_SHARE && inheritance != VM_INHERIT_COPY &&
	    inheritance != VM_INHERIT_NONE)
		return KERN_INVALID_ARGUMENT;
	return for_each_entry(map, start, end, set_inheritance, inheritance);
}

/*
 * The resident pages of e's first object in [start, end) that no write
 * would have to copy: MADV_WILLNEED maps them, MADV_DONTNEED lowers them.
 */
static int advise_pages(vm_map_t map, vm_map_entry_t e, int advice)
{
	vm_pindex_t pindex = e->offset, end = e->offset + atop(e->end - e->start), found;
	vm_prot_t prot = e->protection;
	vm_page_t m;

	if (e->object == NULL)
		return KERN_SUCCESS;
	/* Nothing to map where the entry forbids access (FreeBSD's vm_map_pmap_enter). */
	if (advice == MADV_WILLNEED_VM && !(prot & (VM_PROT_READ | VM_PROT_EXECUTE)))
		return KERN_SUCCESS;
	if (e->eflags & MAP_ENTRY_NEEDS_COPY)
		prot &= (vm_prot_t)~VM_PROT_WRITE;
	while (pindex < end &&
	       (m = vm_radix_lookup_range(&e->object->pages, pindex, end - 1, &found)) != NULL) {
		vm_offset_t va = e->start + ptoa(found - e->offset);

		pindex = found + 1;
		if (!m->valid || m->busy)
			continue;
		if (advice == MADV_DONTNEED_VM) {
			vm_page_deactivate(m);
		} else if (pmap_is_prefaultable(map->pmap, va)) {
			/* Read-only unless already dirty: dirty tracking stays exact. */
			if (pmap_enter(map->pmap, va, m, m->dirty ? prot :
				       prot & (vm_prot_t)~VM_PROT_WRITE, false) != KERN_SUCCESS)
				return KERN_RESOURCE_SHORTAGE;
			vm_page_activate(m);
		}
	}
	return KERN_SUCCESS;
}

static int set_behavior(vm_map_t map, vm_map_entry_t e, int behavior)
{
	(void)map;
	e->behavior = (uint8_t)behavior;
	e->read_ahead = 0;
	return KERN_SUCCESS;
}

int vm_map_madvise(vm_map_t map, vm_offset_t start, vm_offset_t end, int advice)
{
	switch (advice) {
	case MADV_NORMAL_VM:
		return for_each_entry(map, start, end, set_behavior, MAP_BEHAV_NORMAL);
	case MADV_RANDOM_VM:
		return for_each_entry(map, start, end, set_behavior, MAP_BEHAV_RANDOM);
	case MADV_SEQUENTIAL_VM:
		return for_each_entry(map, start, end, set_behavior, MAP_BEHAV_SEQUENTIAL);
	case MADV_WILLNEED_VM:
	case MADV_DONTNEED_VM:
		return for_each_entry(map, start, end, advise_pages, advice);
	}
	return KERN_INVALID_ARGUMENT;
}

/* The fault that met a busy page (KERN_PENDING), for vm_map_wire's caller. */
static struct vm_fault_info wire_pending;

/*
 * Wires one entry: every page faulted in with every right the entry gives
 * (copy-on-write copies made now), wired, and mapped wired. Undone if a
 * page cannot be had - or is not here yet: then the caller waits and
 * wires again, and entries wired already are skipped.
 */
static int wire_entry(vm_map_t map, vm_map_entry_t e, int unused)
{
	struct vm_fault_info info;
	vm_offset_t va;
	vm_prot_t type;
	int rv;

	(void)unused;
	if (e->eflags & MAP_ENTRY_USER_WIRED)
		return KERN_SUCCESS;		/* mlock does not nest */
	if (e->protection == VM_PROT_NONE)
		return KERN_PROTECTION_FAILURE;
	e->wired_count = 1;
	e->eflags |= MAP_ENTRY_USER_WIRED | MAP_ENTRY_WIRING;
	/* A private mapping's wired pages are its own copies, in its first object. */
	type = e->protection | (e->eflags & MAP_ENTRY_COW ? VM_PROT_COPY : 0);
	for (va = e->start; va < e->end; va += PAGE_SIZE) {
		rv = vm_fault(map, va, type, VM_FAULT_WIRE, &info);
		if (rv != KERN_SUCCESS) {
			entry_unwire_to(map, e, va);	/* the pages before va */
			wire_pending = info;
			return rv;
		}
	}
	return KERN_SUCCESS;
}

static int unwire_entry(vm_map_t map, vm_map_entry_t e, int unused)
{
	(void)unused;
	if (e->eflags & MAP_ENTRY_USER_WIRED)
		entry_unwire(map, e);
	return KERN_SUCCESS;
}

/*
 * The end of a vm_map_wire: the entries it wired stay wired if it
 * succeeded, and are unwired if it failed - all or nothing, as FreeBSD's -
 * while entries wired before it are left as they were.
 */
static void wire_finish(vm_map_t map, vm_offset_t start, vm_offset_t end, bool failed)
{
	vm_map_entry_t e;

	for (e = vm_map_lookup_entry(map, start); e != NULL && e->start < end; e = e->next) {
		if (!(e->eflags & MAP_ENTRY_WIRING))
			continue;
		e->eflags &= (uint16_t)~MAP_ENTRY_WIRING;
		if (failed)
			entry_unwire(map, e);
	}
}

/*
 * KERN_PENDING: a page is on its way (*pending says which, and whether this
 * call's fault asked for it); the caller waits for it and calls again with
 * the same range - the map cannot change meanwhile, its process being
 * stopped in the call - and the entries this call wired so far are skipped
 * then, and still undone if it fails in the end.
 */
int vm_map_wire(vm_map_t map, vm_offset_t start, vm_offset_t end,
		struct vm_fault_info *pending)
{
	int rv = for_each_entry(map, start, end, wire_entry, 0);

	if (rv == KERN_PENDING) {
		if (pending != NULL)
			*pending = wire_pending;
		return rv;
	}
	wire_finish(map, start, end, rv != KERN_SUCCESS);
	return rv;
}

void vm_map_wire_cancel(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	wire_finish(map, start, end, true);
}

int vm_map_unwire(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	return for_each_entry(map, start, end, unwire_entry, 0);
}

/* Checks a subtree's order and balance; returns its height. */
static int validate_subtree(vm_map_entry_t e, vm_offset_t lo, vm_offset_t hi, int *count)
{
	int l, r;

	if (e == NULL)
		return 0;
	VM_ASSERT(e->start >= lo && e->end <= hi && e->start < e->end);
	l = validate_subtree(e->left, lo, e->start, count);
	r = validate_subtree(e->right, e->end, hi, count);
	VM_ASSERT(l - r <= 1 && r - l <= 1);
	VM_ASSERT(e->height == 1 + (l > r ? l : r));
	(*count)++;
	return e->height;
}

void vm_map_validate(vm_map_t map)
{
	vm_map_entry_t e, prev = NULL;
	int in_tree = 0, in_list = 0;

	validate_subtree(map->root, map->min_offset, map->max_offset, &in_tree);
	for (e = map->first; e != NULL; prev = e, e = e->next) {
		VM_ASSERT(e->prev == prev);
		VM_ASSERT(prev == NULL || prev->end <= e->start);
		VM_ASSERT(vm_map_lookup_entry(map, e->start) == e);
		if (e->eflags & MAP_ENTRY_DEVICE)	/* never faulted, so never wired */
			VM_ASSERT(e->object == NULL && e->wired_count == 0);
		if (e->object != NULL) {
			VM_ASSERT(e->object->ref_count > 0);
			/*
			 * An anonymous object covers its entries. A pager's may
			 * end inside one (mmap of a file past its end): the
			 * pages beyond are SIGBUS (KERN_OUT_OF_BOUNDS).
			 */
			VM_ASSERT(e->object->pager != NULL ||
				  e->offset + atop(e->end - e->start) <= e->object->size);
		}
		in_list++;
	}
	VM_ASSERT(map->last == prev);
	VM_ASSERT(in_tree == map->nentries && in_list == map->nentries);
	pmap_validate(map->pmap);
}
