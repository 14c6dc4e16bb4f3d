/*
 * Pager I/O, case by case, over the simulated store (sim_pager.h): page-ins
 * that fail, write-back (msync) with its busy, write-protected pages, a
 * write-back that fails, MS_INVALIDATE, writes the hardware alone saw, and
 * an object that outlives its last reference while its I/O is under way.
 * test_pager_model runs the same things at random against a model; these
 * are the named cases to read first.
 */
#include "harness.h"
#include "sim_pager.h"

#define BASE   0x100000UL
#define NPAGES 8
#define RW     (VM_PROT_READ | VM_PROT_WRITE)

static struct sim_file file;
static bool held;		/* the test's reference on file.object */
static vm_map_t map;
static uint64_t free_at_start;

static vm_offset_t va_of(vm_pindex_t i)
{
	return BASE + ptoa(i);
}

static vm_page_t page_of(vm_pindex_t i)
{
	return vm_object_page_lookup(file.object, i);
}

/* A new object over the file, and a map with all of it shared and writable at BASE. */
static void map_file(void)
{
	map = vm_map_create(USER_MIN, USER_MAX);
	VM_ASSERT(map != NULL && sim_file_object(&file) != NULL);
	held = true;
	CHECK_EQ(sim_file_map(&file, map, BASE, 0, NPAGES, RW, true), KERN_SUCCESS);
}

/* A file whose page i is full of the byte 0x10 + i, mapped (map_file). */
static void open_file(enum sim_mode mode)
{
	vm_pindex_t i;

	sim_pager_reset();
	free_at_start = vm_cnt.v_free_count;
	sim_file_init(&file, NPAGES, mode);
	for (i = 0; i < NPAGES; i++)
		memset(file.store + ptoa(i), 0x10 + (int)i, PAGE_SIZE);
	map_file();
}

static void drop_reference(void)
{
	held = false;
	vm_object_deallocate(file.object);
}

/* The map and the test's reference go, all I/O ends: nothing is left. */
static void close_file(void)
{
	if (map != NULL)
		vm_map_destroy(map);
	map = NULL;
	if (held)
		drop_reference();
	sim_pager_complete_all(true);
	CHECK(file.object == NULL);
	CHECK_EQ(vm_cnt.v_objects, 0);
	CHECK_EQ(vm_cnt.v_free_count, free_at_start);
	sim_file_destroy(&file);
}

/* A fault the store answers later: it waits, the I/O ends well, it runs again. */
static void fault_async(vm_offset_t va, vm_prot_t type)
{
	struct vm_fault_info info;

	CHECK_EQ(vm_fault(map, va, type, VM_FAULT_NORMAL, &info), KERN_PENDING);
	sim_pager_complete_all(true);
	CHECK_EQ(vm_fault(map, va, type, VM_FAULT_RESUME, &info), KERN_SUCCESS);
}

/*
 * A read fault maps a clean page writable; a write then goes through
 * without a fault, and only the hardware's dirty bit knows. Whatever then
 * takes the right to write away (mprotect) or writes the mapping's entry
 * anew (mlock's wiring fault: the kernel writes a fresh PTE) must keep
 * that bit first, or msync thinks the page clean and MS_INVALIDATE throws
 * the write away.
 */
static void write_survives(int (*then)(void))
{
	uint8_t b = 0;
	vm_page_t m;

	open_file(SIM_SYNC);
	CHECK_EQ(user_access(map, va_of(0), false, &b), KERN_SUCCESS);
	b = 0x42;
	CHECK_EQ(user_access(map, va_of(0), true, &b), KERN_SUCCESS);
	m = page_of(0);
	CHECK(!m->dirty && pmap_is_modified(m));	/* the hardware alone saw it */
	CHECK_EQ(then(), KERN_SUCCESS);
	CHECK(m->dirty);
	CHECK_EQ(vm_map_sync(map, BASE, va_of(NPAGES), true, NULL), VM_PAGER_OK);
	CHECK_EQ(file.store[0], 0x42);
	close_file();
}

static int protect_read_only(void)
{
	return vm_map_protect(map, BASE, va_of(NPAGES), VM_PROT_READ);
}

static int protect_none(void)
{
	return vm_map_protect(map, BASE, va_of(NPAGES), VM_PROT_NONE);
}

static int wire(void)
{
	return vm_map_wire(map, BASE, va_of(NPAGES), NULL);
}

static void write_survives_mprotect_read_only(void)
{
	write_survives(protect_read_only);
}

static void write_survives_mprotect_none(void)
{
	write_survives(protect_none);
}

static void write_survives_mlock(void)
{
	write_survives(wire);
}

/*
 * msync hands dirty pages to the store busy, clean and write-protected:
 * reads go on, a write waits for the I/O (v_intrans) and dirties the page
 * again.
 */
static void msync_writes_back_busy_write_protected_pages(void)
{
	struct vm_fault_info info;
	vm_page_t m, busy = NULL;
	uint64_t intrans;
	uint8_t b = 0x77;

	open_file(SIM_ASYNC);
	fault_async(va_of(1), VM_PROT_WRITE);
	CHECK_EQ(user_access(map, va_of(1), true, &b), KERN_SUCCESS);
	m = page_of(1);
	CHECK(m->dirty);
	CHECK_EQ(vm_map_sync(map, BASE, va_of(NPAGES), false, &busy), VM_PAGER_PEND);
	CHECK(busy == m && m->busy && !m->dirty);
	CHECK(sim_translate(map->pmap->hw_id, va_of(1), VM_PROT_WRITE) == NULL);
	CHECK_EQ(user_access(map, va_of(1), false, &b), KERN_SUCCESS);
	CHECK_EQ(b, 0x77);
	intrans = vm_cnt.v_intrans;
	CHECK_EQ(vm_fault(map, va_of(1), VM_PROT_WRITE, VM_FAULT_NORMAL, &info), KERN_PENDING);
	CHECK(info.busy == m);
	CHECK_EQ(vm_cnt.v_intrans, intrans + 1);
	sim_pager_complete_all(true);
	CHECK_EQ(file.store[ptoa(1)], 0x77);
	CHECK(!m->busy && !m->dirty);
	CHECK_EQ(vm_fault(map, va_of(1), VM_PROT_WRITE, VM_FAULT_RESUME, &info), KERN_SUCCESS);
	CHECK(m->dirty);
	CHECK_EQ(vm_map_sync(map, BASE, va_of(NPAGES), false, NULL), VM_PAGER_PEND);
	close_file();
}

/* A write-back that fails leaves the page dirty, its data intact; the next one works. */
static void failed_write_back_keeps_the_page_dirty(void)
{
	uint8_t b = 0x99;
	vm_page_t m;

	open_file(SIM_ASYNC);
	fault_async(va_of(2), VM_PROT_WRITE);
	CHECK_EQ(user_access(map, va_of(2), true, &b), KERN_SUCCESS);
	m = page_of(2);
	CHECK_EQ(vm_map_sync(map, BASE, va_of(NPAGES), false, NULL), VM_PAGER_PEND);
	sim_pager_complete_all(false);
	CHECK(!m->busy && m->dirty && page_of(2) == m);
	CHECK_EQ(*(uint8_t *)pmap_page_address(m), 0x99);
	CHECK(file.store[ptoa(2)] != 0x99);
	CHECK_EQ(vm_map_sync(map, BASE, va_of(NPAGES), false, NULL), VM_PAGER_PEND);
	sim_pager_complete_all(true);
	CHECK_EQ(file.store[ptoa(2)], 0x99);
	CHECK_EQ(vm_map_sync(map, BASE, va_of(NPAGES), false, NULL), VM_PAGER_OK);
	close_file();
}

/* A page-in that fails leaves no page behind; in a store that answers at once, the fault fails. */
static void failed_page_in_leaves_no_page(void)
{
	struct vm_fault_info info;
	uint64_t free_before;
	uint8_t b;

	open_file(SIM_ASYNC);
	free_before = vm_cnt.v_free_count;
	CHECK_EQ(vm_fault(map, va_of(3), VM_PROT_READ, VM_FAULT_NORMAL, &info), KERN_PENDING);
	CHECK(info.paged_in == NPAGES && info.busy == page_of(3));
	sim_pager_complete_all(false);
	CHECK_EQ(file.object->resident_page_count, 0);
	CHECK_EQ(vm_cnt.v_free_count, free_before);
	file.mode = SIM_SYNC;
	file.fail_percent = 100;
	CHECK_EQ(user_access(map, va_of(3), false, &b), KERN_FAILURE);
	CHECK_EQ(file.object->resident_page_count, 0);
	file.fail_percent = 0;
	CHECK_EQ(user_access(map, va_of(3), false, &b), KERN_SUCCESS);
	CHECK_EQ(b, 0x13);
	close_file();
}

/* MS_INVALIDATE frees clean pages: the next access reads the store again. */
static void invalidate_rereads_the_store(void)
{
	uint8_t b;

	open_file(SIM_SYNC);
	CHECK_EQ(user_access(map, va_of(4), false, &b), KERN_SUCCESS);
	file.store[ptoa(4)] = 0xab;	/* behind the VM's back */
	CHECK_EQ(user_access(map, va_of(4), false, &b), KERN_SUCCESS);
	CHECK_EQ(b, 0x14);
	CHECK_EQ(vm_map_sync(map, BASE, va_of(NPAGES), true, NULL), VM_PAGER_OK);
	CHECK(page_of(4) == NULL && pmap_lookup(map->pmap, va_of(4), NULL) == NULL);
	CHECK_EQ(user_access(map, va_of(4), false, &b), KERN_SUCCESS);
	CHECK_EQ(b, 0xab);
	close_file();
}

/*
 * The last reference goes while a page-in, or the write-back of the last
 * dirty page, is under way: the object is dead but kept until the I/O
 * ends, and then freed - its page written.
 */
static void object_outlives_its_last_reference_during_io(void)
{
	struct vm_fault_info info;
	uint8_t b = 0x5a;

	open_file(SIM_ASYNC);
	drop_reference();
	CHECK_EQ(vm_fault(map, va_of(5), VM_PROT_READ, VM_FAULT_NORMAL, &info), KERN_PENDING);
	vm_map_destroy(map);
	CHECK(file.object != NULL && (file.object->flags & OBJ_DEAD));
	CHECK_EQ(vm_cnt.v_objects, 1);
	sim_pager_complete_all(true);
	CHECK(file.object == NULL);
	CHECK_EQ(vm_cnt.v_objects, 0);

	map_file();
	drop_reference();
	fault_async(va_of(5), VM_PROT_WRITE);
	CHECK_EQ(user_access(map, va_of(5), true, &b), KERN_SUCCESS);
	vm_map_destroy(map);
	map = NULL;
	CHECK(file.object != NULL && (file.object->flags & OBJ_DEAD));
	CHECK_EQ(sim_pager_pending(), 1);
	CHECK(sim_pager_request(0)->write);
	sim_pager_complete_all(true);
	CHECK(file.object == NULL);
	CHECK_EQ(file.store[ptoa(5)], 0x5a);
	close_file();
}

/*
 * A write-back under way when the object loses its last reference, and
 * failing then, is tried again: the dead object writes its dirty pages
 * once its I/O is over, and goes when that is done.
 */
static void write_back_failing_during_death_is_tried_again(void)
{
	struct sim_io done;
	uint8_t b = 0x6c;

	open_file(SIM_ASYNC);
	drop_reference();
	fault_async(va_of(6), VM_PROT_WRITE);
	CHECK_EQ(user_access(map, va_of(6), true, &b), KERN_SUCCESS);
	CHECK_EQ(vm_map_sync(map, BASE, va_of(NPAGES), false, NULL), VM_PAGER_PEND);
	vm_map_destroy(map);
	map = NULL;
	CHECK(file.object != NULL && (file.object->flags & OBJ_DEAD));
	CHECK_EQ(sim_pager_pending(), 1);
	sim_pager_complete(0, false, &done);
	CHECK(file.object != NULL && page_of(6)->busy);	/* written again */
	sim_pager_complete_all(true);
	CHECK(file.object == NULL);
	CHECK_EQ(file.store[ptoa(6)], 0x6c);
	close_file();
}

static const struct test_case cases[] = {
	{ "a write only the hardware saw survives mprotect(PROT_READ)",
	  write_survives_mprotect_read_only },
	{ "... and mprotect(PROT_NONE)", write_survives_mprotect_none },
	{ "... and mlock", write_survives_mlock },
	{ "msync writes back busy, write-protected pages",
	  msync_writes_back_busy_write_protected_pages },
	{ "a failed write-back keeps the page dirty", failed_write_back_keeps_the_page_dirty },
	{ "a failed page-in leaves no page", failed_page_in_leaves_no_page },
	{ "MS_INVALIDATE rereads the store", invalidate_rereads_the_store },
	{ "an object outlives its last reference during I/O",
	  object_outlives_its_last_reference_during_io },
	{ "a write-back failing during its object's death is tried again",
	  write_back_failing_during_death_is_tried_again },
};

int main(void)
{
	return run_cases("pager_io", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
