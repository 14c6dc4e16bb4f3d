/*
 * The read-ahead policy (vm_fault_readahead, vm_fault_cluster,
 * vm_fault_dontneed), case by case, over the simulated store: how much a
 * fault asks the store for, which pages it then maps, and which it lets go
 * behind a sequential reader.
 */
#include "harness.h"
#include "sim_pager.h"

#define BASE 0x4000000UL	/* 1 MiB aligned: drop-behind's blocks start here */
#define MiB  (1024 * 1024UL)

static struct sim_file file;
static vm_map_t map;

static vm_offset_t va_of(vm_pindex_t i)
{
	return BASE + ptoa(i);
}

static vm_page_t file_page(vm_pindex_t i)
{
	return vm_object_page_lookup(file.object, i);
}

/*
 * A file of `npages` pages, and a map with `mapped` pages of it from
 * `offset` at BASE, shared and read-only, with madvise `advice`.
 */
static void open_file(vm_pindex_t npages, enum sim_mode mode, vm_pindex_t offset,
		      vm_pindex_t mapped, int advice)
{
	sim_pager_reset();
	sim_file_init(&file, npages, mode);
	map = vm_map_create(USER_MIN, USER_MAX);
	VM_ASSERT(map != NULL && sim_file_object(&file) != NULL);
	CHECK_EQ(sim_file_map(&file, map, BASE, offset, mapped, VM_PROT_READ, true), KERN_SUCCESS);
	CHECK_EQ(vm_map_madvise(map, BASE, va_of(mapped), advice), KERN_SUCCESS);
}

static void close_file(void)
{
	vm_map_destroy(map);
	vm_object_deallocate(file.object);
	CHECK_EQ(sim_pager_pending(), 0);
	CHECK(file.object == NULL);
	CHECK_EQ(vm_cnt.v_objects, 0);
	sim_file_destroy(&file);
}

/* What a fault asked the store for, and what it mapped besides the page. */
struct fault_result {
	int rv;
	int paged_in, behind, ahead;	/* the cluster its first half read */
	int prefaulted;			/* neighbours mapped by the half that ended */
	bool waited;			/* the store answered later: it ran twice */
};

/*
 * A read fault at va, served as the VM server serves one: when it waits
 * for the store (KERN_PENDING), the store answers, well, and the fault
 * runs again with VM_FAULT_RESUME and what its first half left in info.
 */
static struct fault_result read_fault(vm_offset_t va)
{
	struct vm_fault_info info;
	struct fault_result r = { 0 };

	r.rv = vm_fault(map, va, VM_PROT_READ, VM_FAULT_NORMAL, &info);
	r.paged_in = info.paged_in;
	r.behind = info.behind;
	r.ahead = info.ahead;
	r.prefaulted = info.prefaulted;
	if (r.rv == KERN_PENDING) {
		r.waited = true;
		CHECK(info.busy == file_page(atop(va - BASE) + map->first->offset));
		CHECK_EQ(info.prefaulted, 0);
		sim_pager_complete_all(true);
		r.rv = vm_fault(map, va, VM_PROT_READ, VM_FAULT_RESUME, &info);
		CHECK_EQ(info.paged_in, 0);	/* nothing read twice */
		r.prefaulted = info.prefaulted;
	}
	return r;
}

/* Is every page of [first, first + n) of the map mapped? */
static bool all_mapped(vm_pindex_t first, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pmap_lookup(map->pmap, va_of(first + (vm_pindex_t)i), NULL) == NULL)
			return false;
	return true;
}

/*
 * Reads one byte of every page of the map's [first, end) in order, as a
 * program does: only a page not mapped yet faults. Each fault must start
 * a read and map all it read. Returns the faults; sizes[k] is the k-th's
 * cluster (at most max are kept).
 */
static int sequential_read(vm_pindex_t first, vm_pindex_t end, int *sizes, int max)
{
	int faults = 0;
	vm_pindex_t i;

	for (i = first; i < end; i++) {
		struct fault_result r;

		if (sim_translate(map->pmap->hw_id, va_of(i), VM_PROT_READ) != NULL)
			continue;
		r = read_fault(va_of(i));
		CHECK_EQ(r.rv, KERN_SUCCESS);
		CHECK(r.paged_in > 0 && r.behind == 0);
		CHECK_EQ(r.prefaulted, r.paged_in - 1);
		CHECK(all_mapped(i, r.paged_in));
		if (faults < max)
			sizes[faults] = r.paged_in;
		faults++;
	}
	return faults;
}

/* Sequential faults read 8, 16, 24, ... pages, up to VM_FAULT_READ_AHEAD_MAX + 1. */
static void window_grows_to_the_most(enum sim_mode mode)
{
	int sizes[64], n, k;

	/* 16 faults to reach 128 pages (1088 read), then 128 at a time: 7 more. */
	open_file(1984, mode, 0, 1984, MADV_NORMAL_VM);
	n = sequential_read(0, 1984, sizes, 64);
	CHECK_EQ(n, 16 + 7);
	for (k = 0; k < n && k < 64; k++) {
		int want = 8 * (k + 1) < VM_FAULT_READ_AHEAD_MAX + 1 ? 8 * (k + 1)
								    : VM_FAULT_READ_AHEAD_MAX + 1;

		CHECK_EQ(sizes[k], want);
	}
	CHECK_EQ(file.reads, n);
	close_file();
}

static void window_grows_sync(void)
{
	window_grows_to_the_most(SIM_SYNC);
}

static void window_grows_async(void)
{
	window_grows_to_the_most(SIM_ASYNC);
}

/* MADV_RANDOM: one page a fault, nothing mapped besides. */
static void random_reads_one_page(void)
{
	int sizes[32], n, k;

	open_file(32, SIM_ASYNC, 0, 32, MADV_RANDOM_VM);
	n = sequential_read(0, 32, sizes, 32);
	CHECK_EQ(n, 32);
	for (k = 0; k < n; k++)
		CHECK_EQ(sizes[k], 1);
	close_file();
}

/*
 * Not sequential (the first fault elsewhere than the entry's start, or
 * MADV_NORMAL after a jump): an aligned cluster of VM_FAULT_READ_DEFAULT
 * pages of the object, clipped to the entry, to the object's end, and at
 * pages already resident.
 */
static void cluster_is_aligned_and_clipped(void)
{
	struct fault_result r;

	/* Aligned: object page 37 reads [32, 48). */
	open_file(64, SIM_SYNC, 0, 64, MADV_NORMAL_VM);
	r = read_fault(va_of(37));
	CHECK_EQ(r.paged_in, VM_FAULT_READ_DEFAULT);
	CHECK_EQ(r.behind, 5);
	CHECK_EQ(r.ahead, 10);
	CHECK(file_page(32) != NULL && file_page(47) != NULL && file_page(48) == NULL);
	/* A jump back: [16, 32), where the cluster ends at nothing resident. */
	r = read_fault(va_of(20));
	CHECK_EQ(r.paged_in, 16);
	/* Into the middle of what is resident: [48, 64) stops at nothing. */
	r = read_fault(va_of(50));
	CHECK_EQ(r.behind, 2);
	CHECK_EQ(r.paged_in, 16);
	close_file();

	/* Up to a resident page: with 40 read first, 37 reads [32, 40). */
	open_file(64, SIM_SYNC, 0, 64, MADV_RANDOM_VM);
	CHECK_EQ(read_fault(va_of(40)).paged_in, 1);
	CHECK_EQ(vm_map_madvise(map, BASE, va_of(64), MADV_NORMAL_VM), KERN_SUCCESS);
	r = read_fault(va_of(37));
	CHECK_EQ(r.behind, 5);
	CHECK_EQ(r.ahead, 2);
	close_file();

	/* Clipped to the entry: it maps object pages [30, 40); 35 reads [32, 40). */
	open_file(64, SIM_SYNC, 30, 10, MADV_NORMAL_VM);
	r = read_fault(va_of(5));
	CHECK_EQ(r.behind, 3);
	CHECK_EQ(r.ahead, 4);
	CHECK(file_page(31) == NULL && file_page(40) == NULL);
	close_file();

	/* Clipped to the object: 20 pages mapped by 32; 18 reads [16, 20). */
	open_file(20, SIM_SYNC, 0, 32, MADV_NORMAL_VM);
	r = read_fault(va_of(18));
	CHECK_EQ(r.behind, 2);
	CHECK_EQ(r.ahead, 1);
	CHECK_EQ(read_fault(va_of(20)).rv, KERN_OUT_OF_BOUNDS);
	close_file();
}

/*
 * The pages a fault read are mapped by that fault: at once when the store
 * answers at once; by its second half (VM_FAULT_RESUME, with info's
 * cluster) when it answers later - and by nobody before.
 */
static void read_pages_are_mapped_by_their_fault(void)
{
	struct vm_fault_info info;
	int i;

	open_file(64, SIM_SYNC, 0, 64, MADV_NORMAL_VM);
	CHECK_EQ(read_fault(va_of(37)).prefaulted, 15);
	CHECK(all_mapped(32, 16));
	close_file();

	open_file(64, SIM_ASYNC, 0, 64, MADV_NORMAL_VM);
	CHECK_EQ(vm_fault(map, va_of(37), VM_PROT_READ, VM_FAULT_NORMAL, &info), KERN_PENDING);
	CHECK_EQ(info.paged_in, 16);
	CHECK_EQ(info.outcome, FAULT_OUTCOME_PAGER);
	for (i = 32; i < 48; i++)
		CHECK(file_page((vm_pindex_t)i)->busy && file_page((vm_pindex_t)i)->pv_list == NULL);
	sim_pager_complete_all(true);
	CHECK(!all_mapped(32, 1) && !all_mapped(37, 1));
	CHECK_EQ(vm_fault(map, va_of(37), VM_PROT_READ, VM_FAULT_RESUME, &info), KERN_SUCCESS);
	CHECK_EQ(info.prefaulted, 15);
	CHECK(all_mapped(32, 16));
	/* A fault that waited on someone else's read maps its neighbours, not a cluster. */
	pmap_remove(map->pmap, BASE, va_of(64));
	info.paged_in = 0;
	CHECK_EQ(vm_fault(map, va_of(40), VM_PROT_READ, VM_FAULT_RESUME, &info), KERN_SUCCESS);
	CHECK(info.prefaulted > 0 && info.prefaulted < 15);
	close_file();
}

/* Moves every resident page of [first, end) to the active queue, as use would. */
static void activate(vm_pindex_t first, vm_pindex_t end)
{
	vm_pindex_t i;

	for (i = first; i < end; i++)
		if (file_page(i) != NULL)
			vm_page_activate(file_page(i));
}

/* Are all resident pages of [first, end) on the inactive queue? */
static bool all_inactive(vm_pindex_t first, vm_pindex_t end)
{
	vm_pindex_t i;

	for (i = first; i < end; i++)
		if (file_page(i) == NULL || file_page(i)->queue != PQ_INACTIVE)
			return false;
	return true;
}

/*
 * MADV_SEQUENTIAL: every fault reads the most, and once the reader's
 * read-ahead reaches the second half of a 1 MiB block, the block before is
 * let go (the inactive queue) - the current one is not.
 */
static void sequential_advice_reads_the_most_and_drops_behind(void)
{
	const vm_pindex_t block = atop(MiB), npages = 3 * block;
	int sizes[32], n, k;

	open_file(npages, SIM_ASYNC, 0, npages, MADV_SEQUENTIAL_VM);
	n = sequential_read(0, block + block / 2, sizes, 32);
	CHECK_EQ(n, (int)((block + block / 2) / 128));
	for (k = 0; k < n && k < 32; k++)
		CHECK_EQ(sizes[k], VM_FAULT_READ_AHEAD_MAX + 1);
	activate(0, npages);
	/* The fault at 1.5 MiB reads into the next block's second half: block 0 goes. */
	CHECK_EQ(sequential_read(block + block / 2, 2 * block, sizes, 32), 1);
	CHECK(all_inactive(0, block));
	CHECK_EQ(file_page(block)->queue, PQ_ACTIVE);
	CHECK_EQ(file_page(block + block / 2)->queue, PQ_ACTIVE);
	close_file();
}

/*
 * Without advice a sequential reader drops behind too, but only once its
 * window is the most: 16 faults (1088 pages) to get there; the 18th fault,
 * at 4.75 MiB, lets block 3 go.
 */
static void normal_reader_drops_behind_at_full_window(void)
{
	const vm_pindex_t block = atop(MiB);
	int sizes[32];

	open_file(6 * block, SIM_SYNC, 0, 6 * block, MADV_NORMAL_VM);
	CHECK_EQ(sequential_read(0, 1216, sizes, 32), 17);
	activate(0, 6 * block);
	CHECK_EQ(sequential_read(1216, 1344, sizes, 32), 1);
	CHECK(all_inactive(3 * block, 4 * block));
	CHECK_EQ(file_page(2 * block)->queue, PQ_ACTIVE);
	CHECK_EQ(file_page(4 * block)->queue, PQ_ACTIVE);
	close_file();
}

/* A 16 MiB file read sequentially: at most 64 requests (40 as the window grows; 32 advised). */
static void sixteen_mib_take_few_requests(void)
{
	const vm_pindex_t npages = atop(16 * MiB);
	int sizes[1], n;

	sim_boot(npages + 1024);
	open_file(npages, SIM_ASYNC, 0, npages, MADV_NORMAL_VM);
	n = sequential_read(0, npages, sizes, 0);
	CHECK(n <= 64);
	CHECK_EQ(n, 16 + (int)(npages - 1088 + 127) / 128);
	CHECK_EQ(file.reads, n);
	close_file();

	open_file(npages, SIM_ASYNC, 0, npages, MADV_SEQUENTIAL_VM);
	CHECK_EQ(sequential_read(0, npages, sizes, 0), (int)(npages / 128));
	close_file();
}

static const struct test_case cases[] = {
	{ "sequential faults grow the window to the most", window_grows_sync },
	{ "... when the store answers later too", window_grows_async },
	{ "MADV_RANDOM reads one page a fault", random_reads_one_page },
	{ "a cluster is aligned, and clipped to the entry, the object and what is resident",
	  cluster_is_aligned_and_clipped },
	{ "the pages a fault read are mapped by it", read_pages_are_mapped_by_their_fault },
	{ "MADV_SEQUENTIAL reads the most and drops behind",
	  sequential_advice_reads_the_most_and_drops_behind },
	{ "a normal reader drops behind at full window", normal_reader_drops_behind_at_full_window },
	{ "16 MiB take few requests", sixteen_mib_take_few_requests },
};

int main(void)
{
	return run_cases("readahead", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
