/*
 * The ends of pager I/O: what happens to the pages when a store has read or
 * written them (vm_pager.h). The start of a read is in vm_fault_getpages;
 * of a write, here (vm_pager_flush).
 */
#include "vm_pager.h"
#include "pmap.h"
#include "vm_object.h"

void vm_pager_getpages_done(vm_page_t *ma, int count, bool ok)
{
	vm_object_t object = ma[0]->object;
	int i;

	vm_cnt.v_io_faults += ok;	/* the fault that asked has its data */
	for (i = 0; i < count; i++) {
		VM_ASSERT(ma[i]->busy && ma[i]->object == object);
		ma[i]->busy = false;
		if (!ok) {
			vm_page_free(ma[i]);
			continue;
		}
		ma[i]->valid = true;
		/*
		 * It holds what the store holds: clean, whatever dirty bit the
		 * store's own writes left (a pager fills lent pages by writing them).
		 */
		ma[i]->dirty = false;
		/*
		 * The faulting page too: the fault that wanted it activates it
		 * when it maps it, and one that never comes (its process died)
		 * must not leave a valid page on no queue.
		 */
		vm_page_deactivate(ma[i]);
	}
	vm_object_pip_wakeup(object);
}

void vm_pager_getpages_abandon(vm_page_t *ma, int count)
{
	vm_object_t object = ma[0]->object;
	int i;

	for (i = 0; i < count; i++) {
		VM_ASSERT(ma[i]->busy && ma[i]->object == object);
		ma[i]->busy = false;
		vm_object_page_remove(ma[i]);
	}
	vm_object_pip_wakeup(object);
}

void vm_pager_putpages_done(vm_page_t *ma, int count, bool ok)
{
	vm_object_t object = ma[0]->object;
	int i;

	for (i = 0; i < count; i++) {
		VM_ASSERT(ma[i]->busy && ma[i]->object == object);
		ma[i]->busy = false;
		if (!ok)
			ma[i]->dirty = true;
	}
	vm_object_pip_wakeup(object);
}

int vm_pager_flush(vm_page_t *ma, int count)
{
	vm_object_t object = ma[0]->object;
	int i, rv;

	for (i = 0; i < count; i++) {
		VM_ASSERT(ma[i]->dirty && !ma[i]->busy && ma[i]->valid);
		/* A write from now on faults (vm_fault_dirty) and makes it dirty again. */
		pmap_remove_write(ma[i]);
		ma[i]->dirty = false;
		ma[i]->busy = true;
	}
	vm_object_pip_add(object);
	rv = object->pager->putpages(object, ma, count);
	if (rv != VM_PAGER_PEND)
		vm_pager_putpages_done(ma, count, rv == VM_PAGER_OK);
	return rv;
}
