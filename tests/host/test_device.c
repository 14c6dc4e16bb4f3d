/*
 * What drivers get from the VM core: device entries (vm_map_insert_device,
 * over the simulated device page SIM_DEVICE_PA) and physically contiguous
 * pages (vm_page_alloc_contig).
 */
#include "harness.h"

#define VA 0x200000UL
#define RW (VM_PROT_READ | VM_PROT_WRITE)

static vm_map_t new_map(void)
{
	vm_map_t map = vm_map_create(USER_MIN, USER_MAX);

	VM_ASSERT(map != NULL);
	return map;
}

static bool hw_mapped(vm_map_t map, vm_offset_t va, vm_prot_t access)
{
	return sim_translate(map->pmap->hw_id, va, access) != NULL;
}

static void device_entry_is_mapped_at_once_and_never_faults(void)
{
	vm_map_t map = new_map();
	uint64_t free_before, objects_before = vm_cnt.v_objects;
	vm_map_entry_t e;

	CHECK_EQ(vm_map_insert_device(map, VA, SIM_DEVICE_PA), KERN_SUCCESS);
	free_before = vm_cnt.v_free_count;	/* the entry's own memory is taken */
	CHECK(hw_mapped(map, VA + 8, RW));
	CHECK(!hw_mapped(map, VA, VM_PROT_EXECUTE));
	/* A fault there - as if the mapping had gone - is refused, not zero-filled. */
	CHECK_EQ(vm_fault(map, VA, VM_PROT_READ, VM_FAULT_NORMAL, NULL), KERN_PROTECTION_FAILURE);
	CHECK_EQ(vm_fault(map, VA, VM_PROT_WRITE, VM_FAULT_NORMAL, NULL),
		 KERN_PROTECTION_FAILURE);
	CHECK_EQ(vm_fault(map, VA, VM_PROT_EXECUTE, VM_FAULT_NORMAL, NULL),
		 KERN_PROTECTION_FAILURE);
	CHECK(vm_map_wire(map, VA, VA + PAGE_SIZE, NULL) != KERN_SUCCESS);
	e = vm_map_lookup_entry(map, VA);
	CHECK(e != NULL && e->object == NULL && e->wired_count == 0);
	CHECK_EQ(vm_cnt.v_free_count, free_before);
	CHECK_EQ(vm_cnt.v_objects, objects_before);
	/* The range is taken: nothing else goes over it. */
	CHECK_EQ(vm_map_insert(map, NULL, 0, VA, VA + PAGE_SIZE, RW, RW, 0), KERN_NO_SPACE);
	CHECK_EQ(vm_map_insert_device(map, VA, SIM_DEVICE_PA), KERN_NO_SPACE);
	vm_map_validate(map);
	vm_map_destroy(map);
	CHECK_EQ(sim_mapped_pages(), 0);
}

static void fork_leaves_a_device_entry_out(void)
{
	vm_map_t map = new_map(), child;

	CHECK_EQ(vm_map_insert_device(map, VA, SIM_DEVICE_PA), KERN_SUCCESS);
	CHECK_EQ(vm_map_inherit(map, VA, VA + PAGE_SIZE, VM_INHERIT_SHARE), KERN_SUCCESS);
	child = vm_map_fork(map);
	CHECK(child != NULL);
	CHECK(vm_map_lookup_entry(child, VA) == NULL);
	CHECK(!hw_mapped(child, VA, VM_PROT_READ));
	CHECK(hw_mapped(map, VA, RW));
	vm_map_validate(child);
	vm_map_destroy(child);
	vm_map_destroy(map);
	CHECK_EQ(sim_mapped_pages(), 0);
}

static void device_entry_keeps_its_protection(void)
{
	vm_map_t map = new_map();

	CHECK_EQ(vm_map_insert_device(map, VA, SIM_DEVICE_PA), KERN_SUCCESS);
	CHECK_EQ(vm_map_protect(map, VA, VA + PAGE_SIZE, VM_PROT_READ), KERN_PROTECTION_FAILURE);
	CHECK_EQ(vm_map_protect(map, VA, VA + PAGE_SIZE, VM_PROT_NONE), KERN_PROTECTION_FAILURE);
	CHECK_EQ(vm_map_protect(map, VA, VA + PAGE_SIZE, RW), KERN_SUCCESS);
	CHECK(hw_mapped(map, VA, RW));
	vm_map_destroy(map);
}

static void munmap_and_exit_remove_the_device_mapping(void)
{
	vm_map_t map = new_map();

	CHECK_EQ(vm_map_insert_device(map, VA, SIM_DEVICE_PA), KERN_SUCCESS);
	CHECK_EQ(vm_map_delete(map, VA, VA + PAGE_SIZE), KERN_SUCCESS);
	CHECK(!hw_mapped(map, VA, VM_PROT_READ));
	CHECK_EQ(sim_mapped_pages(), 0);
	CHECK_EQ(vm_map_insert_device(map, VA, SIM_DEVICE_PA), KERN_SUCCESS);
	/* Exit: the whole space goes first, then the entries, without the hardware. */
	pmap_remove_pages(map->pmap);
	vm_map_destroy(map);
	CHECK_EQ(sim_mapped_pages(), 0);
	CHECK_EQ(sim_spaces_in_use(), 0);
}

static void contig_pages_are_consecutive_frames(void)
{
	vm_object_t object = vm_object_allocate(16);
	uint64_t free_before = vm_cnt.v_free_count;
	vm_page_t m = vm_page_alloc_contig(object, 0, 16);
	int i;

	CHECK(m != NULL);
	for (i = 0; m != NULL && i < 16; i++) {
		CHECK_EQ(m[i].phys, m[0].phys + ptoa(i));
		CHECK(m[i].object == object && m[i].pindex == (vm_pindex_t)i);
		CHECK(m[i].queue == PQ_NONE && !m[i].valid);
	}
	CHECK(vm_cnt.v_free_count <= free_before - 16);
	CHECK(vm_page_alloc_contig(object, 16, 0) == NULL);
	vm_page_validate();
	vm_object_deallocate(object);
	for (i = 0; m != NULL && i < 16; i++)
		CHECK(m[i].queue == PQ_FREE);
}

/* Every page the VM would give, taken as its own (wired, no object). */
static vm_page_t taken[4096];
static int ntaken;

static void take_every_free_page(void)
{
	vm_page_t m;

	for (ntaken = 0; (m = vm_page_alloc(NULL, 0, 0)) != NULL; ntaken++)
		taken[ntaken] = m;
}

static void give_back(vm_page_t m)
{
	vm_page_unwire(m);
	vm_page_free(m);
}

/* The page of the frame after (+1) or before (-1) m, if the VM has one. */
static vm_page_t neighbour(vm_page_t m, int dir)
{
	return vm_page_from_phys(m->phys + (vm_paddr_t)(int64_t)dir * PAGE_SIZE);
}

static void contig_finds_the_run_among_holes(void)
{
	vm_object_t object = vm_object_allocate(4);
	vm_page_t hole = NULL, m;
	int i;

	/* Pages 0 and 1 first: then the object's radix tree has room for 2 and 3
	 * without a new node - for which no page would be left below. */
	CHECK(vm_page_alloc_contig(object, 0, 2) != NULL);
	take_every_free_page();
	CHECK(ntaken > 100);
	/* Every other frame back: many free pages, no two in a row. */
	for (i = 0; i < ntaken; i++)
		if (atop(taken[i]->phys) % 2 == 0)
			give_back(taken[i]);
	CHECK(vm_cnt.v_free_count > 40);
	CHECK(vm_page_alloc_contig(object, 2, 2) == NULL);
	vm_page_validate();
	/* One odd frame between two free ones makes a run of three. */
	for (i = 0; i < ntaken && hole == NULL; i++)
		if (atop(taken[i]->phys) % 2 == 1 && taken[i]->wire_count > 0 &&
		    neighbour(taken[i], -1) != NULL && neighbour(taken[i], -1)->queue == PQ_FREE &&
		    neighbour(taken[i], 1) != NULL && neighbour(taken[i], 1)->queue == PQ_FREE)
			hole = taken[i];
	CHECK(hole != NULL);
	give_back(hole);
	m = vm_page_alloc_contig(object, 2, 2);
	CHECK(m != NULL && m == neighbour(hole, -1));	/* first fit: the run's start */
	vm_page_validate();
	for (i = 0; i < ntaken; i++)
		if (taken[i]->wire_count > 0)
			give_back(taken[i]);
	vm_object_deallocate(object);
}

static const struct test_case cases[] = {
	{ "a device entry is mapped at once and never faults",
	  device_entry_is_mapped_at_once_and_never_faults },
	{ "fork leaves a device entry out", fork_leaves_a_device_entry_out },
	{ "a device entry keeps its protection", device_entry_keeps_its_protection },
	{ "munmap and exit remove the device mapping", munmap_and_exit_remove_the_device_mapping },
	{ "contiguous pages are consecutive frames", contig_pages_are_consecutive_frames },
	{ "a contiguous run is found among holes", contig_finds_the_run_among_holes },
};

int main(void)
{
	return run_cases("device", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
