/*
 * The VM as a whole against a reference model.
 *
 * Each sequence boots a fresh simulated machine and runs random steps over
 * up to NSPACES maps (processes): it maps private anonymous memory (fixed,
 * or where vm_map_find_space puts it), private copy-on-write views of
 * objects of a test pager and of anonymous objects with pages in them,
 * read-only shared views of pager objects; unmaps and mprotects random
 * page ranges; reads and writes bytes through user_access() (faults and
 * all), one by one or in sweeps; calls vm_fault() as the server itself does
 * (VM_FAULT_DIRTY, VM_PROT_COPY); takes hardware mappings away as a page
 * daemon would; sets madvise behaviors; destroys maps (half the time after
 * pmap_remove_pages, as process exit does). The test pager has holes (zero
 * fill) and, in half the objects, pages it fails to read (KERN_FAILURE).
 * One sequence in four runs under memory pressure, where any step may run
 * out of memory and must then change nothing it should not.
 *
 * The model is flat: per page of each map, whether it is mapped, with what
 * protection and maximum, and its 4096 bytes. Private memory needs nothing
 * more - whatever object, shadow or copy holds a page, a process sees its
 * own bytes. After every step the VM must agree with it:
 *  - every access succeeds or fails (KERN_INVALID_ADDRESS,
 *    KERN_PROTECTION_FAILURE, KERN_NO_SPACE...) exactly as the model says,
 *    and a read returns the model's byte;
 *  - the entries cover exactly the model's mapped pages, with its
 *    protections;
 *  - each page's bytes - through its hardware mapping if it has one, else
 *    as the next fault would find them down the object chain - are the
 *    model's;
 *  - a hardware mapping never allows more than the entry, always shows the
 *    page a fault would find now (no stale page after a copy), and is
 *    writable only for a page of the entry's own first object mapped
 *    nowhere else (copy-on-write is never bypassed);
 *  - vm_map_validate, vm_object_validate down every chain, pmap_validate,
 *    vm_page_validate; reference and shadow counts of every object equal
 *    the references that exist; no object, page or mapping leaks.
 * At the end of a sequence (every map destroyed): no object, mapping,
 * address space or radix node is left, and every page is free again.
 *
 *   test_model          runs NSEQUENCES sequences
 *   test_model SEED     replays the sequence of that seed (failures print it)
 */
#include <stdarg.h>
#include <stdlib.h>
#include "harness.h"
#include "seeded.h"
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
#define SIM_PAGES   768	/* enough that no step runs out (peaks are ~200 pages) */
#define NSPACES     8		/* maps at once */
#define MPAGES      64		/* pages of address space each model covers */
#define MAX_PAGERS  8		/* pager objects per sequence */
#define MAX_PAGER_SIZE 40	/* pages */
#define MAX_OBJECTS (NSPACES * MPAGES * 4 + MAX_PAGERS)

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
};

/*
 * One process: its map, and the model of its address space over the area
 * [base, base + MPAGES pages). Nothing outside the area is ever mapped; the
 * area may reach below USER_MIN or above USER_MAX, where nothing can be.
 *
 * The model is plain data on purpose: a fork step (vmspace_fork comes with a
 * later issue) would take a free slot, fork a live space's map into it and
 * copy the model whole - right after a fork, private memory reads the same
 * in parent and child, and from then on each side's writes are its own,
 * which is exactly what two independent models say.
 */
struct space {
	vm_map_t map;			/* NULL: the slot is free */
	vm_offset_t base;
	struct mpage page[MPAGES];
	uint8_t data[MPAGES][PAGE_SIZE];
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
 * mprotect, which work entry by entry) have left each page either as it was
 * or as asked.
 */
static bool pressure;
static vm_page_t hog[SIM_PAGES];
static int nhog;

static struct {
	uint64_t sequences, steps, accesses, faults, zfod, ozfod, cow_copy, cow_move;
	uint64_t io, prefaults, no_space, invalid_address, protection_failure;
	uint64_t invalid_argument, failure, pager_requests, pager_failures, shortages;
	int max_chain;
} stats;

static const uint8_t zero_page[PAGE_SIZE];

/* MODEL_TRACE=1 in the environment: print each step (for replaying a seed). */
static bool tracing;

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void trace(const char *fmt, ...)
{
	va_list ap;

	if (!tracing)
		return;
	printf("  [%llu] ", (unsigned long long)seeded_current_step());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

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
		return KERN_FAILURE;
	}
	return KERN_SUCCESS;
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
 * The outcome the model expects of a one-byte access: the protections say
 * whether it may happen; and where only a store can supply the page (no
 * object up the chain holds it), a bad page of the store fails it.
 */
static int expect_access(const struct space *s, int p, bool write)
{
	const struct mpage *mp = &s->page[p];
	vm_map_entry_t e;
	vm_object_t bottom;
	vm_pindex_t bottom_pindex = 0;
	int depth;

	if (!mp->mapped)
		return KERN_INVALID_ADDRESS;
	if ((mp->prot & (write ? VM_PROT_WRITE : VM_PROT_READ)) == 0)
		return KERN_PROTECTION_FAILURE;
	e = vm_map_lookup_entry(s->map, page_va(s, p));
	REQUIRE(e != NULL);
	if (chain_page(e, page_va(s, p), &depth, &bottom, &bottom_pindex) == NULL &&
	    bottom != NULL && bottom->pager == &tpager_ops &&
	    tpager_bad(bottom->handle, bottom_pindex))
		return KERN_FAILURE;
	return KERN_SUCCESS;
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

/* ---- checks ------------------------------------------------------------- */

/* Checks one space's map, pmap, simulated page table and pages against its model. */
static void check_space(struct space *s)
{
	static uint8_t expected[PAGE_SIZE];
	vm_map_t map = s->map;
	uint64_t hw = map->pmap->hw_id, pvs = 0;
	vm_map_entry_t e;
	int p, mapped = 0, in_entries = 0;

	vm_map_validate(map);	/* tree, list, entries; pmap_validate too */

	/* The entries cover exactly the model's mapped pages, with its protections. */
	for (e = map->first; e != NULL; e = e->next) {
		vm_offset_t va;
		vm_object_t o;
		int depth = 0;

		REQUIRE(e->start >= s->base && e->end <= page_va(s, MPAGES));
		for (o = e->object; o != NULL; o = o->backing_object, depth++) {
			vm_object_validate(o);
			/* Pager objects are the end of a chain. */
			REQUIRE(o->pager == NULL || o->backing_object == NULL);
		}
		if (depth > stats.max_chain)
			stats.max_chain = depth;
		/* needs-copy only on private entries; a private entry's own object is anonymous. */
		REQUIRE(!(e->eflags & MAP_ENTRY_NEEDS_COPY) || (e->eflags & MAP_ENTRY_COW));
		REQUIRE(!(e->eflags & MAP_ENTRY_COW) || (e->eflags & MAP_ENTRY_NEEDS_COPY) ||
			(e->object != NULL && e->object->pager == NULL));
		for (va = e->start; va < e->end; va += PAGE_SIZE) {
			const struct mpage *mp = &s->page[atop(va - s->base)];

			REQUIRE(mp->mapped);
			REQUIRE_EQ(mp->prot, e->protection);
			REQUIRE_EQ(mp->max, e->max_protection);
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
			REQUIRE(memcmp(pmap_page_address(m), s->data[p], PAGE_SIZE) == 0);
		} else if (bottom != NULL && bottom->pager != NULL) {
			/* Not resident: the store's bytes, or zeros for its holes. */
			REQUIRE(bottom->pager == &tpager_ops);
			tpager_contents(bottom->handle, bottom_pindex, expected);
			REQUIRE(memcmp(expected, s->data[p], PAGE_SIZE) == 0);
		} else {
			/* Not resident anywhere, no store: zero fill. */
			REQUIRE(memcmp(zero_page, s->data[p], PAGE_SIZE) == 0);
		}
		if (pv_page == NULL)
			continue;
		pvs++;
		/* A mapping shows the page a fault would find now: never a stale one. */
		REQUIRE(pv_page == m);
		REQUIRE(hw_read == pmap_page_address(m));
		/* The hardware never allows more than the entry. */
		REQUIRE((pvprot & ~mp->prot) == 0);
		/* The simulated page table's write permission is the pmap's. */
		REQUIRE((sim_translate(hw, va, VM_PROT_WRITE) != NULL) ==
			((pvprot & VM_PROT_WRITE) != 0));
		if (pvprot & VM_PROT_WRITE) {
			/*
			 * Writable: the page is this entry's own (its first
			 * object's, at the right index), and mapped nowhere
			 * else - else a write would reach another view.
			 */
			REQUIRE(depth == 0 && m->object == e->object);
			REQUIRE_EQ(m->pindex, e->offset + atop(va - e->start));
			REQUIRE(!(e->eflags & MAP_ENTRY_NEEDS_COPY));
			REQUIRE_EQ(pmap_page_mapping_count(m), 1);
		}
	}
	/* No mapping outside the area. */
	REQUIRE_EQ(map->pmap->resident_count, pvs);
}

static int compare_pointers(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

static vm_object_t objects[MAX_OBJECTS];
static int refs[MAX_OBJECTS], shadows[MAX_OBJECTS];
static int nobjects;

static int object_index(vm_object_t o)
{
	vm_object_t *found = bsearch(&o, objects, (size_t)nobjects, sizeof(objects[0]),
				     compare_pointers);

	REQUIRE(found != NULL);
	return (int)(found - objects);
}

/*
 * Accounts for every object and page: the objects reachable from the maps
 * and the test's own references are all there are (v_objects), each with
 * exactly the references and shadows that exist; every page is free, wired
 * (VM structures) or resident in one of them; the test pager's objects are
 * alive exactly while reachable.
 */
static void check_global(void)
{
	uint64_t resident = 0, resident_pages = 0, spaces_live = 0;
	vm_map_entry_t e;
	vm_object_t o;
	int i, n = 0;

	vm_page_validate();
	for (i = 0; i < NSPACES; i++) {
		if (spaces[i].map == NULL)
			continue;
		spaces_live++;
		resident += spaces[i].map->pmap->resident_count;
		for (e = spaces[i].map->first; e != NULL; e = e->next)
			for (o = e->object; o != NULL; o = o->backing_object) {
				REQUIRE(n < MAX_OBJECTS);
				objects[n++] = o;
			}
	}
	for (i = 0; i < ntpagers; i++)
		if (tpagers[i].held)
			objects[n++] = tpagers[i].object;
	qsort(objects, (size_t)n, sizeof(objects[0]), compare_pointers);
	for (nobjects = 0, i = 0; i < n; i++)
		if (nobjects == 0 || objects[nobjects - 1] != objects[i])
			objects[nobjects++] = objects[i];
	REQUIRE_EQ(vm_cnt.v_objects, nobjects);
	memset(refs, 0, sizeof(refs[0]) * (size_t)nobjects);
	memset(shadows, 0, sizeof(shadows[0]) * (size_t)nobjects);
	for (i = 0; i < NSPACES; i++)
		if (spaces[i].map != NULL)
			for (e = spaces[i].map->first; e != NULL; e = e->next)
				if (e->object != NULL)
					refs[object_index(e->object)]++;
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
		 * busy), inside its object, and on the active or inactive
		 * queue - where the page daemon can find it.
		 */
		while ((m = vm_radix_lookup_ge(&objects[i]->pages, pindex, &found)) != NULL) {
			REQUIRE(m->valid && !m->busy && m->wire_count == 0);
			REQUIRE(m->queue == PQ_ACTIVE || m->queue == PQ_INACTIVE);
			REQUIRE(found < objects[i]->size);
			pindex = found + 1;
		}
	}
	for (i = 0; i < ntpagers; i++) {
		bool reachable = tpagers[i].live;

		if (reachable)
			reachable = bsearch(&tpagers[i].object, objects, (size_t)nobjects,
					    sizeof(objects[0]), compare_pointers) != NULL;
		REQUIRE_EQ(reachable, tpagers[i].live);
	}
	REQUIRE_EQ(resident_pages + vm_cnt.v_free_count + vm_cnt.v_wire_count,
		   vm_cnt.v_page_count);
	/* The simulated page tables hold exactly the pmaps' mappings. */
	REQUIRE_EQ(sim_mapped_pages(), resident);
	REQUIRE_EQ(sim_spaces_in_use(), spaces_live);
}

/* ---- steps -------------------------------------------------------------- */

static struct space *random_space(void)
{
	int i, n = 0, pick;

	for (i = 0; i < NSPACES; i++)
		n += spaces[i].map != NULL;
	if (n == 0)
		return NULL;
	pick = (int)rng_below((uint64_t)n);
	for (i = 0; i < NSPACES; i++)
		if (spaces[i].map != NULL && pick-- == 0)
			break;
	return &spaces[i];
}

/*
 * A new process in a free slot. Its area: low (reaching below USER_MIN),
 * high (reaching above USER_MAX), or anywhere between.
 */
static void op_create(void)
{
	struct space *s = NULL;
	int i;

	for (i = 0; i < NSPACES && s == NULL; i++)
		if (spaces[i].map == NULL)
			s = &spaces[i];
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
	trace("destroy space %d", (int)(s - spaces));
	if (rng_chance(50))
		pmap_remove_pages(s->map->pmap);	/* as a process exit does first */
	vm_map_destroy(s->map);
	s->map = NULL;
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

	if (rng_chance(20))
		max = VM_PROT_ALL;
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
	}

	rv = vm_map_insert(s->map, object, offset, start, end, prot, max, cow);
	trace("space %d: map %s [%#lx, %#lx) prot %d max %d object %u offset %lu cow %d: %d",
	      (int)(s - spaces), src == SRC_ANON ? "anon" : src == SRC_PAGER_PRIVATE ? "pager cow" :
	      src == SRC_PAGER_SHARED ? "pager shared" : "anon copy", (unsigned long)start,
	      (unsigned long)end, prot, max, object != NULL ? object->id : 0,
	      (unsigned long)offset, cow, rv);
	if (!require_rv(rv, expected) || rv != KERN_SUCCESS) {
		if (object != NULL)
			vm_object_deallocate(object);	/* the reference stays ours */
		return;
	}
	for (i = 0; i < npages; i++) {
		struct mpage *mp = &s->page[p + i];
		uint8_t *data = s->data[p + i];

		mp->mapped = true;
		mp->prot = prot;
		mp->max = max;
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
			s->page[p].mapped = false;
		return;
	}
	/* Cut short: each page of the range is gone or as it was (check_space sees which). */
	for (p = first_page(s, start); p < last_page(s, end); p++)
		if (vm_map_lookup_entry(s->map, page_va(s, p)) == NULL)
			s->page[p].mapped = false;
}

static void op_protect(struct space *s)
{
	vm_offset_t start, end, va;
	vm_prot_t prot = random_prot();
	int p, expected = KERN_SUCCESS;

	random_range(s, &start, &end);
	/* Every page must be mapped (the whole range is checked first); then within max. */
	for (va = start; va < end; va += PAGE_SIZE)
		if (va < s->base || va >= page_va(s, MPAGES) ||
		    !s->page[atop(va - s->base)].mapped)
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
				s->page[p].prot = prot;
		return;
	}
	/* Cut short: each page of the range has its old protection or the new one. */
	for (p = first_page(s, start); p < last_page(s, end); p++) {
		vm_map_entry_t e = vm_map_lookup_entry(s->map, page_va(s, p));

		REQUIRE(e != NULL);
		REQUIRE(e->protection == prot || e->protection == s->page[p].prot);
		s->page[p].prot = e->protection;
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
		s->data[p][off] = b;
	else
		REQUIRE_EQ(b, s->data[p][off]);
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

/* Takes hardware mappings away (as the page daemon would): only soft faults follow. */
static void op_pmap_remove(struct space *s)
{
	vm_offset_t start, end;

	random_range(s, &start, &end);
	trace("space %d: pmap_remove [%#lx, %#lx)", (int)(s - spaces), (unsigned long)start,
	      (unsigned long)end);
	pmap_remove(s->map->pmap, start, end);
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

/* madvise(): a behavior for the entry at a random page - a hint, not a change. */
static void op_madvise(struct space *s)
{
	vm_map_entry_t e = vm_map_lookup_entry(s->map, page_va(s, (int)rng_below(MPAGES)));

	if (e != NULL)
		e->behavior = (uint8_t)rng_below(3);
}

static void hog_release(int n)
{
	while (n-- > 0 && nhog > 0) {
		vm_page_t m = hog[--nhog];

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

		while (n-- > 0 && (m = vm_page_alloc(NULL, 0, 0)) != NULL)
			hog[nhog++] = m;
	} else {
		hog_release(rng_chance(30) ? nhog : 1 + (int)rng_below(nhog < 16 ? nhog : 16));
	}
	trace("hog: holds %d pages, %llu free", nhog, (unsigned long long)vm_cnt.v_free_count);
}

/*
 * The step kinds and their weights. A fork step would go here too (see
 * struct space): fork a live space into a free slot, copy its model.
 */
enum op {
	OP_CREATE, OP_DESTROY, OP_MAP_ANON, OP_MAP_PAGER, OP_MAP_SHARED, OP_MAP_ANON_COPY,
	OP_UNMAP, OP_PROTECT, OP_ACCESS, OP_SWEEP, OP_PMAP_REMOVE, OP_NEW_PAGER,
	OP_DROP_PAGER, OP_PREZERO, OP_FAULT, OP_MADVISE, OP_HOG, NOPS
};

static const unsigned op_weight[NOPS] = {
	[OP_CREATE] = 3, [OP_DESTROY] = 2, [OP_MAP_ANON] = 16, [OP_MAP_PAGER] = 10,
	[OP_MAP_SHARED] = 4, [OP_MAP_ANON_COPY] = 6, [OP_UNMAP] = 9, [OP_PROTECT] = 10,
	[OP_ACCESS] = 25, [OP_SWEEP] = 6, [OP_PMAP_REMOVE] = 3, [OP_NEW_PAGER] = 2,
	[OP_DROP_PAGER] = 2, [OP_PREZERO] = 2, [OP_FAULT] = 4, [OP_MADVISE] = 2,
	[OP_HOG] = 8,	/* pressure sequences only */
};

static unsigned weight(int op)
{
	return op == OP_HOG && !pressure ? 0 : op_weight[op];
}

static enum op random_op(void)
{
	unsigned total = 0, r;
	int i;

	for (i = 0; i < NOPS; i++)
		total += weight(i);
	r = (unsigned)rng_below(total);
	for (i = 0; r >= weight(i); i++)
		r -= weight(i);
	return (enum op)i;
}

/* One step; returns the space it changed (NULL: none, or several). */
static struct space *step(void)
{
	struct space *s = random_space();
	enum op op = random_op();

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
	case OP_UNMAP:
		op_unmap(s);
		break;
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
		break;
	case OP_MADVISE:
		op_madvise(s);
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
	return s;
}

static void run_sequence(const char *program, uint64_t seed)
{
	uint64_t free_at_boot, nsteps, i;
	int k;

	seeded_begin(program, seed);
	seeded_boot(SIM_PAGES);
	free_at_boot = vm_cnt.v_free_count;
	for (k = 0; k < NSPACES; k++)
		spaces[k].map = NULL;
	ntpagers = 0;
	nhog = 0;
	pressure = seed % 4 == 0;
	nsteps = MIN_STEPS + rng_below(MAX_STEPS - MIN_STEPS + 1);
	for (i = 1; i <= nsteps; i++) {
		struct space *changed;

		seeded_step(i);
		changed = step();
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
	for (k = 0; k < ntpagers; k++) {
		if (tpagers[k].held) {
			tpagers[k].held = false;
			vm_object_deallocate(tpagers[k].object);
		}
		REQUIRE(!tpagers[k].live);	/* every store was let go */
	}
	/* Nothing is left: objects, pages, mappings, address spaces, radix nodes. */
	REQUIRE_EQ(vm_cnt.v_objects, 0);
	REQUIRE_EQ(vm_cnt.v_free_count, free_at_boot);
	REQUIRE_EQ(sim_mapped_pages(), 0);
	REQUIRE_EQ(sim_spaces_in_use(), 0);
	REQUIRE_EQ(vm_radix_nodes_in_use(), 0);
	vm_page_validate();
	stats.sequences++;
}

int main(int argc, char **argv)
{
	uint64_t seed;

	tracing = getenv("MODEL_TRACE") != NULL;
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
	printf("model: object chains up to %d objects long\n", stats.max_chain);
	printf("model: expected errors: no space %llu, invalid address %llu, "
	       "protection %llu, invalid argument %llu, pager failure %llu; "
	       "shortages under pressure %llu\n",
	       (unsigned long long)stats.no_space, (unsigned long long)stats.invalid_address,
	       (unsigned long long)stats.protection_failure,
	       (unsigned long long)stats.invalid_argument, (unsigned long long)stats.failure,
	       (unsigned long long)stats.shortages);
	return 0;
}
