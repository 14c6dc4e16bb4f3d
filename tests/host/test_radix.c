/*
 * vm_radix against a reference model: random inserts, lookups, lookup_ge,
 * lookup_range
 * and removes, checked step by step against a sorted array of (key, value).
 *
 * Each seed draws its keys from one distribution - small and dense, sparse
 * over all 64 bits (2^64 - 1 included), clustered around a few centres, or
 * a mix - and alternates phases of growth and of draining, so that the tree
 * grows and shrinks in height and empties now and then. Some seeds run on a
 * machine with a handful of pages, where inserts fail for lack of memory;
 * a failed insert must leave the tree exactly as it was.
 *
 *   test_radix          every seed, then the fixed out-of-memory case
 *   test_radix SEED     that seed alone (a failure prints its seed)
 */
#include "harness.h"
#include "seeded.h"
#include "vm_radix.h"

#ifndef NSEEDS			/* longer hunts: -DNSEEDS=10000 */
#define NSEEDS       300
#endif
#define STEPS        3000
#define MAX_KEYS     512	/* the model's capacity; growth stops there */
#define FULL_CHECK   64		/* steps between whole-tree comparisons */
#define ROOMY_PAGES  1024	/* enough for MAX_KEYS sparse keys (~11 nodes each) */
#define TIGHT_PAGES  24		/* a few slabs of nodes: inserts fail */

SEEDED_SANITIZER_OPTIONS

enum dist { DIST_DENSE, DIST_SPARSE, DIST_CLUSTERED, DIST_MIXED, NDISTS };
static const char *const dist_names[NDISTS] = { "dense", "sparse", "clustered", "mixed" };

/* The reference: keys in ascending order, with the value stored at each. */
static uint64_t model_keys[MAX_KEYS];
static void *model_values[MAX_KEYS];
static int model_n;
static uint64_t next_value;	/* values are distinct: a stale one is noticed */

static struct vm_radix tree;
static uint64_t centres[4];

/* What the run went through, for the summary: proof the cases were reached. */
static struct {
	uint64_t inserts, failed_inserts, removes, emptied;
	int max_height;
} stats;

/* Index of the first model key >= key (model_n if none). */
static int model_lower_bound(uint64_t key)
{
	int lo = 0, hi = model_n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (model_keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool model_has(uint64_t key, int *at)
{
	*at = model_lower_bound(key);
	return *at < model_n && model_keys[*at] == key;
}

static void model_insert(int at, uint64_t key, void *value)
{
	memmove(&model_keys[at + 1], &model_keys[at], sizeof(model_keys[0]) * (size_t)(model_n - at));
	memmove(&model_values[at + 1], &model_values[at],
		sizeof(model_values[0]) * (size_t)(model_n - at));
	model_keys[at] = key;
	model_values[at] = value;
	model_n++;
}

static void model_remove(int at)
{
	model_n--;
	memmove(&model_keys[at], &model_keys[at + 1], sizeof(model_keys[0]) * (size_t)(model_n - at));
	memmove(&model_values[at], &model_values[at + 1],
		sizeof(model_values[0]) * (size_t)(model_n - at));
}

/* Values are never dereferenced by the tree: distinct, non-NULL, aligned tokens. */
static void *new_value(void)
{
	return (void *)(uintptr_t)(++next_value << 3);
}

/* Keys near the edges of the tree's levels: 64^k - 1, 64^k, 2^63, 2^64 - 1. */
static uint64_t edge_key(void)
{
	int k = (int)rng_below(11);
	uint64_t base = k == 0 ? 0 : (uint64_t)1 << (6 * k);

	switch (rng_below(5)) {
	case 0:
		return base - 1;	/* 64^k - 1 (2^64 - 1 for k = 0) */
	case 1:
		return base;
	case 2:
		return base + 1;
	case 3:
		return ((uint64_t)1 << 63) + rng_below(3) - 1;
	default:
		return UINT64_MAX - rng_below(4);
	}
}

static uint64_t draw_key(enum dist dist)
{
	if (dist == DIST_MIXED)
		dist = (enum dist)rng_below(DIST_MIXED);
	switch (dist) {
	case DIST_DENSE:
		return rng_below(rng_chance(90) ? 256 : 4096);
	case DIST_SPARSE:
		if (rng_chance(20))
			return edge_key();
		/* All bit lengths alike, not just 64-bit numbers. */
		return rng_next() >> rng_below(64);
	default:
		/* Wraps around at the top: a cluster may straddle 2^64. */
		return centres[rng_below(4)] + rng_below(512) - 256;
	}
}

/* Levels the tree needs for key: the same rule as the tree's own. */
static int height_for(uint64_t key)
{
	int height = 1;

	while (height * 6 < 64 && (key >> (height * 6)) != 0)
		height++;
	return height;
}

/*
 * Nodes a tree of `height` levels holds for the model's keys: one per
 * distinct key >> 6L at each level L (the root level has one).
 */
static uint64_t expected_nodes(int height)
{
	uint64_t nodes = 0;
	int level, i;

	if (model_n == 0)
		return 0;
	for (level = 1; level <= height; level++) {
		int shift = 6 * level;

		if (shift >= 64) {
			nodes++;
			continue;
		}
		for (i = 0; i < model_n; i++)
			if (i == 0 || (model_keys[i] >> shift) != (model_keys[i - 1] >> shift))
				nodes++;
	}
	return nodes;
}

/*
 * The whole tree against the model: an in-order walk with lookup_ge visits
 * exactly the model's keys and values; the height is the least the largest
 * key needs (emptied top levels go); no node is left over (emptied nodes are
 * freed, the count is exact); an empty tree holds no node at all.
 */
static void check_whole_tree(void)
{
	uint64_t key = 0, found;
	void *value;
	int i = 0;

	while ((value = vm_radix_lookup_ge(&tree, key, &found)) != NULL) {
		REQUIRE(i < model_n);
		REQUIRE_EQ(found, model_keys[i]);
		REQUIRE(value == model_values[i]);
		i++;
		if (found == UINT64_MAX)
			break;
		key = found + 1;
	}
	REQUIRE_EQ(i, model_n);
	if (model_n == 0) {
		REQUIRE(vm_radix_is_empty(&tree));
		REQUIRE_EQ(tree.height, 0);
		REQUIRE_EQ(vm_radix_nodes_in_use(), 0);
		return;
	}
	REQUIRE_EQ(tree.height, height_for(model_keys[model_n - 1]));
	REQUIRE_EQ(tree.top_shift, 6 * (tree.height - 1));
	REQUIRE_EQ(vm_radix_nodes_in_use(), expected_nodes(tree.height));
}

static void check_lookup(uint64_t key)
{
	int at;
	void *want = model_has(key, &at) ? model_values[at] : NULL;

	REQUIRE(vm_radix_lookup(&tree, key) == want);
}

static void check_lookup_ge(uint64_t key)
{
	int at = model_lower_bound(key);
	uint64_t found = 0x5a5a5a5a5a5a5a5aULL;
	void *value = vm_radix_lookup_ge(&tree, key, &found);

	if (at == model_n) {
		REQUIRE(value == NULL);
	} else {
		REQUIRE(value == model_values[at]);
		REQUIRE_EQ(found, model_keys[at]);
	}
}

/* Bounded: the model's first key >= first, unless it is past last. */
static void check_lookup_range(uint64_t first, uint64_t last)
{
	int at = model_lower_bound(first);
	uint64_t found = 0x5a5a5a5a5a5a5a5aULL;
	void *value = vm_radix_lookup_range(&tree, first, last, &found);

	if (at == model_n || model_keys[at] > last || first > last) {
		REQUIRE(value == NULL);
	} else {
		REQUIRE(value == model_values[at]);
		REQUIRE_EQ(found, model_keys[at]);
	}
}

/* A range from key: empty, a few keys, a bottom node's worth, or to the top. */
static void check_some_range(uint64_t first)
{
	uint64_t spans[] = { 0, 1, 63, 64, 4096, UINT64_MAX };
	uint64_t span = spans[rng_below(sizeof(spans) / sizeof(spans[0]))];
	uint64_t last = first + span < first ? UINT64_MAX : first + span;

	if (rng_chance(5))
		last = first - 1;	/* an empty range: first > last (or all, from 0) */
	check_lookup_range(first, last);
}

/* What must not change when an insert fails. */
struct snapshot {
	void *root;
	int height, top_shift;
	uint64_t nodes, free_pages;
};

static struct snapshot take_snapshot(void)
{
	struct snapshot s = { tree.root, tree.height, tree.top_shift,
			      vm_radix_nodes_in_use(), vm_cnt.v_free_count };

	return s;
}

/* A failed insert left the tree as it was: structure, contents, memory. */
static void check_unchanged(const struct snapshot *before, uint64_t key)
{
	struct snapshot after = take_snapshot();

	REQUIRE(after.root == before->root);
	REQUIRE_EQ(after.height, before->height);
	REQUIRE_EQ(after.top_shift, before->top_shift);
	REQUIRE_EQ(after.nodes, before->nodes);		/* spare nodes went back */
	REQUIRE_EQ(after.free_pages, before->free_pages);
	REQUIRE(vm_radix_lookup(&tree, key) == NULL);
	check_whole_tree();
}

static void do_insert(uint64_t key, bool tight)
{
	struct snapshot before;
	void *value;
	int at, rv;

	if (model_has(key, &at)) {
		/* Inserting a key in use is not allowed: look it up instead. */
		check_lookup(key);
		return;
	}
	if (model_n == MAX_KEYS)
		return;
	before = take_snapshot();
	value = new_value();
	rv = vm_radix_insert(&tree, key, value);
	stats.inserts++;
	if (rv != 0) {
		stats.failed_inserts++;
		REQUIRE_EQ(rv, -1);
		/* Only a tight machine runs out of nodes. */
		REQUIRE(tight);
		check_unchanged(&before, key);
		return;
	}
	model_insert(at, key, value);
	REQUIRE(vm_radix_lookup(&tree, key) == value);
	/* The height grows to fit the key, never more. */
	REQUIRE_EQ(tree.height, height_for(model_keys[model_n - 1]));
	if (tree.height > stats.max_height)
		stats.max_height = tree.height;
}

static void do_remove(uint64_t key)
{
	int at;
	bool present = model_has(key, &at);
	void *want = present ? model_values[at] : NULL;

	REQUIRE(vm_radix_remove(&tree, key) == want);
	if (present) {
		model_remove(at);
		stats.removes++;
		stats.emptied += model_n == 0;
	}
	REQUIRE(vm_radix_lookup(&tree, key) == NULL);
	if (model_n == 0) {
		/* The last remove frees every node. */
		REQUIRE(vm_radix_is_empty(&tree));
		REQUIRE_EQ(vm_radix_nodes_in_use(), 0);
	}
}

/* A key the model holds, or one near it, or a fresh draw. */
static uint64_t probe_key(enum dist dist)
{
	if (model_n > 0 && rng_chance(60)) {
		uint64_t key = model_keys[rng_below((uint64_t)model_n)];

		return rng_chance(70) ? key : key + rng_below(3) - 1;
	}
	return draw_key(dist);
}

static void run_seed(const char *program, uint64_t seed)
{
	enum dist dist = (enum dist)(seed % NDISTS);
	bool tight = seed % 5 == 4;
	bool growing = true;
	uint64_t step, target = 0;
	int i;

	seeded_begin(program, seed);
	seeded_boot(tight ? TIGHT_PAGES : ROOMY_PAGES);
	/* No radix tree exists yet: a leak would show as a node in use. */
	REQUIRE_EQ(vm_radix_nodes_in_use(), 0);
	vm_radix_init(&tree);
	model_n = 0;
	next_value = 0;
	for (i = 0; i < 4; i++)
		centres[i] = i == 0 ? 0 : i == 1 ? UINT64_MAX - 100 : rng_next() >> rng_below(64);
	for (step = 1; step <= STEPS; step++) {
		uint64_t r = rng_below(100);

		seeded_step(step);
		/* Phases: grow to a random size, then drain, often to empty. */
		if (growing && (uint64_t)model_n >= target) {
			growing = false;
			target = rng_chance(50) ? 0 : rng_below((uint64_t)model_n + 1);
		} else if (!growing && (uint64_t)model_n <= target) {
			growing = true;
			target = 1 + rng_below(rng_chance(30) ? MAX_KEYS : 64);
		}
		if (r < (growing ? 45u : 10u))
			do_insert(draw_key(dist), tight);
		else if (r < 60)
			do_remove(growing || model_n == 0 || rng_chance(20) ? probe_key(dist) :
				  model_keys[rng_below((uint64_t)model_n)]);
		else if (r < 75)
			check_lookup(probe_key(dist));
		else if (r < 88)
			check_lookup_ge(rng_chance(10) ? edge_key() : probe_key(dist));
		else
			check_some_range(rng_chance(10) ? edge_key() : probe_key(dist));
		if (step % FULL_CHECK == 0 || model_n == 0)
			check_whole_tree();
	}
	/* Drain completely: every node goes back. */
	while (model_n > 0) {
		do_remove(model_keys[rng_below((uint64_t)model_n)]);
		if (model_n % 16 == 0)
			check_whole_tree();
	}
	check_whole_tree();
	vm_page_validate();
}

/* ---- the fixed out-of-memory case --------------------------------------- */

static vm_page_t hoard[64];
static int nhoard;

/* Takes every free page, so that the node zone gets no more slabs. */
static void take_all_pages(void)
{
	vm_page_t m;

	nhoard = 0;
	while ((m = vm_page_alloc(NULL, 0, 0)) != NULL) {
		REQUIRE(nhoard < 64);
		hoard[nhoard++] = m;
	}
	REQUIRE_EQ(vm_cnt.v_free_count, 0);
}

static void give_back_one(void)
{
	vm_page_t m = hoard[--nhoard];

	vm_page_unwire(m);
	vm_page_free(m);
}

/*
 * Inserts key on a machine with no free page: it fails and changes nothing,
 * again after each page given back, until the pages suffice; then it holds.
 * Returns how many pages it took.
 */
static int insert_when_memory_allows(uint64_t key)
{
	int given = 0, at;
	void *value = new_value();

	take_all_pages();
	for (;;) {
		struct snapshot before = take_snapshot();

		if (vm_radix_insert(&tree, key, value) == 0)
			break;
		check_unchanged(&before, key);
		REQUIRE(nhoard > 0);	/* with every page back it must fit */
		give_back_one();
		given++;
	}
	REQUIRE(!model_has(key, &at));
	model_insert(at, key, value);
	check_whole_tree();
	while (nhoard > 0)
		give_back_one();
	return given;
}

static void oom_case(const char *program)
{
	static const uint64_t small[] = { 0, 1, 63 };
	uint64_t free_at_boot;
	int i;

	seeded_begin(program, 0);
	seeded_boot(TIGHT_PAGES);
	free_at_boot = vm_cnt.v_free_count;
	vm_radix_init(&tree);
	model_n = 0;
	for (i = 0; i < 3; i++) {
		void *value = new_value();

		REQUIRE_EQ(vm_radix_insert(&tree, small[i], value), 0);
		model_insert(i, small[i], value);
	}
	check_whole_tree();
	/*
	 * 2^64 - 1 needs ten new levels on top and ten nodes on its path:
	 * more than the one slab's spare nodes, so it fails until pages come
	 * back - and each failure must have given its spare nodes back.
	 */
	REQUIRE(insert_when_memory_allows(UINT64_MAX) > 0);
	REQUIRE_EQ(tree.height, 11);
	/* A missing path inside a tall tree: two nodes below an existing one. */
	insert_when_memory_allows(UINT64_MAX - 4096);
	do_remove(UINT64_MAX);
	do_remove(UINT64_MAX - 4096);
	REQUIRE_EQ(tree.height, 1);
	/* One new top level and one node beside the old root. */
	insert_when_memory_allows(64);
	REQUIRE_EQ(tree.height, 2);
	while (model_n > 0)
		do_remove(model_keys[0]);
	check_whole_tree();
	/* Every slab went back to the VM. */
	REQUIRE_EQ(vm_cnt.v_free_count, free_at_boot);
	vm_page_validate();
}

int main(int argc, char **argv)
{
	uint64_t seed, counts[NDISTS] = { 0 };
	int d;

	if (seeded_arg(argc, argv, &seed)) {
		run_seed(argv[0], seed);
		printf("radix: seed %llu passed (%s keys%s)\n", (unsigned long long)seed,
		       dist_names[seed % NDISTS], seed % 5 == 4 ? ", tight memory" : "");
		return 0;
	}
	for (seed = 1; seed <= NSEEDS; seed++) {
		run_seed(argv[0], seed);
		counts[seed % NDISTS]++;
	}
	oom_case(argv[0]);
	printf("radix: %d seeds passed (", NSEEDS);
	for (d = 0; d < NDISTS; d++)
		printf("%s%llu %s", d > 0 ? ", " : "", (unsigned long long)counts[d], dist_names[d]);
	printf("), and the out-of-memory case\n");
	printf("radix: %llu inserts (%llu failed for lack of memory), %llu removes, "
	       "emptied %llu times, height up to %d\n", (unsigned long long)stats.inserts,
	       (unsigned long long)stats.failed_inserts, (unsigned long long)stats.removes,
	       (unsigned long long)stats.emptied, stats.max_height);
	return 0;
}
