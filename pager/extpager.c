/*
 * External pagers: VM objects whose pages another process supplies (Mach's
 * memory objects, Zircon's pager VMOs). This file is the VM core's pager
 * ops for such objects, and the VM server's half of the protocol
 * (vm_proto.h's VM_PAGER_*; servers/libpager is the other half).
 *
 * The pager is a client like any other: it calls us, we never call it (a
 * server that called out could be made to wait forever). It calls
 * VM_PAGER_WAIT, which we answer only when there is work; it does the
 * work and calls VM_PAGER_WAIT again with the result. Meanwhile we go on
 * serving everybody - the faults that need its pages wait (pagewait.c).
 *
 *   page-in:   vm_fault chose the cluster and allocated its pages, zeroed
 *              and busy. We lend them: they appear writable in the pager's
 *              address space at PAGER_WINDOW while it fills them, and go
 *              when it answers. No data is copied, and the pager never sees
 *              frames it was not lent.
 *   page-out:  the same, read-only, for dirty pages (msync, munmap, exit,
 *              the last reference).
 *   close:     the object's last reference went: its handle is dead.
 *
 * Nothing the pager says is trusted: it names a request by an id we gave
 * it, and reports only success or failure. A request it does not answer
 * within pager_timeout_ms, or that is pending when it dies, fails: the
 * fault that asked for it gets SIGBUS (BUS_OBJERR), never a hang, and the
 * others waiting for its pages ask again. (A close waits as long as it
 * takes: nobody waits for it.)
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include "pmap_riscv.h"
#include "timer.h"
#include "vm_zone.h"
#include "vmserver.h"

#define MAX_EXT_OBJECTS 256
#define MAX_OBJECT_SIZE USER_MAP_END	/* bytes: more could never be mapped */

uint64_t pager_timeout_ms = 1000;

/* What a handle names. */
struct ext_object {
	uint32_t handle;	/* slot + 1 | generation << 16; 0: slot free */
	vm_object_t object;
	struct proc *pager;	/* NULL once the pager has died */
	bool pager_ref;		/* the pager still holds its reference */
};

struct pager_io {
	uint32_t id;
	enum pager_request kind;
	uint32_t handle;
	struct proc *pager;
	vm_pindex_t pindex;		/* the first page */
	int count;
	vm_page_t ma[VM_PAGER_MAX_CLUSTER];
	bool lent;			/* its pages are in the pager's window */
	bool expired;			/* handed over, and its time ran out */
	struct timer timer;		/* its deadline */
	struct pager_io *next;	/* in the pager's queue */
};

static struct ext_object ext_objects[MAX_EXT_OBJECTS];
static uint16_t generation;
static uint32_t next_request_id = 1;
static struct vm_zone request_zone;
static bool zone_ready;
/*
 * The last request freed, kept for the next: with one page-in at a time,
 * the zone would otherwise make and free a slab for every request.
 */
static struct pager_io *spare_request;

static struct ext_object *ext_lookup(uint64_t handle)
{
	uint64_t slot = (handle & 0xffff) - 1;

	if (slot >= MAX_EXT_OBJECTS || ext_objects[slot].handle != handle || handle == 0)
		return NULL;
	return &ext_objects[slot];
}

/*
 * A closing object (its last reference gone, its death waiting for its
 * write-backs) is no longer one to map: it would take a reference on an
 * object that is already dead, and pages that are about to go.
 */
vm_object_t pager_object(uint64_t handle)
{
	struct ext_object *eo = ext_lookup(handle);

	if (eo == NULL || (eo->object->flags & OBJ_DEAD))
		return NULL;
	return eo->object;
}

/* ---- requests ---------------------------------------------------------- */

static void request_complete(struct pager_io *r, bool ok);

/* Takes r, which has not been handed over, out of its pager's queue. */
static void queue_remove(struct proc *p, struct pager_io *r)
{
	struct pager_io **pp = &p->pager_queue, *prev = NULL;

	while (*pp != r) {
		prev = *pp;
		pp = &prev->next;
	}
	*pp = r->next;
	if (p->pager_queue_tail == r)
		p->pager_queue_tail = prev;
}

/*
 * The I/O of r is over, for the faults and calls that wait for its pages:
 * they are handled again (pagewait.c). A page-in that failed frees its pages
 * - unless the pager may still be writing them (`keep_lent`): then they only
 * leave the object, and stay lent until the pager calls again.
 */
static void request_end_io(struct pager_io *r, bool ok, bool keep_lent)
{
	if (r->kind == PAGER_PAGEIN) {
		if (!ok && keep_lent)
			vm_pager_getpages_abandon(r->ma, r->count);
		else
			vm_pager_getpages_done(r->ma, r->count, ok);
		page_wakeup(r->ma, r->count, ok ? IO_OK : IO_PAGEIN_FAILED);
	} else if (r->kind == PAGER_PAGEOUT) {
		vm_cnt.v_pageouts++;
		vm_cnt.v_pageout_pages += (uint64_t)r->count;
		vm_pager_putpages_done(r->ma, r->count, ok);
		page_wakeup(r->ma, r->count, ok ? IO_OK : IO_PAGEOUT_FAILED);
	}
}

/*
 * The pager did not answer in time: the request fails now for those who
 * wait. If the pager is working on it, it keeps the pages it was lent -
 * writing to them harms nobody any more - until its next call, which
 * ends the request (its answer is ignored).
 */
static void request_expired(struct timer *t)
{
	struct pager_io *r = (void *)((char *)t - offsetof(struct pager_io, timer));
	struct proc *p = r->pager;

	printf("vmserver: pager pid %d did not answer request %u in %lu ms\n", p->pid, r->id,
	       (unsigned long)pager_timeout_ms);
	if (p->pager_current == r) {
		r->expired = true;
		request_end_io(r, false, true);
		return;
	}
	queue_remove(p, r);
	request_complete(r, false);
}

/* Lends the request's pages to its pager, at PAGER_WINDOW. */
static bool request_lend(struct pager_io *r)
{
	vm_prot_t prot = r->kind == PAGER_PAGEIN ? VM_PROT_READ | VM_PROT_WRITE : VM_PROT_READ;
	int i;

	r->lent = true;		/* even in part: request_complete takes back the window */
	for (i = 0; i < r->count; i++)
		if (pmap_enter(r->pager->map->pmap, PAGER_WINDOW + ptoa(i), r->ma[i], prot,
			       false) != KERN_SUCCESS)
			return false;
	return true;
}

/*
 * Hands the pager its next request, as the reply to its VM_PAGER_WAIT: in
 * *m if it is the message being handled, else as a deferred reply.
 */
static void pager_handover(struct proc *p, struct ipc_msg *m)
{
	struct ipc_msg deferred = { .peer = p->pager_waiting };
	struct pager_io *r;

	while (p->pager_waiting != 0 && (r = p->pager_queue) != NULL) {
		p->pager_queue = r->next;
		if (p->pager_queue == NULL)
			p->pager_queue_tail = NULL;
		if (r->count > 0 && !request_lend(r)) {
			request_complete(r, false);	/* out of pv entries */
			continue;
		}
		if (m == NULL)
			m = &deferred;
		m->peer = p->pager_waiting;
		m->tag = TAG(r->kind, 0);
		m->w[0] = r->id;
		m->w[1] = r->handle;
		m->w[2] = ptoa(r->pindex);
		m->w[3] = (uint64_t)r->count;
		p->pager_waiting = 0;
		p->pager_current = r;
		if (r->kind == PAGER_CLOSE) {
			/* Nothing to answer: it is over once the pager knows. */
			p->pager_current = NULL;
			request_complete(r, true);
		}
		pmap_batch_flush();	/* the window, before the pager looks */
		if (m == &deferred)
			ipc_reply(m);
	}
}

static struct pager_io *request_new(struct ext_object *eo, enum pager_request kind,
					 vm_page_t *ma, int count)
{
	struct pager_io *r;

	if (!zone_ready) {
		vm_zone_init(&request_zone, "pager request", sizeof(struct pager_io));
		zone_ready = true;
	}
	/* Not zeroed: a request is 1 KiB, mostly page pointers set just below. */
	if ((r = spare_request) != NULL)
		spare_request = NULL;
	else if ((r = vm_zone_alloc_uninit(&request_zone)) == NULL)
		return NULL;
	r->id = next_request_id++;
	if (next_request_id == 0)
		next_request_id = 1;
	r->kind = kind;
	r->handle = eo->handle;
	r->pager = eo->pager;
	r->pindex = count > 0 ? ma[0]->pindex : 0;
	r->count = count;
	memcpy(r->ma, ma, sizeof(ma[0]) * (size_t)count);
	r->lent = r->expired = false;
	r->timer = (struct timer){ 0 };
	r->next = NULL;
	return r;
}

/* Queues r for its pager, with its deadline (a close has none). */
static void request_queue(struct pager_io *r, struct ipc_msg *m)
{
	struct proc *p = r->pager;

	r->next = NULL;
	if (p->pager_queue_tail != NULL)
		p->pager_queue_tail->next = r;
	else
		p->pager_queue = r;
	p->pager_queue_tail = r;
	/* A close has nobody waiting: it goes whenever the pager next asks. */
	if (r->kind != PAGER_CLOSE)
		timer_start(&r->timer, pager_timeout_ms, request_expired);
	pager_handover(p, m);
}

/* The end of a request, answered or not: its pages' I/O is over. */
static void request_complete(struct pager_io *r, bool ok)
{
	int i;

	timer_stop(&r->timer);
	/* (The pages are busy still: pmap asks nothing of their dirty bits.) */
	if (r->lent)
		pmap_remove(r->pager->map->pmap, PAGER_WINDOW, PAGER_WINDOW + ptoa(r->count));
	if (!r->expired)
		request_end_io(r, ok, false);
	else if (r->kind == PAGER_PAGEIN)
		for (i = 0; i < r->count; i++)
			vm_page_free(r->ma[i]);	/* abandoned: in no object */
	if (spare_request == NULL)
		spare_request = r;
	else
		vm_zone_free(&request_zone, r);
}

/* ---- the VM core's pager ops ------------------------------------------ */

/* The pager has every page of the object: any cluster within it will do. */
static bool ext_haspage(vm_object_t object, vm_pindex_t pindex, int *before, int *after)
{
	if (pindex >= object->size)
		return false;
	*before = (int)(pindex < VM_PAGER_MAX_CLUSTER ? pindex : VM_PAGER_MAX_CLUSTER);
	*after = (int)(object->size - 1 - pindex < VM_PAGER_MAX_CLUSTER ?
		       object->size - 1 - pindex : VM_PAGER_MAX_CLUSTER);
	return true;
}

static int ext_getpages(vm_object_t object, vm_page_t *ma, int count)
{
	struct ext_object *eo = object->handle;
	struct pager_io *r;
	int i;

	if (eo->pager == NULL || (r = request_new(eo, PAGER_PAGEIN, ma, count)) == NULL)
		return VM_PAGER_ERROR;
	/* A pager sees zeros, never what a frame held before. */
	for (i = 0; i < count; i++) {
		if (!(ma[i]->flags & PG_ZERO))
			pmap_zero_page(ma[i]);
		ma[i]->flags &= (uint8_t)~PG_ZERO;
	}
	request_queue(r, NULL);
	return VM_PAGER_PEND;
}

static int ext_putpages(vm_object_t object, vm_page_t *ma, int count)
{
	struct ext_object *eo = object->handle;
	struct pager_io *r;

	if (eo->pager == NULL || (r = request_new(eo, PAGER_PAGEOUT, ma, count)) == NULL)
		return VM_PAGER_ERROR;
	request_queue(r, NULL);
	return VM_PAGER_PEND;
}

/* The object is gone (its dirty pages written back): the handle dies, the pager hears. */
static void ext_dealloc(vm_object_t object)
{
	struct ext_object *eo = object->handle;
	struct pager_io *r;

	if (eo->pager != NULL) {
		eo->pager->pager_objects--;
		if ((r = request_new(eo, PAGER_CLOSE, NULL, 0)) != NULL)
			request_queue(r, NULL);
	}
	eo->handle = 0;
	eo->object = NULL;
}

static const struct vm_pager_ops ext_pager_ops = {
	.name = "external",
	.haspage = ext_haspage,
	.getpages = ext_getpages,
	.putpages = ext_putpages,
	.dealloc = ext_dealloc,
};

/* ---- the pager's calls -------------------------------------------------- */

static void reply(struct ipc_msg *m, int error, uint64_t w0)
{
	m->tag = TAG(error, 0);
	m->w[0] = w0;
}

/*
 * VM_PAGER_CREATE: w0 = size in bytes -> w0 = handle. Size 0 is allowed
 * (an empty file): every access to it is past its end.
 */
void pager_request_create(struct proc *p, struct ipc_msg *m)
{
	struct ext_object *eo = NULL;
	vm_object_t object;
	int i;

	if (m->w[0] > MAX_OBJECT_SIZE) {
		reply(m, EINVAL, 0);
		return;
	}
	for (i = 0; i < MAX_EXT_OBJECTS && eo == NULL; i++)
		if (ext_objects[i].handle == 0)
			eo = &ext_objects[i];
	if (eo == NULL ||
	    (object = vm_object_allocate_pager(&ext_pager_ops, eo, atop(round_page(m->w[0])))) ==
		    NULL) {
		reply(m, ENOMEM, 0);
		return;
	}
	object->flags &= (uint32_t)~OBJ_ONEMAPPING;	/* meant to be shared */
	generation++;
	eo->handle = (uint32_t)(eo - ext_objects + 1) | (uint32_t)generation << 16;
	eo->object = object;
	eo->pager = p;
	eo->pager_ref = true;
	p->pager_objects++;
	reply(m, 0, eo->handle);
}

/* VM_PAGER_RELEASE: w0 = handle, of an object of the caller's. */
void pager_request_release(struct proc *p, struct ipc_msg *m)
{
	struct ext_object *eo = ext_lookup(m->w[0]);

	if (eo == NULL || eo->pager != p || !eo->pager_ref) {
		reply(m, EINVAL, 0);
		return;
	}
	eo->pager_ref = false;
	reply(m, 0, 0);
	vm_object_deallocate(eo->object);	/* may write back, close, free eo */
}

/*
 * VM_PAGER_WAIT: w0 = the request done (0: none), w1 = its result. An id
 * that is not the pager's current request is stale (it timed out): ignored.
 * A pager with no object left and nothing queued has nothing to wait for:
 * ENOENT (libpager's serve loop ends there).
 */
void pager_request_wait(struct proc *p, struct ipc_msg *m)
{
	struct pager_io *r = p->pager_current;

	if (r != NULL) {
		/* Answered, or (a new wait without the id) given up: either way, over. */
		p->pager_current = NULL;
		request_complete(r, m->w[0] == r->id && m->w[1] == 0);
	}
	if (p->pager_objects == 0 && p->pager_queue == NULL) {
		reply(m, ENOENT, 0);
		return;
	}
	p->pager_waiting = m->peer;
	m->peer = 0;
	pager_handover(p, m);
}

/* ---- a pager's death ----------------------------------------------------- */

void pager_proc_exit(struct proc *p)
{
	bool ref[MAX_EXT_OBJECTS];
	struct pager_io *r;
	int i;

	/*
	 * Its objects lose their pager first: ending a request wakes faults
	 * and calls (and dropping a reference may end an object), and what
	 * they ask of these objects must fail now - a request queued for a
	 * dying pager would never end.
	 */
	for (i = 0; i < MAX_EXT_OBJECTS; i++) {
		struct ext_object *eo = &ext_objects[i];

		ref[i] = false;
		if (eo->handle == 0 || eo->pager != p)
			continue;
		eo->pager = NULL;	/* its pages still serve; new ones fail */
		ref[i] = eo->pager_ref;
		eo->pager_ref = false;
	}
	p->pager_waiting = 0;
	if ((r = p->pager_current) != NULL) {
		p->pager_current = NULL;
		request_complete(r, false);
	}
	while ((r = p->pager_queue) != NULL) {
		p->pager_queue = r->next;
		request_complete(r, false);
	}
	p->pager_queue_tail = NULL;
	for (i = 0; i < MAX_EXT_OBJECTS; i++)
		if (ref[i])
			vm_object_deallocate(ext_objects[i].object);
}
