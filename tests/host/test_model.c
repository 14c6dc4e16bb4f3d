/*
 * The VM as a whole against a reference model.
 *
 * Each sequence boots a fresh simulated machine and runs random steps over
 * up to NSPACES maps (processes): it maps private anonymous memory (fixed,
 * or where vm_map_find_space puts it), private copy-on-write views of
 * objects of a test pager and of anonymous objects with pages in them,
 * read-only shared views of pager objects, and shared anonymous memory as
 * the VM server makes it (an object allocated up front, inherited
 * VM_INHERIT_SHARE); unmaps and mprotects random page ranges; reads and
 * writes bytes through user_access() (faults and all), one by one or in
 * sweeps; calls vm_fault() as the server itself does (VM_FAULT_DIRTY,
 * VM_PROT_COPY); takes hardware mappings away as a page daemon would;
 * forks processes (vm_map_fork into a free slot); sets inheritance
 * (minherit), advice (madvise: behaviours, WILLNEED, DONTNEED), and wires
 * and unwires ranges (mlock, munlock); destroys maps (half the time after
 * pmap_remove_pages, as process exit does). The test pager has holes (zero
 * fill) and, in half the objects, pages it fails to read (KERN_FAILURE).
 * One sequence in four runs under memory pressure, where any step may run
 * out of memory and must then change nothing it should not.
 *
 * The model: per page of each map, whether it is mapped, with what
 * protection, maximum, inheritance and wiring, and which "cell" holds its
 * 4096 bytes. A cell is what the process sees at that page; it is held by
 * one page, or by several:
 *  - shared memory (VM_INHERIT_SHARE): the sharers hold one cell, and a
 *    write by any of them is seen by all;
 *  - after a fork, a VM_INHERIT_COPY page: parent and child hold one cell
 *    copy-on-write ("cow"), and the first to write gets a copy of its own.
 * Which objects, shadows or copies hold the pages is the VM's business; the
 * model says only what each process must see. A cell is held either by
 * sharers alone or by cow holders alone: then every outcome is determined.
 * (FreeBSD's vm_map_copy_entry makes a VM_INHERIT_COPY fork of memory that
 * another process shares writable a copy-on-write *view* of it, in both
 * parent and child: they see the other's later writes until they write
 * themselves, or until a collapse bypasses the object - which of the two
 * depends on timing. The test does not fork such a process; it counts it.)
 *
 * After every step the VM must agree with the model:
 *  - every access succeeds or fails (KERN_INVALID_ADDRESS,
 *    KERN_PROTECTION_FAILURE, KERN_NO_SPACE...) exactly as the model says,
 *    and a read returns the model's byte;
 *  - the entries cover exactly the model's mapped pages, with its
 *    protections, inheritance and wiring;
 *  - each page's bytes - through its hardware mapping if it has one, else
 *    as the next fault would find them down the object chain - are the
 *    model's;
 *  - a hardware mapping never allows more than the entry, always shows the
 *    page a fault would find now (no stale page after a copy), and is
 *    writable only for a page of the entry's own first object that every
 *    other mapping of it shows to a sharer of the same cell (copy-on-write
 *    is never bypassed, sharing never broken);
 *  - a wired page is resident in its entry's first object with a wire
 *    count; right after mlock it is mapped, wired, with the entry's rights,
 *    and that mapping is never lowered later by anything but mprotect,
 *    munmap or munlock - a fork of the parent least of all (it may only be
 *    removed by a fault elsewhere that copies the page into a shadow
 *    several maps share: vm_fault_cow then removes every mapping of the
 *    original, as FreeBSD's does, wired ones included);
 *  - wire counts: each page's is the number of wired entries that map it;
 *    v_wire_count is exactly the wired pages one can count frame by frame:
 *    the vm_page array's, the hog's, the user's wired pages, and the zones'
 *    slabs (as many as their items need, and no more than one an item);
 *  - shadow chains stay short: outside memory pressure no anonymous object
 *    backs another with no other reference (collapse absorbs it, as
 *    FreeBSD's vm_object_deallocate does), so the chain of an entry is at
 *    most as deep as the number of entries that share its bottom object
 *    (plus one when that bottom is a pager's) - see check_chains;
 *  - vm_map_validate, vm_object_validate down every chain, pmap_validate,
 *    vm_page_validate; reference and shadow counts of every object equal
 *    the references that exist; no object, page or mapping leaks.
 * At the end of a sequence (every map destroyed): no object, mapping,
 * address space or radix node is left, every page is free again, and
 * v_wire_count is what it was at boot.
 *
 *   test_model          runs NSEQUENCES sequences
 *   test_model SEED     replays the sequence of that seed (failures print it)
 *   MODEL_TRACE=1       prints each step
 *   MODEL_NO_CHAINS=1   leaves out the chain checks (to look past a failure there)
 */
#include <stdlib.h>
#include "harness.h"
#include "model.h"
#include "vm_radix.h"

SEEDED_SANITIZER_OPTIONS

/* Longer hunts: -DNSEQUENCES=60000, or longer sequences with -DMAX_STEPS=600. */
#ifndef NSEQUENCES
#define NSEQUENCES  3000
#endif
#ifndef MAX_STEPS
#define MIN_STEPS   20
#define MAX_STEPS   120
#else
#define MIN_STEPS   (MAX_STEPS / 2)
#endif
#define SIM_PAGES   768	/* enough that no step runs out (see stats.peak_used) */
#define NSPACES     8		/* maps at once */
#define MPAGES      64		/* pages of address space each model covers */
#define MAX_PAGERS  8		/* pager objects per sequence */
#define MAX_PAGER_SIZE 40	/* pages */
#define MAX_OBJECTS (NSPACES * MPAGES * 4 + MAX_PAGERS)
_Static_assert(NSPACES * MPAGES <= MODEL_MAX_CELLS, "a cell for each mapped page");

#define R   VM_PROT_READ
#define RW  (VM_PROT_READ | VM_PROT_WRITE)
#define RX  (VM_PROT_READ | VM_PROT_EXECUTE)
#define RWX VM_PROT_ALL
#define COW (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY)

/*
 * Protections the simulated MMU can hold: a readable page, or none at all
 * (sim.c, like Sv39, has no write-only or execute-only pages).
 */
static const vm_prot_t prot_choices[] = { VM_PROT_NONE, R, RW, RX, RWX };
#define NPROTS ((int)(sizeof(prot_choices) / sizeof(prot_choices[0])))

struct mpage {
	bool mapped;
	vm_prot_t prot, max;
	uint8_t inherit;		/* VM_INHERIT_ */
	bool cow;			/* holds its cell copy-on-write (after a fork) */
	bool wired;			/* mlock()ed */
	/*
	 * Not 0: the page was mapped wired with these rights (mlock), and the
	 * mapping must stay at least this good until munlock, munmap or an
	 * mprotect that lowers it.
	 */
	vm_prot_t wired_prot;
	int cell;			/* valid while mapped */
};

/*
 * One process: its map, and the model of its address space over the area
 * [base, base + MPAGES pages). Nothing outside the area is ever mapped; the
 * area may reach below USER_MIN or above USER_MAX, where nothing can be.
 * A forked child has its parent's area.
 */
struct space {
	vm_map_t map;			/* NULL: the slot is free */
	vm_offset_t base;
	struct mpage page[MPAGES];
};

static struct space spaces[NSPACES];

/*
 * The test pager: a store whose page i holds bytes from a generator seeded
 * by (seed, i), except for holes (about one page in eight) it does not have,
 * which the VM must zero-fill. Half the stores also have bad pages (about
 * one in eight again), which they fail to read: a fault that needs one
 * fails with KERN_FAILURE and leaves nothing behind. A store tells the VM
 * about the readable pages around a request (haspage), so that only a fault
 * on a bad page itself asks for it, and checks that it is asked only for
 * what it has.
 */
struct tpager {
	uint64_t seed;
	bool has_bad;
	bool live;		/* the object exists: dealloc not called yet */
	bool held;		/* the test holds a reference */
	vm_object_t object;	/* valid while live */
	uint64_t requests;
};

static struct tpager tpagers[MAX_PAGERS];
static int ntpagers;

/*
 * Memory pressure, in one sequence of four: a hog takes free pages (wired,
 * as the VM's own structures are) and gives them back at random. While it
 * holds any, a step may fail with KERN_RESOURCE_SHORTAGE where the model
 * expects success - and must then have changed nothing, or (munmap,
 * mprotect, minherit, mlock, munlock, which work entry by entry) have left
 * each page either as it was or as asked.
 */
static bool pressure;
static vm_page_t hog[SIM_PAGES];
static int nhog;
static bool hog_frame[SIM_PAGES];	/* by frame: the hog holds it */

static struct {
	uint64_t sequences, steps, accesses, faults, zfod, ozfod, cow_copy, cow_move;
	uint64_t io, prefaults, no_space, invalid_address, protection_failure;
	uint64_t invalid_argument, failure, pager_requests, pager_failures, shortages;
	uint64_t forks, forks_failed, forks_skipped, fork_shared_pages, fork_cow_pages;
	uint64_t fork_copied_now, inherits, madvises, shared_maps, wires, wires_undone;
	uint64_t wired_pages, wired_unmapped, unwires, collapses, bypasses, shared_writable;
	uint64_t peak_used;
	int max_chain, max_chain_users;
} stats;

static const uint8_t zero_page[PAGE_SIZE];

/* MODEL_NO_CHAINS=1: skip the chain bounds (to hunt for other failures first). */
static bool no_chains;

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The bytes of page pindex of a store (or a prefilled anonymous object) `seed`. */
static void fill_pattern(uint8_t *buf, uint64_t seed, vm_pindex_t pindex)
{
	uint64_t x = mix(seed ^ mix(pindex));
	size_t i;

	for (i = 0; i < PAGE_SIZE; i += 8) {
		x = mix(x);
		memcpy(buf + i, &x, 8);
	}
}

static bool tpager_hole(const struct tpager *tp, vm_pindex_t pindex)
{
	return (mix(tp->seed + 7 * pindex) & 7) == 0;
}

static bool tpager_bad(const struct tpager *tp, vm_pindex_t pindex)
{
	return tp->has_bad && !tpager_hole(tp, pindex) && (mix(3 * tp->seed + 11 * pindex) & 7) == 1;
}

static bool tpager_readable(const struct tpager *tp, vm_pindex_t pindex)
{
	return !tpager_hole(tp, pindex) && !tpager_bad(tp, pindex);
}

/* What page pindex of a pager object holds before anyone writes: its pattern, or zeros. */
static void tpager_contents(const struct tpager *tp, vm_pindex_t pindex, uint8_t *buf)
{
	if (tpager_hole(tp, pindex))
		memset(buf, 0, PAGE_SIZE);
	else
		fill_pattern(buf, tp->seed, pindex);
}

static bool tpager_haspage(vm_object_t object, vm_pindex_t pindex, int *before, int *after)
{
	const struct tpager *tp = object->handle;
	int n;

	REQUIRE(tp->live && tp->object == object);
	REQUIRE(pindex < object->size);		/* vm_fault checks the size first */
	if (tpager_hole(tp, pindex))
		return false;
	for (n = 0; n < 64 && pindex > (vm_pindex_t)n &&
		    tpager_readable(tp, pindex - (vm_pindex_t)n - 1);
	     n++)
		;
	*before = n;
	for (n = 0; n < 64 && pindex + (vm_pindex_t)n + 1 < object->size &&
		    tpager_readable(tp, pindex + (vm_pindex_t)n + 1);
	     n++)
		;
	*after = n;
	return true;
}

static int tpager_getpages(vm_object_t object, vm_page_t *ma, int count)
{
	struct tpager *tp = object->handle;
	int i, bad = 0;

	REQUIRE(tp->live && tp->object == object && count > 0);
	tp->requests++;
	stats.pager_requests++;
	for (i = 0; i < count; i++) {
		/* Only pages the store has, consecutive, fresh and busy in this object. */
		REQUIRE(ma[i]->object == object && ma[i]->busy && !ma[i]->valid);
		REQUIRE(ma[i]->pindex < object->size && !tpager_hole(tp, ma[i]->pindex));
		REQUIRE(i == 0 || ma[i]->pindex == ma[i - 1]->pindex + 1);
		bad += tpager_bad(tp, ma[i]->pindex);
		fill_pattern(pmap_page_address(ma[i]), tp->seed, ma[i]->pindex);
	}
	/* A read-ahead never reaches a bad page: only a fault on one itself. */
	REQUIRE(bad <= 1);
	if (bad) {
		stats.pager_failures++;
		for (i = 0; i < count; i++)	/* half-read garbage the VM must discard */
			memset(pmap_page_address(ma[i]), 0xee, PAGE_SIZE / 2);
		return VM_PAGER_ERROR;
	}
	return VM_PAGER_OK;
}

static void tpager_dealloc(vm_object_t object)
{
	struct tpager *tp = object->handle;

	/* Once, when the last reference goes - and never while the test holds one. */
	REQUIRE(tp->live && tp->object == object && !tp->held);
	tp->live = false;
}

static const struct vm_pager_ops tpager_ops = {
	.name = "model", .haspage = tpager_haspage, .getpages = tpager_getpages,
	.dealloc = tpager_dealloc,
};

/* ---- the model ---------------------------------------------------------- */

static vm_offset_t page_va(const struct space *s, int p)
{
	return s->base + ptoa((vm_offset_t)p);
}

/* Can the map hold the page at va at all? */
static bool in_map(vm_offset_t va)
{
	return va >= USER_MIN && va < USER_MAX;
}

static uint8_t *page_data(const struct space *s, int p)
{
	return cells[s->page[p].cell].data;
}

/* A newly mapped page: a cell of its own, its bytes still to be filled. */
static void page_map_new(struct mpage *mp, vm_prot_t prot, vm_prot_t max, int inherit)
{
	memset(mp, 0, sizeof(*mp));
	mp->mapped = true;
	mp->prot = prot;
	mp->max = max;
	mp->inherit = (uint8_t)inherit;
	mp->cell = cell_new(NULL);
}

static void page_unmap(struct mpage *mp)
{
	if (mp->mapped)
		cell_release(mp->cell);
	memset(mp, 0, sizeof(*mp));
}

/* A copy-on-write page that others hold gets a cell of its own, with the same bytes. */
static void page_make_private(struct mpage *mp)
{
	if (mp->cow && cells[mp->cell].refs > 1) {
		int c = cell_new(cells[mp->cell].data);

		cell_release(mp->cell);
		mp->cell = c;
	}
	mp->cow = false;
}

/* A step wrote to a page others share: their views change too. */
static bool shared_write;
/* A step took faults (accesses, vm_fault, mlock): copy-on-write copies maybe. */
static bool step_faulted;

/* A byte written: into the cell the sharers see, or a private copy first. */
static void model_write(struct space *s, int p, unsigned off, uint8_t b)
{
	struct mpage *mp = &s->page[p];

	page_make_private(mp);
	shared_write |= cells[mp->cell].refs > 1;
	cells[mp->cell].data[off] = b;
}

/*
 * The page a fault at va would find now: the first resident page down the
 * entry's chain (*depth: in which object). If there is none, *bottom is the
 * chain's last object and *bottom_pindex the index there (NULL: untouched
 * anonymous memory).
 */
static vm_page_t chain_page(vm_map_entry_t e, vm_offset_t va, int *depth, vm_object_t *bottom,
			    vm_pindex_t *bottom_pindex)
{
	vm_object_t o = e->object;
	vm_pindex_t pindex = e->offset + atop(va - e->start);
	vm_page_t m;

	*depth = 0;
	*bottom = NULL;
	if (o == NULL)
		return NULL;
	for (;;) {
		if ((m = vm_object_page_lookup(o, pindex)) != NULL)
			return m;
		if (o->backing_object == NULL) {
			*bottom = o;
			*bottom_pindex = pindex;
			return NULL;
		}
		pindex += o->backing_offset;
		o = o->backing_object;
		(*depth)++;
	}
}

/*
 * Would a fault on page p need a page the store fails to read? Only where no
 * object up the chain holds the page, and the chain ends at a bad page.
 */
static bool needs_bad_page(const struct space *s, int p)
{
	vm_map_entry_t e = vm_map_lookup_entry(s->map, page_va(s, p));
	vm_object_t bottom;
	vm_pindex_t bottom_pindex = 0;
	int depth;

	REQUIRE(e != NULL);
	return chain_page(e, page_va(s, p), &depth, &bottom, &bottom_pindex) == NULL &&
	       bottom != NULL && bottom->pager == &tpager_ops &&
	       tpager_bad(bottom->handle, bottom_pindex);
}

/*
 * The outcome the model expects of a one-byte access: the protections say
 * whether it may happen; and where only a store can supply the page (no
 * object up the chain holds it), a bad page of the store fails it.
 */
static int expect_access(const struct space *s, int p, bool write)
{
	const struct mpage *mp = &s->page[p];

	if (!mp->mapped)
		return KERN_INVALID_ADDRESS;
	if ((mp->prot & (write ? VM_PROT_WRITE : VM_PROT_READ)) == 0)
		return KERN_PROTECTION_FAILURE;
	return needs_bad_page(s, p) ? KERN_FAILURE : KERN_SUCCESS;
}

static void count_error(int rv)
{
	stats.no_space += rv == KERN_NO_SPACE;
	stats.invalid_address += rv == KERN_INVALID_ADDRESS;
	stats.protection_failure += rv == KERN_PROTECTION_FAILURE;
	stats.invalid_argument += rv == KERN_INVALID_ARGUMENT;
	stats.failure += rv == KERN_FAILURE;
}

/*
 * Is running out of memory acceptable now? Under the hog's pressure, yes;
 * anywhere else it is a limit of the test, not a finding.
 */
static bool shortage_allowed(void)
{
	if (nhog == 0)
		seeded_fail(__FILE__, __LINE__, "out of simulated memory (free %llu): raise SIM_PAGES",
			    (unsigned long long)vm_cnt.v_free_count);
	stats.shortages++;
	return true;
}

/*
 * Checks a result against the model's. Returns false for an allowed
 * shortage where success (or a store's failure, which comes after pages are
 * allocated for the read) was expected - the errors of maps and protections
 * are found before anything is allocated. The caller then checks what the
 * step may have changed.
 */
static bool require_rv(int rv, int expected)
{
	if (rv == KERN_RESOURCE_SHORTAGE &&
	    (expected == KERN_SUCCESS || expected == KERN_FAILURE) && shortage_allowed())
		return false;
	REQUIRE_EQ(rv, expected);
	count_error(rv);
	return true;
}

/*
 * Where first fit puts `npages` at or above hint: the lowest address with
 * no mapped page in the range (the model's area holds every mapped page).
 */
static int model_find_space(const struct space *s, vm_offset_t hint, int npages,
			    vm_offset_t *addr)
{
	vm_offset_t start = hint > USER_MIN ? hint : USER_MIN;
	vm_offset_t len = ptoa((vm_offset_t)npages);

	for (;;) {
		vm_offset_t va, last_mapped = 0;
		bool clash = false;

		if (start + len > USER_MAX)
			return KERN_NO_SPACE;
		for (va = start; va < start + len; va += PAGE_SIZE) {
			if (va >= s->base && va < page_va(s, MPAGES) &&
			    s->page[atop(va - s->base)].mapped) {
				last_mapped = va;
				clash = true;
			}
		}
		if (!clash) {
			*addr = start;
			return KERN_SUCCESS;
		}
		start = last_mapped + PAGE_SIZE;
	}
}

/* Is every page of [start, end) mapped? (The range vm_map_range_mapped asks about.) */
static bool model_range_mapped(const struct space *s, vm_offset_t start, vm_offset_t end)
{
	vm_offset_t va;

	for (va = start; va < end; va += PAGE_SIZE)
		if (va < s->base || va >= page_va(s, MPAGES) || !s->page[atop(va - s->base)].mapped)
			return false;
	return true;
}

/* ---- checks ------------------------------------------------------------- */

static struct space *space_of_pmap(pmap_t pmap)
{
	int i;

	for (i = 0; i < NSPACES; i++)
		if (spaces[i].map != NULL && spaces[i].map->pmap == pmap)
			return &spaces[i];
	return NULL;
}

/*
 * A writable mapping of m at page p of s: a write through it reaches every
 * mapping of m, so each must be one of a page holding the same cell.
 */
static void check_writable_sharing(const struct space *s, int p, vm_page_t m)
{
	struct pv_entry *pv;
	int n = 0;

	for (pv = m->pv_list; pv != NULL; pv = pv->next, n++) {
		const struct space *o = space_of_pmap(pv->pmap);
		int q;

		REQUIRE(o != NULL && pv->va >= o->base && pv->va < page_va(o, MPAGES));
		q = (int)atop(pv->va - o->base);
		REQUIRE(o->page[q].mapped && o->page[q].cell == s->page[p].cell);
	}
	stats.shared_writable += n > 1;
}

/* Checks one space's map, pmap, simulated page table and pages against its model. */
static void check_space(struct space *s)
{
	static uint8_t expected[PAGE_SIZE];
	vm_map_t map = s->map;
	uint64_t hw = map->pmap->hw_id, pvs = 0;
	vm_map_entry_t e;
	int p, mapped = 0, in_entries = 0;

	vm_map_validate(map);	/* tree, list, entries; pmap_validate too */

	/* The entries cover exactly the model's mapped pages, with its attributes. */
	for (e = map->first; e != NULL; e = e->next) {
		vm_offset_t va;
		vm_object_t o;

		REQUIRE(e->start >= s->base && e->end <= page_va(s, MPAGES));
		for (o = e->object; o != NULL; o = o->backing_object) {
			vm_object_validate(o);
			/* Pager objects are the end of a chain. */
			REQUIRE(o->pager == NULL || o->backing_object == NULL);
		}
		/* needs-copy only on private entries; a private entry's own object is anonymous. */
		REQUIRE(!(e->eflags & MAP_ENTRY_NEEDS_COPY) || (e->eflags & MAP_ENTRY_COW));
		REQUIRE(!(e->eflags & MAP_ENTRY_COW) || (e->eflags & MAP_ENTRY_NEEDS_COPY) ||
			(e->object != NULL && e->object->pager == NULL));
		/* A wired entry has made its copies: it needs none. */
		REQUIRE(e->wired_count == 0 || !(e->eflags & MAP_ENTRY_NEEDS_COPY));
		for (va = e->start; va < e->end; va += PAGE_SIZE) {
			const struct mpage *mp = &s->page[atop(va - s->base)];

			REQUIRE(mp->mapped);
			REQUIRE_EQ(mp->prot, e->protection);
			REQUIRE_EQ(mp->max, e->max_protection);
			REQUIRE_EQ(mp->inherit, e->inheritance);
			REQUIRE_EQ((e->eflags & MAP_ENTRY_USER_WIRED) != 0, mp->wired);
			REQUIRE_EQ(e->wired_count > 0, mp->wired);
			in_entries++;
		}
	}
	for (p = 0; p < MPAGES; p++)
		mapped += s->page[p].mapped;
	REQUIRE_EQ(in_entries, mapped);

	for (p = 0; p < MPAGES; p++) {
		const struct mpage *mp = &s->page[p];
		vm_offset_t va = page_va(s, p);
		vm_prot_t pvprot = 0;
		vm_page_t pv_page = pmap_lookup(map->pmap, va, &pvprot);
		uint8_t *hw_read;
		vm_object_t bottom;
		vm_pindex_t bottom_pindex = 0;
		vm_page_t m;
		int depth;

		/* Reading through the simulated MMU sets its accessed bit, as hardware would. */
		hw_read = sim_translate(hw, va, VM_PROT_READ);
		/* The simulated page table and the pmap's records agree. */
		REQUIRE((hw_read != NULL) == (pv_page != NULL));
		if (!mp->mapped || !(mp->prot & VM_PROT_READ)) {
			/* No mapping survives munmap or PROT_NONE. */
			REQUIRE(pv_page == NULL);
			if (!mp->mapped)
				continue;
		}
		e = vm_map_lookup_entry(map, va);
		REQUIRE(e != NULL);
		m = chain_page(e, va, &depth, &bottom, &bottom_pindex);
		if (m != NULL) {
			/* What the next fault would find holds the model's bytes. */
			REQUIRE(memcmp(pmap_page_address(m), page_data(s, p), PAGE_SIZE) == 0);
		} else if (bottom != NULL && bottom->pager != NULL) {
			/* Not resident: the store's bytes, or zeros for its holes. */
			REQUIRE(bottom->pager == &tpager_ops);
			tpager_contents(bottom->handle, bottom_pindex, expected);
			REQUIRE(memcmp(expected, page_data(s, p), PAGE_SIZE) == 0);
		} else {
			/* Not resident anywhere, no store: zero fill. */
			REQUIRE(memcmp(zero_page, page_data(s, p), PAGE_SIZE) == 0);
		}
		if (mp->wired) {
			/* Wired: its own page, resident in the entry's first object, wired. */
			REQUIRE(m != NULL && depth == 0 && m->object == e->object && m->valid);
			REQUIRE(m->wire_count > 0);
		}
		if (mp->wired_prot != 0) {
			/* The mapping mlock made is still there, at least as good. */
			REQUIRE(mp->wired);
			REQUIRE(pv_page == m);
			REQUIRE((mp->wired_prot & ~pvprot) == 0);
		}
		if (pv_page == NULL)
			continue;
		pvs++;
		/* A mapping shows the page a fault would find now: never a stale one. */
		REQUIRE(pv_page == m);
		REQUIRE(hw_read == pmap_page_address(m));
		/*
		 * Neither the record nor the hardware allows more than the
		 * entry, and the hardware no right the record lacks (the
		 * record's may be more: fork lowers the hardware alone).
		 */
		REQUIRE((pvprot & ~mp->prot) == 0);
		REQUIRE((sim_prot(hw, va) & ~pvprot) == 0);
		if (sim_translate(hw, va, VM_PROT_WRITE) != NULL) {
			/*
			 * Writable: the page is this entry's own (its first
			 * object's, at the right index), and mapped elsewhere
			 * only for sharers - else a write would reach another
			 * view.
			 */
			REQUIRE(depth == 0 && m->object == e->object);
			REQUIRE_EQ(m->pindex, e->offset + atop(va - e->start));
			REQUIRE(!(e->eflags & MAP_ENTRY_NEEDS_COPY));
			check_writable_sharing(s, p, m);
		}
	}
	/* No mapping outside the area. */
	REQUIRE_EQ(map->pmap->resident_count, pvs);
}

/*
 * After a step that faulted: a wired mapping may be gone. Only one thing
 * may do that: a copy-on-write copy into a shadow that several maps share
 * removes every mapping of the old page (vm_fault_cow's pmap_remove_all, as
 * FreeBSD's does), a wired one of another entry too; the page stays wired
 * and resident, and the next access is a soft fault. Anywhere else a wired
 * mapping that went is a failure (check_space).
 */
static void forget_removed_wired_mappings(uint64_t cow_faults_before)
{
	int i, p;

	for (i = 0; i < NSPACES; i++) {
		if (spaces[i].map == NULL)
			continue;
		for (p = 0; p < MPAGES; p++) {
			struct mpage *mp = &spaces[i].page[p];

			if (mp->wired_prot != 0 &&
			    pmap_lookup(spaces[i].map->pmap, page_va(&spaces[i], p), NULL) == NULL) {
				REQUIRE(vm_cnt.v_cow_faults > cow_faults_before);
				stats.wired_unmapped++;
				mp->wired_prot = 0;
			}
		}
	}
}

static vm_object_t objects[MAX_OBJECTS];
static int refs[MAX_OBJECTS], shadows[MAX_OBJECTS], users[MAX_OBJECTS];
static int nobjects;

/* By frame: wired at boot (the vm_page array), in a reachable object, wirings expected. */
static bool boot_wired[SIM_PAGES], in_object[SIM_PAGES];
static int expected_wire[SIM_PAGES];
static uint64_t nboot_wired;

static int object_index(vm_object_t o)
{
	return objects_index(objects, nobjects, o);
}

static int frame_of(vm_page_t m)
{
	uint64_t i = (m->phys - SIM_PHYS_BASE) >> PAGE_SHIFT;

	REQUIRE(m->phys >= SIM_PHYS_BASE && i < SIM_PAGES);
	return (int)i;
}

/* The vm_page of frame 0: the others follow it (vm_page_startup's array). */
static vm_page_t frame0;

static vm_page_t frame_page(int i)
{
	return frame0 + i;
}

/* The fewest slabs `items` items of `size` bytes can take (a page holds at most PAGE_SIZE/size). */
static uint64_t slabs_at_least(uint64_t items, size_t size)
{
	uint64_t per = PAGE_SIZE / size;

	return (items + per - 1) / per;
}

/*
 * Every frame accounted for: free; in a reachable object (wired as many
 * times as wired entries map it); or wired for the VM itself - the vm_page
 * array (from boot), the hog's, or a zone's slab. The zones' slabs are as
 * many as their items need at least, and at most one an item (an empty slab
 * goes back at once). v_wire_count is the sum of the wired ones.
 */
static void check_frames(uint64_t nmaps, uint64_t nentries, uint64_t npvs, uint64_t user_wired)
{
	/* A radix node holds 64 slots and a count: more than 512 bytes. */
	const size_t radix_node_min = 64 * sizeof(void *);
	uint64_t boot = 0, hogged = 0, zone = 0, used = 0, lo, hi;
	int i;

	for (i = 0; i < SIM_PAGES; i++) {
		vm_page_t m = frame_page(i);

		if (m->object != NULL) {
			REQUIRE(in_object[i]);	/* no page of a leaked object */
			used++;
			continue;
		}
		REQUIRE(!in_object[i]);
		if (m->queue == PQ_FREE) {
			REQUIRE(!boot_wired[i] && !hog_frame[i]);
			continue;
		}
		REQUIRE_EQ(m->wire_count, 1);
		REQUIRE(m->queue == PQ_NONE && m->pv_list == NULL);
		used++;
		if (boot_wired[i])
			boot++;
		else if (hog_frame[i])
			hogged++;
		else
			zone++;
	}
	REQUIRE_EQ(boot, nboot_wired);
	REQUIRE_EQ(hogged, nhog);
	REQUIRE_EQ(vm_cnt.v_wire_count, boot + hogged + zone + user_wired);
	lo = slabs_at_least(nmaps, sizeof(struct vm_map)) +
	     slabs_at_least(nmaps, sizeof(struct pmap)) +
	     slabs_at_least(nentries, sizeof(struct vm_map_entry)) +
	     slabs_at_least(vm_cnt.v_objects, sizeof(struct vm_object)) +
	     slabs_at_least(npvs, sizeof(struct pv_entry)) +
	     slabs_at_least(vm_radix_nodes_in_use(), radix_node_min);
	hi = 2 * nmaps + nentries + vm_cnt.v_objects + npvs + vm_radix_nodes_in_use();
	if (zone < lo || zone > hi)
		seeded_fail(__FILE__, __LINE__, "%llu zone pages for their items: %llu to %llu expected",
			    (unsigned long long)zone, (unsigned long long)lo, (unsigned long long)hi);
	used -= boot + hogged;
	if (used > stats.peak_used)
		stats.peak_used = used;
}

/*
 * Shadow chains. What FreeBSD guarantees (vm_object_deallocate collapses an
 * anonymous object into its shadow when that shadow is all that refers to
 * it; vm_object_shadow makes no shadow over an object only the entry refers
 * to): no anonymous object backs another with no other reference. Outside
 * memory pressure (where a collapse may fail for a radix node, and is not
 * retried) that must hold after every step.
 *
 * It bounds the depth: in a chain o0 (the entry's) -> o1 -> ... -> o(d-1),
 * each anonymous oi (i >= 1) has a reference besides o(i-1)'s - another
 * shadow or an entry - and above it some entry whose chain holds oi but not
 * o(i-1), so the entries sharing o(d-1) include one for each such level, all
 * different (one holding oi holds every oj below it, o(i+1)... included).
 * Hence depth <= (entries whose chain holds the bottom object) - 1 + 1, plus
 * one if the bottom is a pager's (which may be held by its one shadow only).
 * Without forks that is 1 (or 2 over a pager object); a chain grows with the
 * number of live processes (entries) that share it, never with history.
 */
static void check_chains(void)
{
	vm_map_entry_t e;
	vm_object_t o, bottom;
	int i, depth, bound;

	memset(users, 0, sizeof(users[0]) * (size_t)nobjects);
	for (i = 0; i < NSPACES; i++)
		if (spaces[i].map != NULL)
			for (e = spaces[i].map->first; e != NULL; e = e->next)
				for (o = e->object; o != NULL; o = o->backing_object)
					users[object_index(o)]++;
	for (i = 0; i < NSPACES; i++) {
		if (spaces[i].map == NULL)
			continue;
		for (e = spaces[i].map->first; e != NULL; e = e->next) {
			if (e->object == NULL)
				continue;
			depth = 0;
			for (o = bottom = e->object; o != NULL; o = o->backing_object, depth++)
				bottom = o;
			REQUIRE_EQ(vm_object_chain_depth(e->object), depth);
			bound = users[object_index(bottom)] + (bottom->pager != NULL);
			if (depth > stats.max_chain) {
				stats.max_chain = depth;
				stats.max_chain_users = users[object_index(bottom)];
			}
			if (depth > bound && !pressure && !no_chains)
				seeded_fail(__FILE__, __LINE__, "space %d [%#lx, %#lx): a chain of %d "
					    "objects, but %d entries share its bottom object %u",
					    i, (unsigned long)e->start, (unsigned long)e->end, depth,
					    users[object_index(bottom)], bottom->id);
		}
	}
	if (pressure || no_chains)
		return;
	for (i = 0; i < nobjects; i++) {
		vm_object_t b = objects[i]->backing_object;

		if (b != NULL && b->pager == NULL && b->ref_count < 2)
			seeded_fail(__FILE__, __LINE__, "object %u backs object %u and nothing else "
				    "refers to it: not collapsed", b->id, objects[i]->id);
	}
}

/* The model itself: cell references, and no cell both shared and copy-on-write. */
static void check_cells(void)
{
	static int holders[MODEL_MAX_CELLS], cows[MODEL_MAX_CELLS];
	int i, p;

	memset(holders, 0, sizeof(holders));
	memset(cows, 0, sizeof(cows));
	for (i = 0; i < NSPACES; i++) {
		if (spaces[i].map == NULL)
			continue;
		for (p = 0; p < MPAGES; p++) {
			const struct mpage *mp = &spaces[i].page[p];

			if (!mp->mapped)
				continue;
			holders[mp->cell]++;
			cows[mp->cell] += mp->cow;
			REQUIRE(!mp->wired || !mp->cow);
		}
	}
	for (i = 0; i < MODEL_MAX_CELLS; i++)
		REQUIRE(holders[i] < 2 || cows[i] == 0 || cows[i] == holders[i]);
	cells_check(holders);
}

/*
 * Accounts for every object and page: the objects reachable from the maps
 * and the test's own references are all there are (v_objects), each with
 * exactly the references and shadows that exist; every page is free, wired
 * (VM structures, the hog) or resident in one of them; the test pager's
 * objects are alive exactly while reachable. Then the frames, the chains
 * and the model's cells.
 */
static void check_global(void)
{
	uint64_t resident = 0, resident_pages = 0, spaces_live = 0, nentries = 0;
	uint64_t user_wired = 0;
	vm_map_entry_t e;
	vm_object_t o;
	int i, n = 0;

	vm_page_validate();
	for (i = 0; i < NSPACES; i++) {
		if (spaces[i].map == NULL)
			continue;
		spaces_live++;
		resident += spaces[i].map->pmap->resident_count;
		nentries += (uint64_t)spaces[i].map->nentries;
		for (e = spaces[i].map->first; e != NULL; e = e->next)
			for (o = e->object; o != NULL; o = o->backing_object) {
				REQUIRE(n < MAX_OBJECTS);
				objects[n++] = o;
			}
	}
	for (i = 0; i < ntpagers; i++)
		if (tpagers[i].held)
			objects[n++] = tpagers[i].object;
	nobjects = objects_sort_unique(objects, n);
	REQUIRE_EQ(vm_cnt.v_objects, nobjects);
	memset(refs, 0, sizeof(refs[0]) * (size_t)nobjects);
	memset(shadows, 0, sizeof(shadows[0]) * (size_t)nobjects);
	memset(expected_wire, 0, sizeof(expected_wire));
	memset(in_object, 0, sizeof(in_object));
	for (i = 0; i < NSPACES; i++) {
		if (spaces[i].map == NULL)
			continue;
		for (e = spaces[i].map->first; e != NULL; e = e->next) {
			vm_pindex_t k;

			if (e->object != NULL)
				refs[object_index(e->object)]++;
			if (e->wired_count == 0)
				continue;
			/* Each wired entry wires each page of its window in its first object once. */
			REQUIRE(e->object != NULL);
			for (k = 0; k < atop(e->end - e->start); k++) {
				vm_page_t m = vm_object_page_lookup(e->object, e->offset + k);

				REQUIRE(m != NULL);
				expected_wire[frame_of(m)]++;
			}
		}
	}
	for (i = 0; i < ntpagers; i++)
		if (tpagers[i].held)
			refs[object_index(tpagers[i].object)]++;
	for (i = 0; i < nobjects; i++) {
		if (objects[i]->backing_object != NULL) {
			int b = object_index(objects[i]->backing_object);

			refs[b]++;
			shadows[b]++;
		}
	}
	for (i = 0; i < nobjects; i++) {
		vm_pindex_t pindex = 0, found;
		vm_page_t m;

		REQUIRE_EQ(objects[i]->ref_count, refs[i]);
		REQUIRE_EQ(objects[i]->shadow_count, shadows[i]);
		resident_pages += objects[i]->resident_page_count;
		/*
		 * Between faults every resident page is whole (valid, not
		 * busy), inside its object, wired exactly as often as wired
		 * entries map it, and if not wired on the active or inactive
		 * queue - where the page daemon can find it.
		 */
		while ((m = vm_radix_lookup_ge(&objects[i]->pages, pindex, &found)) != NULL) {
			int f = frame_of(m);

			REQUIRE(m->valid && !m->busy);
			REQUIRE_EQ(m->wire_count, expected_wire[f]);
			if (m->wire_count == 0)
				REQUIRE(m->queue == PQ_ACTIVE || m->queue == PQ_INACTIVE);
			else
				REQUIRE(m->queue == PQ_NONE);
			user_wired += m->wire_count > 0;
			REQUIRE(found < objects[i]->size);
			REQUIRE(!in_object[f]);
			in_object[f] = true;
			pindex = found + 1;
		}
	}
	for (i = 0; i < ntpagers; i++) {
		bool reachable = tpagers[i].live;

		if (reachable)
			reachable = objects_contain(objects, nobjects, tpagers[i].object);
		REQUIRE_EQ(reachable, tpagers[i].live);
	}
	REQUIRE_EQ(resident_pages + vm_cnt.v_free_count + vm_cnt.v_wire_count - user_wired,
		   vm_cnt.v_page_count);
	/* The simulated page tables hold exactly the pmaps' mappings. */
	REQUIRE_EQ(sim_mapped_pages(), resident);
	REQUIRE_EQ(sim_spaces_in_use(), spaces_live);
	check_frames(spaces_live, nentries, resident, user_wired);
	check_chains();
	check_cells();
}

/* ---- steps -------------------------------------------------------------- */

static struct space *random_space(void)
{
	bool live[NSPACES];
	int i;

	for (i = 0; i < NSPACES; i++)
		live[i] = spaces[i].map != NULL;
	i = model_pick_eligible(live, NSPACES);
	return i >= 0 ? &spaces[i] : NULL;
}

static struct space *free_slot(void)
{
	int i;

	for (i = 0; i < NSPACES; i++)
		if (spaces[i].map == NULL)
			return &spaces[i];
	return NULL;
}

/*
 * A new process in a free slot. Its area: low (reaching below USER_MIN),
 * high (reaching above USER_MAX), or anywhere between.
 */
static void op_create(void)
{
	struct space *s = free_slot();

	if (s == NULL)
		return;
	switch (rng_below(4)) {
	case 0:
		s->base = USER_MIN - ptoa(4);
		break;
	case 1:
		s->base = USER_MAX - ptoa(MPAGES - 4);
		break;
	default:
		s->base = USER_MIN + ptoa(rng_below(atop(USER_MAX - USER_MIN) - MPAGES));
		break;
	}
	s->map = vm_map_create(USER_MIN, USER_MAX);
	if (s->map == NULL && shortage_allowed())
		return;
	trace("create space %d, area %#lx", (int)(s - spaces), (unsigned long)s->base);
	memset(s->page, 0, sizeof(s->page));
}

static void op_destroy(struct space *s)
{
	int p;

	trace("destroy space %d", (int)(s - spaces));
	if (rng_chance(50))
		pmap_remove_pages(s->map->pmap);	/* as a process exit does first */
	vm_map_destroy(s->map);
	s->map = NULL;
	for (p = 0; p < MPAGES; p++)
		page_unmap(&s->page[p]);
}

static struct tpager *new_tpager(void)
{
	struct tpager *tp;

	if (ntpagers == MAX_PAGERS)
		return NULL;
	tp = &tpagers[ntpagers];
	tp->seed = rng_next();
	tp->has_bad = rng_chance(50);
	tp->requests = 0;
	tp->object = vm_object_allocate_pager(&tpager_ops, tp,
					      1 + rng_below(MAX_PAGER_SIZE));
	if (tp->object == NULL && shortage_allowed())
		return NULL;
	ntpagers++;
	tp->live = tp->held = true;
	trace("new pager object %u, %lu pages", tp->object->id, (unsigned long)tp->object->size);
	return tp;
}

/* A pager object the test still holds, of at least npages; maybe a new one. */
static struct tpager *pick_tpager(int npages)
{
	int i, n = 0, pick;
	struct tpager *tp;

	for (i = 0; i < ntpagers; i++)
		n += tpagers[i].held && tpagers[i].object->size >= (vm_pindex_t)npages;
	if (n == 0 || rng_chance(10)) {
		tp = new_tpager();
		if (tp != NULL && tp->object->size >= (vm_pindex_t)npages)
			return tp;
		if (n == 0)
			return NULL;
	}
	pick = (int)rng_below((uint64_t)n);
	for (i = 0; i < ntpagers; i++)
		if (tpagers[i].held && tpagers[i].object->size >= (vm_pindex_t)npages &&
		    pick-- == 0)
			return &tpagers[i];
	return NULL;
}

static void op_drop_tpager(void)
{
	int i, n = 0, pick;

	for (i = 0; i < ntpagers; i++)
		n += tpagers[i].held;
	if (n == 0)
		return;
	pick = (int)rng_below((uint64_t)n);
	for (i = 0; i < ntpagers; i++) {
		if (tpagers[i].held && pick-- == 0) {
			trace("drop pager object %u", tpagers[i].object->id);
			tpagers[i].held = false;
			vm_object_deallocate(tpagers[i].object);
			return;
		}
	}
}

enum source {
	SRC_ANON,		/* vm_map_insert(NULL): zero fill on first touch */
	SRC_PAGER_PRIVATE,	/* a pager object, copy-on-write */
	SRC_PAGER_SHARED,	/* a pager object, shared read-only */
	SRC_ANON_COPY,		/* an anonymous object with pages, copy-on-write */
	SRC_ANON_SHARED,	/* shared anonymous memory, as the VM server makes it */
};

static const char *const source_names[] = {
	[SRC_ANON] = "anon", [SRC_PAGER_PRIVATE] = "pager cow",
	[SRC_PAGER_SHARED] = "pager shared", [SRC_ANON_COPY] = "anon copy",
	[SRC_ANON_SHARED] = "anon shared",
};

static vm_prot_t random_prot(void)
{
	return prot_choices[rng_below(NPROTS)];
}

static void op_map(struct space *s, enum source src)
{
	int npages = 1 + (int)rng_below(rng_chance(80) ? 8 : 24), p, i, expected, rv, cow = 0;
	vm_prot_t prot = random_prot(), max = (vm_prot_t)(prot | random_prot());
	vm_offset_t start, end, len = ptoa((vm_offset_t)npages);
	vm_object_t object = NULL;
	vm_pindex_t offset = 0;
	uint64_t anon_seed = 0;
	uint8_t prefilled[MAX_PAGER_SIZE + 8] = { 0 };
	struct tpager *tp = NULL;

	if (rng_chance(20) || (src == SRC_ANON_SHARED && rng_chance(70)))
		max = VM_PROT_ALL;	/* the VM server's shared memory has VM_PROT_ALL */
	if (src == SRC_PAGER_SHARED) {
		/* A read-only view of a file: writes can never be allowed. */
		prot &= RX;
		max = rng_chance(50) ? R : RX;
		if (prot == VM_PROT_NONE && rng_chance(50))
			prot = R;
		prot &= max;
	}
	if (rng_chance(3)) {
		/* Maybe less than prot: an invalid argument. */
		max = random_prot();
		if (src == SRC_PAGER_SHARED)
			max &= RX;
	}

	/* Where: a fixed range in the area, or first fit from a hint. */
	if (rng_chance(40)) {
		vm_offset_t hint = page_va(s, (int)rng_below(MPAGES)), want;
		int want_rv = model_find_space(s, hint, npages, &want);

		start = hint;
		rv = vm_map_find_space(s->map, len, &start);
		require_rv(rv, want_rv);
		if (rv != KERN_SUCCESS)
			return;
		REQUIRE_EQ(start, want);
		/* Outside the area the model cannot follow: let it be. */
		if (start < s->base || start + len > page_va(s, MPAGES))
			return;
	} else {
		start = page_va(s, (int)rng_below((uint64_t)(MPAGES - npages + 1)));
	}
	end = start + len;
	p = (int)atop(start - s->base);

	expected = KERN_SUCCESS;
	if ((prot & ~max) != 0) {
		expected = KERN_INVALID_ARGUMENT;
	} else {
		for (i = 0; i < npages; i++)
			if (s->page[p + i].mapped || !in_map(page_va(s, p + i)))
				expected = KERN_NO_SPACE;
	}

	switch (src) {
	case SRC_ANON:
		if (rng_chance(10))
			cow = COW;	/* allowed, and meaningless until there is an object */
		break;
	case SRC_PAGER_PRIVATE:
	case SRC_PAGER_SHARED:
		if ((tp = pick_tpager(npages)) == NULL)
			return;
		object = tp->object;
		offset = rng_below(object->size - (vm_pindex_t)npages + 1);
		vm_object_reference(object);	/* for the map */
		cow = src == SRC_PAGER_PRIVATE ? COW : 0;
		break;
	case SRC_ANON_COPY: {
		/* As a fork's child or a loaded image would hold: some pages present. */
		vm_pindex_t size = (vm_pindex_t)npages + rng_below(8), pindex;

		object = vm_object_allocate(size);
		if (object == NULL && shortage_allowed())
			return;
		offset = rng_below(size - (vm_pindex_t)npages + 1);
		anon_seed = rng_next();
		for (pindex = 0; pindex < size; pindex++) {
			vm_page_t m;

			if (rng_chance(50))
				continue;
			m = vm_page_alloc(object, pindex, 0);
			if (m == NULL && shortage_allowed())
				continue;
			fill_pattern(pmap_page_address(m), anon_seed, pindex);
			m->valid = true;
			vm_page_activate(m);
			prefilled[pindex] = 1;
		}
		cow = COW;
		break;
	}
	case SRC_ANON_SHARED:
		/* pager/requests.c's map_shared_anon: the object first, then the sharing. */
		object = vm_object_allocate((vm_pindex_t)npages);
		if (object == NULL && shortage_allowed())
			return;
		break;
	}

	rv = vm_map_insert(s->map, object, offset, start, end, prot, max, cow);
	trace("space %d: map %s [%#lx, %#lx) prot %d max %d object %u offset %lu cow %d: %d",
	      (int)(s - spaces), source_names[src], (unsigned long)start, (unsigned long)end, prot,
	      max, object != NULL ? object->id : 0, (unsigned long)offset, cow, rv);
	if (!require_rv(rv, expected) || rv != KERN_SUCCESS) {
		if (object != NULL)
			vm_object_deallocate(object);	/* the reference stays ours */
		return;
	}
	if (src == SRC_ANON_SHARED)
		REQUIRE_EQ(vm_map_inherit(s->map, start, end, VM_INHERIT_SHARE), KERN_SUCCESS);
	stats.shared_maps += src == SRC_ANON_SHARED;
	for (i = 0; i < npages; i++) {
		struct mpage *mp = &s->page[p + i];
		uint8_t *data;

		page_map_new(mp, prot, max,
			     src == SRC_ANON_SHARED ? VM_INHERIT_SHARE : VM_INHERIT_COPY);
		data = page_data(s, p + i);
		if (tp != NULL)
			tpager_contents(tp, offset + (vm_pindex_t)i, data);
		else if (src == SRC_ANON_COPY && prefilled[offset + (vm_pindex_t)i])
			fill_pattern(data, anon_seed, offset + (vm_pindex_t)i);
		else
			memset(data, 0, PAGE_SIZE);
	}
}

/* A page range in the area, mostly short; now and then the whole area and beyond. */
static void random_range(const struct space *s, vm_offset_t *start, vm_offset_t *end)
{
	int p, n;

	if (rng_chance(5)) {
		*start = s->base - ptoa(4);
		*end = page_va(s, MPAGES + 4);
		return;
	}
	p = (int)rng_below(MPAGES);
	n = 1 + (int)rng_below(rng_chance(80) ? 8 : MPAGES);
	if (p + n > MPAGES)
		n = MPAGES - p;
	*start = page_va(s, p);
	*end = page_va(s, p + n);
}

/*
 * For steps that need the whole range mapped (minherit, madvise, mlock,
 * munlock): mostly a run of mapped pages, else any range.
 */
static void random_mapped_range(const struct space *s, vm_offset_t *start, vm_offset_t *end)
{
	int mapped[MPAGES], nmapped = 0, p, q, n;

	for (p = 0; p < MPAGES; p++)
		if (s->page[p].mapped)
			mapped[nmapped++] = p;
	if (nmapped == 0 || rng_chance(30)) {
		random_range(s, start, end);
		return;
	}
	p = mapped[rng_below((uint64_t)nmapped)];
	n = 1 + (int)rng_below(rng_chance(70) ? 4 : MPAGES);
	for (q = p + 1; q < MPAGES && q < p + n && s->page[q].mapped; q++)
		;
	*start = page_va(s, p);
	*end = page_va(s, q);
}

static int first_page(const struct space *s, vm_offset_t va)
{
	return va < s->base ? 0 : (int)atop(va - s->base);
}

static int last_page(const struct space *s, vm_offset_t va)
{
	return va >= page_va(s, MPAGES) ? MPAGES : (int)atop(va - s->base);
}

static void op_unmap(struct space *s)
{
	vm_offset_t start, end;
	int p;

	random_range(s, &start, &end);
	trace("space %d: unmap [%#lx, %#lx)", (int)(s - spaces), (unsigned long)start,
	      (unsigned long)end);
	if (require_rv(vm_map_delete(s->map, start, end), KERN_SUCCESS)) {
		for (p = first_page(s, start); p < last_page(s, end); p++)
			page_unmap(&s->page[p]);
		return;
	}
	/* Cut short: each page of the range is gone or as it was (check_space sees which). */
	for (p = first_page(s, start); p < last_page(s, end); p++)
		if (vm_map_lookup_entry(s->map, page_va(s, p)) == NULL)
			page_unmap(&s->page[p]);
}

/* mprotect lowers a wired mapping with the rest; PROT_NONE removes it. */
static void protect_page(struct mpage *mp, vm_prot_t prot)
{
	mp->prot = prot;
	mp->wired_prot &= prot;
	if (!(mp->wired_prot & VM_PROT_READ))
		mp->wired_prot = 0;
}

static void op_protect(struct space *s)
{
	vm_offset_t start, end;
	vm_prot_t prot = random_prot();
	int p, expected = KERN_SUCCESS;

	random_range(s, &start, &end);
	/* Every page must be mapped (the whole range is checked first); then within max. */
	if (!model_range_mapped(s, start, end))
		expected = KERN_INVALID_ADDRESS;
	if (expected == KERN_SUCCESS)
		for (p = first_page(s, start); p < last_page(s, end); p++)
			if (prot & ~s->page[p].max)
				expected = KERN_PROTECTION_FAILURE;
	trace("space %d: protect [%#lx, %#lx) %d", (int)(s - spaces), (unsigned long)start,
	      (unsigned long)end, prot);
	if (require_rv(vm_map_protect(s->map, start, end, prot), expected)) {
		if (expected == KERN_SUCCESS)
			for (p = first_page(s, start); p < last_page(s, end); p++)
				protect_page(&s->page[p], prot);
		return;
	}
	/* Cut short: each page of the range has its old protection or the new one. */
	for (p = first_page(s, start); p < last_page(s, end); p++) {
		vm_map_entry_t e = vm_map_lookup_entry(s->map, page_va(s, p));

		REQUIRE(e != NULL);
		REQUIRE(e->protection == prot || e->protection == s->page[p].prot);
		if (e->protection == prot)
			protect_page(&s->page[p], prot);
	}
}

/* One byte read or written through the simulated MMU, faulting as a thread would. */
static void access_byte(struct space *s, int p, unsigned off, bool write)
{
	int expected = expect_access(s, p, write), rv;
	struct vm_fault_info info;
	uint8_t b = write ? (uint8_t)rng_next() : 0;

	rv = user_access_info(s->map, page_va(s, p) + off, write, &b, &info);
	stats.accesses++;
	trace("space %d: %s %#lx: %d (fault outcome %d, object %u depth %d, prefaulted %d, "
	      "paged in %d)", (int)(s - spaces), write ? "write" : "read",
	      (unsigned long)(page_va(s, p) + off), rv, info.outcome, info.object_id, info.depth,
	      info.prefaulted, info.paged_in);
	/* A fault that ran out of memory changed no byte. */
	if (!require_rv(rv, expected) || rv != KERN_SUCCESS)
		return;
	if (write)
		model_write(s, p, off, b);
	else
		REQUIRE_EQ(b, page_data(s, p)[off]);
}

static unsigned random_offset(void)
{
	switch (rng_below(4)) {
	case 0:
		return 0;
	case 1:
		return PAGE_SIZE - 1;
	default:
		return (unsigned)rng_below(PAGE_SIZE);
	}
}

/* Random accesses, mostly to mapped pages. */
static void op_access(struct space *s)
{
	int n = 1 + (int)rng_below(32), i, mapped[MPAGES], nmapped = 0, p;
	bool writer = rng_chance(50);

	for (p = 0; p < MPAGES; p++)
		if (s->page[p].mapped)
			mapped[nmapped++] = p;
	for (i = 0; i < n; i++) {
		p = nmapped > 0 && rng_chance(80) ? mapped[rng_below((uint64_t)nmapped)]
						  : (int)rng_below(MPAGES);
		access_byte(s, p, random_offset(), rng_chance(writer ? 60 : 20));
	}
}

/* Every page of a range in order: sequential faults, read-ahead windows. */
static void op_sweep(struct space *s)
{
	vm_offset_t start, end;
	bool write = rng_chance(30);
	int p;

	random_range(s, &start, &end);
	if (rng_chance(70)) {
		/* Mostly from a mapped page on. */
		for (p = (int)rng_below(MPAGES); p < MPAGES && !s->page[p].mapped; p++)
			;
		if (p < MPAGES) {
			end = page_va(s, p) + (end - start);
			start = page_va(s, p);
		}
	}
	for (p = first_page(s, start); p < last_page(s, end); p++)
		access_byte(s, p, random_offset(), write);
}

/*
 * Takes hardware mappings away (as the page daemon would): only soft faults
 * follow. Not a wired page's: the page daemon leaves those alone.
 */
static void op_pmap_remove(struct space *s)
{
	vm_offset_t start, end;
	int p, q, lo, hi;
	bool any_wired = false;

	random_range(s, &start, &end);
	trace("space %d: pmap_remove [%#lx, %#lx)", (int)(s - spaces), (unsigned long)start,
	      (unsigned long)end);
	lo = first_page(s, start);
	hi = last_page(s, end);
	for (p = lo; p < hi; p++)
		any_wired |= s->page[p].wired;
	if (!any_wired) {
		pmap_remove(s->map->pmap, start, end);
		return;
	}
	for (p = lo; p < hi; p = q) {
		for (q = p; q < hi && !s->page[q].wired; q++)
			;
		if (q > p)
			pmap_remove(s->map->pmap, page_va(s, p), page_va(s, q));
		if (q < hi)
			q++;
	}
}

/*
 * A fault as the VM server itself raises one (exec writing a new image with
 * VM_FAULT_DIRTY; a VM_PROT_COPY fault, which copies without writing): it
 * succeeds or fails as an access would and changes no byte.
 */
static void op_fault(struct space *s)
{
	static const vm_prot_t types[] = { VM_PROT_READ, VM_PROT_WRITE,
					   VM_PROT_READ | VM_PROT_COPY };
	vm_prot_t type = types[rng_below(3)];
	int p = (int)rng_below(MPAGES), flags = rng_chance(50) ? VM_FAULT_DIRTY : VM_FAULT_NORMAL;
	int expected = expect_access(s, p, type == VM_PROT_WRITE), rv;

	rv = vm_fault(s->map, page_va(s, p) + random_offset(), type, flags, NULL);
	trace("space %d: vm_fault %#lx type %d flags %d: %d", (int)(s - spaces),
	      (unsigned long)page_va(s, p), type, flags, rv);
	require_rv(rv, expected);
}

/*
 * madvise(): a behaviour (a hint, no change the model sees), or WILLNEED -
 * afterwards every valid resident page of the entries' first objects is
 * mapped where the entry allows reading - or DONTNEED - every such page not
 * wired is on the inactive queue. The data never changes.
 */
static void op_madvise(struct space *s)
{
	vm_offset_t start, end;
	int advice = (int)rng_below(5), expected, rv, p;

	if (rng_chance(3))
		advice = MADV_DONTNEED_VM + 1 + (int)rng_below(4);
	random_mapped_range(s, &start, &end);
	if (advice > MADV_DONTNEED_VM)
		expected = KERN_INVALID_ARGUMENT;
	else
		expected = model_range_mapped(s, start, end) ? KERN_SUCCESS : KERN_INVALID_ADDRESS;
	rv = vm_map_madvise(s->map, start, end, advice);
	trace("space %d: madvise [%#lx, %#lx) %d: %d", (int)(s - spaces), (unsigned long)start,
	      (unsigned long)end, advice, rv);
	stats.madvises++;
	if (!require_rv(rv, expected) || rv != KERN_SUCCESS)
		return;
	for (p = first_page(s, start); p < last_page(s, end); p++) {
		vm_offset_t va = page_va(s, p);
		vm_map_entry_t e = vm_map_lookup_entry(s->map, va);
		vm_prot_t prot;
		vm_page_t m;

		REQUIRE(e != NULL);
		if (advice <= MADV_SEQUENTIAL_VM) {
			REQUIRE_EQ(e->behavior, advice);
			continue;
		}
		if (e->object == NULL ||
		    (m = vm_object_page_lookup(e->object, e->offset + atop(va - e->start))) == NULL)
			continue;
		if (advice == MADV_DONTNEED_VM) {
			if (m->wire_count == 0)
				REQUIRE_EQ(m->queue, PQ_INACTIVE);
		} else if (e->protection & VM_PROT_READ) {
			REQUIRE(pmap_lookup(s->map->pmap, va, &prot) == m);
		}
	}
}

/* minherit(): VM_INHERIT_SHARE, COPY or NONE for a range that must be mapped. */
static void op_inherit(struct space *s)
{
	vm_offset_t start, end;
	int inheritance = (int)rng_below(3), expected, rv, p;

	if (rng_chance(3))
		inheritance = VM_INHERIT_NONE + 1 + (int)rng_below(4);
	random_mapped_range(s, &start, &end);
	if (inheritance > VM_INHERIT_NONE)
		expected = KERN_INVALID_ARGUMENT;
	else
		expected = model_range_mapped(s, start, end) ? KERN_SUCCESS : KERN_INVALID_ADDRESS;
	rv = vm_map_inherit(s->map, start, end, inheritance);
	trace("space %d: minherit [%#lx, %#lx) %d: %d", (int)(s - spaces), (unsigned long)start,
	      (unsigned long)end, inheritance, rv);
	stats.inherits++;
	if (require_rv(rv, expected)) {
		if (rv == KERN_SUCCESS)
			for (p = first_page(s, start); p < last_page(s, end); p++)
				s->page[p].inherit = (uint8_t)inheritance;
		return;
	}
	/* Cut short (no memory to clip): each page as it was or as asked. */
	for (p = first_page(s, start); p < last_page(s, end); p++) {
		vm_map_entry_t e = vm_map_lookup_entry(s->map, page_va(s, p));

		REQUIRE(e != NULL);
		REQUIRE(e->inheritance == inheritance || e->inheritance == s->page[p].inherit);
		s->page[p].inherit = e->inheritance;
	}
}

/*
 * fork(): vm_map_fork into a free slot. The child's model is the parent's:
 * VM_INHERIT_NONE pages left out; VM_INHERIT_SHARE pages share the parent's
 * cell (a copy-on-write one becomes the two's shared copy first: the VM
 * gives the parent its own shadow, which both then share);
 * VM_INHERIT_COPY pages hold the cell copy-on-write in both - but a wired
 * page of the parent's is copied for the child at once, and the parent's
 * keeps its cell, its wiring and its writable mapping.
 */
static void op_fork(struct space *s)
{
	struct space *child = free_slot();
	vm_page_t wired_page[MPAGES];
	vm_prot_t wired_pvprot[MPAGES], prot;
	int p;

	if (child == NULL)
		return;
	for (p = 0; p < MPAGES; p++) {
		const struct mpage *mp = &s->page[p];

		/* Shared writable with another process, to be copied: see the top. */
		if (mp->mapped && mp->inherit == VM_INHERIT_COPY && !mp->wired && !mp->cow &&
		    cells[mp->cell].refs > 1) {
			trace("space %d: fork skipped (page %d is shared and inherited as a copy)",
			      (int)(s - spaces), p);
			stats.forks_skipped++;
			return;
		}
	}
	for (p = 0; p < MPAGES; p++) {
		wired_pvprot[p] = 0;
		wired_page[p] = s->page[p].wired_prot != 0 ?
			pmap_lookup(s->map->pmap, page_va(s, p), &wired_pvprot[p]) : NULL;
	}
	child->map = vm_map_fork(s->map);
	trace("space %d: fork into space %d: %s", (int)(s - spaces), (int)(child - spaces),
	      child->map != NULL ? "ok" : "out of memory");
	stats.forks++;
	if (child->map == NULL) {
		/* The parent is as it was, as far as anyone can see. */
		shortage_allowed();
		stats.forks_failed++;
		return;
	}
	child->base = s->base;
	for (p = 0; p < MPAGES; p++) {
		struct mpage *mp = &s->page[p], *cp = &child->page[p];

		memset(cp, 0, sizeof(*cp));
		if (!mp->mapped || mp->inherit == VM_INHERIT_NONE)
			continue;
		cp->mapped = true;
		cp->prot = mp->prot;
		cp->max = mp->max;
		cp->inherit = mp->inherit;
		if (mp->inherit == VM_INHERIT_SHARE) {
			page_make_private(mp);
			cp->cell = mp->cell;
			cells[mp->cell].refs++;
			stats.fork_shared_pages++;
		} else if (mp->wired) {
			cp->cell = cell_new(page_data(s, p));
			stats.fork_copied_now++;
		} else {
			mp->cow = cp->cow = true;
			cp->cell = mp->cell;
			cells[mp->cell].refs++;
			stats.fork_cow_pages++;
		}
	}
	for (p = 0; p < MPAGES; p++) {
		const struct mpage *mp = &s->page[p];
		vm_page_t m;

		/* The parent's wired pages keep their mappings, unchanged... */
		if (mp->wired_prot != 0) {
			REQUIRE(pmap_lookup(s->map->pmap, page_va(s, p), &prot) == wired_page[p]);
			REQUIRE_EQ(prot, wired_pvprot[p]);
		}
		/* ... and the others it copies are write-protected, in the hardware. */
		if (mp->mapped && mp->inherit == VM_INHERIT_COPY && !mp->wired &&
		    (m = pmap_lookup(s->map->pmap, page_va(s, p), NULL)) != NULL)
			REQUIRE(!(sim_prot(s->map->pmap->hw_id, page_va(s, p)) & VM_PROT_WRITE));
		/* The child's wirings are its own to make. */
		REQUIRE(!child->page[p].wired);
	}
}

/*
 * A page newly wired: resident in its entry's first object, wired, mapped
 * wired with every right the entry gives. From now on it is its own (a
 * private mapping's copy is made).
 */
static void wired_now(struct space *s, int p)
{
	struct mpage *mp = &s->page[p];
	vm_offset_t va = page_va(s, p);
	vm_map_entry_t e = vm_map_lookup_entry(s->map, va);
	struct pv_entry *pv;
	vm_prot_t prot = 0;
	vm_page_t m;

	REQUIRE(e != NULL && (e->eflags & MAP_ENTRY_USER_WIRED) && e->object != NULL);
	m = vm_object_page_lookup(e->object, e->offset + atop(va - e->start));
	REQUIRE(m != NULL && m->valid && m->wire_count > 0);
	REQUIRE(pmap_lookup(s->map->pmap, va, &prot) == m);
	REQUIRE_EQ(prot, e->protection);
	pv = vm_radix_lookup(&s->map->pmap->pvs, atop(va));
	REQUIRE(pv != NULL && pv->wired);
	mp->wired = true;
	mp->wired_prot = prot;
	page_make_private(mp);
	stats.wired_pages++;
}

/*
 * mlock(): the range must be mapped (KERN_INVALID_ADDRESS, nothing done);
 * entries are wired in address order, an entry wired already is left as it
 * is; an entry with no access fails with KERN_PROTECTION_FAILURE, a page
 * the store fails to read with KERN_FAILURE. A failure leaves every page
 * as it was: the entries wired before the failing one are unwired again, as
 * FreeBSD's vm_map_wire does (copy-on-write copies it made stay, which the
 * model cannot tell from the originals: nobody writes to those).
 */
static void op_wire(struct space *s)
{
	vm_offset_t start, end;
	int p, lo, hi, expected = KERN_SUCCESS, fail_page = MPAGES, rv;
	bool was[MPAGES];

	random_mapped_range(s, &start, &end);
	lo = first_page(s, start);
	hi = last_page(s, end);
	if (!model_range_mapped(s, start, end)) {
		expected = KERN_INVALID_ADDRESS;
	} else {
		for (p = lo; p < hi && expected == KERN_SUCCESS; p++) {
			if (s->page[p].wired)
				continue;
			if (s->page[p].prot == VM_PROT_NONE)
				expected = KERN_PROTECTION_FAILURE;
			else if (needs_bad_page(s, p))
				expected = KERN_FAILURE;
			fail_page = p;
		}
		if (expected == KERN_SUCCESS)
			fail_page = MPAGES;
	}
	for (p = 0; p < MPAGES; p++)
		was[p] = s->page[p].wired;
	rv = vm_map_wire(s->map, start, end, NULL);
	trace("space %d: mlock [%#lx, %#lx): %d", (int)(s - spaces), (unsigned long)start,
	      (unsigned long)end, rv);
	stats.wires++;
	/* Entries before the failing one are wired first: memory may run out there. */
	if (rv == KERN_RESOURCE_SHORTAGE && expected != KERN_INVALID_ADDRESS)
		expected = KERN_SUCCESS;
	if (require_rv(rv, expected) && rv == KERN_SUCCESS) {
		for (p = lo; p < hi; p++)
			if (!was[p])
				wired_now(s, p);
		return;
	}
	if (rv == KERN_RESOURCE_SHORTAGE)
		fail_page = MPAGES;	/* anywhere */
	for (p = lo; p < hi; p++) {
		vm_map_entry_t e;
		bool now;

		if (!s->page[p].mapped)
			continue;
		e = vm_map_lookup_entry(s->map, page_va(s, p));
		REQUIRE(e != NULL);
		now = (e->eflags & MAP_ENTRY_USER_WIRED) != 0;
		REQUIRE(now == was[p]);		/* all or nothing */
		stats.wires_undone += !was[p] && p < fail_page && expected != KERN_INVALID_ADDRESS;
	}
}

/* munlock(): the range must be mapped; every page of it is unwired. */
static void op_unwire(struct space *s)
{
	vm_offset_t start, end;
	int p, expected, rv;

	random_mapped_range(s, &start, &end);
	expected = model_range_mapped(s, start, end) ? KERN_SUCCESS : KERN_INVALID_ADDRESS;
	rv = vm_map_unwire(s->map, start, end);
	trace("space %d: munlock [%#lx, %#lx): %d", (int)(s - spaces), (unsigned long)start,
	      (unsigned long)end, rv);
	stats.unwires++;
	if (require_rv(rv, expected)) {
		if (rv == KERN_SUCCESS) {
			for (p = first_page(s, start); p < last_page(s, end); p++) {
				s->page[p].wired = false;
				s->page[p].wired_prot = 0;
			}
		}
		return;
	}
	/* Cut short (no memory to clip): each page wired as it was, or not. */
	for (p = first_page(s, start); p < last_page(s, end); p++) {
		vm_map_entry_t e = vm_map_lookup_entry(s->map, page_va(s, p));

		REQUIRE(e != NULL);
		if (!(e->eflags & MAP_ENTRY_USER_WIRED)) {
			s->page[p].wired = false;
			s->page[p].wired_prot = 0;
		}
	}
}

static void hog_release(int n)
{
	while (n-- > 0 && nhog > 0) {
		vm_page_t m = hog[--nhog];

		hog_frame[frame_of(m)] = false;
		vm_page_unwire(m);
		vm_page_free(m);
	}
}

/* Pressure: take free pages (all, or some), or give some (or all) back. */
static void op_hog(void)
{
	vm_page_t m;

	if (nhog == 0 || rng_chance(50)) {
		uint64_t n = rng_chance(50) ? vm_cnt.v_free_count
					    : rng_below(vm_cnt.v_free_count + 1);

		while (n-- > 0 && (m = vm_page_alloc(NULL, 0, 0)) != NULL) {
			hog_frame[frame_of(m)] = true;
			hog[nhog++] = m;
		}
	} else {
		hog_release(rng_chance(30) ? nhog : 1 + (int)rng_below(nhog < 16 ? nhog : 16));
	}
	trace("hog: holds %d pages, %llu free", nhog, (unsigned long long)vm_cnt.v_free_count);
}

/* The step kinds and their weights. */
enum op {
	OP_CREATE, OP_DESTROY, OP_MAP_ANON, OP_MAP_PAGER, OP_MAP_SHARED, OP_MAP_ANON_COPY,
	OP_MAP_ANON_SHARED, OP_UNMAP, OP_PROTECT, OP_ACCESS, OP_SWEEP, OP_PMAP_REMOVE,
	OP_NEW_PAGER, OP_DROP_PAGER, OP_PREZERO, OP_FAULT, OP_MADVISE, OP_INHERIT, OP_FORK,
	OP_WIRE, OP_UNWIRE, OP_HOG, NOPS
};

static const unsigned op_weight[NOPS] = {
	[OP_CREATE] = 3, [OP_DESTROY] = 3, [OP_MAP_ANON] = 16, [OP_MAP_PAGER] = 10,
	[OP_MAP_SHARED] = 4, [OP_MAP_ANON_COPY] = 6, [OP_MAP_ANON_SHARED] = 5, [OP_UNMAP] = 9,
	[OP_PROTECT] = 10, [OP_ACCESS] = 25, [OP_SWEEP] = 6, [OP_PMAP_REMOVE] = 3,
	[OP_NEW_PAGER] = 2, [OP_DROP_PAGER] = 2, [OP_PREZERO] = 2, [OP_FAULT] = 4,
	[OP_MADVISE] = 4, [OP_INHERIT] = 5, [OP_FORK] = 5, [OP_WIRE] = 4, [OP_UNWIRE] = 2,
	[OP_HOG] = 8,	/* pressure sequences only */
};

static unsigned weight(int op)
{
	return op == OP_HOG && !pressure ? 0 : op_weight[op];
}

static enum op random_op(void)
{
	unsigned weights[NOPS];
	int i;

	for (i = 0; i < NOPS; i++)
		weights[i] = weight(i);
	return (enum op)model_pick_weighted(weights, NOPS);
}

/* One step; returns the space it changed (NULL: none, or several). */
static struct space *step(void)
{
	struct space *s = random_space();
	enum op op = random_op();

	shared_write = false;
	step_faulted = op == OP_ACCESS || op == OP_SWEEP || op == OP_FAULT || op == OP_WIRE;
	if (s == NULL || op == OP_CREATE) {
		op_create();
		return NULL;
	}
	switch (op) {
	case OP_DESTROY:
		op_destroy(s);
		return NULL;
	case OP_MAP_ANON:
		op_map(s, SRC_ANON);
		break;
	case OP_MAP_PAGER:
		op_map(s, SRC_PAGER_PRIVATE);
		break;
	case OP_MAP_SHARED:
		op_map(s, SRC_PAGER_SHARED);
		break;
	case OP_MAP_ANON_COPY:
		op_map(s, SRC_ANON_COPY);
		break;
	case OP_MAP_ANON_SHARED:
		op_map(s, SRC_ANON_SHARED);
		break;
	case OP_UNMAP:
		op_unmap(s);
		return NULL;	/* may free shared pages, collapse others' chains */
	case OP_PROTECT:
		op_protect(s);
		break;
	case OP_ACCESS:
		op_access(s);
		break;
	case OP_SWEEP:
		op_sweep(s);
		break;
	case OP_PMAP_REMOVE:
		op_pmap_remove(s);
		break;
	case OP_NEW_PAGER:
		new_tpager();
		return NULL;
	case OP_DROP_PAGER:
		op_drop_tpager();
		return NULL;
	case OP_FAULT:
		op_fault(s);
		return NULL;
	case OP_MADVISE:
		op_madvise(s);
		break;
	case OP_INHERIT:
		op_inherit(s);
		break;
	case OP_FORK:
		op_fork(s);
		return NULL;
	case OP_WIRE:
		op_wire(s);
		return NULL;
	case OP_UNWIRE:
		op_unwire(s);
		break;
	case OP_HOG:
		op_hog();
		return NULL;
	case OP_PREZERO: {
		/* Zero fill may then take a page already zeroed (v_ozfod). */
		uint64_t zeroed = vm_page_prezero(rng_below(64));

		trace("prezero: %llu pages", (unsigned long long)zeroed);
		return NULL;
	}
	default:
		break;
	}
	/* A write to shared memory shows elsewhere (and may unmap old pages there). */
	return shared_write ? NULL : s;
}

static void run_sequence(const char *program, uint64_t seed)
{
	struct model_counts at_boot;
	uint64_t nsteps, i;
	int k;

	seeded_begin(program, seed);
	seeded_boot(SIM_PAGES);
	at_boot = model_boot_counts();
	nboot_wired = 0;
	frame0 = vm_page_from_phys(SIM_PHYS_BASE);
	for (k = 0; k < SIM_PAGES; k++) {
		REQUIRE(vm_page_from_phys(SIM_PHYS_BASE + ptoa((vm_offset_t)k)) == frame0 + k);
		boot_wired[k] = frame_page(k)->wire_count > 0;
		nboot_wired += boot_wired[k];
		hog_frame[k] = false;
	}
	REQUIRE_EQ(nboot_wired, at_boot.wired);
	for (k = 0; k < NSPACES; k++)
		spaces[k].map = NULL;
	cells_reset();
	ntpagers = 0;
	nhog = 0;
	pressure = seed % 4 == 0;
	nsteps = MIN_STEPS + rng_below(MAX_STEPS - MIN_STEPS + 1);
	for (i = 1; i <= nsteps; i++) {
		uint64_t cow_faults = vm_cnt.v_cow_faults;
		struct space *changed;

		seeded_step(i);
		changed = step();
		if (step_faulted)
			forget_removed_wired_mappings(cow_faults);
		/* The space a step changed every time; all of them now and then. */
		for (k = 0; k < NSPACES; k++)
			if (spaces[k].map != NULL &&
			    (&spaces[k] == changed || changed == NULL || i % 8 == 0))
				check_space(&spaces[k]);
		check_global();
	}
	stats.steps += nsteps;
	stats.faults += vm_cnt.v_vm_faults;
	stats.zfod += vm_cnt.v_zfod;
	stats.ozfod += vm_cnt.v_ozfod;
	stats.cow_copy += vm_cnt.v_cow_faults - vm_cnt.v_cow_optim;
	stats.cow_move += vm_cnt.v_cow_optim;
	stats.io += vm_cnt.v_io_faults;
	stats.prefaults += vm_cnt.v_prefaults;

	/* The end: every process exits, the test lets go of its pager objects. */
	seeded_step(nsteps + 1);
	hog_release(nhog);
	for (k = 0; k < NSPACES; k++) {
		if (spaces[k].map != NULL) {
			op_destroy(&spaces[k]);
			check_global();
		}
	}
	stats.collapses += vm_cnt.v_collapses;
	stats.bypasses += vm_cnt.v_bypasses;
	for (k = 0; k < ntpagers; k++) {
		if (tpagers[k].held) {
			tpagers[k].held = false;
			vm_object_deallocate(tpagers[k].object);
		}
		REQUIRE(!tpagers[k].live);	/* every store was let go */
	}
	/* Nothing is left: objects, pages, mappings, address spaces, radix nodes, wirings. */
	model_require_all_returned(&at_boot);
	stats.sequences++;
}

int main(int argc, char **argv)
{
	uint64_t seed;

	no_chains = getenv("MODEL_NO_CHAINS") != NULL;
	if (seeded_arg(argc, argv, &seed)) {
		run_sequence(argv[0], seed);
		printf("model: sequence %llu passed (%llu steps)\n", (unsigned long long)seed,
		       (unsigned long long)stats.steps);
		return 0;
	}
	for (seed = 1; seed <= NSEQUENCES; seed++)
		run_sequence(argv[0], seed);
	printf("model: %llu sequences passed (%llu steps, %llu accesses)\n",
	       (unsigned long long)stats.sequences, (unsigned long long)stats.steps,
	       (unsigned long long)stats.accesses);
	printf("model: faults %llu: zero fill %llu (%llu prezeroed), cow copy %llu, "
	       "cow move %llu, pager %llu (%llu requests, %llu failed), prefaulted %llu\n",
	       (unsigned long long)stats.faults, (unsigned long long)stats.zfod,
	       (unsigned long long)stats.ozfod, (unsigned long long)stats.cow_copy,
	       (unsigned long long)stats.cow_move, (unsigned long long)stats.io,
	       (unsigned long long)stats.pager_requests,
	       (unsigned long long)stats.pager_failures, (unsigned long long)stats.prefaults);
	printf("model: forks %llu (%llu out of memory; %llu not tried: a shared page "
	       "inherited as a copy): %llu pages shared, %llu copy-on-write, %llu wired ones "
	       "copied at once\n",
	       (unsigned long long)stats.forks, (unsigned long long)stats.forks_failed,
	       (unsigned long long)stats.forks_skipped, (unsigned long long)stats.fork_shared_pages,
	       (unsigned long long)stats.fork_cow_pages, (unsigned long long)stats.fork_copied_now);
	printf("model: shared anonymous mappings %llu, writable pages mapped by several "
	       "sharers seen %llu times; minherit %llu, madvise %llu\n",
	       (unsigned long long)stats.shared_maps, (unsigned long long)stats.shared_writable,
	       (unsigned long long)stats.inherits, (unsigned long long)stats.madvises);
	printf("model: mlock %llu (%llu pages wired; %llu pages a failed one wired and "
	       "unwired again), munlock %llu; wired mappings removed by a copy into a "
	       "shared shadow %llu\n",
	       (unsigned long long)stats.wires, (unsigned long long)stats.wired_pages,
	       (unsigned long long)stats.wires_undone, (unsigned long long)stats.unwires,
	       (unsigned long long)stats.wired_unmapped);
	printf("model: collapses %llu, bypasses %llu; object chains up to %d objects long "
	       "(%d entries sharing its bottom); peak %llu pages in use\n",
	       (unsigned long long)stats.collapses, (unsigned long long)stats.bypasses,
	       stats.max_chain, stats.max_chain_users, (unsigned long long)stats.peak_used);
	printf("model: expected errors: no space %llu, invalid address %llu, "
	       "protection %llu, invalid argument %llu, pager failure %llu; "
	       "shortages under pressure %llu\n",
	       (unsigned long long)stats.no_space, (unsigned long long)stats.invalid_address,
	       (unsigned long long)stats.protection_failure,
	       (unsigned long long)stats.invalid_argument, (unsigned long long)stats.failure,
	       (unsigned long long)stats.shortages);
	return 0;
}
