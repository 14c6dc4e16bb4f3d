/*
 * vm_fault: what a page fault means, and its answer.
 *
 * The kernel has stopped a thread that touched vaddr and sent the VM server
 * a message; the server calls vm_fault() on the thread's map. This follows
 * the structure of FreeBSD's modern vm_fault.c:
 *
 *   1. lookup      vm_fault_lookup: the map entry, the access check, the
 *                  first object and page index. A write to a needs-copy
 *                  entry makes its shadow object here (vm_map_lookup).
 *   2. soft fast   vm_fault_soft_fast: the page is resident and valid in the
 *                  first object: map it and its resident neighbours. Done.
 *   3. walk        for each object down the shadow chain:
 *                    vm_fault_object: resident here? found. Else, if this
 *                    object's pager has it: page it in, with a read-behind/
 *                    read-ahead cluster (vm_fault_getpages). Found.
 *                    vm_fault_next: on to the backing object, at
 *                    index + backing_offset.
 *   4. zero fill   vm_fault_zerofill: no object has it: a zero page in the
 *                  first object.
 *   5. cow         vm_fault_cow: a write to a page found below the first
 *                  object copies it up, or moves it up when the backing
 *                  object is anonymous and no one else can see it.
 *                  A read maps the lower page read-only instead.
 *   6. map         vm_fault_dirty, pmap_enter, vm_fault_prefault (resident
 *                  neighbours, outward spiral), then wire or activate.
 *
 * Each step returns an enum fault_status; vm_fault() is the loop over them.
 *
 * Where FreeBSD's thread sleeps - on a busy page (vm_fault_busy_sleep), or
 * in the pager while it reads (vm_pager_get_pages) - this vm_fault returns
 * KERN_PENDING instead: the server is one thread and must go on serving.
 * It parks the fault on the busy page and, when the page is unbusied, runs
 * vm_fault again from the start (VM_FAULT_RESUME): FreeBSD's RetryFault,
 * which rechecks everything - the map may have changed meanwhile.
 */
#include "vm_fault.h"

#define PFBAK 4		/* prefault: pages behind the fault */
#define PFFOR 4		/* ... and ahead of it */

/* Drop-behind: a sequential reader's pages are let go a block of this size at a time. */
#define VM_FAULT_DONTNEED_MIN (1024 * 1024)

enum fault_status {
	FAULT_SUCCESS = 10000,	/* done: return success */
	FAULT_CONTINUE,		/* not found in this object: keep walking */
	FAULT_SOFT,		/* found a valid resident page */
	FAULT_HARD,		/* a pager read the page */
	FAULT_FAILURE,		/* the pager failed */
	FAULT_OUT_OF_BOUNDS,	/* beyond the object's end */
	FAULT_RESOURCE_SHORTAGE, /* out of pages */
	FAULT_PENDING,		/* the page is busy with pager I/O: wait */
};

enum fault_next_status {
	FAULT_NEXT_GOTOBJ = 1,	/* moved to the backing object */
	FAULT_NEXT_NOOBJ,	/* end of the chain */
};

struct faultstate {
	/* The fault. */
	vm_offset_t vaddr;
	vm_prot_t fault_type;
	int fault_flags;
	/* What the map says about it. */
	vm_map_t map;
	vm_map_entry_t entry;
	vm_prot_t prot;			/* to map with */
	bool wired;
	/* Where we are in the chain: object, index, page found. */
	vm_object_t object;
	vm_pindex_t pindex;
	vm_page_t m;
	int depth;
	bool zero_filled;
	bool skip_prefault;		/* a soft copy-on-write: neighbours not worth a look */
	bool first_missing;		/* the fast path saw no page in the first object */
	/* The top of the chain. */
	vm_object_t first_object;
	vm_pindex_t first_pindex;
	/* The read-ahead window (-1: not computed yet) and the cluster read. */
	int nera;
	int behind, ahead;
	/* Neighbours to map: PFBAK/PFFOR, or the cluster a pager read. */
	int pf_behind, pf_ahead;
	bool after_pagein;		/* resumed after the page-in it started */
	struct vm_fault_info *info;
};

/* ---- 1. lookup -------------------------------------------------------- */

static int vm_fault_lookup(struct faultstate *fs)
{
	return vm_map_lookup(fs->map, fs->vaddr, fs->fault_type, &fs->entry,
			     &fs->first_object, &fs->first_pindex, &fs->prot, &fs->wired);
}

/* ---- 6. map (used by the fast path too) ------------------------------- */

/* A page about to be mapped writable for a write is dirty from now on. */
static void vm_fault_dirty(struct faultstate *fs, vm_page_t m)
{
	if ((fs->prot & VM_PROT_WRITE) == 0 && (fs->fault_flags & VM_FAULT_DIRTY) == 0)
		return;
	if (((fs->fault_type & VM_PROT_WRITE) && !(fs->fault_flags & VM_FAULT_WIRE)) ||
	    (fs->fault_flags & VM_FAULT_DIRTY))
		m->dirty = true;
}

/*
 * Maps resident neighbours of addra: the pages behind and ahead, in an
 * outward spiral (-1, +1, -2, +2, ...), stopping at the first address whose
 * page is not resident anywhere in the chain. Read-only (as FreeBSD's
 * pmap_enter_quick), unless the page is in the first object and dirty
 * already: a write to a clean page must fault, so that it is marked dirty,
 * and one to a page further down needs a copy. Addresses already mapped
 * are skipped.
 */
static void vm_fault_prefault(struct faultstate *fs, vm_offset_t addra, int behind,
			      int ahead)
{
	vm_map_entry_t entry = fs->entry;
	int i, n = 2 * (behind > ahead ? behind : ahead);

	for (i = 0; i < n; i++) {
		vm_offset_t step = ptoa((vm_offset_t)(i >> 1) + 1);
		vm_offset_t addr = (i & 1) == 0 ? addra - step : addra + step;
		vm_pindex_t pindex;
		vm_object_t object;
		vm_prot_t prot = entry->protection;
		vm_page_t m;
		int depth;

		if ((i & 1) == 0 ? (i >> 1) >= behind || addra < step : (i >> 1) >= ahead)
			continue;
		if (addr < entry->start || addr >= entry->end ||
		    !pmap_is_prefaultable(fs->map->pmap, addr))
			continue;
		object = entry->object;
		pindex = entry->offset + atop(addr - entry->start);
		depth = 0;
		while ((m = vm_object_page_lookup(object, pindex)) == NULL &&
		       object->pager == NULL && vm_object_chain_next(&object, &pindex, &depth))
			;
		if (m == NULL)
			break;
		if (!m->valid || m->busy)
			continue;
		if (depth > 0 || !m->dirty || (entry->eflags & MAP_ENTRY_NEEDS_COPY))
			prot &= (vm_prot_t)~VM_PROT_WRITE;
		if (pmap_enter(fs->map->pmap, addr, m, prot, false) != KERN_SUCCESS)
			break;
		vm_cnt.v_prefaults++;
		if (fs->info != NULL)
			fs->info->prefaulted++;
	}
}

/* ---- 2. the soft fast path -------------------------------------------- */

/*
 * The page is resident and valid in the first object: map it. Most faults
 * of a running program end here (after fork, after mprotect, after a
 * page-out of the mapping but not of the page).
 */
static enum fault_status vm_fault_soft_fast(struct faultstate *fs)
{
	vm_page_t m = vm_object_page_lookup(fs->first_object, fs->first_pindex);

	fs->first_missing = m == NULL;
	if (m == NULL || !m->valid || m->busy)
		return FAULT_CONTINUE;
	vm_fault_dirty(fs, m);
	if (pmap_enter(fs->map->pmap, fs->vaddr, m, fs->prot, fs->wired) != KERN_SUCCESS)
		return FAULT_RESOURCE_SHORTAGE;
	vm_fault_prefault(fs, fs->vaddr, fs->pf_behind, fs->pf_ahead);
	vm_page_activate(m);
	fs->m = m;
	return FAULT_SUCCESS;
}

/* ---- 3. the walk down the chain --------------------------------------- */

/*
 * Drop-behind (FreeBSD's vm_fault_dontneed): a sequential reader will not
 * come back, so once its read-ahead reaches into the next aligned block of
 * VM_FAULT_DONTNEED_MIN bytes, the resident pages of the block before go
 * to the inactive queue - the first the page daemon takes - instead of
 * pushing out pages someone still uses. Only the first object's pages:
 * lower ones may be shared.
 */
static void vm_fault_dontneed(const struct faultstate *fs, int ahead)
{
	vm_map_entry_t entry = fs->entry;
	vm_offset_t size = VM_FAULT_DONTNEED_MIN, end = fs->vaddr & ~(size - 1), start;
	vm_pindex_t pindex, pend, found;
	vm_page_t m;

	if (fs->vaddr - end < size - PAGE_SIZE - ptoa((vm_offset_t)ahead) ||
	    entry->start >= end)
		return;
	start = end - entry->start < size ? entry->start : end - size;
	pindex = entry->offset + atop(start - entry->start);
	pend = entry->offset + atop(end - entry->start);
	while (pindex < pend && (m = vm_radix_lookup_range(&fs->first_object->pages, pindex,
							   pend - 1, &found)) != NULL) {
		pindex = found + 1;
		if (m->valid && !m->busy && m->queue != PQ_INACTIVE)
			vm_page_deactivate(m);
	}
}

/*
 * How many pages to read ahead (FreeBSD's vm_fault_readahead): none for
 * MADV_RANDOM; the most for MADV_SEQUENTIAL; otherwise, a window that grows
 * arithmetically while faults arrive where the last read ended (next_read):
 * 7, 15, 23, ... up to the most. A sequential reader at full speed drops
 * what it has read behind it.
 */
static int vm_fault_readahead(struct faultstate *fs)
{
	vm_map_entry_t entry = fs->entry;
	bool sequential = fs->vaddr == entry->next_read;
	int era = entry->read_ahead, nera;

	if (entry->behavior == MAP_BEHAV_RANDOM) {
		nera = 0;
	} else if (entry->behavior == MAP_BEHAV_SEQUENTIAL) {
		nera = VM_FAULT_READ_AHEAD_MAX;
		if (sequential)
			vm_fault_dontneed(fs, nera);
	} else if (sequential) {
		nera = VM_FAULT_READ_AHEAD_MIN;
		if (era > 0 && (nera += era + 1) > VM_FAULT_READ_AHEAD_MAX)
			nera = VM_FAULT_READ_AHEAD_MAX;
		if (era == VM_FAULT_READ_AHEAD_MAX)
			vm_fault_dontneed(fs, nera);
	} else {
		nera = 0;
	}
	entry->read_ahead = (uint8_t)nera;
	return nera;
}

/*
 * The cluster to read around the fault: after a sequential fault, the
 * read-ahead window; otherwise a block of VM_FAULT_READ_DEFAULT pages aligned
 * within the object (more likely to match the store's own blocks than an
 * alignment in the address space). Clipped to the entry and to what the
 * pager says it has.
 */
static void vm_fault_cluster(struct faultstate *fs, int pager_before, int pager_after)
{
	vm_map_entry_t entry = fs->entry;
	int cluster_offset;

	if (fs->nera < 0)
		fs->nera = vm_fault_readahead(fs);
	if (entry->behavior == MAP_BEHAV_RANDOM) {
		fs->behind = fs->ahead = 0;
	} else if (fs->nera > 0) {
		fs->behind = 0;
		fs->ahead = fs->nera;
	} else {
		cluster_offset = (int)(fs->pindex % VM_FAULT_READ_DEFAULT);
		fs->behind = cluster_offset;
		fs->ahead = VM_FAULT_READ_DEFAULT - 1 - cluster_offset;
	}
	if ((vm_offset_t)fs->behind > atop(fs->vaddr - entry->start))
		fs->behind = (int)atop(fs->vaddr - entry->start);
	if ((vm_offset_t)fs->ahead > atop(entry->end - fs->vaddr) - 1)
		fs->ahead = (int)(atop(entry->end - fs->vaddr) - 1);
	fs->behind = fs->behind < pager_before ? fs->behind : pager_before;
	fs->ahead = fs->ahead < pager_after ? fs->ahead : pager_after;
	if ((vm_pindex_t)fs->behind > fs->pindex)
		fs->behind = (int)fs->pindex;
}

/*
 * Asks the object's pager for the page, and for the cluster around it as
 * far as those pages are not resident already. The pages are allocated
 * busy, filled by the pager, then made valid - now, or when a pager that
 * answers later (VM_PAGER_PEND) calls vm_pager_getpages_done; until then
 * this fault, and any other that meets one of the pages, waits.
 */
static enum fault_status vm_fault_getpages(struct faultstate *fs, int before, int after)
{
	vm_page_t ma[VM_PAGER_MAX_CLUSTER];
	vm_pindex_t first, pindex;
	int count = 0, rv;

	vm_fault_cluster(fs, before, after);
	first = fs->pindex;
	while (first > fs->pindex - (vm_pindex_t)fs->behind &&
	       vm_object_page_lookup(fs->object, first - 1) == NULL)
		first--;
	for (pindex = first; pindex <= fs->pindex + (vm_pindex_t)fs->ahead &&
	     count < VM_PAGER_MAX_CLUSTER; pindex++) {
		if (pindex > fs->pindex && vm_object_page_lookup(fs->object, pindex) != NULL)
			break;
		if ((ma[count] = vm_page_alloc(fs->object, pindex, VM_ALLOC_ZERO)) == NULL)
			break;
		ma[count++]->busy = true;
	}
	if (count == 0 || ma[count - 1]->pindex < fs->pindex) {
		if (count > 0) {	/* undo: as a failed read */
			vm_object_pip_add(fs->object);
			vm_pager_getpages_done(ma, count, false);
		}
		return FAULT_RESOURCE_SHORTAGE;
	}
	fs->behind = (int)(fs->pindex - first);
	fs->ahead = count - 1 - fs->behind;
	vm_cnt.v_pageins++;
	vm_cnt.v_pagein_pages += (uint64_t)count;
	if (fs->info != NULL) {
		fs->info->paged_in = count;
		fs->info->behind = fs->behind;
		fs->info->ahead = fs->ahead;
	}
	/* A read, even one still under way, tells where a sequential reader goes next. */
	fs->entry->next_read = fs->vaddr + ptoa((vm_offset_t)fs->ahead) + PAGE_SIZE;
	vm_object_pip_add(fs->object);
	rv = fs->object->pager->getpages(fs->object, ma, count);
	if (rv == VM_PAGER_PEND) {
		fs->m = ma[fs->behind];
		return FAULT_PENDING;
	}
	/* Every page read waits on the inactive queue until its fault maps it. */
	vm_pager_getpages_done(ma, count, rv == VM_PAGER_OK);
	if (rv != VM_PAGER_OK)
		return FAULT_FAILURE;
	fs->m = ma[fs->behind];
	return FAULT_HARD;
}

/*
 * One object of the chain: is the page resident here, or can this object's
 * pager supply it?
 */
static enum fault_status vm_fault_object(struct faultstate *fs)
{
	int before, after;
	vm_page_t m = NULL;

	if (fs->object != fs->first_object || !fs->first_missing)
		m = vm_object_page_lookup(fs->object, fs->pindex);

	if (m != NULL) {
		if (m->busy) {
			/* FreeBSD's vm_fault_busy_sleep: wait for the I/O, then start over. */
			vm_cnt.v_intrans++;
			fs->m = m;
			return FAULT_PENDING;
		}
		if (m->valid) {
			fs->m = m;
			return FAULT_SOFT;
		}
	}
	if (fs->object->pager == NULL)
		return FAULT_CONTINUE;
	if (fs->pindex >= fs->object->size)
		return FAULT_OUT_OF_BOUNDS;
	if (!fs->object->pager->haspage(fs->object, fs->pindex, &before, &after))
		return FAULT_CONTINUE;
	return vm_fault_getpages(fs, before, after);
}

/* On to the next object that might have the page (a pager, or a page in range). */
static enum fault_next_status vm_fault_next(struct faultstate *fs)
{
	if (!vm_object_chain_next(&fs->object, &fs->pindex, &fs->depth))
		return FAULT_NEXT_NOOBJ;
	return FAULT_NEXT_GOTOBJ;
}

/* ---- 4. zero fill ----------------------------------------------------- */

/* No object has the page: a fresh zero page in the first object. */
static enum fault_status vm_fault_zerofill(struct faultstate *fs)
{
	vm_page_t m;

	if (fs->first_pindex >= fs->first_object->size)
		return FAULT_OUT_OF_BOUNDS;
	m = vm_page_alloc(fs->first_object, fs->first_pindex, VM_ALLOC_ZERO);
	if (m == NULL)
		return FAULT_RESOURCE_SHORTAGE;
	if (m->flags & PG_ZERO)
		vm_cnt.v_ozfod++;	/* zeroed ahead of need: nothing to do */
	else
		pmap_zero_page(m);
	m->flags &= (uint8_t)~PG_ZERO;
	m->valid = true;
	vm_cnt.v_zfod++;
	fs->object = fs->first_object;
	fs->pindex = fs->first_pindex;
	fs->depth = 0;
	fs->m = m;
	fs->zero_filled = true;
	return FAULT_SOFT;
}

/* ---- 5. copy-on-write ------------------------------------------------- */

/*
 * May the page found in fs->object move up to the first object instead of
 * being copied (FreeBSD's v_cow_optim)? Only if nothing else can reach it:
 * the backing object is anonymous, directly below the first object, which
 * is its only shadow and only reference.
 */
static bool vm_fault_can_move(const struct faultstate *fs)
{
	vm_object_t object = fs->object;

	return object->shadow_count == 1 && object->ref_count == 1 &&
	       object->pager == NULL && object == fs->first_object->backing_object &&
	       fs->m->wire_count == 0;
}

static enum fault_status vm_fault_cow(struct faultstate *fs)
{
	vm_page_t old = fs->m, m;

	if (vm_fault_can_move(fs) &&
	    vm_object_page_rename(old, fs->first_object, fs->first_pindex) == 0) {
		m = old;
		vm_cnt.v_cow_optim++;
		if (fs->info != NULL)
			fs->info->outcome = FAULT_OUTCOME_COW_MOVE;
		/* Its last page moved up: the empty backing object can go. */
		if (fs->object->resident_page_count == 0)
			vm_object_collapse(fs->first_object);
	} else {
		m = vm_page_alloc(fs->first_object, fs->first_pindex, 0);
		if (m == NULL)
			return FAULT_RESOURCE_SHORTAGE;
		pmap_copy_page(old, m);
		m->valid = true;
		/*
		 * A first object mapped by several entries (shared memory
		 * over a private chain) may have mapped the old page
		 * elsewhere: those mappings must now see the copy.
		 */
		if (!(fs->first_object->flags & OBJ_ONEMAPPING))
			pmap_remove_all(old);
		if (fs->info != NULL)
			fs->info->outcome = FAULT_OUTCOME_COW_COPY;
	}
	m->dirty = true;
	vm_cnt.v_cow_faults++;
	fs->object = fs->first_object;
	fs->pindex = fs->first_pindex;
	fs->m = m;
	return FAULT_SUCCESS;
}

/* ---- the procedure ---------------------------------------------------- */

static int fault_status_to_kern(enum fault_status status)
{
	switch (status) {
	case FAULT_FAILURE:
		return KERN_FAILURE;
	case FAULT_OUT_OF_BOUNDS:
		return KERN_OUT_OF_BOUNDS;
	case FAULT_RESOURCE_SHORTAGE:
		return KERN_RESOURCE_SHORTAGE;
	case FAULT_PENDING:
		return KERN_PENDING;
	default:
		return KERN_SUCCESS;
	}
}

/* Walks the chain until a page is found or made. */
static enum fault_status vm_fault_find_page(struct faultstate *fs)
{
	enum fault_status status;

	fs->object = fs->first_object;
	fs->pindex = fs->first_pindex;
	for (;;) {
		status = vm_fault_object(fs);
		if (status != FAULT_CONTINUE)
			return status;
		if (vm_fault_next(fs) == FAULT_NEXT_NOOBJ)
			return vm_fault_zerofill(fs);
	}
}

static void fault_record(struct faultstate *fs, enum vm_fault_outcome outcome)
{
	if (fs->info == NULL)
		return;
	fs->info->outcome = outcome;
	fs->info->object_id = fs->object != NULL ? fs->object->id : 0;
	fs->info->depth = fs->depth;
}

/* Enters the page found and its neighbours; wires or activates it. */
static int vm_fault_map(struct faultstate *fs)
{
	vm_fault_dirty(fs, fs->m);
	if (pmap_enter(fs->map->pmap, fs->vaddr, fs->m, fs->prot, fs->wired) != KERN_SUCCESS) {
		/* Not mapped, but resident and valid (a zero fill, a copy): on a queue. */
		vm_page_deactivate(fs->m);
		return KERN_RESOURCE_SHORTAGE;
	}
	/* A zero-filled page has no resident neighbours worth a look. */
	if (!fs->zero_filled && !fs->skip_prefault && !fs->wired)
		vm_fault_prefault(fs, fs->vaddr, fs->pf_behind, fs->pf_ahead);
	if (fs->fault_flags & VM_FAULT_WIRE)
		vm_page_wire(fs->m);
	else
		vm_page_activate(fs->m);
	return KERN_SUCCESS;
}

int vm_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type, int fault_flags,
	     struct vm_fault_info *info)
{
	struct faultstate fs = {
		.vaddr = trunc_page(vaddr), .fault_type = fault_type,
		.fault_flags = fault_flags, .map = map, .nera = -1, .info = info,
		.pf_behind = PFBAK, .pf_ahead = PFFOR,
	};
	enum fault_status status;
	bool hard;
	int rv;

	if (fault_flags & VM_FAULT_RESUME) {
		/* After our own page-in, its cluster is what is worth mapping. */
		if (info->paged_in > 0) {
			fs.after_pagein = true;
			fs.pf_behind = info->behind;
			fs.pf_ahead = info->ahead;
		}
	} else {
		vm_cnt.v_vm_faults++;
	}
	if (info != NULL) {
		info->prefaulted = info->paged_in = 0;
		info->busy = NULL;
	}
	fault_record(&fs, FAULT_OUTCOME_ERROR);

	/* 1. lookup */
	if ((rv = vm_fault_lookup(&fs)) != KERN_SUCCESS)
		return rv;

	/* 2. soft fast path */
	if ((fault_flags & (VM_FAULT_WIRE | VM_FAULT_DIRTY)) == 0) {
		status = vm_fault_soft_fast(&fs);
		if (status == FAULT_SUCCESS) {
			fs.object = fs.first_object;
			fault_record(&fs, FAULT_OUTCOME_SOFT);
			return KERN_SUCCESS;
		}
		if (status != FAULT_CONTINUE)
			return fault_status_to_kern(status);
	}

	/* 3, 4. walk the chain; zero fill at its end */
	status = vm_fault_find_page(&fs);
	if (status == FAULT_PENDING) {
		VM_ASSERT(info != NULL);
		info->busy = fs.m;
		fault_record(&fs, info->paged_in > 0 ? FAULT_OUTCOME_PAGER : FAULT_OUTCOME_BUSY);
		return KERN_PENDING;
	}
	if (status != FAULT_SOFT && status != FAULT_HARD)
		return fault_status_to_kern(status);
	if (status == FAULT_HARD) {
		fs.pf_behind = fs.behind;
		fs.pf_ahead = fs.ahead;
	}
	hard = status == FAULT_HARD || fs.after_pagein;
	fault_record(&fs, status == FAULT_HARD ? FAULT_OUTCOME_PAGER :
			  fs.zero_filled ? FAULT_OUTCOME_ZERO :
			  fs.depth == 0 ? FAULT_OUTCOME_SOFT : FAULT_OUTCOME_BACKING);

	/* 5. copy-on-write, or a read-only mapping of the lower page */
	if (fs.object != fs.first_object) {
		if (fs.fault_type & (VM_PROT_WRITE | VM_PROT_COPY)) {
			if ((status = vm_fault_cow(&fs)) != FAULT_SUCCESS)
				return fault_status_to_kern(status);
			/*
			 * Neighbours are worth a look after a copy only if a
			 * pager just read them (FreeBSD's rule): else they are
			 * mapped already, or need copies of their own.
			 */
			fs.skip_prefault = !hard;
		} else {
			fs.prot &= (vm_prot_t)~VM_PROT_WRITE;
		}
	}

	/* 6. map */
	return vm_fault_map(&fs);
}
