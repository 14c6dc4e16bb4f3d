/*
 * The pager path against a reference model: stores that answer at once or
 * later, busy pages, parked and resumed faults, write-back, MS_INVALIDATE,
 * deferred object death and drop-behind - with fork and copy-on-write
 * around them.
 *
 * Each sequence boots a fresh simulated machine with NFILES files
 * (sim_pager.h: a store in a byte array that answers at once, later, or
 * either, and fails some answers at a rate the seed picks) and runs random
 * steps over up to NPROCS processes, as the VM server serves them: open a
 * file (a new object over it) or close it (the test's reference goes); map
 * a file shared (writes reach the object, fork shares it) or private
 * (copy-on-write), now and then past its end; read and write bytes, at
 * random or as a sequential reader; fork; munmap and exit (after the
 * server's msync of the range, which starts write-backs); msync (MS_SYNC,
 * MS_ASYNC, MS_INVALIDATE); mprotect; mlock, munlock; madvise (normal,
 * random, sequential, willneed, dontneed); and end some queued I/O, in
 * random order, well or badly. One step of accesses in ten runs short of
 * memory: a fault may fail with KERN_RESOURCE_SHORTAGE, halfway through
 * its cluster, and must leave nothing half done (a copy-on-write copy it
 * made and could not map stays: the model takes it).
 *
 * A call that meets a busy page (vm_fault's KERN_PENDING; vm_map_wire's;
 * an MS_SYNC or MS_INVALIDATE msync whose pages are being written) parks
 * its process, as pagewait.c does: it runs again when that page's I/O ends
 * - a fault with VM_FAULT_RESUME and the vm_fault_info of its first half -
 * or fails if the I/O failed (a fault whose page-in failed gets SIGBUS,
 * KERN_FAILURE here; msync and mlock EIO). A parked process does nothing
 * else meanwhile, but may exit.
 *
 * The model: each file's bytes ("truth": what every shared mapping shows,
 * and a private one where it has not written), and per page of each
 * process: mapped or not, shared or private, protection, file page,
 * wiring, and for a private page with bytes of its own (a write or mlock
 * made its copy) a "cell", held copy-on-write after a fork as in
 * test_model.
 *
 * After every step the VM must agree:
 *  - every access succeeds or fails as the model says (no entry,
 *    protection, past the file's end), except that one that needs the
 *    store may wait (KERN_PENDING, on the file's page at that index, busy
 *    in a queued request: one it queued, or one queued before - v_intrans)
 *    or, answered at once, fail because the store failed that very read;
 *    a read returns the model's byte;
 *  - the store: a file page not resident, or resident, idle and clean (no
 *    dirty mark, no dirty bit), holds in the store what the model says; a
 *    resident one holds it in memory (a write through a shared mapping is
 *    seen by every sharer at once; one through a private mapping never
 *    reaches the file); after an MS_SYNC or MS_INVALIDATE msync that
 *    succeeded, every page it covered is clean (MS_INVALIDATE: gone unless
 *    wired); once a file's object is dead its store holds all the model
 *    says - everything written reached it - but for pages whose last
 *    write-back failed (the one a dead object makes once its other I/O is
 *    over): the model then takes the store's bytes, the one loss the VM
 *    allows;
 *  - busy pages: every busy page is in a queued request (so none once no
 *    I/O is queued); a page being read is mapped nowhere, one being written
 *    is writable nowhere; a failed page-in leaves no page, a failed
 *    write-back a dirty one; a parked call waits on a busy page; the store
 *    sees one I/O at a time per page, and what sim_pager.c checks;
 *  - objects: a file's object lives while the model knows a reference (the
 *    file open, a mapping); without one it is dead, kept exactly as long as
 *    it has queued I/O, then freed; reference and shadow counts are those
 *    that exist; every object is reachable; every page is free, wired by
 *    the VM, or resident in one of them;
 *  - mappings show the page a fault would find now, never allow more than
 *    the entry, are writable only for the entry's own page; a private page
 *    that still shows its file has no copy the model does not know of;
 *    vm_map_validate, vm_object_validate, pmap_validate, vm_page_validate.
 * At the end (all I/O done, every process gone, every file closed): no
 * object, mapping, address space, radix node or busy page is left; the
 * free and wired counts are those at boot.
 *
 *   test_pager_model          runs NSEQUENCES sequences
 *   test_pager_model SEED     replays one (a failure prints its seed)
 *   MODEL_TRACE=1             prints each step
 */
#include <stdlib.h>
#include "harness.h"
#include "model.h"
#include "sim_pager.h"
#include "vm_radix.h"

SEEDED_SANITIZER_OPTIONS

/* Longer hunts: -DNSEQUENCES=50000. */
#ifndef NSEQUENCES
#define NSEQUENCES 2000
#endif
#define MIN_STEPS   20
#define MAX_STEPS   150
#define SIM_PAGES   1024
#define NPROCS      6
#define MPAGES      48		/* pages of address space each process uses */
#define NFILES      4
#define MAX_FILE_PAGES 40
#define MAX_OBJECTS (2 * NPROCS * MPAGES + NFILES)
#define DRAIN_WITH_FAILURES 100	/* I/O ends at the end that may fail, before all succeed */

#define RW (VM_PROT_READ | VM_PROT_WRITE)

static const vm_prot_t prot_choices[] = { VM_PROT_NONE, VM_PROT_READ, VM_PROT_READ, RW, RW, RW };
#define NPROTS ((int)(sizeof(prot_choices) / sizeof(prot_choices[0])))

/* ---- the model ------------------------------------------------------------ */

_Static_assert(NPROCS * MPAGES <= MODEL_MAX_CELLS, "a cell for each mapped page");

struct mfile {
	struct sim_file sim;	/* its store, and its object (sim.object) */
	uint8_t *truth;		/* what the file holds, as every sharer must see it */
	bool held;		/* open: the test holds a reference on sim.object */
	bool lost[MAX_FILE_PAGES];	/* the object died with the page, its write failed */
};

static struct mfile files[NFILES];
static unsigned fail_percent;	/* of the I/O answers, this sequence */

struct mpage {
	bool mapped;
	bool shared;		/* MAP_SHARED; else private */
	bool wired;
	bool wiring;		/* wired by the mlock under way: undone if it fails */
	bool cow;		/* holds its cell copy-on-write (after a fork) */
	vm_prot_t prot;
	int file;		/* -1: its bytes' own, with no file behind (fork of a wired page) */
	vm_pindex_t index;	/* in the file; maybe past its end */
	int cell;		/* a private page's own bytes; -1: still the file's */
};

enum call_kind { CALL_NONE, CALL_ACCESS, CALL_MSYNC, CALL_MLOCK };
enum msync_how { MSYNC_SYNC, MSYNC_ASYNC, MSYNC_INVALIDATE };

/* A call that may park on a busy page, and run again when its I/O ends. */
struct call {
	enum call_kind kind;
	vm_page_t busy;				/* parked on it; NULL: running */
	struct vm_fault_info info;		/* an access: its fault's first half */
	int p;					/* an access: page, byte, value */
	unsigned off;
	bool write;
	uint8_t byte;
	vm_offset_t start, end;			/* msync, mlock */
	enum msync_how how;
};

/* A process: its map, the model of [base, base + MPAGES pages), one call. */
struct proc {
	vm_map_t map;			/* NULL: the slot is free */
	vm_offset_t base;
	struct mpage page[MPAGES];
	struct call call;
	int sweep, sweep_end;		/* a sequential reader's next page, and end */
};

static struct proc procs[NPROCS];

/*
 * Memory pressure, for some steps of accesses: a hog holds every free page
 * but a few (wired, as the VM's own pages are). A fault may then fail with
 * KERN_RESOURCE_SHORTAGE - halfway through a cluster, say - and must leave
 * nothing behind but what it finished: no byte changes, no page is busy.
 */
static vm_page_t hog[SIM_PAGES];
static int nhog;

static void hog_take(uint64_t leave)
{
	vm_page_t m;

	while (vm_cnt.v_free_count > leave && (m = vm_page_alloc(NULL, 0, 0)) != NULL)
		hog[nhog++] = m;
}

static void hog_release(void)
{
	while (nhog > 0) {
		vm_page_t m = hog[--nhog];

		vm_page_unwire(m);
		vm_page_free(m);
	}
}

static struct {
	uint64_t sequences, steps, accesses, faults, io_faults, parked, intrans, resumed;
	uint64_t resumed_prefaulted, sigbus, reads, read_pages, writes, write_pages;
	uint64_t retried;		/* accesses woken by another's failed read */
	uint64_t failed_reads, failed_writes, unchanged_writes, zero_pages, lost_pages;
	uint64_t deferred_deaths;
	uint64_t msyncs[3], msync_parked, msync_errors, mlocks, mlock_parked, mlock_failed;
	uint64_t mlock_undone;		/* pages a failed mlock unwired again */
	uint64_t forks, cow_faults, max_queued, rv[KERN_PENDING + 1];
} stats;

static uint8_t *truth_page(int f, vm_pindex_t i)
{
	return files[f].truth + ptoa(i);
}

static uint8_t *store_page(int f, vm_pindex_t i)
{
	return files[f].sim.store + ptoa(i);
}

static vm_offset_t page_va(const struct proc *pr, int p)
{
	return pr->base + ptoa((vm_offset_t)p);
}

/* The bytes page p of pr shows. */
static const uint8_t *view(const struct proc *pr, int p)
{
	const struct mpage *mp = &pr->page[p];

	return mp->cell >= 0 ? cells[mp->cell].data : truth_page(mp->file, mp->index);
}

static void page_unmap(struct mpage *mp)
{
	if (mp->mapped && mp->cell >= 0)
		cell_release(mp->cell);
	memset(mp, 0, sizeof(*mp));
}

/*
 * A private page gets bytes of its own (a write, or mlock, copied it): a
 * copy of what it showed - its file's, or a cell it holds copy-on-write.
 */
static void page_own(struct proc *pr, int p)
{
	struct mpage *mp = &pr->page[p];
	int c;

	if (mp->cell >= 0 && !(mp->cow && cells[mp->cell].refs > 1)) {
		mp->cow = false;
		return;
	}
	c = cell_new(view(pr, p));
	if (mp->cell >= 0)
		cell_release(mp->cell);
	mp->cell = c;
	mp->cow = false;
}

static void model_write(struct proc *pr, int p, unsigned off, uint8_t b)
{
	struct mpage *mp = &pr->page[p];

	if (mp->shared) {
		truth_page(mp->file, mp->index)[off] = b;
		return;
	}
	page_own(pr, p);
	cells[mp->cell].data[off] = b;
}

/* What an access to page p must end in, if the store plays no part. */
static int expect_access(const struct proc *pr, int p, bool write)
{
	const struct mpage *mp = &pr->page[p];

	if (!mp->mapped)
		return KERN_INVALID_ADDRESS;
	if (!(mp->prot & (write ? VM_PROT_WRITE : VM_PROT_READ)))
		return KERN_PROTECTION_FAILURE;
	if (mp->cell < 0 && mp->index >= files[mp->file].sim.npages)
		return KERN_OUT_OF_BOUNDS;
	return KERN_SUCCESS;
}

static bool model_range_mapped(const struct proc *pr, vm_offset_t start, vm_offset_t end)
{
	vm_offset_t va;

	for (va = start; va < end; va += PAGE_SIZE)
		if (va < pr->base || va >= page_va(pr, MPAGES) ||
		    !pr->page[atop(va - pr->base)].mapped)
			return false;
	return true;
}

static int first_page(const struct proc *pr, vm_offset_t va)
{
	return va < pr->base ? 0 : (int)atop(va - pr->base);
}

static int last_page(const struct proc *pr, vm_offset_t va)
{
	return va >= page_va(pr, MPAGES) ? MPAGES : (int)atop(va - pr->base);
}

/* ---- what the VM holds ------------------------------------------------------ */

/* Where a fault at va would look: the first resident page down the chain, and its bottom. */
struct chain_pos {
	vm_page_t m;		/* NULL: none resident */
	int depth;		/* m's object's place in the chain */
	vm_object_t bottom;
	vm_pindex_t bottom_pindex;
};

static void chain_walk(vm_map_entry_t e, vm_offset_t va, struct chain_pos *pos)
{
	vm_pindex_t pindex = e->offset + atop(va - e->start);
	vm_object_t o;
	int depth = 0;

	memset(pos, 0, sizeof(*pos));
	for (o = e->object; o != NULL; o = o->backing_object, depth++) {
		if (pos->m == NULL && (pos->m = vm_object_page_lookup(o, pindex)) != NULL)
			pos->depth = depth;
		pos->bottom = o;
		pos->bottom_pindex = pindex;
		pindex += o->backing_offset;
	}
}

/*
 * A call that copies a private page before it is done - mlock's wiring
 * faults (VM_PROT_COPY), a write fault that then finds no memory to map the
 * copy - may stop there: the page has bytes of its own from then on, a
 * copy of what it showed.
 */
static void note_copy(struct proc *pr, int p)
{
	vm_map_entry_t e = vm_map_lookup_entry(pr->map, page_va(pr, p));
	struct chain_pos pos;

	REQUIRE(e != NULL);
	chain_walk(e, page_va(pr, p), &pos);
	if (pr->page[p].cell < 0 && !pr->page[p].shared && pos.m != NULL &&
	    pos.m->object->pager == NULL)
		page_own(pr, p);
}

static bool page_clean(vm_page_t m)
{
	return !m->dirty && !pmap_is_modified(m);
}

/* ---- I/O outcomes ----------------------------------------------------------- */

/* Mappings of the pages queued requests hold, busy: a call may remove them, never add one. */
static int busy_mappings(void)
{
	int i, k, n = 0;

	for (i = 0; i < sim_pager_pending(); i++)
		for (k = 0; k < sim_pager_request(i)->count; k++)
			n += pmap_page_mapping_count(sim_pager_request(i)->ma[k]);
	return n;
}

/* Counts from before a call, to judge what it did. */
struct snap {
	int queued, busy_mappings;
	uint64_t intrans, failed_reads[NFILES], failed_writes;
};

static struct snap snap_take(void)
{
	struct snap s = { .queued = sim_pager_pending(), .busy_mappings = busy_mappings(),
			  .intrans = vm_cnt.v_intrans };
	int f;

	for (f = 0; f < NFILES; f++) {
		s.failed_reads[f] = files[f].sim.failed_reads;
		s.failed_writes += files[f].sim.failed_writes;
	}
	return s;
}

static uint64_t failed_writes_now(void)
{
	return snap_take().failed_writes;
}

/* A call may wait on busy: busy in a queued request. */
static void require_waitable(vm_page_t busy)
{
	REQUIRE(busy != NULL && busy->busy && sim_pager_page_queued(busy));
}

/* Is busy the page of file f at index? */
static bool is_file_page(vm_page_t busy, int f, vm_pindex_t index)
{
	return busy->object == files[f].sim.object && busy->pindex == index;
}

/*
 * A fault on page p that the model expected to succeed waited or failed:
 * it must be for its file page - one it asked the store for (the newest
 * request, the page at info->behind), or one being read or written already
 * (v_intrans) - or the store failed that very read, answered at once.
 */
static void check_io_outcome(const struct proc *pr, int p, int rv, const struct snap *before,
			     const struct vm_fault_info *info)
{
	const struct mpage *mp = &pr->page[p];
	const struct sim_io *newest;

	REQUIRE(mp->cell < 0);		/* only the file's bytes need the store */
	if (rv == KERN_FAILURE) {
		REQUIRE(files[mp->file].sim.failed_reads > before->failed_reads[mp->file]);
		REQUIRE(sim_file_read_failed(&files[mp->file].sim, mp->index));
		return;
	}
	REQUIRE_EQ(rv, KERN_PENDING);
	require_waitable(info->busy);
	REQUIRE(is_file_page(info->busy, mp->file, mp->index));
	if (info->paged_in == 0) {
		/* Someone else's I/O: the fault waits for it, and asks for nothing. */
		REQUIRE_EQ(vm_cnt.v_intrans, before->intrans + 1);
		REQUIRE_EQ(sim_pager_pending(), before->queued);
		stats.intrans++;
		return;
	}
	REQUIRE_EQ(sim_pager_pending(), before->queued + 1);
	newest = sim_pager_request(sim_pager_pending() - 1);
	REQUIRE(!newest->write && newest->count == info->paged_in);
	REQUIRE(info->behind + 1 + info->ahead == info->paged_in);
	REQUIRE(newest->ma[info->behind] == info->busy);
	/* MADV_RANDOM: the page alone. */
	if (vm_map_lookup_entry(pr->map, page_va(pr, p))->behavior == MAP_BEHAV_RANDOM)
		REQUIRE_EQ(info->paged_in, 1);
}

/* ---- calls that may park ---------------------------------------------------- */

/*
 * Runs pr's access (pr->call) - the first time (flags 0), or again after
 * its wait (VM_FAULT_RESUME): a fault where the simulated MMU refuses it,
 * then the byte. It may park again.
 */
static void run_access(struct proc *pr, int flags)
{
	struct call *c = &pr->call;
	vm_offset_t va = page_va(pr, c->p) + c->off;
	vm_prot_t type = c->write ? VM_PROT_WRITE : VM_PROT_READ;
	int expected = expect_access(pr, c->p, c->write), rv;
	struct snap before = snap_take();
	uint8_t *hw = NULL;

	if (!(flags & VM_FAULT_RESUME))
		hw = sim_translate(pr->map->pmap->hw_id, va, type);
	if (hw == NULL) {
		rv = vm_fault(pr->map, va, type, flags, &c->info);
		REQUIRE(busy_mappings() <= before.busy_mappings);	/* no busy page mapped */
		trace("proc %d: %s %#lx%s: %d (outcome %d, paged in %d, prefaulted %d)",
		      (int)(pr - procs), c->write ? "write" : "read", (unsigned long)va,
		      flags & VM_FAULT_RESUME ? " resumed" : "", rv, c->info.outcome,
		      c->info.paged_in, c->info.prefaulted);
		stats.faults++;
		stats.rv[rv]++;
		stats.resumed += (flags & VM_FAULT_RESUME) != 0;
		stats.resumed_prefaulted += (flags & VM_FAULT_RESUME) && c->info.prefaulted > 0;
		if (rv != expected && !(rv == KERN_RESOURCE_SHORTAGE && nhog > 0)) {
			if (expected != KERN_SUCCESS)
				seeded_fail(__FILE__, __LINE__, "access: %d, %d expected", rv, expected);
			check_io_outcome(pr, c->p, rv, &before, &c->info);
		}
		if (rv == KERN_PENDING) {
			c->busy = c->info.busy;
			stats.parked++;
			return;
		}
		c->kind = CALL_NONE;
		if (rv == KERN_RESOURCE_SHORTAGE)
			note_copy(pr, c->p);
		if (rv != KERN_SUCCESS)
			return;
		hw = sim_translate(pr->map->pmap->hw_id, va, type);
		REQUIRE(hw != NULL);	/* a fault that succeeds maps the page */
	}
	c->kind = CALL_NONE;
	stats.accesses++;
	if (c->write) {
		*hw = c->byte;
		model_write(pr, c->p, c->off, c->byte);
	} else {
		REQUIRE_EQ(*hw, view(pr, c->p)[c->off]);
	}
}

static void access_byte(struct proc *pr, int p, unsigned off, bool write)
{
	pr->call = (struct call){ .kind = CALL_ACCESS, .p = p, .off = off, .write = write,
				  .byte = (uint8_t)rng_next() };
	run_access(pr, VM_FAULT_NORMAL);
}

/*
 * What a sync of [start, end) leaves of the shared pages there: every
 * write-back started (munmap's and exit's MS_ASYNC, none of which failed at
 * once); or, after MS_SYNC or MS_INVALIDATE succeeded, every page clean,
 * its bytes in the store (MS_INVALIDATE: gone unless wired).
 */
enum synced { SYNC_STARTED, SYNC_DONE, SYNC_INVALIDATED };

static void check_synced(const struct proc *pr, vm_offset_t start, vm_offset_t end,
			 enum synced how)
{
	int p;

	for (p = first_page(pr, start); p < last_page(pr, end); p++) {
		const struct mpage *mp = &pr->page[p];
		vm_page_t m;

		if (!mp->shared || mp->index >= files[mp->file].sim.npages)
			continue;
		m = vm_object_page_lookup(files[mp->file].sim.object, mp->index);
		if (how == SYNC_STARTED) {
			REQUIRE(m == NULL || m->busy || page_clean(m));
			continue;
		}
		REQUIRE(m == NULL || (!m->busy && page_clean(m)));
		REQUIRE(m == NULL || how != SYNC_INVALIDATED || m->wire_count > 0);
		REQUIRE(memcmp(store_page(mp->file, mp->index), view(pr, p), PAGE_SIZE) == 0);
	}
}

static void run_msync(struct proc *pr)
{
	static const char *const names[] = { "MS_SYNC", "MS_ASYNC", "MS_INVALIDATE" };
	struct call *c = &pr->call;
	uint64_t failed_before = failed_writes_now();
	vm_page_t busy = NULL;
	int rv = vm_map_sync(pr->map, c->start, c->end, c->how == MSYNC_INVALIDATE, &busy);

	trace("proc %d: msync [%#lx, %#lx) %s: %d", (int)(pr - procs), (unsigned long)c->start,
	      (unsigned long)c->end, names[c->how], rv);
	if (rv == VM_PAGER_PEND) {
		require_waitable(busy);
		if (c->how != MSYNC_ASYNC) {
			c->busy = busy;
			stats.msync_parked++;
			return;
		}
	} else if (rv == VM_PAGER_ERROR) {
		REQUIRE(failed_writes_now() > failed_before);	/* the store failed a write */
		stats.msync_errors++;
	} else {
		REQUIRE_EQ(rv, VM_PAGER_OK);
		if (c->how != MSYNC_ASYNC)
			check_synced(pr, c->start, c->end,
				     c->how == MSYNC_INVALIDATE ? SYNC_INVALIDATED : SYNC_DONE);
	}
	c->kind = CALL_NONE;
}

/*
 * mlock's result, store aside: KERN_INVALID_ADDRESS unless all mapped;
 * else the first page not wired already that cannot be (an entry with no
 * access, a page past its file's end) fails it; *fail_page is that page
 * (or the range's end).
 */
static int expect_wire(const struct proc *pr, vm_offset_t start, vm_offset_t end, int *fail_page)
{
	int p;

	*fail_page = first_page(pr, start);
	if (!model_range_mapped(pr, start, end))
		return KERN_INVALID_ADDRESS;
	for (p = first_page(pr, start); p < last_page(pr, end); p++) {
		const struct mpage *mp = &pr->page[p];

		*fail_page = p;
		if (mp->wired)
			continue;
		if (mp->prot == VM_PROT_NONE)
			return KERN_PROTECTION_FAILURE;
		if (mp->cell < 0 && mp->index >= files[mp->file].sim.npages)
			return KERN_OUT_OF_BOUNDS;
	}
	*fail_page = last_page(pr, end);
	return KERN_SUCCESS;
}

/* Did mlock's wait or failure come from a page before fail_page that needs its file? */
static bool wire_io_explained(const struct proc *pr, int lo, int fail_page, int rv,
			      vm_page_t busy, const struct snap *before)
{
	int p;

	for (p = lo; p < fail_page; p++) {
		const struct mpage *mp = &pr->page[p];

		if (mp->wired || mp->cell >= 0)
			continue;
		if (rv == KERN_PENDING && is_file_page(busy, mp->file, mp->index))
			return true;
		if (rv == KERN_FAILURE &&
		    files[mp->file].sim.failed_reads > before->failed_reads[mp->file] &&
		    sim_file_read_failed(&files[mp->file].sim, mp->index))
			return true;
	}
	return false;
}

/*
 * A page newly wired: resident in its entry's first object, wired, mapped
 * wired with the entry's rights; a private one has its own copy now.
 */
static void wired_now(struct proc *pr, int p, vm_map_entry_t e)
{
	vm_offset_t va = page_va(pr, p);
	vm_page_t m = vm_object_page_lookup(e->object, e->offset + atop(va - e->start));
	struct pv_entry *pv = vm_radix_lookup(&pr->map->pmap->pvs, atop(va));

	REQUIRE(m != NULL && m->valid && m->wire_count > 0);
	REQUIRE(pv != NULL && pv->page == m && pv->wired && pv->prot == e->protection);
	pr->page[p].wired = true;
	pr->page[p].wiring = true;
	if (!pr->page[p].shared)
		page_own(pr, p);
}

/*
 * An mlock ended: the pages it wired stay wired if it succeeded; if it
 * failed they are unwired (their private copies stay), all or nothing.
 */
static void wiring_ended(struct proc *pr, vm_offset_t start, vm_offset_t end, bool failed)
{
	int p;

	for (p = first_page(pr, start); p < last_page(pr, end); p++) {
		struct mpage *mp = &pr->page[p];

		if (mp->wiring && failed) {
			mp->wired = false;
			stats.mlock_undone++;
		}
		mp->wiring = false;
	}
}

/*
 * After mlock, whatever it returned: the model learns which entries it
 * wired, and which private pages it copied - a wiring that waited or failed
 * halfway unwires the pages of its entry again, and one that failed those
 * of the entries it wired before, but their copies stay.
 */
static void note_wiring(struct proc *pr, vm_offset_t start, vm_offset_t end)
{
	int p;

	for (p = first_page(pr, start); p < last_page(pr, end); p++) {
		struct mpage *mp = &pr->page[p];
		vm_map_entry_t e;

		if (!mp->mapped)
			continue;
		e = vm_map_lookup_entry(pr->map, page_va(pr, p));
		REQUIRE(e != NULL);
		if (e->eflags & MAP_ENTRY_USER_WIRED) {
			if (!mp->wired)
				wired_now(pr, p, e);
			continue;
		}
		REQUIRE(!mp->wired);
		note_copy(pr, p);
	}
}

static void run_mlock(struct proc *pr)
{
	struct call *c = &pr->call;
	struct snap before = snap_take();
	int lo = first_page(pr, c->start), fail_page, expected, rv;
	struct vm_fault_info pending = { 0 };
	vm_page_t busy;

	expected = expect_wire(pr, c->start, c->end, &fail_page);
	rv = vm_map_wire(pr->map, c->start, c->end, &pending);
	busy = pending.busy;
	REQUIRE(busy_mappings() <= before.busy_mappings);
	trace("proc %d: mlock [%#lx, %#lx): %d", (int)(pr - procs), (unsigned long)c->start,
	      (unsigned long)c->end, rv);
	if (rv != expected) {
		REQUIRE(rv == KERN_PENDING || rv == KERN_FAILURE);
		REQUIRE(expected != KERN_INVALID_ADDRESS);
		if (rv == KERN_PENDING)
			require_waitable(busy);
		REQUIRE(wire_io_explained(pr, lo, fail_page, rv, busy, &before));
	}
	if (rv != KERN_SUCCESS && rv != KERN_PENDING)
		wiring_ended(pr, c->start, c->end, true);
	note_wiring(pr, c->start, c->end);
	if (rv == KERN_SUCCESS)
		wiring_ended(pr, c->start, c->end, false);
	stats.mlock_failed += rv == KERN_FAILURE;
	if (rv == KERN_PENDING) {
		c->busy = busy;
		c->info = pending;	/* did its fault ask for the page-in? */
		stats.mlock_parked++;
		return;
	}
	c->kind = CALL_NONE;
}

/*
 * Does a failed request fail a call parked on it (pagewait.c's
 * call_failed_by)? msync if it was a write-back; an access or an mlock if
 * it was the read its own fault asked for. Any other runs again.
 */
static bool call_fails(const struct call *c, const struct sim_io *io, bool ok)
{
	if (ok)
		return false;
	if (c->kind == CALL_MSYNC)
		return io->write;
	return !io->write && c->info.outcome == FAULT_OUTCOME_PAGER;
}

/*
 * A request ended: the calls parked on one of its pages run again, in
 * random order (pagewait.c's page_wakeup) - or fail, if it failed: a fault
 * whose own page-in failed with SIGBUS (one that waited for another's runs
 * again), msync and mlock with EIO.
 */
static void wake(const struct sim_io *io, bool ok)
{
	struct proc *woken[NPROCS], *pr;
	int n = 0, i, k;

	for (i = 0; i < NPROCS; i++) {
		pr = &procs[i];
		if (pr->map == NULL || pr->call.kind == CALL_NONE)
			continue;
		for (k = 0; k < io->count; k++)
			if (pr->call.busy == io->ma[k])
				break;
		if (k < io->count) {
			pr->call.busy = NULL;
			woken[n++] = pr;
		}
	}
	for (i = n - 1; i > 0; i--) {
		k = (int)rng_below((uint64_t)i + 1);
		pr = woken[i];
		woken[i] = woken[k];
		woken[k] = pr;
	}
	for (i = 0; i < n; i++) {
		struct call *c = &woken[i]->call;

		if (call_fails(c, io, ok)) {
			trace("proc %d: its call fails: the I/O it waited for failed",
			      (int)(woken[i] - procs));
			stats.sigbus += c->kind == CALL_ACCESS;
			if (c->kind == CALL_MLOCK) {	/* as pagewait.c's vm_call_failed */
				vm_map_wire_cancel(woken[i]->map, c->start, c->end);
				wiring_ended(woken[i], c->start, c->end, true);
			}
			c->kind = CALL_NONE;
		} else if (c->kind == CALL_ACCESS) {
			stats.retried += !ok;
			run_access(woken[i], VM_FAULT_RESUME);
		} else if (c->kind == CALL_MSYNC) {
			run_msync(woken[i]);
		} else {
			run_mlock(woken[i]);
		}
	}
}

/*
 * The store answered (sim_file.answered). The one loss the VM allows: a
 * dead object - no reference left - writes back its dirty pages once, when
 * all its other I/O has ended (FreeBSD's vm_object_terminate waits, then
 * cleans); if that write fails, the object dies with those pages and the
 * file keeps what its store holds. A write-back that fails earlier, even
 * while the object dies, leaves the page dirty for that last one.
 */
static void file_answered(struct sim_file *sf, const struct sim_io *io, bool ok)
{
	struct mfile *mf = sf->owner;
	int k;

	if (!io->write || ok || !io->by_dead_object)
		return;
	for (k = 0; k < io->count; k++) {
		vm_pindex_t i = io->pindex + (vm_pindex_t)k;

		memcpy(mf->truth + ptoa(i), sf->store + ptoa(i), PAGE_SIZE);
		mf->lost[i] = true;
	}
	stats.lost_pages += (uint64_t)io->count;
}

/*
 * Ends queued request i. A page-in that worked leaves its pages valid and
 * idle, one that failed leaves none; a write-back leaves them idle, dirty
 * again if it failed. A dead object goes with its last request.
 */
static void complete_one(int i, bool ok)
{
	const struct sim_io *r = sim_pager_request(i);
	struct mfile *mf = r->file->owner;
	vm_object_t object = r->object;
	bool dead = (object->flags & OBJ_DEAD) != 0;
	struct sim_io done;
	int k;

	sim_pager_complete(i, ok, &done);
	trace("%s of file %d [%lu, +%d) %s%s", done.write ? "write-back" : "page-in",
	      (int)(mf - files), (unsigned long)done.pindex, done.count, ok ? "done" : "failed",
	      dead ? " (object dead)" : "");
	for (k = 0; mf->sim.object == object && k < done.count; k++) {
		vm_page_t m = vm_object_page_lookup(object, done.pindex + (vm_pindex_t)k);

		if (!done.write && !ok) {
			REQUIRE(m == NULL);
			continue;
		}
		REQUIRE(m == done.ma[k] && m->valid);
		/* A dead object may have started its last write-back of them already. */
		if (!dead)
			REQUIRE(!m->busy && (!done.write || m->dirty == !ok));
	}
	if (dead) {
		/* Kept exactly as long as it has I/O. */
		REQUIRE_EQ(mf->sim.object == object, sim_pager_object_pending(object) > 0);
		stats.deferred_deaths += mf->sim.object == NULL;
	}
	wake(&done, ok);
}

/* ---- checks ----------------------------------------------------------------- */

/* One page of a process against the model, and its mapping against the VM. */
static void check_page(const struct proc *pr, int p, uint64_t *pvs)
{
	const struct mpage *mp = &pr->page[p];
	vm_offset_t va = page_va(pr, p);
	uint64_t hw = pr->map->pmap->hw_id;
	vm_prot_t pvprot = 0, hwprot = sim_prot(hw, va);
	vm_page_t pv_page = pmap_lookup(pr->map->pmap, va, &pvprot), m;
	vm_map_entry_t e;
	struct chain_pos pos;

	/*
	 * The simulated page table and the pmap's records agree: a page is
	 * mapped in both or neither, and the hardware allows no right the
	 * record lacks (a record's may be more: fork lowers the hardware alone).
	 */
	REQUIRE_EQ(hwprot != VM_PROT_NONE, pv_page != NULL);
	REQUIRE((hwprot & ~pvprot) == 0);
	if (!mp->mapped || mp->prot == VM_PROT_NONE) {
		REQUIRE(pv_page == NULL);
		if (!mp->mapped)
			return;
	}
	e = vm_map_lookup_entry(pr->map, va);
	REQUIRE(e != NULL);
	chain_walk(e, va, &pos);
	m = pos.m;
	if (mp->cell < 0) {
		/*
		 * It shows its file's bytes: its chain ends at the file's object,
		 * at the model's index, with no private copy above it that the
		 * model does not know. (One with bytes of its own may not reach
		 * the file at all: a fork copies a wired entry into a new object.)
		 */
		REQUIRE(pos.bottom == files[mp->file].sim.object && pos.bottom_pindex == mp->index);
		REQUIRE(m == NULL || m->object == pos.bottom);
	} else {
		REQUIRE(m != NULL && m->object->pager == NULL && m->valid && !m->busy);
		REQUIRE(memcmp(pmap_page_address(m), cells[mp->cell].data, PAGE_SIZE) == 0);
	}
	if (mp->wired)
		REQUIRE(m != NULL && pos.depth == 0 && m->valid && m->wire_count > 0);
	if (pv_page == NULL)
		return;
	(*pvs)++;
	/* A mapping shows the page a fault would find now, never more than the entry allows. */
	REQUIRE(pv_page == m && m->valid);
	REQUIRE((pvprot & ~mp->prot) == 0);
	if (hwprot & VM_PROT_WRITE) {
		/* Writable: the entry's own page, idle. */
		REQUIRE(!m->busy && pos.depth == 0 && m->object == e->object);
		REQUIRE(!(e->eflags & MAP_ENTRY_NEEDS_COPY));
	}
}

static void check_proc(struct proc *pr)
{
	vm_map_t map = pr->map;
	vm_map_entry_t e;
	uint64_t pvs = 0;
	int p, mapped = 0, in_entries = 0;

	vm_map_validate(map);
	for (e = map->first; e != NULL; e = e->next) {
		vm_offset_t va;

		REQUIRE(e->start >= pr->base && e->end <= page_va(pr, MPAGES));
		for (va = e->start; va < e->end; va += PAGE_SIZE) {
			const struct mpage *mp = &pr->page[atop(va - pr->base)];

			REQUIRE(mp->mapped);
			REQUIRE_EQ(mp->prot, e->protection);
			REQUIRE_EQ(mp->wired, (e->eflags & MAP_ENTRY_USER_WIRED) != 0);
			REQUIRE_EQ(mp->shared, e->inheritance == VM_INHERIT_SHARE);
			REQUIRE_EQ(mp->shared, !(e->eflags & MAP_ENTRY_COW));
			in_entries++;
		}
	}
	for (p = 0; p < MPAGES; p++) {
		mapped += pr->page[p].mapped;
		check_page(pr, p, &pvs);
	}
	REQUIRE_EQ(in_entries, mapped);
	REQUIRE_EQ(map->pmap->resident_count, pvs);
	/* A parked call waits on a busy page. */
	if (pr->call.kind != CALL_NONE)
		require_waitable(pr->call.busy);
}

/* Pages of processes that map file f (a reference on its object, direct or by a chain). */
static int file_users(int f)
{
	int i, p, n = 0;

	for (i = 0; i < NPROCS; i++)
		for (p = 0; procs[i].map != NULL && p < MPAGES; p++)
			n += procs[i].page[p].mapped && procs[i].page[p].file == f;
	return n;
}

/*
 * A file against its store and object: see the comment at the top. A dead
 * object is kept while it has queued I/O, and its idle pages are in the
 * store; a live one is known to the model, and its pages hold the file.
 */
static void check_file(int f)
{
	struct mfile *mf = &files[f];
	vm_object_t object = mf->sim.object;
	bool dead = object != NULL && (object->flags & OBJ_DEAD);
	vm_pindex_t i;

	if (object == NULL || dead) {
		REQUIRE(!mf->held && file_users(f) == 0);
		if (dead)
			REQUIRE(object->ref_count == 0 && sim_pager_object_pending(object) > 0);
	} else {
		REQUIRE(mf->held || file_users(f) > 0);
	}
	for (i = 0; i < mf->sim.npages; i++) {
		vm_page_t m = object != NULL ? vm_object_page_lookup(object, i) : NULL;
		const uint8_t *bytes = m != NULL ? pmap_page_address(m) : NULL;

		if (m != NULL && m->busy) {
			/* Being read: mapped nowhere; being written: holds the file, writable nowhere. */
			REQUIRE(sim_pager_page_queued(m));
			REQUIRE(m->valid || m->pv_list == NULL);
			REQUIRE(!m->valid || (memcmp(bytes, truth_page(f, i), PAGE_SIZE) == 0 &&
					      !sim_page_writable(m)));
			continue;
		}
		if (m == NULL || mf->lost[i]) {
			/* Not resident, or lost with its dead object: the file is its store. */
			REQUIRE(memcmp(store_page(f, i), truth_page(f, i), PAGE_SIZE) == 0);
			continue;
		}
		REQUIRE(m->valid && (!dead || m->pv_list == NULL));
		REQUIRE(memcmp(bytes, truth_page(f, i), PAGE_SIZE) == 0);
		if (page_clean(m))
			REQUIRE(memcmp(bytes, store_page(f, i), PAGE_SIZE) == 0);
	}
}

/* Every busy page is in a queued request, and every queued page busy in its object. */
static void check_busy(void)
{
	int i, k;

	for (i = 0; i < SIM_PAGES; i++) {
		vm_page_t m = vm_page_from_phys(SIM_PHYS_BASE + ptoa((vm_offset_t)i));

		REQUIRE(!m->busy || sim_pager_page_queued(m));
	}
	for (i = 0; i < sim_pager_pending(); i++) {
		const struct sim_io *r = sim_pager_request(i);

		for (k = 0; k < r->count; k++)
			REQUIRE(r->ma[k]->busy && r->ma[k]->object == r->object);
	}
}

static vm_object_t objects[MAX_OBJECTS];
static int refs[MAX_OBJECTS], shadows[MAX_OBJECTS];
static int nobjects;

static int object_index(vm_object_t o)
{
	return objects_index(objects, nobjects, o);
}

/* The objects the maps reach, and the files' (dead ones too): sorted, once each. */
static void collect_objects(void)
{
	vm_map_entry_t e;
	vm_object_t o;
	int i, n = 0;

	for (i = 0; i < NPROCS; i++)
		for (e = procs[i].map != NULL ? procs[i].map->first : NULL; e != NULL; e = e->next)
			for (o = e->object; o != NULL; o = o->backing_object) {
				REQUIRE(n < MAX_OBJECTS);
				objects[n++] = o;
			}
	for (i = 0; i < NFILES; i++)
		if (files[i].sim.object != NULL)
			objects[n++] = files[i].sim.object;
	nobjects = objects_sort_unique(objects, n);
}

/* The references and shadows that exist: entries, shadows, the open files. */
static void count_references(void)
{
	vm_map_entry_t e;
	int i;

	memset(refs, 0, sizeof(refs[0]) * (size_t)nobjects);
	memset(shadows, 0, sizeof(shadows[0]) * (size_t)nobjects);
	for (i = 0; i < NPROCS; i++)
		for (e = procs[i].map != NULL ? procs[i].map->first : NULL; e != NULL; e = e->next)
			refs[object_index(e->object)]++;
	for (i = 0; i < nobjects; i++) {
		if (objects[i]->backing_object != NULL) {
			int b = object_index(objects[i]->backing_object);

			refs[b]++;
			shadows[b]++;
		}
	}
	for (i = 0; i < NFILES; i++)
		if (files[i].held)
			refs[object_index(files[i].sim.object)]++;
}

/*
 * Every object is reachable, with the references and shadows that exist;
 * every page is free, wired by the VM for itself, or resident in one.
 */
static void check_objects(void)
{
	uint64_t resident = 0, user_wired = 0;
	int i;

	collect_objects();
	REQUIRE_EQ(vm_cnt.v_objects, nobjects);
	count_references();
	for (i = 0; i < nobjects; i++) {
		vm_object_t o = objects[i];
		vm_pindex_t pindex = 0, found;
		vm_page_t m;

		if (o->flags & OBJ_DEAD) {
			REQUIRE(o->pager != NULL && o->ref_count == 0 && refs[i] == 0);
		} else {
			REQUIRE_EQ(o->ref_count, refs[i]);
			REQUIRE_EQ(o->shadow_count, shadows[i]);
			vm_object_validate(o);
		}
		while ((m = vm_radix_lookup_ge(&o->pages, pindex, &found)) != NULL) {
			pindex = found + 1;
			REQUIRE(found < o->size);
			REQUIRE(o->pager != NULL || (m->valid && !m->busy));
			/* Idle pages are where the page daemon finds them. */
			if (m->wire_count > 0)
				REQUIRE(m->queue == PQ_NONE);
			else if (!m->busy)
				REQUIRE(m->queue == PQ_ACTIVE || m->queue == PQ_INACTIVE);
			user_wired += m->wire_count > 0;
		}
		resident += o->resident_page_count;
	}
	REQUIRE_EQ(resident + vm_cnt.v_free_count + vm_cnt.v_wire_count - user_wired,
		   vm_cnt.v_page_count);
}

/* The model itself: each cell held as often as it says, copy-on-write only among its holders. */
static void check_cells(void)
{
	static int holders[MODEL_MAX_CELLS], cows[MODEL_MAX_CELLS];
	int i, p;

	memset(holders, 0, sizeof(holders));
	memset(cows, 0, sizeof(cows));
	for (i = 0; i < NPROCS; i++) {
		for (p = 0; procs[i].map != NULL && p < MPAGES; p++) {
			const struct mpage *mp = &procs[i].page[p];

			if (!mp->mapped || mp->cell < 0)
				continue;
			REQUIRE(!mp->shared);
			holders[mp->cell]++;
			cows[mp->cell] += mp->cow;
		}
	}
	for (i = 0; i < MODEL_MAX_CELLS; i++)
		REQUIRE(holders[i] < 2 || cows[i] == holders[i]);
	cells_check(holders);
}

static void check_all(void)
{
	int i;

	for (i = 0; i < NPROCS; i++)
		if (procs[i].map != NULL)
			check_proc(&procs[i]);
	for (i = 0; i < NFILES; i++)
		check_file(i);
	check_busy();
	check_objects();
	check_cells();
	vm_page_validate();
	if ((uint64_t)sim_pager_pending() > stats.max_queued)
		stats.max_queued = (uint64_t)sim_pager_pending();
}

/* ---- steps ------------------------------------------------------------------ */

/* A live process - one not parked, when `runnable` - or NULL. */
static struct proc *random_proc(bool runnable)
{
	bool eligible[NPROCS];
	int i;

	for (i = 0; i < NPROCS; i++)
		eligible[i] = procs[i].map != NULL && (!runnable || procs[i].call.kind == CALL_NONE);
	i = model_pick_eligible(eligible, NPROCS);
	return i >= 0 ? &procs[i] : NULL;
}

static struct proc *free_slot(void)
{
	int i;

	for (i = 0; i < NPROCS; i++)
		if (procs[i].map == NULL)
			return &procs[i];
	return NULL;
}

static void op_create(void)
{
	struct proc *pr = free_slot();

	if (pr == NULL)
		return;
	memset(pr, 0, sizeof(*pr));
	/* Anywhere in 32 MiB: some areas straddle a 1 MiB block (drop-behind's). */
	pr->base = USER_MIN + ptoa(rng_below(8192));
	pr->map = vm_map_create(USER_MIN, USER_MAX);
	REQUIRE(pr->map != NULL);
	pr->sweep = pr->sweep_end = 0;
	trace("create proc %d at %#lx", (int)(pr - procs), (unsigned long)pr->base);
}

/*
 * What the VM server does before munmap and exit: starts writing back what
 * the range maps, without waiting - every dirty page's write-back is under
 * way, unless the store failed one at once.
 */
static void sync_before_unmap(struct proc *pr, vm_offset_t start, vm_offset_t end)
{
	uint64_t failed_before = failed_writes_now();

	vm_map_sync(pr->map, start, end, false, NULL);
	if (failed_writes_now() == failed_before)
		check_synced(pr, start, end, SYNC_STARTED);
}

/* exit: as proc_exit, a parked call is dropped and the map synced before it goes. */
static void op_exit(struct proc *pr)
{
	int p;

	trace("proc %d exits", (int)(pr - procs));
	pr->call.kind = CALL_NONE;
	sync_before_unmap(pr, pr->base, page_va(pr, MPAGES));
	if (rng_chance(50))
		pmap_remove_pages(pr->map->pmap);
	vm_map_destroy(pr->map);
	pr->map = NULL;
	for (p = 0; p < MPAGES; p++)
		page_unmap(&pr->page[p]);
}

/* A file with the given state: open (held), or with no object at all. */
static struct mfile *random_file(bool held)
{
	bool eligible[NFILES];
	int f;

	for (f = 0; f < NFILES; f++)
		eligible[f] = held ? files[f].held : files[f].sim.object == NULL;
	f = model_pick_eligible(eligible, NFILES);
	return f >= 0 ? &files[f] : NULL;
}

static void op_open(void)
{
	struct mfile *mf = random_file(false);

	if (mf == NULL)
		return;
	REQUIRE(sim_file_object(&mf->sim) != NULL);
	mf->held = true;
	memset(mf->lost, 0, sizeof(mf->lost));
	trace("open file %d: object %u", (int)(mf - files), mf->sim.object->id);
}

static void op_close(void)
{
	struct mfile *mf = random_file(true);

	if (mf == NULL)
		return;
	trace("close file %d", (int)(mf - files));
	mf->held = false;
	vm_object_deallocate(mf->sim.object);
}

/* mmap of an open file, fixed in the area; now and then reaching past the file's end. */
static void op_map(struct proc *pr, bool shared)
{
	struct mfile *mf = random_file(true);
	int n = 1 + (int)rng_below(rng_chance(70) ? 8 : 32), p, i, expected = KERN_SUCCESS, rv;
	vm_prot_t prot = prot_choices[rng_below(NPROTS)];
	vm_pindex_t offset;

	if (mf == NULL)
		return;
	if (rng_chance(10)) {
		offset = rng_below(mf->sim.npages + 2);
	} else {
		offset = rng_below(mf->sim.npages);
		if ((vm_pindex_t)n > mf->sim.npages - offset)
			n = (int)(mf->sim.npages - offset);
	}
	p = (int)rng_below((uint64_t)(MPAGES - n + 1));
	for (i = 0; i < n; i++)
		if (pr->page[p + i].mapped)
			expected = KERN_NO_SPACE;
	rv = sim_file_map(&mf->sim, pr->map, page_va(pr, p), offset, (vm_pindex_t)n, prot, shared);
	trace("proc %d: map file %d [%lu, +%d) %s at %#lx prot %d: %d", (int)(pr - procs),
	      (int)(mf - files), (unsigned long)offset, n, shared ? "shared" : "private",
	      (unsigned long)page_va(pr, p), prot, rv);
	REQUIRE_EQ(rv, expected);
	if (rv != KERN_SUCCESS)
		return;
	for (i = 0; i < n; i++) {
		struct mpage *mp = &pr->page[p + i];

		*mp = (struct mpage){ .mapped = true, .shared = shared, .prot = prot,
				      .file = (int)(mf - files), .index = offset + (vm_pindex_t)i,
				      .cell = -1 };
	}
}

/* A page range in the area, mostly short. */
static void random_range(const struct proc *pr, vm_offset_t *start, vm_offset_t *end)
{
	int p = (int)rng_below(MPAGES), n = 1 + (int)rng_below(rng_chance(80) ? 8 : MPAGES);

	if (p + n > MPAGES)
		n = MPAGES - p;
	*start = page_va(pr, p);
	*end = page_va(pr, p + n);
}

/* Mostly a run of mapped pages (for calls that want the range mapped). */
static void random_mapped_range(const struct proc *pr, vm_offset_t *start, vm_offset_t *end)
{
	int p = (int)rng_below(MPAGES), q, n = 1 + (int)rng_below(rng_chance(50) ? 6 : MPAGES);

	if (rng_chance(20)) {
		random_range(pr, start, end);
		return;
	}
	while (p < MPAGES && !pr->page[p].mapped)
		p++;
	if (p == MPAGES) {
		random_range(pr, start, end);
		return;
	}
	for (q = p + 1; q < MPAGES && q < p + n && pr->page[q].mapped; q++)
		;
	*start = page_va(pr, p);
	*end = page_va(pr, q);
}

/* munmap: as the VM server's unmap_range, the range is synced (asynchronously) first. */
static void op_unmap(struct proc *pr)
{
	vm_offset_t start, end;
	int p;

	random_range(pr, &start, &end);
	trace("proc %d: unmap [%#lx, %#lx)", (int)(pr - procs), (unsigned long)start,
	      (unsigned long)end);
	sync_before_unmap(pr, start, end);
	REQUIRE_EQ(vm_map_delete(pr->map, start, end), KERN_SUCCESS);
	for (p = first_page(pr, start); p < last_page(pr, end); p++)
		page_unmap(&pr->page[p]);
}

static unsigned random_offset(void)
{
	return rng_chance(30) ? (rng_chance(50) ? 0 : PAGE_SIZE - 1) : (unsigned)rng_below(PAGE_SIZE);
}

/*
 * Bytes here and there: on mapped pages, mostly allowed ones (a process
 * that maps nothing makes one wild access). The process may park.
 */
static void op_access(struct proc *pr)
{
	int n = 1 + (int)rng_below(16), mapped[MPAGES], nmapped = 0, p;
	bool writer = rng_chance(50), write;

	for (p = 0; p < MPAGES; p++)
		if (pr->page[p].mapped)
			mapped[nmapped++] = p;
	if (nmapped == 0)
		n = 1;
	while (n-- > 0 && pr->call.kind == CALL_NONE) {
		p = nmapped > 0 && rng_chance(95) ? mapped[rng_below((uint64_t)nmapped)]
						  : (int)rng_below(MPAGES);
		write = rng_chance(writer ? 60 : 15);
		if (write && !(pr->page[p].prot & VM_PROT_WRITE) && rng_chance(80))
			write = false;
		access_byte(pr, p, random_offset(), write);
	}
}

/*
 * A sequential reader: reads on where it stopped (parked or not), page by
 * page, or starts again from a mapped page - read-ahead windows grow.
 */
static void op_sweep(struct proc *pr)
{
	int n = 1 + (int)rng_below(24);

	if (pr->sweep >= pr->sweep_end || rng_chance(15)) {
		vm_offset_t start, end;

		random_mapped_range(pr, &start, &end);
		pr->sweep = first_page(pr, start);
		pr->sweep_end = last_page(pr, end);
	}
	while (n-- > 0 && pr->sweep < pr->sweep_end && pr->page[pr->sweep].mapped &&
	       pr->call.kind == CALL_NONE)
		access_byte(pr, pr->sweep++, random_offset(), false);
}

/* fork: shared pages stay shared, private ones are copy-on-write (wired ones copied now). */
static void op_fork(struct proc *pr)
{
	struct proc *child = free_slot();
	int p;

	if (child == NULL)
		return;
	memset(child, 0, sizeof(*child));
	child->map = vm_map_fork(pr->map);
	REQUIRE(child->map != NULL);
	child->base = pr->base;
	trace("proc %d: fork into proc %d", (int)(pr - procs), (int)(child - procs));
	stats.forks++;
	for (p = 0; p < MPAGES; p++) {
		struct mpage *mp = &pr->page[p], *cp = &child->page[p];

		if (!mp->mapped)
			continue;
		*cp = *mp;
		cp->wired = false;
		if (mp->cell < 0)
			continue;
		if (mp->wired) {
			/* A copy in a new object, which does not reach the file. */
			cp->cell = cell_new(cells[mp->cell].data);
			cp->file = -1;
			continue;
		}
		mp->cow = cp->cow = true;
		cells[mp->cell].refs++;
	}
}

static void op_msync(struct proc *pr)
{
	vm_offset_t start, end;
	bool mapped;

	random_mapped_range(pr, &start, &end);
	mapped = model_range_mapped(pr, start, end);
	/* msync of a range with a hole is EINVAL: vm_map_sync is not called. */
	REQUIRE_EQ(vm_map_range_mapped(pr->map, start, end), mapped);
	if (!mapped)
		return;
	pr->call = (struct call){ .kind = CALL_MSYNC, .start = start, .end = end,
				  .how = (enum msync_how)rng_below(3) };
	stats.msyncs[pr->call.how]++;
	run_msync(pr);
}

static void op_mlock(struct proc *pr)
{
	vm_offset_t start, end;

	random_mapped_range(pr, &start, &end);
	pr->call = (struct call){ .kind = CALL_MLOCK, .start = start, .end = end };
	stats.mlocks++;
	run_mlock(pr);
}

static void op_munlock(struct proc *pr)
{
	vm_offset_t start, end;
	bool mapped;
	int p;

	random_mapped_range(pr, &start, &end);
	mapped = model_range_mapped(pr, start, end);
	trace("proc %d: munlock [%#lx, %#lx)", (int)(pr - procs), (unsigned long)start,
	      (unsigned long)end);
	REQUIRE_EQ(vm_map_unwire(pr->map, start, end),
		   mapped ? KERN_SUCCESS : KERN_INVALID_ADDRESS);
	for (p = first_page(pr, start); mapped && p < last_page(pr, end); p++)
		pr->page[p].wired = false;
}

/* madvise: behaviours change read-ahead; WILLNEED and DONTNEED no byte. */
static void op_madvise(struct proc *pr)
{
	vm_offset_t start, end;
	int advice = (int)rng_below(5), rv;

	random_mapped_range(pr, &start, &end);
	rv = vm_map_madvise(pr->map, start, end, advice);
	trace("proc %d: madvise [%#lx, %#lx) %d: %d", (int)(pr - procs), (unsigned long)start,
	      (unsigned long)end, advice, rv);
	REQUIRE_EQ(rv, model_range_mapped(pr, start, end) ? KERN_SUCCESS : KERN_INVALID_ADDRESS);
}

/* mprotect: every entry here may have any right (max is VM_PROT_ALL). */
static void op_mprotect(struct proc *pr)
{
	vm_offset_t start, end;
	vm_prot_t prot = prot_choices[rng_below(NPROTS)];
	bool mapped;
	int p;

	random_mapped_range(pr, &start, &end);
	mapped = model_range_mapped(pr, start, end);
	trace("proc %d: mprotect [%#lx, %#lx) %d", (int)(pr - procs), (unsigned long)start,
	      (unsigned long)end, prot);
	REQUIRE_EQ(vm_map_protect(pr->map, start, end, prot),
		   mapped ? KERN_SUCCESS : KERN_INVALID_ADDRESS);
	for (p = first_page(pr, start); mapped && p < last_page(pr, end); p++)
		pr->page[p].prot = prot;
}

/* Some queued requests end, in random order: well, or failing at the sequence's rate. */
static void op_complete(bool fail_all)
{
	int n = 1 + (int)rng_below(4);

	while (n-- > 0 && sim_pager_pending() > 0)
		complete_one((int)rng_below((uint64_t)sim_pager_pending()),
			     !fail_all && !rng_chance(fail_percent));
}

enum op {
	OP_CREATE, OP_EXIT, OP_OPEN, OP_CLOSE, OP_MAP_SHARED, OP_MAP_PRIVATE, OP_UNMAP,
	OP_ACCESS, OP_SWEEP, OP_FORK, OP_MSYNC, OP_MLOCK, OP_MUNLOCK, OP_MADVISE, OP_MPROTECT,
	OP_COMPLETE, OP_FAIL, OP_PREZERO, NOPS
};

static const unsigned op_weight[NOPS] = {
	[OP_CREATE] = 3, [OP_EXIT] = 2, [OP_OPEN] = 4, [OP_CLOSE] = 2, [OP_MAP_SHARED] = 12,
	[OP_MAP_PRIVATE] = 8, [OP_UNMAP] = 3, [OP_ACCESS] = 25, [OP_SWEEP] = 10, [OP_FORK] = 4,
	[OP_MSYNC] = 8, [OP_MLOCK] = 3, [OP_MUNLOCK] = 2, [OP_MADVISE] = 4, [OP_MPROTECT] = 3,
	[OP_COMPLETE] = 10, [OP_FAIL] = 3, [OP_PREZERO] = 1,
};

/* One step: an operation of the system, or of a process (one not parked, but for exit). */
static void step(void)
{
	enum op op = (enum op)model_pick_weighted(op_weight, NOPS);
	struct proc *pr = random_proc(op != OP_EXIT);

	switch (op) {
	case OP_CREATE:
		op_create();
		return;
	case OP_OPEN:
		op_open();
		return;
	case OP_CLOSE:
		op_close();
		return;
	case OP_COMPLETE:
	case OP_FAIL:
		op_complete(op == OP_FAIL);
		return;
	case OP_PREZERO:
		/* Page-ins may then get pages known to be zero (PG_ZERO). */
		vm_page_prezero(rng_below(64));
		return;
	default:
		break;
	}
	if (pr == NULL)
		return;
	switch (op) {
	case OP_EXIT:
		op_exit(pr);
		break;
	case OP_MAP_SHARED:
	case OP_MAP_PRIVATE:
		op_map(pr, op == OP_MAP_SHARED);
		break;
	case OP_UNMAP:
		op_unmap(pr);
		break;
	case OP_ACCESS:
	case OP_SWEEP:
		if (rng_chance(10))
			hog_take(rng_below(12));
		if (op == OP_ACCESS)
			op_access(pr);
		else
			op_sweep(pr);
		hog_release();
		break;
	case OP_FORK:
		op_fork(pr);
		break;
	case OP_MSYNC:
		op_msync(pr);
		break;
	case OP_MLOCK:
		op_mlock(pr);
		break;
	case OP_MUNLOCK:
		op_munlock(pr);
		break;
	case OP_MADVISE:
		op_madvise(pr);
		break;
	default:
		op_mprotect(pr);
		break;
	}
}

/* ---- sequences -------------------------------------------------------------- */

static void files_boot(void)
{
	static const unsigned rates[] = { 0, 3, 15, 40 };
	int f;

	fail_percent = rates[rng_below(4)];
	for (f = 0; f < NFILES; f++) {
		struct mfile *mf = &files[f];
		vm_pindex_t npages = 1 + rng_below(MAX_FILE_PAGES), i;

		sim_file_init(&mf->sim, npages, (enum sim_mode)rng_below(3));
		mf->sim.fail_percent = fail_percent;
		mf->sim.answered = file_answered;
		mf->sim.owner = mf;
		for (i = 0; i < ptoa(npages); i += 8) {
			uint64_t x = rng_next();

			memcpy(mf->sim.store + i, &x, 8);
		}
		mf->truth = malloc(ptoa(npages));
		REQUIRE(mf->truth != NULL);
		memcpy(mf->truth, mf->sim.store, ptoa(npages));
		/* Most start open. */
		mf->held = rng_chance(75) && sim_file_object(&mf->sim) != NULL;
		memset(mf->lost, 0, sizeof(mf->lost));
	}
}

static void files_free(void)
{
	int f;

	for (f = 0; f < NFILES; f++) {
		struct sim_file *s = &files[f].sim;

		stats.reads += s->reads;
		stats.read_pages += s->read_pages;
		stats.writes += s->writes;
		stats.write_pages += s->write_pages;
		stats.failed_reads += s->failed_reads;
		stats.failed_writes += s->failed_writes;
		stats.unchanged_writes += s->unchanged_writes;
		stats.zero_pages += s->zero_pages;
		sim_file_destroy(s);
		free(files[f].truth);
	}
}

/* Ends all queued I/O (and what that starts): failures at first, then none. */
static void drain(void)
{
	int rounds = 0;

	while (sim_pager_pending() > 0) {
		complete_one((int)rng_below((uint64_t)sim_pager_pending()),
			     rounds++ >= DRAIN_WITH_FAILURES || !rng_chance(fail_percent));
		check_all();
	}
}

static void run_sequence(const char *program, uint64_t seed)
{
	struct model_counts at_boot;
	uint64_t nsteps, i;
	int k;

	seeded_begin(program, seed);
	seeded_boot(SIM_PAGES);
	sim_pager_reset();
	at_boot = model_boot_counts();
	memset(procs, 0, sizeof(procs));
	cells_reset();
	files_boot();
	nsteps = MIN_STEPS + rng_below(MAX_STEPS - MIN_STEPS + 1);
	for (i = 1; i <= nsteps; i++) {
		seeded_step(i);
		step();
		check_all();
	}
	stats.steps += nsteps;

	/* The end: the I/O ends, every process exits, every file is closed. */
	seeded_step(nsteps + 1);
	drain();
	for (k = 0; k < NPROCS; k++) {
		if (procs[k].map != NULL) {
			op_exit(&procs[k]);
			check_all();
		}
	}
	drain();
	for (k = 0; k < NFILES; k++) {
		if (files[k].held) {
			files[k].held = false;
			vm_object_deallocate(files[k].sim.object);
			check_all();
		}
	}
	drain();
	/* Every file's object is gone, every byte written is in its store. */
	for (k = 0; k < NFILES; k++) {
		REQUIRE(files[k].sim.object == NULL);
		REQUIRE(memcmp(files[k].sim.store, files[k].truth, ptoa(files[k].sim.npages)) == 0);
	}
	model_require_all_returned(&at_boot);
	check_busy();
	stats.io_faults += vm_cnt.v_io_faults;
	stats.cow_faults += vm_cnt.v_cow_faults;
	files_free();
	stats.sequences++;
}

static void print_stats(void)
{
	printf("pager model: %llu sequences passed (%llu steps, %llu accesses, %llu faults, "
	       "%llu that asked a store)\n",
	       (unsigned long long)stats.sequences, (unsigned long long)stats.steps,
	       (unsigned long long)stats.accesses, (unsigned long long)stats.faults,
	       (unsigned long long)stats.io_faults);
	printf("pager model: faults that succeeded %llu, found no entry %llu, a protection %llu, "
	       "the file's end %llu, a failed store %llu, no memory %llu, waited %llu\n",
	       (unsigned long long)stats.rv[KERN_SUCCESS],
	       (unsigned long long)stats.rv[KERN_INVALID_ADDRESS],
	       (unsigned long long)stats.rv[KERN_PROTECTION_FAILURE],
	       (unsigned long long)stats.rv[KERN_OUT_OF_BOUNDS],
	       (unsigned long long)stats.rv[KERN_FAILURE],
	       (unsigned long long)stats.rv[KERN_RESOURCE_SHORTAGE],
	       (unsigned long long)stats.rv[KERN_PENDING]);
	printf("pager model: parked %llu (on another's I/O %llu), resumed %llu (%llu mapped "
	       "their cluster, %llu after I/O that failed), SIGBUS %llu; copy-on-write "
	       "%llu; forks %llu\n",
	       (unsigned long long)stats.parked, (unsigned long long)stats.intrans,
	       (unsigned long long)stats.resumed, (unsigned long long)stats.resumed_prefaulted,
	       (unsigned long long)stats.retried,
	       (unsigned long long)stats.sigbus, (unsigned long long)stats.cow_faults,
	       (unsigned long long)stats.forks);
	printf("pager model: page-ins %llu (%llu pages, %llu known zero, %llu failed), write-backs "
	       "%llu (%llu pages, %llu failed, %llu pages unchanged), pages lost with a dead "
	       "object %llu\n",
	       (unsigned long long)stats.reads, (unsigned long long)stats.read_pages,
	       (unsigned long long)stats.zero_pages,
	       (unsigned long long)stats.failed_reads, (unsigned long long)stats.writes,
	       (unsigned long long)stats.write_pages, (unsigned long long)stats.failed_writes,
	       (unsigned long long)stats.unchanged_writes, (unsigned long long)stats.lost_pages);
	printf("pager model: msync sync %llu, async %llu, invalidate %llu (parked %llu, "
	       "errors %llu); mlock %llu (parked %llu, failed %llu, pages undone %llu); deaths "
	       "deferred for I/O "
	       "%llu; up to %llu requests queued\n",
	       (unsigned long long)stats.msyncs[0], (unsigned long long)stats.msyncs[1],
	       (unsigned long long)stats.msyncs[2], (unsigned long long)stats.msync_parked,
	       (unsigned long long)stats.msync_errors, (unsigned long long)stats.mlocks,
	       (unsigned long long)stats.mlock_parked, (unsigned long long)stats.mlock_failed,
	       (unsigned long long)stats.mlock_undone, (unsigned long long)stats.deferred_deaths, (unsigned long long)stats.max_queued);
}

int main(int argc, char **argv)
{
	uint64_t seed;

	if (seeded_arg(argc, argv, &seed)) {
		run_sequence(argv[0], seed);
		printf("pager model: sequence %llu passed (%llu steps)\n",
		       (unsigned long long)seed, (unsigned long long)stats.steps);
		return 0;
	}
	for (seed = 1; seed <= NSEQUENCES; seed++)
		run_sequence(argv[0], seed);
	print_stats();
	return 0;
}
