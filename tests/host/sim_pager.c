/*
 * The simulated store and its pager (sim_pager.h). Requests that answer
 * later wait in one queue, in the order they came.
 */
#include <stdio.h>
#include <stdlib.h>
#include "pmap.h"
#include "seeded.h"
#include "sim.h"
#include "sim_pager.h"

#define SIM_MAX_QUEUED 512

static struct sim_io queue[SIM_MAX_QUEUED];
static int nqueued;

/*
 * The VM broke the pager's contract (or, for a few, the test its use of
 * the simulation): a failure of the test, which prints the seed if any.
 */
#define CONTRACT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "sim pager: check failed at %s:%d: %s\n", __FILE__, __LINE__, \
			#cond); \
		abort(); \
	} \
} while (0)

static uint8_t *store_page(const struct sim_file *file, vm_pindex_t pindex)
{
	return file->store + ptoa(pindex);
}

void sim_file_init(struct sim_file *file, vm_pindex_t npages, enum sim_mode mode)
{
	memset(file, 0, sizeof(*file));
	file->store = calloc(npages, PAGE_SIZE);
	CONTRACT(file->store != NULL);
	file->npages = npages;
	file->mode = mode;
}

void sim_file_destroy(struct sim_file *file)
{
	CONTRACT(file->object == NULL);
	free(file->store);
	file->store = NULL;
}

void sim_pager_reset(void)
{
	nqueued = 0;
}

int sim_pager_pending(void)
{
	return nqueued;
}

const struct sim_io *sim_pager_request(int i)
{
	CONTRACT(i >= 0 && i < nqueued);
	return &queue[i];
}

bool sim_pager_page_queued(vm_page_t m)
{
	int i, k;

	for (i = 0; i < nqueued; i++)
		for (k = 0; k < queue[i].count; k++)
			if (queue[i].ma[k] == m)
				return true;
	return false;
}

int sim_pager_object_pending(vm_object_t object)
{
	int i, n = 0;

	for (i = 0; i < nqueued; i++)
		n += queue[i].object == object;
	return n;
}

bool sim_file_read_failed(const struct sim_file *file, vm_pindex_t pindex)
{
	return file->failed_reads > 0 && pindex >= file->failed_read_first &&
	       pindex < file->failed_read_first + (vm_pindex_t)file->failed_read_count;
}

/* ---- what the VM must give ------------------------------------------------ */

static bool page_is_zero(vm_page_t m)
{
	static const uint8_t zero[PAGE_SIZE];

	return memcmp(pmap_page_address(m), zero, PAGE_SIZE) == 0;
}

bool sim_page_writable(vm_page_t m)
{
	struct pv_entry *pv;

	for (pv = m->pv_list; pv != NULL; pv = pv->next) {
		if (pv->prot & VM_PROT_WRITE)
			return true;
		if (!pv->pmap->hw_gone && (sim_prot(pv->pmap->hw_id, pv->va) & VM_PROT_WRITE))
			return true;
	}
	return false;
}

/* A request of object's is queued for pindex already: a second I/O of one page. */
static bool queued_for(vm_object_t object, vm_pindex_t pindex)
{
	int i;

	for (i = 0; i < nqueued; i++)
		if (queue[i].object == object && pindex >= queue[i].pindex &&
		    pindex < queue[i].pindex + (vm_pindex_t)queue[i].count)
			return true;
	return false;
}

/* What every request's pages share: the object's, consecutive, busy, alone in I/O. */
static void check_request(vm_object_t object, vm_page_t *ma, int count)
{
	int i;

	CONTRACT(count > 0 && count <= VM_PAGER_MAX_CLUSTER);
	CONTRACT(object->paging_in_progress > 0);
	for (i = 0; i < count; i++) {
		CONTRACT(ma[i]->object == object && ma[i]->busy);
		CONTRACT(ma[i]->pindex < object->size);
		CONTRACT(i == 0 || ma[i]->pindex == ma[i - 1]->pindex + 1);
		CONTRACT(!queued_for(object, ma[i]->pindex));
	}
}

static void check_pagein(vm_object_t object, vm_page_t *ma, int count)
{
	int i;

	CONTRACT(!(object->flags & OBJ_DEAD));	/* nobody can fault on it */
	check_request(object, ma, count);
	for (i = 0; i < count; i++) {
		vm_page_t m = ma[i];

		CONTRACT(!m->valid && !m->dirty && m->wire_count == 0 && m->pv_list == NULL);
		/* What vm_page_alloc(VM_ALLOC_ZERO) promises: PG_ZERO means zeros. */
		CONTRACT(!(m->flags & PG_ZERO) || page_is_zero(m));
	}
}

static void check_pageout(vm_object_t object, vm_page_t *ma, int count)
{
	int i;

	check_request(object, ma, count);
	for (i = 0; i < count; i++)
		CONTRACT(ma[i]->valid && !ma[i]->dirty && !sim_page_writable(ma[i]));
}

/* ---- answers ------------------------------------------------------------ */

static bool answer_now(const struct sim_file *file)
{
	return file->mode == SIM_SYNC || (file->mode == SIM_MIXED && rng_chance(50));
}

/* A page-in's answer: the store's bytes - or, failed, half-read garbage the VM must not show. */
static void answer_read(struct sim_file *file, const struct sim_io *io, bool ok)
{
	int i;

	for (i = 0; i < io->count; i++) {
		uint8_t *page = pmap_page_address(io->ma[i]);

		memcpy(page, store_page(file, io->pindex + (vm_pindex_t)i), PAGE_SIZE);
		if (!ok)
			memset(page, 0xee, PAGE_SIZE / 2);
	}
	file->reads++;
	file->read_pages += (uint64_t)io->count;
	if (!ok) {
		file->failed_reads++;
		file->failed_read_first = io->pindex;
		file->failed_read_count = io->count;
	}
}

/* A page-out's answer: the pages' bytes in the store - or, failed, torn pages there. */
static void answer_write(struct sim_file *file, const struct sim_io *io, bool ok)
{
	int i;

	for (i = 0; i < io->count; i++) {
		uint8_t *page = pmap_page_address(io->ma[i]);
		uint8_t *stored = store_page(file, io->pindex + (vm_pindex_t)i);

		if (!ok) {
			stored[0] ^= 0xff;	/* neither the old bytes nor the new */
			continue;
		}
		file->unchanged_writes += memcmp(stored, page, PAGE_SIZE) == 0;
		memcpy(stored, page, PAGE_SIZE);
	}
	file->writes++;
	file->write_pages += (uint64_t)io->count;
	file->failed_writes += !ok;
}

static void transfer(struct sim_file *file, const struct sim_io *io, bool ok)
{
	if (io->write)
		answer_write(file, io, ok);
	else
		answer_read(file, io, ok);
}

/* Answers at once, or queues the request for sim_pager_complete. */
static int start(struct sim_file *file, vm_object_t object, bool write, vm_page_t *ma, int count)
{
	struct sim_io io = { .file = file, .object = object, .write = write,
			     .by_dead_object = (object->flags & OBJ_DEAD) != 0,
			     .pindex = ma[0]->pindex, .count = count };
	bool ok;

	memcpy(io.ma, ma, sizeof(ma[0]) * (size_t)count);
	if (!answer_now(file)) {
		CONTRACT(nqueued < SIM_MAX_QUEUED);
		queue[nqueued++] = io;
		return VM_PAGER_PEND;
	}
	ok = !rng_chance(file->fail_percent);
	transfer(file, &io, ok);
	if (file->answered != NULL)
		file->answered(file, &io, ok);
	return ok ? VM_PAGER_OK : VM_PAGER_ERROR;
}

void sim_pager_complete(int i, bool ok, struct sim_io *done)
{
	struct sim_file *file;
	vm_object_t object;
	int k;

	CONTRACT(i >= 0 && i < nqueued);
	file = queue[i].file;
	object = queue[i].object;
	*done = queue[i];
	memmove(&queue[i], &queue[i + 1], sizeof(queue[0]) * (size_t)(nqueued - i - 1));
	nqueued--;
	/* The pages waited, busy, in their object, for this answer. */
	for (k = 0; k < done->count; k++)
		CONTRACT(done->ma[k]->busy && done->ma[k]->object == object &&
			 done->ma[k]->pindex == done->pindex + (vm_pindex_t)k);
	transfer(file, done, ok);
	/* Either may free the object (a dead one whose last I/O this was). */
	if (done->write)
		vm_pager_putpages_done(done->ma, done->count, ok);
	else
		vm_pager_getpages_done(done->ma, done->count, ok);
	if (file->answered != NULL)
		file->answered(file, done, ok);
}

void sim_pager_complete_all(bool ok)
{
	struct sim_io done;

	while (nqueued > 0)
		sim_pager_complete(0, ok, &done);
}

/* ---- the pager ops ---------------------------------------------------------- */

/* The store has every page of the object: any cluster within it will do. */
static bool sim_haspage(vm_object_t object, vm_pindex_t pindex, int *before, int *after)
{
	struct sim_file *file = object->handle;
	vm_pindex_t last = object->size - 1;

	CONTRACT(file->object == object && pindex < object->size);
	*before = (int)(pindex < VM_PAGER_MAX_CLUSTER ? pindex : VM_PAGER_MAX_CLUSTER);
	*after = (int)(last - pindex < VM_PAGER_MAX_CLUSTER ? last - pindex : VM_PAGER_MAX_CLUSTER);
	return true;
}

static int sim_getpages(vm_object_t object, vm_page_t *ma, int count)
{
	struct sim_file *file = object->handle;
	int i;

	CONTRACT(file->object == object);
	check_pagein(object, ma, count);
	/* The pages now hold data, whatever they held: not zero any more. */
	for (i = 0; i < count; i++) {
		file->zero_pages += (ma[i]->flags & PG_ZERO) != 0;
		ma[i]->flags &= (uint8_t)~PG_ZERO;
	}
	return start(file, object, false, ma, count);
}

static int sim_putpages(vm_object_t object, vm_page_t *ma, int count)
{
	struct sim_file *file = object->handle;

	CONTRACT(file->object == object);
	check_pageout(object, ma, count);
	return start(file, object, true, ma, count);
}

/* The object's end: only once no I/O of its is queued (its pages are in it). */
static void sim_dealloc(vm_object_t object)
{
	struct sim_file *file = object->handle;

	CONTRACT(file->object == object && (object->flags & OBJ_DEAD));
	CONTRACT(object->paging_in_progress == 0 && sim_pager_object_pending(object) == 0);
	file->object = NULL;
}

static const struct vm_pager_ops sim_pager_ops = {
	.name = "sim", .haspage = sim_haspage, .getpages = sim_getpages,
	.putpages = sim_putpages, .dealloc = sim_dealloc,
};

vm_object_t sim_file_object(struct sim_file *file)
{
	CONTRACT(file->object == NULL);
	file->object = vm_object_allocate_pager(&sim_pager_ops, file, file->npages);
	if (file->object != NULL)
		file->object->flags &= (uint32_t)~OBJ_ONEMAPPING;	/* meant to be shared */
	return file->object;
}

int sim_file_map(struct sim_file *file, vm_map_t map, vm_offset_t va, vm_pindex_t offset,
		 vm_pindex_t npages, vm_prot_t prot, bool shared)
{
	vm_offset_t end = va + ptoa(npages);
	int rv;

	vm_object_reference(file->object);
	rv = vm_map_insert(map, file->object, offset, va, end, prot, VM_PROT_ALL,
			   shared ? 0 : MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY);
	if (rv != KERN_SUCCESS) {
		vm_object_deallocate(file->object);
		return rv;
	}
	return shared ? vm_map_inherit(map, va, end, VM_INHERIT_SHARE) : KERN_SUCCESS;
}
