/*
 * The fault path on the host: zero fill, lookups, protections, copy-on-write
 * over a pager-backed object, prefault, and page accounting.
 */
#include "harness.h"

/* A pager whose page i holds the byte (i & 0xff) everywhere. */
static int pager_requests;

static bool pattern_haspage(vm_object_t object, vm_pindex_t pindex, int *before, int *after)
{
	*before = (int)(pindex < 64 ? pindex : 64);
	*after = (int)(object->size - pindex - 1 < 64 ? object->size - pindex - 1 : 64);
	return true;
}

static int pattern_getpages(vm_object_t object, vm_page_t *ma, int count)
{
	int i;

	(void)object;
	pager_requests++;
	for (i = 0; i < count; i++)
		memset(pmap_page_address(ma[i]), (int)(ma[i]->pindex & 0xff), PAGE_SIZE);
	return VM_PAGER_OK;
}

static const struct vm_pager_ops pattern_pager = {
	.name = "pattern", .haspage = pattern_haspage, .getpages = pattern_getpages,
};

static vm_map_t new_map(void)
{
	vm_map_t map = vm_map_create(USER_MIN, USER_MAX);

	VM_ASSERT(map != NULL);
	return map;
}

static void zero_fill_reads_zero_and_keeps_writes(void)
{
	uint64_t free_before = vm_cnt.v_free_count;
	vm_map_t map = new_map();
	struct vm_fault_info info;
	uint8_t b = 0x55;

	CHECK_EQ(vm_map_insert(map, NULL, 0, 0x100000, 0x110000, VM_PROT_READ | VM_PROT_WRITE,
			       VM_PROT_ALL, 0), KERN_SUCCESS);
	CHECK_EQ(user_access_info(map, 0x100010, false, &b, &info), KERN_SUCCESS);
	CHECK_EQ(b, 0);
	CHECK_EQ(info.outcome, FAULT_OUTCOME_ZERO);
	b = 0x77;
	CHECK_EQ(user_access(map, 0x100011, true, &b), KERN_SUCCESS);
	b = 0;
	CHECK_EQ(user_access(map, 0x100011, false, &b), KERN_SUCCESS);
	CHECK_EQ(b, 0x77);
	CHECK_EQ(vm_cnt.v_zfod, 1);
	CHECK(vm_cnt.v_free_count < free_before);
	vm_map_validate(map);
	vm_map_destroy(map);
	CHECK_EQ(vm_cnt.v_free_count, free_before);
	CHECK_EQ(vm_cnt.v_objects, 0);
	CHECK_EQ(sim_mapped_pages(), 0);
}

static void unmapped_and_forbidden_accesses_fail(void)
{
	vm_map_t map = new_map();
	uint8_t b = 1;

	CHECK_EQ(vm_map_insert(map, NULL, 0, 0x200000, 0x201000, VM_PROT_READ, VM_PROT_ALL, 0),
		 KERN_SUCCESS);
	CHECK_EQ(user_access(map, 0x1ff000, false, &b), KERN_INVALID_ADDRESS);
	CHECK_EQ(user_access(map, 0x201000, false, &b), KERN_INVALID_ADDRESS);
	CHECK_EQ(user_access(map, 0x200000, true, &b), KERN_PROTECTION_FAILURE);
	CHECK_EQ(user_access(map, 0x200000, false, &b), KERN_SUCCESS);
	CHECK_EQ(user_access(map, 0x200000, true, &b), KERN_PROTECTION_FAILURE);
	vm_map_destroy(map);
}

static void soft_fault_after_pmap_remove(void)
{
	vm_map_t map = new_map();
	struct vm_fault_info info;
	uint8_t b = 9;

	vm_map_insert(map, NULL, 0, 0x300000, 0x302000, VM_PROT_READ | VM_PROT_WRITE,
		      VM_PROT_ALL, 0);
	CHECK_EQ(user_access(map, 0x300000, true, &b), KERN_SUCCESS);
	pmap_remove(map->pmap, 0x300000, 0x302000);
	CHECK_EQ(user_access_info(map, 0x300000, false, &b, &info), KERN_SUCCESS);
	CHECK_EQ(info.outcome, FAULT_OUTCOME_SOFT);
	CHECK_EQ(b, 9);
	CHECK_EQ(vm_cnt.v_zfod, 1);
	vm_map_destroy(map);
}

static void private_mapping_of_pager_object_copies_on_write(void)
{
	vm_map_t map = new_map();
	vm_object_t object = vm_object_allocate_pager(&pattern_pager, NULL, 32);
	struct vm_fault_info info;
	uint8_t b = 0;

	pager_requests = 0;
	vm_object_reference(object);	/* ours, to look inside afterwards */
	CHECK_EQ(vm_map_insert(map, object, 0, 0x400000, 0x420000,
			       VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
			       MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY), KERN_SUCCESS);
	CHECK_EQ(user_access_info(map, 0x403000, false, &b, &info), KERN_SUCCESS);
	CHECK_EQ(b, 3);
	CHECK_EQ(info.outcome, FAULT_OUTCOME_PAGER);
	CHECK_EQ(pager_requests, 1);
	CHECK(info.paged_in > 1);		/* a cluster, not one page */
	CHECK(info.prefaulted > 0);		/* and its neighbours mapped */
	/* A neighbour is mapped read-only already; writing it copies. */
	b = 0xee;
	CHECK_EQ(user_access_info(map, 0x404000, true, &b, &info), KERN_SUCCESS);
	CHECK_EQ(info.outcome, FAULT_OUTCOME_COW_COPY);
	CHECK_EQ(info.depth, 1);
	CHECK_EQ(vm_cnt.v_cow_faults, 1);
	CHECK_EQ(*(uint8_t *)pmap_page_address(vm_object_page_lookup(object, 4)), 4);
	CHECK_EQ(user_access(map, 0x404000, false, &b), KERN_SUCCESS);
	CHECK_EQ(b, 0xee);
	CHECK_EQ(pager_requests, 1);
	vm_map_validate(map);
	vm_map_destroy(map);
	CHECK(object->resident_page_count > 0);	/* the page cache outlives the map */
	vm_object_deallocate(object);
	CHECK_EQ(vm_cnt.v_objects, 0);
}

static void cow_moves_page_from_private_backing_object(void)
{
	vm_map_t map = new_map();
	vm_object_t backing = vm_object_allocate(4), shadow = backing;
	vm_pindex_t offset = 0;
	vm_page_t m = vm_page_alloc(backing, 2, 0);
	struct vm_fault_info info;
	uint8_t b = 0x42;

	memset(pmap_page_address(m), 0x31, PAGE_SIZE);
	m->valid = true;
	vm_page_activate(m);
	/*
	 * A shadow is made over a shared object; then the other user goes -
	 * without the collapse vm_object_deallocate would make at once (as
	 * when that collapse ran out of memory): the state the move is for.
	 */
	vm_object_reference(backing);
	CHECK_EQ(vm_object_shadow(&shadow, &offset, 4), KERN_SUCCESS);
	CHECK(shadow != backing);
	backing->ref_count--;
	CHECK_EQ(backing->ref_count, 1);
	CHECK_EQ(backing->shadow_count, 1);
	CHECK_EQ(vm_map_insert(map, shadow, 0, 0x500000, 0x504000, VM_PROT_READ | VM_PROT_WRITE,
			       VM_PROT_ALL, MAP_ENTRY_COW), KERN_SUCCESS);
	CHECK_EQ(user_access_info(map, 0x502000, true, &b, &info), KERN_SUCCESS);
	CHECK_EQ(info.outcome, FAULT_OUTCOME_COW_MOVE);
	CHECK_EQ(vm_cnt.v_cow_optim, 1);
	CHECK(vm_object_page_lookup(shadow, 2) == m);
	CHECK_EQ(((uint8_t *)pmap_page_address(m))[1], 0x31);
	/* backing lost its only page: it was collapsed away. */
	CHECK(shadow->backing_object == NULL);
	CHECK_EQ(vm_cnt.v_collapses, 1);
	vm_map_destroy(map);
	CHECK_EQ(vm_cnt.v_objects, 0);
}

static void pages_past_the_object_end_are_out_of_bounds(void)
{
	vm_map_t map = new_map();
	vm_object_t object = vm_object_allocate_pager(&pattern_pager, NULL, 2);
	uint8_t b;

	CHECK_EQ(vm_map_insert(map, object, 0, 0x600000, 0x604000, VM_PROT_READ, VM_PROT_ALL, 0),
		 KERN_SUCCESS);
	CHECK_EQ(user_access(map, 0x601000, false, &b), KERN_SUCCESS);
	CHECK_EQ(user_access(map, 0x602000, false, &b), KERN_OUT_OF_BOUNDS);
	/* A map may say so (mmap of a file past its end): it is still a valid map. */
	vm_map_validate(map);
	vm_map_destroy(map);
}

static void lookup_cost_does_not_grow_with_entries(void)
{
	vm_map_t map = new_map();
	vm_offset_t va;
	int i;

	for (i = 0; i < 10000; i++) {
		va = USER_MIN + (vm_offset_t)i * 2 * PAGE_SIZE;
		CHECK_EQ(vm_map_insert(map, NULL, 0, va, va + PAGE_SIZE, VM_PROT_READ,
				       VM_PROT_ALL, 0), KERN_SUCCESS);
	}
	CHECK_EQ(map->nentries, 10000);
	CHECK(map->root->height <= 20);		/* balanced: ~1.44 log2(10000) */
	for (i = 0; i < 10000; i += 37) {
		va = USER_MIN + (vm_offset_t)i * 2 * PAGE_SIZE;
		CHECK(vm_map_lookup_entry(map, va + 5) != NULL);
		CHECK(vm_map_lookup_entry(map, va + PAGE_SIZE) == NULL);
	}
	vm_map_validate(map);
	CHECK_EQ(vm_map_delete(map, USER_MIN + 3 * PAGE_SIZE, USER_MIN + 5001 * 2 * PAGE_SIZE),
		 KERN_SUCCESS);
	CHECK_EQ(map->nentries, 10000 - 4999);	/* entries 2..5000 */
	vm_map_validate(map);
	vm_map_destroy(map);
}

static void munmap_of_a_middle_clips_and_frees(void)
{
	uint64_t free_before = vm_cnt.v_free_count;
	vm_map_t map = new_map();
	vm_offset_t va;
	uint8_t b = 1;

	vm_map_insert(map, NULL, 0, 0x700000, 0x710000, VM_PROT_READ | VM_PROT_WRITE,
		      VM_PROT_ALL, 0);
	for (va = 0x700000; va < 0x710000; va += PAGE_SIZE)
		CHECK_EQ(user_access(map, va, true, &b), KERN_SUCCESS);
	CHECK_EQ(vm_map_delete(map, 0x704000, 0x708000), KERN_SUCCESS);
	CHECK_EQ(map->nentries, 2);
	CHECK_EQ(user_access(map, 0x705000, false, &b), KERN_INVALID_ADDRESS);
	CHECK_EQ(user_access(map, 0x703000, false, &b), KERN_SUCCESS);
	CHECK_EQ(b, 1);
	CHECK_EQ(user_access(map, 0x708000, false, &b), KERN_SUCCESS);
	CHECK_EQ(b, 1);
	/* The hole's four pages are free again; the object lives on. */
	CHECK_EQ(map->first->object->resident_page_count, 12);
	vm_map_validate(map);
	vm_map_destroy(map);
	CHECK_EQ(vm_cnt.v_free_count, free_before);
}

static void mprotect_lowers_mappings_at_once(void)
{
	vm_map_t map = new_map();
	uint8_t b = 3;

	vm_map_insert(map, NULL, 0, 0x800000, 0x804000, VM_PROT_READ | VM_PROT_WRITE,
		      VM_PROT_READ | VM_PROT_WRITE, 0);
	CHECK_EQ(user_access(map, 0x801000, true, &b), KERN_SUCCESS);
	CHECK_EQ(vm_map_protect(map, 0x801000, 0x802000, VM_PROT_READ), KERN_SUCCESS);
	CHECK(sim_translate(map->pmap->hw_id, 0x801000, VM_PROT_WRITE) == NULL);
	CHECK_EQ(user_access(map, 0x801000, true, &b), KERN_PROTECTION_FAILURE);
	CHECK_EQ(user_access(map, 0x801000, false, &b), KERN_SUCCESS);
	CHECK_EQ(vm_map_protect(map, 0x800000, 0x804000, VM_PROT_ALL), KERN_PROTECTION_FAILURE);
	CHECK_EQ(vm_map_protect(map, 0x800000, 0x900000, VM_PROT_READ), KERN_INVALID_ADDRESS);
	CHECK_EQ(map->nentries, 3);
	vm_map_validate(map);
	vm_map_destroy(map);
}

static void out_of_pages_is_a_resource_shortage(void)
{
	vm_map_t map = new_map();
	vm_offset_t va;
	uint8_t b = 1;
	int rv = KERN_SUCCESS;

	vm_map_insert(map, NULL, 0, 0x1000000, 0x3000000, VM_PROT_READ | VM_PROT_WRITE,
		      VM_PROT_ALL, 0);
	for (va = 0x1000000; va < 0x3000000 && rv == KERN_SUCCESS; va += PAGE_SIZE)
		rv = user_access(map, va, true, &b);
	CHECK_EQ(rv, KERN_RESOURCE_SHORTAGE);
	vm_map_destroy(map);
	CHECK_EQ(vm_cnt.v_objects, 0);
}

static const struct test_case cases[] = {
	{ "zero fill reads zero and keeps writes", zero_fill_reads_zero_and_keeps_writes },
	{ "unmapped and forbidden accesses fail", unmapped_and_forbidden_accesses_fail },
	{ "soft fault after pmap_remove", soft_fault_after_pmap_remove },
	{ "private mapping of a pager object copies on write",
	  private_mapping_of_pager_object_copies_on_write },
	{ "cow moves the page from a private backing object",
	  cow_moves_page_from_private_backing_object },
	{ "pages past the object's end are out of bounds",
	  pages_past_the_object_end_are_out_of_bounds },
	{ "lookup cost does not grow with entries", lookup_cost_does_not_grow_with_entries },
	{ "munmap of a middle clips and frees", munmap_of_a_middle_clips_and_frees },
	{ "mprotect lowers mappings at once", mprotect_lowers_mappings_at_once },
	{ "out of pages is a resource shortage", out_of_pages_is_a_resource_shortage },
};

int main(void)
{
	return run_cases("fault", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
