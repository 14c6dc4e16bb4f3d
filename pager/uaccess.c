/*
 * The VM server reading and writing a process's memory. It owns every
 * frame, so it could write anywhere; it does what the process itself would
 * do instead - a fault of the right kind makes the page resident (copying it
 * if it is copy-on-write) and checks the protection - then it copies
 * through the pool window. (FreeBSD's copyin/copyout, for a server.)
 */
#include <errno.h>
#include <string.h>
#include "vmserver.h"

/*
 * A page a pager has not supplied yet (KERN_PENDING: its page-in has
 * started, or another's is under way) counts as bad memory: the server
 * cannot wait in the middle of a call, and a process whose signal frame or
 * context is not in memory ends as one with a bad stack does.
 */
static int kern_to_errno(int rv)
{
	return rv == KERN_RESOURCE_SHORTAGE ? -ENOMEM : -EFAULT;
}

static int copy(struct proc *p, vm_offset_t va, void *buf, size_t len, bool out)
{
	while (len > 0) {
		size_t chunk = PAGE_SIZE - (va & PAGE_MASK);
		struct vm_fault_info info;	/* where a pending fault says what it waits for */
		uint8_t *page;
		vm_page_t m;
		int rv;

		if (chunk > len)
			chunk = len;
		rv = vm_fault(p->map, va, out ? VM_PROT_WRITE : VM_PROT_READ,
			      out ? VM_FAULT_DIRTY : VM_FAULT_NORMAL, &info);
		if (rv != KERN_SUCCESS)
			return kern_to_errno(rv);
		m = pmap_lookup(p->map->pmap, trunc_page(va), NULL);
		page = (uint8_t *)pmap_page_address(m) + (va & PAGE_MASK);
		if (out)
			memcpy(page, buf, chunk);
		else
			memcpy(buf, page, chunk);
		va += chunk;
		buf = (uint8_t *)buf + chunk;
		len -= chunk;
	}
	return 0;
}

int copyin(struct proc *p, vm_offset_t va, void *dst, size_t len)
{
	return copy(p, va, dst, len, false);
}

int copyout(struct proc *p, vm_offset_t va, const void *src, size_t len)
{
	return copy(p, va, (void *)src, len, true);
}
