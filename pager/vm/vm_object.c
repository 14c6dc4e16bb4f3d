#include "vm_object.h"
#include "pmap.h"
#include "vm_zone.h"

static struct vm_zone object_zone;
static uint32_t next_object_id;

void vm_object_startup(void)
{
	vm_zone_init(&object_zone, "vm object", sizeof(struct vm_object));
	next_object_id = 1;
}

vm_object_t vm_object_allocate_pager(const struct vm_pager_ops *pager, void *handle,
				     vm_pindex_t size)
{
	vm_object_t object = vm_zone_alloc(&object_zone);

	if (object == NULL)
		return NULL;
	object->id = next_object_id++;
	object->flags = OBJ_ONEMAPPING;
	object->pager = pager;
	object->handle = handle;
	object->size = size;
	object->ref_count = 1;
	object->lo_pindex = UINT64_MAX;		/* no pages: no index fits */
	vm_radix_init(&object->pages);
	vm_cnt.v_objects++;
	return object;
}

vm_object_t vm_object_allocate(vm_pindex_t size)
{
	return vm_object_allocate_pager(NULL, NULL, size);
}

void vm_object_reference(vm_object_t object)
{
	VM_ASSERT(object->ref_count > 0);
	object->ref_count++;
}

static void shadow_link(vm_object_t shadow, vm_object_t backing)
{
	shadow->shadow_prev = NULL;
	shadow->shadow_next = backing->shadows;
	if (backing->shadows != NULL)
		backing->shadows->shadow_prev = shadow;
	backing->shadows = shadow;
	backing->shadow_count++;
}

static void shadow_unlink(vm_object_t shadow, vm_object_t backing)
{
	if (shadow->shadow_prev != NULL)
		shadow->shadow_prev->shadow_next = shadow->shadow_next;
	else
		backing->shadows = shadow->shadow_next;
	if (shadow->shadow_next != NULL)
		shadow->shadow_next->shadow_prev = shadow->shadow_prev;
	backing->shadow_count--;
}

/* Frees a dead object's pages and the object. Its backing reference is the caller's. */
static void vm_object_terminate_finish(vm_object_t object)
{
	vm_object_page_remove_range(object, 0, UINT64_MAX);
	if (object->backing_object != NULL)
		shadow_unlink(object, object->backing_object);
	if (object->pager != NULL && object->pager->dealloc != NULL)
		object->pager->dealloc(object);
	VM_ASSERT(object->shadow_count == 0 && object->resident_page_count == 0);
	vm_cnt.v_objects--;
	vm_zone_free(&object_zone, object);
}

/*
 * The object's last reference is gone. Once no pager I/O of its is under
 * way - now, or when the last ends - its dirty pages go back to its store,
 * once (vm_object_dead_idle): nothing is lost when the last mapping of a
 * file goes, and a write-back that failed while it waited is tried again,
 * as FreeBSD's vm_object_terminate waits for paging before it cleans. Only
 * objects with a pager do I/O, and those back nothing, so a deferred death
 * never holds up a chain.
 */
static void vm_object_terminate(vm_object_t object)
{
	object->flags |= OBJ_DEAD;
	vm_object_pip_add(object);
	VM_ASSERT(object->paging_in_progress == 1 || object->backing_object == NULL);
	vm_object_pip_wakeup(object);
}

/*
 * A dead object's I/O is over: the first time, its last write-back starts
 * (the object outlives it); the next, it is freed - the pages whose last
 * write-back failed with it.
 */
static void vm_object_dead_idle(vm_object_t object)
{
	if ((object->flags & OBJ_CLEANED) || object->pager == NULL ||
	    object->pager->putpages == NULL) {
		vm_object_terminate_finish(object);
		return;
	}
	object->flags |= OBJ_CLEANED;
	vm_object_pip_add(object);
	vm_object_page_clean(object, 0, UINT64_MAX, NULL);
	vm_object_pip_wakeup(object);
}

void vm_object_pip_add(vm_object_t object)
{
	object->paging_in_progress++;
}

void vm_object_pip_wakeup(vm_object_t object)
{
	VM_ASSERT(object->paging_in_progress > 0);
	if (--object->paging_in_progress == 0 && (object->flags & OBJ_DEAD))
		vm_object_dead_idle(object);
}

/* Is m dirty - by our mark, or by a write the hardware saw? */
static bool page_is_dirty(vm_page_t m)
{
	if (!m->dirty && m->pv_list != NULL && pmap_is_modified(m))
		m->dirty = true;
	return m->dirty;
}

int vm_object_page_clean(vm_object_t object, vm_pindex_t start, vm_pindex_t end,
			 vm_page_t *busy)
{
	vm_page_t run[VM_PAGER_MAX_CLUSTER], m;
	vm_pindex_t pindex = start, found;
	int n = 0, result = VM_PAGER_OK, rv;

	for (;;) {
		m = vm_radix_lookup_ge(&object->pages, pindex, &found);
		if (m != NULL && found < end && m->busy) {
			result = VM_PAGER_PEND;	/* being read or written already */
			if (busy != NULL)
				*busy = m;
		}
		/* A run ends at a gap, a clean or busy page, or its full size. */
		if (n > 0 && (m == NULL || found >= end || found != run[n - 1]->pindex + 1 ||
			      m->busy || !m->valid || !page_is_dirty(m) ||
			      n == VM_PAGER_MAX_CLUSTER)) {
			rv = vm_pager_flush(run, n);
			if (rv == VM_PAGER_PEND && result != VM_PAGER_ERROR) {
				result = VM_PAGER_PEND;
				if (busy != NULL)
					*busy = run[0];
			} else if (rv == VM_PAGER_ERROR) {
				result = VM_PAGER_ERROR;
			}
			n = 0;
		}
		if (m == NULL || found >= end)
			return result;
		if (!m->busy && m->valid && page_is_dirty(m))
			run[n++] = m;
		pindex = found + 1;
	}
}

void vm_object_page_invalidate(vm_object_t object, vm_pindex_t start, vm_pindex_t end)
{
	vm_pindex_t pindex;
	vm_page_t m;

	while (start < end &&
	       (m = vm_radix_lookup_range(&object->pages, start, end - 1, &pindex)) != NULL) {
		start = pindex + 1;
		if (m->busy || m->wire_count > 0 || page_is_dirty(m))
			continue;
		vm_page_free(m);
	}
}

enum vm_collapse_policy vm_collapse_policy = VM_COLLAPSE_EAGER;

/*
 * object's one user is now its one shadow. The pages the shadow hides
 * behind valid pages of its own, or cannot see (outside its window), can
 * never be reached again: they are freed now - after a fork whose child
 * wrote everything and exited, that is all of them.
 */
static void drop_hidden_pages(vm_object_t object)
{
	vm_object_t shadow = object->shadows;
	vm_pindex_t offset = shadow->backing_offset, pindex = 0, found;
	vm_page_t m, mine;

	while ((m = vm_radix_lookup_ge(&object->pages, pindex, &found)) != NULL) {
		pindex = found + 1;
		if (m->wire_count > 0 || m->busy)
			continue;
		if (found >= offset && found - offset < shadow->size &&
		    ((mine = vm_object_page_lookup(shadow, found - offset)) == NULL || !mine->valid))
			continue;	/* the shadow still shows it */
		vm_page_free(m);
	}
}

/*
 * The two policies differ in what happens to the pages the shadow still
 * shows. Eager (FreeBSD's vm_object_deallocate): the shadow absorbs the
 * object now. Lazy: they wait, and move up one at a time as they are
 * written (vm_fault_cow's move, v_cow_optim); an object left empty, or the
 * next fork (vm_map_fork collapses the whole chain before sharing it),
 * finishes the job. Either way no anonymous object is left unreachable.
 */
static void release_to_shadow(vm_object_t object)
{
	vm_object_t shadow = object->shadows;

	if ((object->flags | shadow->flags) & OBJ_DEAD)
		return;
	drop_hidden_pages(object);
	if (vm_collapse_policy == VM_COLLAPSE_EAGER || object->resident_page_count == 0)
		vm_object_collapse(shadow);
}

/*
 * Iterative, not recursive: a chain may be long. An object left with its
 * shadow as only user is released to it (release_to_shadow), so that under
 * the eager policy no anonymous object backs another with no other
 * reference (memory permitting): a chain is never deeper than the entries
 * sharing its bottom.
 */
void vm_object_deallocate(vm_object_t object)
{
	while (object != NULL) {
		vm_object_t backing = object->backing_object;

		VM_ASSERT(object->ref_count > 0);
		if (--object->ref_count > 0) {
			if (object->ref_count == 1 && object->shadow_count == 1 &&
			    object->pager == NULL)
				release_to_shadow(object);
			return;
		}
		vm_object_terminate(object);
		object = backing;	/* the dead object's reference on it */
	}
}

/*
 * Moves every page of backing that object can use up into object; frees
 * the others (outside object's window, or hidden behind object's own page).
 * Returns false if a page could not move (no memory for the radix tree):
 * the pages moved so far are where they should be, and nothing is lost.
 */
static bool collapse_pages(vm_object_t object, vm_object_t backing)
{
	vm_pindex_t offset = object->backing_offset, pindex;
	vm_page_t m;

	while ((m = vm_radix_lookup_ge(&backing->pages, 0, &pindex)) != NULL) {
		VM_ASSERT(m->wire_count == 0 && !m->busy);
		if (pindex < offset || pindex - offset >= object->size ||
		    vm_object_page_lookup(object, pindex - offset) != NULL)
			vm_page_free(m);
		else if (vm_object_page_rename(m, object, pindex - offset) != 0)
			return false;
	}
	return true;
}

/*
 * object stops looking at backing and looks at backing's backing object
 * instead, at the combined offset. The caller's reference on backing is
 * the one object held; `takes_reference` says if object must take a new
 * one on the new backing object (bypass) or inherits backing's (collapse).
 */
static void adopt_backing(vm_object_t object, vm_object_t backing, bool takes_reference)
{
	vm_object_t next = backing->backing_object;

	shadow_unlink(object, backing);
	object->backing_object = next;
	if (next == NULL) {
		object->backing_offset = 0;
		return;
	}
	object->backing_offset += backing->backing_offset;
	shadow_link(object, next);
	if (takes_reference) {
		vm_object_reference(next);
	} else {
		shadow_unlink(backing, next);
		backing->backing_object = NULL;
	}
}

/* Has object a valid page for every page backing could show it? */
static bool all_shadowed(vm_object_t object, vm_object_t backing)
{
	vm_pindex_t offset = object->backing_offset, pindex = offset, found;
	vm_page_t m, mine;

	while ((m = vm_radix_lookup_ge(&backing->pages, pindex, &found)) != NULL &&
	       found - offset < object->size) {
		mine = vm_object_page_lookup(object, found - offset);
		if (mine == NULL || !mine->valid)
			return false;
		pindex = found + 1;
	}
	return true;
}

void vm_object_collapse_chain(vm_object_t object)
{
	for (; object != NULL && object->pager == NULL; object = object->backing_object)
		vm_object_collapse(object);
}

void vm_object_collapse(vm_object_t object)
{
	for (;;) {
		vm_object_t backing = object->backing_object;

		if (backing == NULL || backing->pager != NULL ||
		    ((object->flags | backing->flags) & OBJ_DEAD))
			return;
		if (backing->ref_count == 1) {
			/* Only object sees backing: absorb it. */
			if (!collapse_pages(object, backing))
				return;
			adopt_backing(object, backing, false);
			backing->ref_count = 0;
			vm_object_terminate(backing);
			vm_cnt.v_collapses++;
		} else if (all_shadowed(object, backing)) {
			/* backing is shared, but hidden from object: skip it. */
			adopt_backing(object, backing, true);
			vm_object_deallocate(backing);
			vm_cnt.v_bypasses++;
		} else {
			return;
		}
	}
}

int vm_object_shadow(vm_object_t *object, vm_pindex_t *offset, vm_pindex_t length)
{
	vm_object_t source = *object, result;

	/*
	 * An anonymous object nobody else refers to is private already: the
	 * entry keeps it (FreeBSD does the same). Else a process whose forked
	 * children all exit would grow its chain by one object a fork.
	 */
	if (source->ref_count == 1 && source->pager == NULL)
		return KERN_SUCCESS;
	if ((result = vm_object_allocate(length)) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	result->backing_object = source;
	result->backing_offset = *offset;
	shadow_link(result, source);
	/* source keeps the reference the caller had: result holds it now. */
	*object = result;
	*offset = 0;
	return KERN_SUCCESS;
}

int vm_object_page_insert(vm_object_t object, vm_page_t m, vm_pindex_t pindex)
{
	if (vm_radix_insert(&object->pages, pindex, m) != 0)
		return -1;
	m->object = object;
	m->pindex = pindex;
	object->resident_page_count++;
	if (pindex < object->lo_pindex)
		object->lo_pindex = pindex;
	if (pindex > object->hi_pindex)
		object->hi_pindex = pindex;
	return 0;
}

void vm_object_page_remove(vm_page_t m)
{
	vm_object_t object = m->object;
	vm_page_t removed = vm_radix_remove(&object->pages, m->pindex);

	VM_ASSERT(removed == m);
	/* The range stays as it was (a superset is still right) until empty. */
	if (--object->resident_page_count == 0) {
		object->lo_pindex = UINT64_MAX;
		object->hi_pindex = 0;
	}
	m->object = NULL;
}

int vm_object_page_rename(vm_page_t m, vm_object_t object, vm_pindex_t pindex)
{
	vm_object_t old = m->object;
	vm_pindex_t old_pindex = m->pindex;

	vm_object_page_remove(m);
	if (vm_object_page_insert(object, m, pindex) != 0) {
		/* The slot m just left is free: putting it back cannot fail. */
		VM_ASSERT(vm_object_page_insert(old, m, old_pindex) == 0);
		return -1;
	}
	return 0;
}

void vm_object_page_remove_range(vm_object_t object, vm_pindex_t start, vm_pindex_t end)
{
	vm_pindex_t pindex;
	vm_page_t m;

	while (start < end &&
	       (m = vm_radix_lookup_range(&object->pages, start, end - 1, &pindex)) != NULL) {
		VM_ASSERT(m->wire_count == 0 && !m->busy);
		vm_page_free(m);
		start = pindex + 1;
	}
}

int vm_object_chain_depth(vm_object_t object)
{
	int depth = 0;

	for (; object != NULL; object = object->backing_object)
		depth++;
	return depth;
}

void vm_object_validate(vm_object_t object)
{
	vm_pindex_t pindex = 0, found;
	uint64_t resident = 0;
	vm_object_t shadow;
	int shadows = 0;
	vm_page_t m;

	VM_ASSERT(object->ref_count > 0 && !(object->flags & OBJ_DEAD));
	VM_ASSERT(object->backing_object == NULL || object->pager == NULL);	/* chain_next */
	while ((m = vm_radix_lookup_ge(&object->pages, pindex, &found)) != NULL) {
		VM_ASSERT(m->object == object && m->pindex == found);
		resident++;
		pindex = found + 1;
	}
	VM_ASSERT(resident == object->resident_page_count);
	pindex = 0;
	while ((m = vm_radix_lookup_ge(&object->pages, pindex, &found)) != NULL) {
		VM_ASSERT(found >= object->lo_pindex && found <= object->hi_pindex);
		pindex = found + 1;
	}
	for (shadow = object->shadows; shadow != NULL; shadow = shadow->shadow_next) {
		VM_ASSERT(shadow->backing_object == object);
		shadows++;
	}
	VM_ASSERT(shadows == object->shadow_count);
	/* Each shadow holds a reference on its backing object. */
	VM_ASSERT(object->ref_count >= object->shadow_count);
}
