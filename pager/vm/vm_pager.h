/*
 * Backing stores. An object with a pager asks it for pages it does not have;
 * an anonymous object has none, and its missing pages are zero. Each kind of
 * store is an ops table (as MINIX's mem_type): the ELF image pager of the VM
 * server, external pager servers (issue 4), host-test pagers.
 */
#ifndef VM_VM_PAGER_H
#define VM_VM_PAGER_H

#include "vm.h"
#include "vm_page.h"

struct vm_object;

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
	 * object and busy. Returns KERN_SUCCESS (all filled) or KERN_FAILURE.
	 */
	int (*getpages)(struct vm_object *object, vm_page_t *ma, int count);
	/* The object is dying: let go of the store. May be NULL. */
	void (*dealloc)(struct vm_object *object);
};

#endif
