/*
 * Backing stores. An object with a pager asks it for pages it does not have,
 * and gives it back the dirty ones; an anonymous object has none, and its
 * missing pages are zero. Each kind of store is an ops table (as MINIX's
 * mem_type): the ELF image pager of the VM server, external pager servers
 * (pager/extpager.c), host-test pagers.
 *
 * A store may answer at once or later. Later (VM_PAGER_PEND) is how an
 * external pager works: the VM server keeps serving while the pager reads,
 * and the pages wait busy - a fault that meets a busy page waits for it
 * (vm_fault returns KERN_PENDING) - until the pager calls the matching
 * *_done function below. Meanwhile the object is "paging in progress"
 * (vm_object_pip_add): it is not freed under the I/O.
 */
#ifndef VM_VM_PAGER_H
#define VM_VM_PAGER_H

#include "vm.h"
#include "vm_page.h"

struct vm_object;

/* What getpages and putpages return (FreeBSD's VM_PAGER_*). */
enum vm_pager_result {
	VM_PAGER_OK,		/* done, now */
	VM_PAGER_PEND,		/* started: a *_done call will finish it */
	VM_PAGER_ERROR,		/* the store failed */
};

/* The most pages one getpages or putpages call moves. */
#define VM_PAGER_MAX_CLUSTER 128

struct vm_pager_ops {
	const char *name;
	/*
	 * Does the store hold page pindex? If so, *before and *after say how
	 * many neighbouring pages it also holds, contiguously, on each side.
	 */
	bool (*haspage)(struct vm_object *object, vm_pindex_t pindex,
			int *before, int *after);
	/*
	 * Fills ma[0..count): pages of consecutive indices, allocated in the
	 * object and busy - not zeroed: vm_page_alloc(VM_ALLOC_ZERO) prefers
	 * pages known to be zero, and PG_ZERO in a page's flags says whether
	 * it got one. A store that lets anyone see a page before filling all
	 * of it zeroes the others first (extpager.c lends them to a pager). A
	 * VM_PAGER_PEND store keeps a copy of the array for
	 * vm_pager_getpages_done.
	 */
	int (*getpages)(struct vm_object *object, vm_page_t *ma, int count);
	/*
	 * Stores ma[0..count): consecutive, busy, write-protected pages whose
	 * dirty mark has been cleared. NULL: the store takes no writes (its
	 * dirty pages are simply dropped with the object).
	 */
	int (*putpages)(struct vm_object *object, vm_page_t *ma, int count);
	/* The object is dying: let go of the store. May be NULL. */
	void (*dealloc)(struct vm_object *object);
};

/*
 * A pending getpages ended: on success the pages become valid (and wait on
 * the inactive queue for their faults); on failure they are freed. Either
 * way they are no longer busy, and waiters must be woken by the caller.
 */
void vm_pager_getpages_done(vm_page_t *ma, int count, bool ok);

/*
 * A pending getpages failed, but its pages cannot be freed yet (the store
 * may still write to them): they leave the object, unbusied, as after a
 * failed read, and the caller frees them with vm_page_free later.
 */
void vm_pager_getpages_abandon(vm_page_t *ma, int count);

/*
 * A pending putpages ended. On failure the pages are dirty again (their
 * data is still only in memory); either way they are no longer busy.
 */
void vm_pager_putpages_done(vm_page_t *ma, int count, bool ok);

/*
 * Writes back ma[0..count) (dirty, consecutive pages of one object whose
 * pager has putpages): marks them busy and clean, write-protects them so
 * that the next write faults and dirties them again, and hands them to the
 * pager (FreeBSD's vm_pageout_flush). Returns the pager's result.
 */
int vm_pager_flush(vm_page_t *ma, int count);

#endif
