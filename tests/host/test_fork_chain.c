/*
 * Long lines of forks: do shadow chains, objects and pages stay bounded?
 *
 * Each case runs GENERATIONS generations of processes that fork, write and
 * exit in one pattern:
 *   parent_exits         a process forks a child; the child writes a few
 *                        pages (some it inherited, some never written
 *                        before, one freshly mapped); the parent exits -
 *                        the child carries on;
 *   both_write           the same, and the parent writes too (after the
 *                        fork, before it exits);
 *   child_exits_first    one process lives throughout: each generation it
 *                        forks a child, which writes and exits; the parent
 *                        writes before (one time in three) or after;
 *   overlapping_children one process lives throughout; each child lives
 *                        until the next one is forked (a shell's pattern):
 *                        after each fork the parent writes, the new child
 *                        writes, the previous child exits.
 * Every process has private anonymous memory (PRIV_PAGES, written a few
 * pages a generation), a ring of one-page mappings (one is unmapped and
 * mapped afresh every generation), an mlock()ed region (wired anew in every
 * process: wiring is not inherited; fork copies it at once), and a region of
 * shared anonymous memory (as the VM server makes it) that all of them share.
 *
 * The model is flat: each process's bytes, and the shared region's. After
 * every generation the surviving processes read back exactly the model's
 * bytes (every page, through the simulated MMU), a write to shared memory
 * shows in every process, wired pages are resident, wired and mapped
 * writable (a fork never write-protects them), and the VM's structures
 * validate. The survivor's chains must never be deeper than after
 * generation 3, and the objects and pages in use in the last generations no
 * more than in the first ones once every page has been written: no growth
 * with history (see run_generations). When the last process exits,
 * every object, page, wiring, mapping and radix node is back to baseline.
 */
#include "harness.h"
#include "vm_radix.h"

#define GENERATIONS 1000
#define PRIV_PAGES  64
#define RING_PAGES  8
#define WIRED_PAGES 2
#define SHARED_PAGES 4

#define PRIV_BASE   0x1000000UL
#define RING_BASE   0x2000000UL
#define WIRED_BASE  0x3000000UL
#define SHARED_BASE 0x4000000UL

#define RW (VM_PROT_READ | VM_PROT_WRITE)

struct proc {
	vm_map_t map;			/* NULL: not running */
	uint8_t priv[PRIV_PAGES][PAGE_SIZE];
	uint8_t ring[RING_PAGES][PAGE_SIZE];
	uint8_t wired[WIRED_PAGES][PAGE_SIZE];
};

static struct proc procs[3];
static uint8_t shared[SHARED_PAGES][PAGE_SIZE];	/* one for everyone */
static uint64_t rng = 1;

static uint8_t random_byte(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint8_t)(rng >> 33);
}

static unsigned random_offset(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 40) % PAGE_SIZE;
}

/* Writes a byte at a random place of the page at va; the model's page follows. */
static void write_page(struct proc *p, vm_offset_t va, uint8_t *model)
{
	unsigned off = random_offset();
	uint8_t b = random_byte();

	CHECK_EQ(user_access(p->map, va + off, true, &b), KERN_SUCCESS);
	model[off] = b;
}

/* Every byte of the page at va is the model's (read through the simulated MMU). */
static void check_page(struct proc *p, vm_offset_t va, const uint8_t *model)
{
	uint8_t b;
	const uint8_t *page;

	CHECK_EQ(user_access(p->map, va, false, &b), KERN_SUCCESS);
	page = sim_translate(p->map->pmap->hw_id, va, VM_PROT_READ);
	CHECK(page != NULL && memcmp(page, model, PAGE_SIZE) == 0);
}

static void check_proc(struct proc *p)
{
	vm_map_entry_t e;
	vm_object_t o;
	int i;

	vm_map_validate(p->map);
	for (e = p->map->first; e != NULL; e = e->next)
		for (o = e->object; o != NULL; o = o->backing_object)
			vm_object_validate(o);
	for (i = 0; i < PRIV_PAGES; i++)
		check_page(p, PRIV_BASE + ptoa(i), p->priv[i]);
	for (i = 0; i < RING_PAGES; i++)
		check_page(p, RING_BASE + ptoa(i), p->ring[i]);
	for (i = 0; i < SHARED_PAGES; i++)
		check_page(p, SHARED_BASE + ptoa(i), shared[i]);
	/* The wired pages: resident, wired, mapped writable, the model's bytes. */
	for (i = 0; i < WIRED_PAGES; i++) {
		vm_offset_t va = WIRED_BASE + ptoa(i);
		vm_prot_t prot = 0;
		vm_page_t m;

		e = vm_map_lookup_entry(p->map, va);
		CHECK(e != NULL && e->wired_count > 0 && e->object != NULL);
		if (e == NULL || e->object == NULL)
			continue;
		m = vm_object_page_lookup(e->object, e->offset + atop(va - e->start));
		CHECK(m != NULL && m->wire_count > 0);
		CHECK(m != NULL && pmap_lookup(p->map->pmap, va, &prot) == m);
		CHECK(prot & VM_PROT_WRITE);
		if (m != NULL)
			CHECK(memcmp(pmap_page_address(m), p->wired[i], PAGE_SIZE) == 0);
	}
}

/* The first process: every region mapped, touched, the wired one wired. */
static void start(struct proc *p)
{
	vm_object_t object = vm_object_allocate(SHARED_PAGES);
	int i;

	memset(p, 0, sizeof(*p));
	memset(shared, 0, sizeof(shared));
	p->map = vm_map_create(USER_MIN, USER_MAX);
	CHECK(p->map != NULL && object != NULL);
	CHECK_EQ(vm_map_insert(p->map, NULL, 0, PRIV_BASE, PRIV_BASE + ptoa(PRIV_PAGES), RW,
			       VM_PROT_ALL, 0), KERN_SUCCESS);
	for (i = 0; i < RING_PAGES; i++)
		CHECK_EQ(vm_map_insert(p->map, NULL, 0, RING_BASE + ptoa(i),
				       RING_BASE + ptoa(i + 1), RW, VM_PROT_ALL, 0), KERN_SUCCESS);
	CHECK_EQ(vm_map_insert(p->map, NULL, 0, WIRED_BASE, WIRED_BASE + ptoa(WIRED_PAGES), RW,
			       VM_PROT_ALL, 0), KERN_SUCCESS);
	/* pager/requests.c's shared anonymous memory. */
	CHECK_EQ(vm_map_insert(p->map, object, 0, SHARED_BASE, SHARED_BASE + ptoa(SHARED_PAGES),
			       RW, VM_PROT_ALL, 0), KERN_SUCCESS);
	CHECK_EQ(vm_map_inherit(p->map, SHARED_BASE, SHARED_BASE + ptoa(SHARED_PAGES),
				VM_INHERIT_SHARE), KERN_SUCCESS);
	/* Half the private pages written: the rest are new to whoever writes them. */
	for (i = 0; i < PRIV_PAGES / 2; i++)
		write_page(p, PRIV_BASE + ptoa(i), p->priv[i]);
	for (i = 0; i < RING_PAGES; i++)
		write_page(p, RING_BASE + ptoa(i), p->ring[i]);
	for (i = 0; i < SHARED_PAGES; i++)
		write_page(p, SHARED_BASE + ptoa(i), shared[i]);
	CHECK_EQ(vm_map_wire(p->map, WIRED_BASE, WIRED_BASE + ptoa(WIRED_PAGES), NULL), KERN_SUCCESS);
	for (i = 0; i < WIRED_PAGES; i++)
		write_page(p, WIRED_BASE + ptoa(i), p->wired[i]);
}

/*
 * fork(): the child's model is a copy of the parent's. The parent's wired
 * pages keep their writable mappings; the child wires its own copy.
 */
static void fork_into(struct proc *parent, struct proc *child)
{
	vm_page_t before[WIRED_PAGES];
	vm_prot_t prot;
	int i;

	for (i = 0; i < WIRED_PAGES; i++)
		before[i] = pmap_lookup(parent->map->pmap, WIRED_BASE + ptoa(i), NULL);
	child->map = vm_map_fork(parent->map);
	CHECK(child->map != NULL);
	for (i = 0; i < WIRED_PAGES; i++) {
		CHECK(pmap_lookup(parent->map->pmap, WIRED_BASE + ptoa(i), &prot) == before[i]);
		CHECK(prot & VM_PROT_WRITE);
	}
	memcpy(child->priv, parent->priv, sizeof(parent->priv));
	memcpy(child->ring, parent->ring, sizeof(parent->ring));
	memcpy(child->wired, parent->wired, sizeof(parent->wired));
	CHECK_EQ(vm_map_wire(child->map, WIRED_BASE, WIRED_BASE + ptoa(WIRED_PAGES), NULL),
		 KERN_SUCCESS);
}

/*
 * A generation's writes: two private pages it inherited, one it may be the
 * first to write (one a generation, round the area), a ring page mapped
 * afresh, a wired page, and a shared page - which every running process
 * must then see.
 */
static void writes(struct proc *p, int gen, int salt)
{
	int fresh = (gen + salt) % RING_PAGES, i;
	vm_offset_t ring_va = RING_BASE + ptoa(fresh);
	int s = (gen + salt) % SHARED_PAGES;

	write_page(p, PRIV_BASE + ptoa((gen * 3 + salt) % (PRIV_PAGES / 2)),
		   p->priv[(gen * 3 + salt) % (PRIV_PAGES / 2)]);
	write_page(p, PRIV_BASE + ptoa((gen * 5 + salt) % (PRIV_PAGES / 2)),
		   p->priv[(gen * 5 + salt) % (PRIV_PAGES / 2)]);
	write_page(p, PRIV_BASE + ptoa(PRIV_PAGES / 2 + gen % (PRIV_PAGES / 2)),
		   p->priv[PRIV_PAGES / 2 + gen % (PRIV_PAGES / 2)]);
	CHECK_EQ(vm_map_delete(p->map, ring_va, ring_va + PAGE_SIZE), KERN_SUCCESS);
	CHECK_EQ(vm_map_insert(p->map, NULL, 0, ring_va, ring_va + PAGE_SIZE, RW, VM_PROT_ALL, 0),
		 KERN_SUCCESS);
	memset(p->ring[fresh], 0, PAGE_SIZE);
	write_page(p, ring_va, p->ring[fresh]);
	write_page(p, WIRED_BASE + ptoa(gen % WIRED_PAGES), p->wired[gen % WIRED_PAGES]);
	write_page(p, SHARED_BASE + ptoa(s), shared[s]);
	for (i = 0; i < 3; i++)
		if (procs[i].map != NULL)
			check_page(&procs[i], SHARED_BASE + ptoa(s), shared[s]);
}

static void exit_proc(struct proc *p, int gen)
{
	if (gen % 2)
		pmap_remove_pages(p->map->pmap);	/* as a process exit does first */
	vm_map_destroy(p->map);
	p->map = NULL;
}

static int deepest_chain(vm_map_t map)
{
	vm_map_entry_t e;
	int depth = 0;

	for (e = map->first; e != NULL; e = e->next)
		if (e->object != NULL && vm_object_chain_depth(e->object) > depth)
			depth = vm_object_chain_depth(e->object);
	return depth;
}

static uint64_t pages_in_use(void)
{
	return vm_cnt.v_page_count - vm_cnt.v_free_count;
}

enum pattern { PARENT_EXITS, BOTH_WRITE, CHILD_EXITS_FIRST, OVERLAPPING };

static const char *const pattern_names[] = {
	"parent_exits", "both_write", "child_exits_first", "overlapping_children",
};

/*
 * What must not grow with history: the survivor's deepest chain (never
 * deeper than after generation 3 - shallower is fine: a collapse may come
 * later), and the objects and pages in use once every page and ring slot
 * has been written (generation PRIV_PAGES): the last generations use no
 * more than the first settled ones.
 */
static void run_generations(enum pattern pattern)
{
	uint64_t free_at_boot = vm_cnt.v_free_count, wired_at_boot = vm_cnt.v_wire_count;
	uint64_t objects_early = 0, objects_late = 0, pages_early = 0, pages_late = 0;
	int gen, survivor = 0, depth3 = 0, depth, deepest = 0, failures = harness_failures, i;
	int depth10 = 0, depth100 = 0;

	memset(procs, 0, sizeof(procs));
	rng = 1 + (uint64_t)pattern;
	start(&procs[0]);
	for (gen = 1; gen <= GENERATIONS && harness_failures == failures; gen++) {
		struct proc *parent, *child;

		switch (pattern) {
		case PARENT_EXITS:
		case BOTH_WRITE:
			parent = &procs[survivor];
			child = &procs[1 - survivor];
			fork_into(parent, child);
			writes(child, gen, 0);
			if (pattern == BOTH_WRITE)
				writes(parent, gen, 1);
			check_proc(parent);
			exit_proc(parent, gen);
			survivor = 1 - survivor;
			break;
		case CHILD_EXITS_FIRST:
			parent = &procs[0];
			child = &procs[1];
			fork_into(parent, child);
			if (gen % 3 == 0)
				writes(parent, gen, 1);
			writes(child, gen, 0);
			check_proc(child);
			exit_proc(child, gen);
			if (gen % 3 != 0)
				writes(parent, gen, 1);
			break;
		case OVERLAPPING:
			parent = &procs[0];
			child = &procs[1 + gen % 2];
			fork_into(parent, child);
			writes(parent, gen, 1);
			writes(child, gen, 0);
			if (procs[1 + (gen + 1) % 2].map != NULL) {
				check_proc(&procs[1 + (gen + 1) % 2]);
				exit_proc(&procs[1 + (gen + 1) % 2], gen);
			}
			break;
		}
		for (i = 0; i < 3; i++)
			if (procs[i].map != NULL)
				check_proc(&procs[i]);
		vm_page_validate();
		depth = deepest_chain(procs[survivor].map);
		if (gen == 3)
			depth3 = depth;
		if (gen >= 3 && depth > deepest)
			deepest = depth;
		depth10 = gen == 10 ? depth : depth10;
		depth100 = gen == 100 ? depth : depth100;
		if (gen >= PRIV_PAGES && gen < 2 * PRIV_PAGES) {
			objects_early = vm_cnt.v_objects > objects_early ? vm_cnt.v_objects
									 : objects_early;
			pages_early = pages_in_use() > pages_early ? pages_in_use() : pages_early;
		}
		if (gen > GENERATIONS - PRIV_PAGES) {
			objects_late = vm_cnt.v_objects > objects_late ? vm_cnt.v_objects : objects_late;
			pages_late = pages_in_use() > pages_late ? pages_in_use() : pages_late;
		}
	}
	gen--;
	printf("  %s: %d generations; deepest chain after 3: %d, 10: %d, 100: %d, %d: %d; "
	       "objects %llu -> %llu, pages in use %llu -> %llu\n", pattern_names[pattern], gen,
	       depth3, depth10, depth100, gen, deepest_chain(procs[survivor].map),
	       (unsigned long long)objects_early, (unsigned long long)objects_late,
	       (unsigned long long)pages_early, (unsigned long long)pages_late);
	CHECK_EQ(gen, GENERATIONS);
	CHECK(deepest <= depth3);
	CHECK(objects_late <= objects_early);
	CHECK(pages_late <= pages_early);
	for (i = 0; i < 3; i++)
		if (procs[i].map != NULL)
			exit_proc(&procs[i], i);
	CHECK_EQ(vm_cnt.v_objects, 0);
	CHECK_EQ(vm_cnt.v_free_count, free_at_boot);
	CHECK_EQ(vm_cnt.v_wire_count, wired_at_boot);
	CHECK_EQ(sim_mapped_pages(), 0);
	CHECK_EQ(sim_spaces_in_use(), 0);
	CHECK_EQ(vm_radix_nodes_in_use(), 0);
}

static void parent_exits(void)
{
	run_generations(PARENT_EXITS);
}

static void both_write(void)
{
	run_generations(BOTH_WRITE);
}

static void child_exits_first(void)
{
	run_generations(CHILD_EXITS_FIRST);
}

static void overlapping_children(void)
{
	run_generations(OVERLAPPING);
}

/*
 * The same histories under the lazy collapse policy: pages move up as they
 * are written, and fork collapses the whole chain before sharing it - which
 * must keep chains as bounded, and memory as flat, as the eager policy does.
 */
static void run_lazy(enum pattern pattern)
{
	vm_collapse_policy = VM_COLLAPSE_LAZY;
	run_generations(pattern);
	vm_collapse_policy = VM_COLLAPSE_EAGER;
}

static void lazy_parent_exits(void)
{
	run_lazy(PARENT_EXITS);
}

static void lazy_both_write(void)
{
	run_lazy(BOTH_WRITE);
}

static void lazy_child_exits_first(void)
{
	run_lazy(CHILD_EXITS_FIRST);
}

static void lazy_overlapping_children(void)
{
	run_lazy(OVERLAPPING);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "parent_exits", parent_exits },
		{ "both_write", both_write },
		{ "child_exits_first", child_exits_first },
		{ "overlapping_children", overlapping_children },
		{ "lazy: parent_exits", lazy_parent_exits },
		{ "lazy: both_write", lazy_both_write },
		{ "lazy: child_exits_first", lazy_child_exits_first },
		{ "lazy: overlapping_children", lazy_overlapping_children },
	};

	return run_cases("fork_chain", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
