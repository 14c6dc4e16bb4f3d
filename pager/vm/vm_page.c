/*
 * The page allocator and the page queues.
 *
 * Invariants (vm_page_validate checks them):
 *  - a page on PQ_FREE has no object, no mappings, and is not wired;
 *  - PG_ZERO pages sit at the head of the free queue, the others behind;
 *  - each queue's length equals its counter, and v_free_count is PQ_FREE's.
 */
#include "vm_page.h"
#include "pmap.h"
#include "pmap_hw.h"
#include "vm_map.h"
#include "vm_object.h"

struct vm_counters vm_cnt;

struct pagequeue {
	vm_page_t head, tail;
	uint64_t count;
};

static vm_page_t vm_page_array;
static uint64_t vm_page_array_size;
static vm_paddr_t first_phys;		/* frame of vm_page_array[0] */
static struct pagequeue queues[PQ_INACTIVE + 1];

static inline void queue_remove(vm_page_t m)
{
	struct pagequeue *q = &queues[m->queue];

	if (m->queue == PQ_NONE)
		return;
	if (m->qprev != NULL)
		m->qprev->qnext = m->qnext;
	else
		q->head = m->qnext;
	if (m->qnext != NULL)
		m->qnext->qprev = m->qprev;
	else
		q->tail = m->qprev;
	m->qnext = m->qprev = NULL;
	q->count--;
	m->queue = PQ_NONE;
}

static inline void queue_insert(vm_page_t m, enum vm_page_queue queue, bool at_head)
{
	struct pagequeue *q = &queues[queue];

	VM_ASSERT(m->queue == PQ_NONE);
	m->queue = (uint8_t)queue;
	if (at_head) {
		m->qprev = NULL;
		m->qnext = q->head;
		if (q->head != NULL)
			q->head->qprev = m;
		else
			q->tail = m;
		q->head = m;
	} else {
		m->qnext = NULL;
		m->qprev = q->tail;
		if (q->tail != NULL)
			q->tail->qnext = m;
		else
			q->head = m;
		q->tail = m;
	}
	q->count++;
}

static void free_queue_insert(vm_page_t m)
{
	queue_insert(m, PQ_FREE, (m->flags & PG_ZERO) != 0);
	vm_cnt.v_free_count = queues[PQ_FREE].count;
}

vm_page_t vm_page_from_phys(vm_paddr_t pa)
{
	uint64_t i = (pa - first_phys) >> PAGE_SHIFT;

	if (pa < first_phys || i >= vm_page_array_size || vm_page_array[i].phys != pa)
		return NULL;
	return &vm_page_array[i];
}

/* Takes `bytes` (rounded to pages) off the end of the largest range. */
static vm_paddr_t steal_frames(struct vm_phys_range *ranges, int nranges, uint64_t bytes)
{
	int i, largest = 0;

	for (i = 1; i < nranges; i++)
		if (ranges[i].end - ranges[i].start > ranges[largest].end - ranges[largest].start)
			largest = i;
	bytes = round_page(bytes);
	VM_ASSERT(ranges[largest].end - ranges[largest].start > bytes);
	ranges[largest].end -= bytes;
	return ranges[largest].end;
}

/* Is pa in [start, end)? */
static bool in_range(vm_paddr_t pa, vm_paddr_t start, vm_paddr_t end)
{
	return pa >= start && pa < end;
}

void vm_page_startup(const struct vm_phys_range *given, int nranges,
		     vm_paddr_t used_start, vm_paddr_t used_end)
{
	struct vm_phys_range ranges[16];
	vm_paddr_t lo = UINT64_MAX, hi = 0, pa, array_start, array_end;
	int i;

	VM_ASSERT(nranges > 0 && nranges <= 16);
	memcpy(ranges, given, sizeof(ranges[0]) * (size_t)nranges);
	for (i = 0; i < nranges; i++) {
		lo = ranges[i].start < lo ? ranges[i].start : lo;
		hi = ranges[i].end > hi ? ranges[i].end : hi;
	}
	first_phys = lo;
	vm_page_array_size = atop(hi - lo);
	array_start = steal_frames(ranges, nranges, vm_page_array_size * sizeof(struct vm_page));
	array_end = array_start + round_page(vm_page_array_size * sizeof(struct vm_page));
	vm_page_array = hw_frame_address(array_start);
	memset(vm_page_array, 0, vm_page_array_size * sizeof(struct vm_page));
	memset(&vm_cnt, 0, sizeof(vm_cnt));
	memset(queues, 0, sizeof(queues));

	/* Frames outside the ranges keep phys == 0: not managed. */
	for (i = 0; i < nranges; i++) {
		for (pa = given[i].start; pa < given[i].end; pa += PAGE_SIZE) {
			vm_page_t m = &vm_page_array[atop(pa - lo)];

			m->phys = pa;
			vm_cnt.v_page_count++;
			if (in_range(pa, used_start, used_end) ||
			    in_range(pa, array_start, array_end)) {
				m->wire_count = 1;	/* not ours to hand out */
				vm_cnt.v_wire_count++;
			} else {
				free_queue_insert(m);
			}
		}
	}
	pmap_startup();
	vm_radix_startup();
	vm_object_startup();
	vm_map_startup();
}

vm_page_t vm_page_alloc(struct vm_object *object, vm_pindex_t pindex, int flags)
{
	struct pagequeue *q = &queues[PQ_FREE];
	vm_page_t m = (flags & VM_ALLOC_ZERO) ? q->head : q->tail;

	if (m == NULL)
		return NULL;
	queue_remove(m);
	vm_cnt.v_free_count = q->count;
	VM_ASSERT(m->object == NULL && m->pv_list == NULL && m->wire_count == 0);
	m->valid = m->dirty = m->busy = m->referenced = false;
	if (object == NULL) {
		m->wire_count = 1;
		vm_cnt.v_wire_count++;
		return m;
	}
	if (vm_object_page_insert(object, m, pindex) != 0) {
		free_queue_insert(m);
		return NULL;
	}
	return m;
}

/*
 * The first of npages free frames in a row, or NULL: a first-fit scan of
 * the page array, which is indexed by frame, so neighbours in it are
 * neighbours in memory. Slow, but only drivers ask, and rarely.
 */
static vm_page_t find_free_run(uint64_t npages)
{
	uint64_t i, run = 0;

	for (i = 0; i < vm_page_array_size && run < npages; i++)
		run = vm_page_array[i].queue == PQ_FREE ? run + 1 : 0;
	return run == npages ? &vm_page_array[i - npages] : NULL;
}

vm_page_t vm_page_alloc_contig(struct vm_object *object, vm_pindex_t pindex, uint64_t npages)
{
	vm_page_t first = npages > 0 ? find_free_run(npages) : NULL;
	uint64_t i, inserted;

	if (first == NULL)
		return NULL;
	/* The whole run leaves the free queue first: inserting may allocate. */
	for (i = 0; i < npages; i++) {
		queue_remove(&first[i]);
		first[i].valid = first[i].dirty = first[i].busy = first[i].referenced = false;
	}
	vm_cnt.v_free_count = queues[PQ_FREE].count;
	for (inserted = 0; inserted < npages; inserted++)
		if (vm_object_page_insert(object, &first[inserted], pindex + inserted) != 0)
			break;
	if (inserted == npages)
		return first;
	/* Out of memory: the pages inserted are freed, the others go back. */
	for (i = 0; i < npages; i++) {
		if (i < inserted)
			vm_page_free(&first[i]);
		else
			free_queue_insert(&first[i]);
	}
	return NULL;
}

void vm_page_free(vm_page_t m)
{
	VM_ASSERT(m->wire_count == 0 && m->queue != PQ_FREE && !m->busy);
	if (m->pv_list != NULL)
		pmap_remove_all(m);
	if (m->object != NULL)
		vm_object_page_remove(m);
	queue_remove(m);
	m->flags &= (uint8_t)~PG_ZERO;
	m->valid = m->dirty = false;
	free_queue_insert(m);
}

void vm_page_wire(vm_page_t m)
{
	if (m->wire_count++ == 0) {
		queue_remove(m);
		vm_cnt.v_wire_count++;
	}
}

void vm_page_unwire(vm_page_t m)
{
	VM_ASSERT(m->wire_count > 0);
	if (--m->wire_count == 0) {
		vm_cnt.v_wire_count--;
		if (m->object != NULL)
			queue_insert(m, PQ_ACTIVE, false);
	}
}

/* Requeues m at the tail of `queue`: LRU order, most recent last. */
static void requeue(vm_page_t m, enum vm_page_queue queue)
{
	if (m->wire_count > 0 || m->object == NULL)
		return;
	queue_remove(m);
	queue_insert(m, queue, false);
}

/* An already active page stays where it is: activation is not a touch. */
void vm_page_activate(vm_page_t m)
{
	if (m->queue == PQ_ACTIVE || m->wire_count > 0 || m->object == NULL)
		return;
	queue_remove(m);
	queue_insert(m, PQ_ACTIVE, false);
}

void vm_page_deactivate(vm_page_t m)
{
	requeue(m, PQ_INACTIVE);
}

uint64_t vm_page_queue_length(enum vm_page_queue queue)
{
	return queues[queue].count;
}

uint64_t vm_page_prezero(uint64_t n)
{
	struct pagequeue *q = &queues[PQ_FREE];
	uint64_t done;

	for (done = 0; done < n && q->tail != NULL && !(q->tail->flags & PG_ZERO); done++) {
		vm_page_t m = q->tail;

		queue_remove(m);
		pmap_zero_page(m);
		m->flags |= PG_ZERO;
		queue_insert(m, PQ_FREE, true);
	}
	return done;
}

void vm_page_validate(void)
{
	uint64_t counted[PQ_INACTIVE + 1] = { 0 };
	int queue;
	vm_page_t m;
	bool seen_nonzero = false;

	for (queue = PQ_FREE; queue <= PQ_INACTIVE; queue++) {
		for (m = queues[queue].head; m != NULL; m = m->qnext) {
			VM_ASSERT(m->queue == queue);
			VM_ASSERT(m->qnext == NULL || m->qnext->qprev == m);
			counted[queue]++;
			if (queue != PQ_FREE) {
				VM_ASSERT(m->object != NULL && m->wire_count == 0);
				continue;
			}
			VM_ASSERT(m->object == NULL && m->pv_list == NULL && m->wire_count == 0);
			if (!(m->flags & PG_ZERO))
				seen_nonzero = true;
			VM_ASSERT(!(seen_nonzero && (m->flags & PG_ZERO)));
		}
		VM_ASSERT(counted[queue] == queues[queue].count);
	}
	VM_ASSERT(vm_cnt.v_free_count == queues[PQ_FREE].count);
}
