#include "vm_radix.h"
#include "vm_zone.h"

#define RADIX_BITS  6
_Static_assert(VM_RADIX_LEAF_KEYS == 1 << RADIX_BITS, "leaf size");
#define RADIX_SLOTS (1 << RADIX_BITS)
#define RADIX_MASK  (RADIX_SLOTS - 1)
#define MAX_HEIGHT  ((64 + RADIX_BITS - 1) / RADIX_BITS)

struct radix_node {
	void *slot[RADIX_SLOTS];	/* children, or values at the bottom level */
	uint32_t count;			/* non-NULL slots */
};

static struct vm_zone node_zone;

void vm_radix_startup(void)
{
	/* An unused node is all NULL, count 0: nodes are freed that way, empty. */
	vm_zone_init_zeroed(&node_zone, "radix node", sizeof(struct radix_node));
}

uint64_t vm_radix_nodes_in_use(void)
{
	return node_zone.nused;
}

/* Slot of key in a node `level` levels above the values (bottom level is 1). */
static unsigned slot_of(uint64_t key, int level)
{
	return (unsigned)(key >> ((level - 1) * RADIX_BITS)) & RADIX_MASK;
}

static void set_height(struct vm_radix *rt, int height)
{
	rt->height = height;
	rt->top_shift = height > 0 ? (height - 1) * RADIX_BITS : 0;
}

static bool key_fits(const struct vm_radix *rt, uint64_t key)
{
	int bits = rt->height * RADIX_BITS;

	return bits >= 64 || (key >> bits) == 0;
}

/* Levels a tree needs for key. */
static int height_for(uint64_t key)
{
	int height = 1;

	while (height * RADIX_BITS < 64 && (key >> (height * RADIX_BITS)) != 0)
		height++;
	return height;
}

/*
 * Nodes an insert of key must allocate, once the tree is `height` tall: new
 * levels on top, plus every level below the first missing node on key's path.
 */
static int nodes_needed(const struct vm_radix *rt, uint64_t key, int height)
{
	const struct radix_node *node = rt->root;
	int level, new_tops = height - rt->height;

	if (node == NULL)
		return height;
	/* A new top level holds the old tree in slot 0 and nothing else. */
	for (level = height; level > rt->height; level--)
		if (slot_of(key, level) != 0)
			return new_tops + level - 1;
	for (level = rt->height; level > 1; level--) {
		node = node->slot[slot_of(key, level)];
		if (node == NULL)
			return new_tops + level - 1;
	}
	return new_tops;
}

/*
 * The slow path of an insert: levels or nodes are missing. They are all
 * allocated before the tree is touched, so a failed insert leaves it exactly
 * as it was. At most: new top levels (up to MAX_HEIGHT - 1 over a tree of
 * one level) plus a whole path below the top (MAX_HEIGHT - 1 more).
 */
static __attribute__((noinline)) int insert_growing(struct vm_radix *rt, uint64_t key,
						    void *value)
{
	struct radix_node *spare[2 * MAX_HEIGHT], *node;
	int height = rt->height > height_for(key) ? rt->height : height_for(key);
	int level, i, nspare = nodes_needed(rt, key, height);

	VM_ASSERT(value != NULL && nspare <= 2 * MAX_HEIGHT);
	for (i = 0; i < nspare; i++) {
		if ((spare[i] = vm_zone_alloc(&node_zone)) == NULL) {
			while (i-- > 0)
				vm_zone_free(&node_zone, spare[i]);
			return -1;
		}
	}
	if (rt->root == NULL) {
		rt->root = spare[--nspare];
		set_height(rt, height);
	}
	while (rt->height < height) {
		node = spare[--nspare];
		node->slot[0] = rt->root;
		node->count = 1;
		rt->root = node;
		set_height(rt, rt->height + 1);
	}
	node = rt->root;
	for (level = rt->height; level > 1; level--) {
		void **slot = &node->slot[slot_of(key, level)];

		if (*slot == NULL) {
			*slot = spare[--nspare];
			node->count++;
		}
		node = *slot;
	}
	VM_ASSERT(nspare == 0 && node->slot[slot_of(key, 1)] == NULL);
	node->slot[slot_of(key, 1)] = value;
	node->count++;
	return 0;
}

/* The bottom-level node that holds key's slot, if the whole path exists. */
static inline __attribute__((always_inline)) struct radix_node *find_leaf(struct vm_radix *rt,
									   uint64_t key)
{
	struct radix_node *node = rt->root;
	int shift = rt->top_shift;

	if ((key >> RADIX_BITS) == rt->hint_prefix && rt->hint_leaf != NULL)
		return rt->hint_leaf;
	if (node == NULL || (key >> shift) > RADIX_MASK)
		return NULL;
	for (; shift > 0; shift -= RADIX_BITS) {
		node = node->slot[(key >> shift) & RADIX_MASK];
		if (node == NULL)
			return NULL;
	}
	rt->hint_leaf = node;
	rt->hint_prefix = key >> RADIX_BITS;
	return node;
}

/* The common case first: every node on key's path exists already. */
int vm_radix_insert(struct vm_radix *rt, uint64_t key, void *value)
{
	struct radix_node *leaf = find_leaf(rt, key);

	if (leaf == NULL)
		return insert_growing(rt, key, value);
	VM_ASSERT(value != NULL && leaf->slot[key & RADIX_MASK] == NULL);
	leaf->slot[key & RADIX_MASK] = value;
	leaf->count++;
	return 0;
}

void **vm_radix_leaf_slots(struct vm_radix *rt, uint64_t key)
{
	struct radix_node *leaf = find_leaf(rt, key);

	return leaf != NULL ? leaf->slot : NULL;
}

/* The hottest function of the VM server: one shift, mask and load a level. */
void *vm_radix_lookup(struct vm_radix *rt, uint64_t key)
{
	struct radix_node *leaf = find_leaf(rt, key);

	return leaf != NULL ? leaf->slot[key & RADIX_MASK] : NULL;
}

/*
 * The first value with a key in [key, last] under node, which covers keys
 * from base. The bottom node it is found in becomes the tree's hint.
 */
static void *find_ge(struct vm_radix *rt, struct radix_node *node, int level, uint64_t base,
		     uint64_t key, uint64_t last, uint64_t *found)
{
	int shift = (level - 1) * RADIX_BITS;
	unsigned i = key > base ? slot_of(key, level) : 0;

	for (; i < RADIX_SLOTS; i++) {
		uint64_t child_base = base + (shift >= 64 ? 0 : (uint64_t)i << shift);
		void *v;

		if (node->slot[i] == NULL)
			continue;
		if (child_base > last)	/* (only a used slot's base is a real key) */
			return NULL;
		if (level == 1) {
			*found = child_base;
			rt->hint_leaf = node;
			rt->hint_prefix = base >> RADIX_BITS;
			return node->slot[i];
		}
		v = find_ge(rt, node->slot[i], level - 1, child_base,
			    key > child_base ? key : child_base, last, found);
		if (v != NULL)
			return v;
	}
	return NULL;
}

/*
 * A walk over a range calls this once per key it finds. First key's own
 * bottom node, if it has one (usually the hint: the next key is a few slots
 * along), and only past its end the walk from the root.
 */
void *vm_radix_lookup_range(struct vm_radix *rt, uint64_t first, uint64_t last,
			    uint64_t *found)
{
	struct radix_node *leaf;
	uint64_t key = first;
	unsigned i;

	if (first > last)
		return NULL;
	if ((leaf = find_leaf(rt, key)) != NULL) {
		for (i = key & RADIX_MASK; i < RADIX_SLOTS; i++) {
			if (leaf->slot[i] != NULL) {
				key = (key & ~(uint64_t)RADIX_MASK) | i;
				if (key > last)
					return NULL;
				*found = key;
				return leaf->slot[i];
			}
		}
		if ((key >> RADIX_BITS) + 1 > (UINT64_MAX >> RADIX_BITS))
			return NULL;
		key = ((key >> RADIX_BITS) + 1) << RADIX_BITS;	/* on from the next node */
		if (key > last)
			return NULL;
	}
	if (rt->root == NULL || !key_fits(rt, key))
		return NULL;
	return find_ge(rt, rt->root, rt->height, 0, key, last, found);
}

/* Drops top levels that hold only their slot 0. */
static void shrink(struct vm_radix *rt)
{
	struct radix_node *top;

	while ((top = rt->root) != NULL && rt->height > 1 && top->count == 1 &&
	       top->slot[0] != NULL) {
		rt->root = top->slot[0];
		set_height(rt, rt->height - 1);
		top->slot[0] = NULL;	/* empty, as the zone keeps its free nodes */
		top->count = 0;
		vm_zone_free(&node_zone, top);
	}
}

void *vm_radix_remove(struct vm_radix *rt, uint64_t key)
{
	struct radix_node *path[MAX_HEIGHT + 1], *node = rt->root;
	void *value;
	int level;

	if (node == NULL || !key_fits(rt, key))
		return NULL;
	for (level = rt->height; level > 1; level--) {
		path[level] = node;
		node = node->slot[slot_of(key, level)];
		if (node == NULL)
			return NULL;
	}
	path[1] = node;
	value = node->slot[slot_of(key, 1)];
	if (value == NULL)
		return NULL;
	/* Clear the slot, then free each node the clearing empties, bottom-up. */
	for (level = 1; level <= rt->height; level++) {
		node = path[level];
		node->slot[slot_of(key, level)] = NULL;
		if (--node->count > 0)
			break;
		if (node == rt->hint_leaf)
			rt->hint_leaf = NULL;
		vm_zone_free(&node_zone, node);
		if (level == rt->height) {
			rt->root = NULL;
			set_height(rt, 0);
		}
	}
	shrink(rt);
	return value;
}
