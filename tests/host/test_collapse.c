/*
 * vm_object_collapse, page by page: which pages a collapse frees, which it
 * moves up, and when a shadow bypasses a shared backing object.
 *
 * A collapse absorbs a backing object that only its shadow refers to: the
 * backing pages the shadow hides behind its own, and those outside the
 * shadow's window, are freed; the others move up into the shadow (the same
 * vm_page, renamed - no copy); the shadow then looks at the absorbed
 * object's backing object, at the combined offset. A bypass skips a backing
 * object others still use but whose every resident page (in the window) the
 * shadow hides: the shadow takes a reference on the next object down and
 * drops the one it had; the skipped object and its pages are untouched.
 *
 * Both happen where FreeBSD has them happen: when an object's last user but
 * its one shadow goes (vm_object_deallocate), and before a chain is shared
 * again (vm_map_fork, as vm_map_copy_entry). The unit cases call
 * vm_object_collapse themselves as well (a no-op if it already ran).
 */
#include "harness.h"
#include "vm_radix.h"

#define BASE 0x400000UL
#define RW (VM_PROT_READ | VM_PROT_WRITE)

/* A valid resident page of object at pindex, every byte `value`. */
static vm_page_t make_page(vm_object_t object, vm_pindex_t pindex, uint8_t value)
{
	vm_page_t m = vm_page_alloc(object, pindex, 0);

	VM_ASSERT(m != NULL);
	memset(pmap_page_address(m), value, PAGE_SIZE);
	m->valid = true;
	vm_page_activate(m);
	return m;
}

/* What a fault on page pindex of object would find: its first byte (0: zero fill). */
static int chain_byte(vm_object_t object, vm_pindex_t pindex)
{
	vm_page_t m;

	for (; object != NULL; pindex += object->backing_offset, object = object->backing_object)
		if ((m = vm_object_page_lookup(object, pindex)) != NULL)
			return *(uint8_t *)pmap_page_address(m);
	return 0;
}

static bool page_is_free(vm_page_t m)
{
	return m->queue == PQ_FREE && m->object == NULL;
}

/* Pages resident in objects (none are wired here). */
static uint64_t user_pages(void)
{
	return vm_cnt.v_page_count - vm_cnt.v_free_count - vm_cnt.v_wire_count;
}

static void write_byte(vm_map_t map, vm_offset_t va, uint8_t value)
{
	CHECK_EQ(user_access(map, va, true, &value), KERN_SUCCESS);
}

static int read_byte(vm_map_t map, vm_offset_t va)
{
	uint8_t b = 0;

	CHECK_EQ(user_access(map, va, false, &b), KERN_SUCCESS);
	return b;
}

static void check_baseline(uint64_t free_at_start)
{
	CHECK_EQ(vm_cnt.v_objects, 0);
	CHECK_EQ(vm_cnt.v_free_count, free_at_start);
	CHECK_EQ(sim_mapped_pages(), 0);
	CHECK_EQ(vm_radix_nodes_in_use(), 0);
}

/*
 * A parent writes 8 pages and forks; the child keeps the middle four
 * (unmaps 2 on each side) and writes one of them; the parent exits. The
 * child's shadow absorbs the parent's object: of its 8 pages, the 4 outside
 * the child's window and the 1 behind the child's own copy are freed -
 * exactly those 5 - and the other 3 move up, the same pages, at the
 * child's indices.
 */
static void collapse_frees_hidden_and_outside_pages(void)
{
	uint64_t free_at_start = vm_cnt.v_free_count, collapses, in_use;
	vm_map_t parent = vm_map_create(USER_MIN, USER_MAX), child;
	vm_object_t object, shadow;
	vm_page_t page[8], own;
	vm_map_entry_t e;
	int i;

	CHECK_EQ(vm_map_insert(parent, NULL, 0, BASE, BASE + ptoa(8), RW, VM_PROT_ALL, 0),
		 KERN_SUCCESS);
	for (i = 0; i < 8; i++)
		write_byte(parent, BASE + ptoa(i), (uint8_t)(0x10 + i));
	object = vm_map_lookup_entry(parent, BASE)->object;
	for (i = 0; i < 8; i++) {
		page[i] = vm_object_page_lookup(object, (vm_pindex_t)i);
		CHECK(page[i] != NULL);
	}
	child = vm_map_fork(parent);
	CHECK(child != NULL);
	CHECK_EQ(vm_map_delete(child, BASE, BASE + ptoa(2)), KERN_SUCCESS);
	CHECK_EQ(vm_map_delete(child, BASE + ptoa(6), BASE + ptoa(8)), KERN_SUCCESS);
	write_byte(child, BASE + ptoa(3), 0x33);
	e = vm_map_lookup_entry(child, BASE + ptoa(3));
	shadow = e->object;
	CHECK(shadow != object && shadow->backing_object == object);
	CHECK_EQ(shadow->backing_offset, 2);
	own = vm_object_page_lookup(shadow, e->offset + 1);
	CHECK(own != NULL);
	CHECK_EQ(user_pages(), 9);		/* the parent's 8, the child's copy */

	collapses = vm_cnt.v_collapses;
	pmap_remove_pages(parent->pmap);
	vm_map_destroy(parent);
	vm_object_collapse(shadow);		/* collapsed at the latest here */

	CHECK(shadow->backing_object == NULL);
	CHECK_EQ(vm_cnt.v_collapses, collapses + 1);
	CHECK_EQ(vm_cnt.v_objects, 1);
	/* Freed: outside the window (0, 1, 6, 7) and hidden (3); nothing else. */
	CHECK(page_is_free(page[0]) && page_is_free(page[1]));
	CHECK(page_is_free(page[6]) && page_is_free(page[7]));
	CHECK(page_is_free(page[3]));
	in_use = user_pages();
	CHECK_EQ(in_use, 4);
	/* Moved up, not copied: the same pages, renamed into the child's object. */
	CHECK(page[2]->object == shadow && page[2]->pindex == 0);
	CHECK(page[4]->object == shadow && page[4]->pindex == 2);
	CHECK(page[5]->object == shadow && page[5]->pindex == 3);
	CHECK(vm_object_page_lookup(shadow, 1) == own);
	CHECK_EQ(shadow->resident_page_count, 4);
	vm_object_validate(shadow);
	vm_page_validate();
	/* The child reads what it must; and writes need no copy now. */
	CHECK_EQ(read_byte(child, BASE + ptoa(2)), 0x12);
	CHECK_EQ(read_byte(child, BASE + ptoa(3)), 0x33);
	CHECK_EQ(read_byte(child, BASE + ptoa(4)), 0x14);
	CHECK_EQ(read_byte(child, BASE + ptoa(5)), 0x15);
	write_byte(child, BASE + ptoa(5), 0x55);
	CHECK_EQ(user_pages(), in_use);
	CHECK(vm_object_page_lookup(shadow, 3) == page[5]);
	vm_map_destroy(child);
	check_baseline(free_at_start);
}

/*
 * Three levels, by hand: S -> B -> G (offsets 1 and 1). B's second user
 * goes: B's page outside S's window and the one S hides are freed, its page
 * S shows moves up; S then looks at G at offset 2 and holds B's reference
 * on it.
 */
static void collapse_combines_offsets(void)
{
	uint64_t free_at_start = vm_cnt.v_free_count, collapses;
	vm_object_t g = vm_object_allocate(8), b = g, s;
	vm_pindex_t offset = 1;
	vm_page_t b0, b2, b3, s1;
	int i;

	for (i = 0; i < 8; i++)
		make_page(g, (vm_pindex_t)i, (uint8_t)(0x20 + i));
	vm_object_reference(g);			/* the test's reference; b takes the other */
	CHECK_EQ(vm_object_shadow(&b, &offset, 6), KERN_SUCCESS);
	CHECK(b != g);
	b0 = make_page(b, 0, 0x40);		/* outside s's window */
	b2 = make_page(b, 2, 0x42);		/* hidden by s's page 1 */
	b3 = make_page(b, 3, 0x43);		/* shown by s (its page 2) */
	vm_object_reference(b);			/* a second user of b */
	s = b;
	offset = 1;
	CHECK_EQ(vm_object_shadow(&s, &offset, 4), KERN_SUCCESS);
	CHECK(s != b && s->backing_object == b);
	s1 = make_page(s, 1, 0x51);
	/* Before: s shows g[2], s1, b3, g[5]. */
	CHECK_EQ(chain_byte(s, 0), 0x22);
	CHECK_EQ(chain_byte(s, 1), 0x51);
	CHECK_EQ(chain_byte(s, 2), 0x43);
	CHECK_EQ(chain_byte(s, 3), 0x25);

	collapses = vm_cnt.v_collapses;
	vm_object_deallocate(b);		/* b's second user goes */
	vm_object_collapse(s);

	CHECK_EQ(vm_cnt.v_collapses, collapses + 1);
	CHECK(s->backing_object == g);
	CHECK_EQ(s->backing_offset, 2);
	CHECK_EQ(g->ref_count, 2);		/* the test's and s's (b's, passed on) */
	CHECK_EQ(g->shadow_count, 1);
	CHECK(page_is_free(b0) && page_is_free(b2));
	CHECK(b3->object == s && b3->pindex == 2);
	CHECK(vm_object_page_lookup(s, 1) == s1);
	CHECK_EQ(s->resident_page_count, 2);
	CHECK_EQ(vm_cnt.v_objects, 2);
	/* After: the same bytes. */
	CHECK_EQ(chain_byte(s, 0), 0x22);
	CHECK_EQ(chain_byte(s, 1), 0x51);
	CHECK_EQ(chain_byte(s, 2), 0x43);
	CHECK_EQ(chain_byte(s, 3), 0x25);
	vm_object_validate(s);
	vm_object_validate(g);
	vm_page_validate();
	vm_object_deallocate(s);
	vm_object_deallocate(g);
	check_baseline(free_at_start);
}

/*
 * S -> B -> G, B shared (a second user). While S hides only some of B's
 * pages nothing happens; once S hides all of them, S bypasses B: it looks
 * at G (offset combined), holds a reference on it, and drops its reference
 * on B - whose pages stay, for its other user.
 */
static void bypass_skips_a_hidden_shared_object(void)
{
	uint64_t free_at_start = vm_cnt.v_free_count, collapses, bypasses;
	vm_object_t g = vm_object_allocate(8), b = g, s;
	vm_pindex_t offset = 0;
	vm_page_t b2, b3;
	int i;

	for (i = 0; i < 8; i++)
		make_page(g, (vm_pindex_t)i, (uint8_t)(0x20 + i));
	vm_object_reference(g);
	CHECK_EQ(vm_object_shadow(&b, &offset, 8), KERN_SUCCESS);
	b2 = make_page(b, 2, 0x42);
	b3 = make_page(b, 3, 0x43);
	vm_object_reference(b);			/* b's other user keeps it */
	s = b;
	offset = 2;
	CHECK_EQ(vm_object_shadow(&s, &offset, 4), KERN_SUCCESS);
	make_page(s, 0, 0x50);			/* hides b2 */
	make_page(s, 2, 0x52);			/* hides g[4] only: b has no page 4 */

	collapses = vm_cnt.v_collapses;
	bypasses = vm_cnt.v_bypasses;
	vm_object_collapse(s);			/* b3 still shows: nothing to do */
	CHECK_EQ(vm_cnt.v_bypasses, bypasses);
	CHECK(s->backing_object == b);

	make_page(s, 1, 0x51);			/* now every page of b in the window is hidden */
	vm_object_collapse(s);
	CHECK_EQ(vm_cnt.v_bypasses, bypasses + 1);
	CHECK_EQ(vm_cnt.v_collapses, collapses);
	CHECK(s->backing_object == g);
	CHECK_EQ(s->backing_offset, 2);
	CHECK_EQ(b->ref_count, 1);		/* its other user's */
	CHECK_EQ(b->shadow_count, 0);
	CHECK_EQ(g->ref_count, 3);		/* the test's, b's, s's */
	CHECK_EQ(g->shadow_count, 2);
	CHECK(b2->object == b && b3->object == b);	/* untouched */
	CHECK_EQ(b->resident_page_count, 2);
	CHECK_EQ(chain_byte(s, 0), 0x50);
	CHECK_EQ(chain_byte(s, 1), 0x51);
	CHECK_EQ(chain_byte(s, 2), 0x52);
	CHECK_EQ(chain_byte(s, 3), 0x25);	/* g[5], as before */
	CHECK_EQ(chain_byte(b, 3), 0x43);	/* b's user sees what it saw */
	CHECK_EQ(chain_byte(b, 5), 0x25);
	vm_object_validate(s);
	vm_object_validate(b);
	vm_object_validate(g);
	vm_object_deallocate(s);
	vm_object_deallocate(b);
	vm_object_deallocate(g);
	check_baseline(free_at_start);
}

/*
 * The bypass as it comes about: a process writes its pages, forks a child
 * (which stays, and keeps the object), rewrites every page (its shadow
 * hides them all) and forks again. Before its chain is shared the second
 * time, its shadow bypasses the first object (vm_map_fork shortens first,
 * as FreeBSD's vm_map_copy_entry): the parent's and the second child's
 * chains are one object deep; the first child still sees the old bytes.
 */
static void bypass_before_a_fork(void)
{
	uint64_t free_at_start = vm_cnt.v_free_count, bypasses;
	vm_map_t parent = vm_map_create(USER_MIN, USER_MAX), first, second;
	vm_object_t object, shadow;
	int i;

	CHECK_EQ(vm_map_insert(parent, NULL, 0, BASE, BASE + ptoa(4), RW, VM_PROT_ALL, 0),
		 KERN_SUCCESS);
	for (i = 0; i < 4; i++)
		write_byte(parent, BASE + ptoa(i), (uint8_t)(0x10 + i));
	object = vm_map_lookup_entry(parent, BASE)->object;
	first = vm_map_fork(parent);
	CHECK(first != NULL);
	for (i = 0; i < 4; i++)
		write_byte(parent, BASE + ptoa(i), (uint8_t)(0x60 + i));
	shadow = vm_map_lookup_entry(parent, BASE)->object;
	CHECK(shadow != object && shadow->backing_object == object);

	bypasses = vm_cnt.v_bypasses;
	second = vm_map_fork(parent);
	CHECK(second != NULL);
	CHECK_EQ(vm_cnt.v_bypasses, bypasses + 1);
	CHECK(vm_map_lookup_entry(parent, BASE)->object == shadow);
	CHECK(shadow->backing_object == NULL);
	CHECK_EQ(vm_object_chain_depth(vm_map_lookup_entry(second, BASE)->object), 1);
	CHECK_EQ(object->ref_count, 1);		/* the first child's */
	CHECK_EQ(object->resident_page_count, 4);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(read_byte(first, BASE + ptoa(i)), 0x10 + i);
		CHECK_EQ(read_byte(parent, BASE + ptoa(i)), 0x60 + i);
		CHECK_EQ(read_byte(second, BASE + ptoa(i)), 0x60 + i);
	}
	vm_map_destroy(first);
	vm_map_destroy(second);
	vm_map_destroy(parent);
	check_baseline(free_at_start);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "collapse frees hidden and outside pages, moves the rest",
		  collapse_frees_hidden_and_outside_pages },
		{ "collapse combines offsets", collapse_combines_offsets },
		{ "bypass skips a hidden shared object", bypass_skips_a_hidden_shared_object },
		{ "bypass before a fork", bypass_before_a_fork },
	};

	return run_cases("collapse", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
