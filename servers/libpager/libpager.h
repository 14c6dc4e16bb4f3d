/*
 * libpager: a pager server in a few lines.
 *
 * A pager supplies the pages of VM objects: the VM server asks it for data
 * when a fault needs a page nobody has in memory, and gives it back the
 * pages programs wrote through shared mappings. The VM server keeps the
 * pages, decides what to read ahead and when to write back; the pager only
 * moves data between its store and the pages it is lent.
 *
 *	static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
 *	{
 *		... write len bytes of the object, from offset, to pages ...
 *		return 0;
 *	}
 *	static const struct pager_ops ops = { .fill = fill };
 *
 *	uint32_t handle = pager_create(&ops, cookie, size);
 *	... give the handle to a client, which maps it with pager_map() ...
 *	pager_release(handle);		the object lives while it is mapped
 *	pager_serve();			until its last mapping goes
 *
 * docs/writing-a-pager.md tells the whole story.
 */
#ifndef LIBPAGER_H
#define LIBPAGER_H

#include <stddef.h>
#include <stdint.h>

struct pager_ops {
	/*
	 * Fills len bytes at `pages` (zeroed) with the object's data from
	 * `offset`. len is whole pages, except at the object's end: the last
	 * page is filled only up to the object's size, and its tail stays
	 * zero. Returns 0, or an errno value: the fault that asked for these
	 * pages then gets SIGBUS (others that waited for them ask again).
	 */
	int (*fill)(void *cookie, uint64_t offset, void *pages, size_t len);
	/*
	 * Stores len bytes of written pages back at `offset` (len stops at
	 * the object's size, as fill's does). 0 or an errno
	 * value (the pages stay dirty; msync reports EIO). NULL: the object
	 * is read-only, and writing it back fails with EROFS.
	 */
	int (*writeback)(void *cookie, uint64_t offset, const void *pages, size_t len);
	/* The object's last reference went (after its last write-back). May be NULL. */
	void (*close)(void *cookie);
};

/* A new object of `size` bytes served by ops: its handle, or 0 with errno set. */
uint32_t pager_create(const struct pager_ops *ops, void *cookie, uint64_t size);

/*
 * Lets go of the pager's own reference: the object then lives as long as
 * some process maps it, and closes when the last mapping goes.
 */
int pager_release(uint32_t handle);

/*
 * Waits for one request and answers it. Returns 0, or ENOENT when this
 * process serves no object any more.
 */
int pager_serve_one(void);

/* Serves requests until no object of this process is left. */
void pager_serve(void);

/*
 * The client's side: maps `len` bytes of the object from `offset` (page-
 * aligned), as mmap would (MAP_SHARED or MAP_PRIVATE, maybe MAP_FIXED).
 * Returns the address, or MAP_FAILED with errno set.
 */
void *pager_map(void *addr, size_t len, int prot, int flags, uint32_t handle,
		uint64_t offset);

/*
 * The conformance test (tests/pager/conformance.c) runs against any pager
 * written with this library. The pager's file names the object to test
 * with one line at file scope:
 *
 *	PAGER_CONFORMANCE(&ops, cookie, size);
 *
 * The test's build compiles the file with its main renamed (-Dmain=
 * pager_own_main: it never runs) and links it with the harness, whose main
 * calls pager_conformance_object() first thing, creates the object from
 * what it returns and serves it, while child processes map and probe it.
 * The three expressions are evaluated then, in the pager's process, so
 * they may call functions that set up the cookie.
 *
 *	make conformance PAGER=path/to/pager.c
 *
 * docs/writing-a-pager.md lists what is checked.
 */
struct pager_conformance {
	const struct pager_ops *ops;
	void *cookie;
	uint64_t size;		/* bytes, as for pager_create */
};

struct pager_conformance pager_conformance_object(void);

/* (The declaration at the end is there to take the caller's semicolon.) */
#define PAGER_CONFORMANCE(ops_, cookie_, size_)                                    \
	struct pager_conformance pager_conformance_object(void)                    \
	{                                                                          \
		return (struct pager_conformance){ (ops_), (cookie_), (size_) };   \
	}                                                                          \
	struct pager_conformance pager_conformance_object(void)

#endif
