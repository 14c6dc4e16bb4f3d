/*
 * A simulated store for host tests of the pager path: a "file" whose bytes
 * live in a byte array, served by a pager that answers at once (as the ELF
 * image pager does), or later (VM_PAGER_PEND, as an external pager does),
 * or either, request by request.
 *
 * A later answer is a queued request: the test ends it when it likes, in
 * any order, well or badly, with sim_pager_complete - which copies the data
 * between the store and the pages (through pmap_page_address), tells the
 * VM (vm_pager_getpages_done / vm_pager_putpages_done) and hands the
 * request back so that the test can wake what waited for its pages, as the
 * VM server's page_wakeup does.
 *
 * The pager checks what the VM gives it, and aborts (a test failure, with
 * the seed where there is one) when the VM breaks the contract of
 * vm_pager.h: a page-in gets consecutive, busy, invalid, clean, unmapped,
 * unwired pages of the object, inside it, none of them already being read
 * or written, and a page known to be zero (PG_ZERO) is zero; a page-out
 * gets consecutive, busy, valid pages whose dirty mark is clear and which
 * no mapping can write; and an object is let go (dealloc) only when no
 * request of its is queued.
 */
#ifndef TESTS_HOST_SIM_PAGER_H
#define TESTS_HOST_SIM_PAGER_H

#include "vm_map.h"

enum sim_mode {
	SIM_SYNC,	/* every answer at once */
	SIM_ASYNC,	/* every answer later */
	SIM_MIXED,	/* a coin decides, request by request */
};

struct sim_file;

/* One request: a page-in (getpages) or a page-out (putpages). */
struct sim_io {
	struct sim_file *file;
	vm_object_t object;
	bool write;
	bool by_dead_object;		/* its object had lost its last reference */
	vm_pindex_t pindex;		/* of ma[0] */
	int count;
	vm_page_t ma[VM_PAGER_MAX_CLUSTER];
};

struct sim_file {
	uint8_t *store;			/* npages pages */
	vm_pindex_t npages;
	enum sim_mode mode;
	unsigned fail_percent;		/* how often an answer at once is a failure */
	vm_object_t object;		/* the VM object over it, or NULL */
	/*
	 * Told of every answer, when the store has given it: from getpages
	 * or putpages for one at once (the VM then ends the request), from
	 * sim_pager_complete after the VM has heard for a later one. May be
	 * NULL.
	 */
	void (*answered)(struct sim_file *file, const struct sim_io *io, bool ok);
	void *owner;			/* the test's */
	/* Counts, and the last page-in that failed. */
	uint64_t reads, read_pages, writes, write_pages, failed_reads, failed_writes;
	uint64_t unchanged_writes;	/* pages written back with the store's bytes */
	uint64_t zero_pages;		/* pages a page-in got known to be zero (PG_ZERO) */
	vm_pindex_t failed_read_first;
	int failed_read_count;
};

/* A file of npages pages of zeros, served in `mode`, with no object yet. */
void sim_file_init(struct sim_file *file, vm_pindex_t npages, enum sim_mode mode);
void sim_file_destroy(struct sim_file *file);

/*
 * A new object over the file, which has none (the last one is gone): one
 * reference, the caller's. NULL when out of memory.
 */
vm_object_t sim_file_object(struct sim_file *file);

/*
 * Maps npages of the file from page offset at va in map, as the VM server's
 * VM_MMAP_OBJECT does: shared (writes reach the object, fork shares it) or
 * private (copy-on-write over it). The map takes a reference on
 * file->object. Returns vm_map_insert's result.
 */
int sim_file_map(struct sim_file *file, vm_map_t map, vm_offset_t va, vm_pindex_t offset,
		 vm_pindex_t npages, vm_prot_t prot, bool shared);

/* Can any mapping of m write it - by the pmap's record, or in the simulated MMU? */
bool sim_page_writable(vm_page_t m);

/* Did the last failed page-in of the file cover pindex? */
bool sim_file_read_failed(const struct sim_file *file, vm_pindex_t pindex);

/* Forgets every queued request (a fresh machine is booting). */
void sim_pager_reset(void);

/* The requests queued, oldest first: sim_pager_request(0 .. pending - 1). */
int sim_pager_pending(void);
const struct sim_io *sim_pager_request(int i);
/* Is m one of the pages of a queued request? */
bool sim_pager_page_queued(vm_page_t m);
/* Requests queued for object. */
int sim_pager_object_pending(vm_object_t object);

/*
 * Ends queued request i: the store answers ok or not (a failed page-in
 * leaves garbage in the pages, a failed page-out garbage in the store, as a
 * torn write may), the VM hears, then file->answered. *done gets the
 * request, whose pages the caller may now wake; they may be free already.
 */
void sim_pager_complete(int i, bool ok, struct sim_io *done);

/* Ends every queued request, oldest first, all ok or all failed. */
void sim_pager_complete_all(bool ok);

#endif
