/*
 * Devices for drivers (vm_proto.h: VM_DEVICE_MAP, VM_DMA_ALLOC). The kernel
 * lets the VM server map the device register pages boot_info lists (QEMU
 * virt's virtio-mmio transports); the server hands each to one process at a
 * time, and gives drivers memory a device can reach by physical address.
 * Both are map entries, so munmap, exit and fork treat them as they treat
 * any memory:
 *
 *   registers   a device entry (vm_map_insert_device): mapped when it is
 *               made, never served by a fault, never inherited by fork,
 *               removed by munmap and by exit.
 *   DMA memory  physically contiguous pages (vm_page_alloc_contig), zeroed,
 *               in an anonymous object of their own, wired as mlock() wires
 *               memory and never inherited: they cannot move or go while
 *               the device may use them, and exit frees them like any
 *               other wired memory.
 *
 * Invariant: a device's registers are mapped at most once in the system.
 * There is no claim to forget: a device is busy exactly while the entry
 * made for its last grant lives (device_busy asks the owner's map).
 */
#include <errno.h>
#include "vmserver.h"

struct device {
	vm_paddr_t pa;		/* its page of registers */
	int owner;		/* the pid it was last granted to (0: never) */
	vm_offset_t va;		/* ... and where */
};

static struct device devices[BOOTINFO_MAX_DEVICES];
static uint64_t ndevices;

void device_init(const struct boot_info *bi)
{
	for (ndevices = 0; ndevices < bi->ndevices && ndevices < BOOTINFO_MAX_DEVICES;
	     ndevices++)
		devices[ndevices].pa = bi->devices[ndevices].start;
}

/* Is d mapped still: is its last grant's entry there in a live owner's map? */
static bool device_busy(const struct device *d)
{
	struct proc *owner = d->owner != 0 ? proc_find(d->owner) : NULL;
	vm_map_entry_t e;

	if (owner == NULL || owner->state != PROC_ALIVE)
		return false;
	e = vm_map_lookup_entry(owner->map, d->va);
	return e != NULL && (e->eflags & MAP_ENTRY_DEVICE) && e->offset == atop(d->pa);
}

/* A free range of len bytes in p's mmap area: 0 and *va, or ENOMEM. */
static int find_room(struct proc *p, vm_offset_t len, vm_offset_t *va)
{
	*va = USER_MMAP_BASE;
	return vm_map_find_space(p->map, len, va) == KERN_SUCCESS ? 0 : ENOMEM;
}

int device_grant(struct proc *p, uint64_t index, vm_offset_t *va, vm_paddr_t *pa)
{
	struct device *d;
	int error;

	if (index >= ndevices)
		return EINVAL;
	d = &devices[index];
	if (device_busy(d))
		return EBUSY;
	if ((error = find_room(p, PAGE_SIZE, va)) != 0)
		return error;
	if (vm_map_insert_device(p->map, *va, d->pa) != KERN_SUCCESS)
		return ENOMEM;
	d->owner = p->pid;
	d->va = *va;
	*pa = d->pa;
	return 0;
}

/*
 * An anonymous object of npages zeroed, physically contiguous pages, or
 * NULL. The pages are valid and dirty (the device writes behind the MMU's
 * back: there is no telling when they are clean).
 */
static vm_object_t contig_object(uint64_t npages, vm_paddr_t *pa)
{
	vm_object_t object = vm_object_allocate(npages);
	vm_page_t first;
	uint64_t i;

	if (object == NULL)
		return NULL;
	if ((first = vm_page_alloc_contig(object, 0, npages)) == NULL) {
		vm_object_deallocate(object);
		return NULL;
	}
	for (i = 0; i < npages; i++) {
		vm_page_t m = first + i;

		if (!(m->flags & PG_ZERO))
			pmap_zero_page(m);
		m->flags &= (uint8_t)~PG_ZERO;
		m->valid = m->dirty = true;
		vm_page_activate(m);
	}
	*pa = first->phys;
	return object;
}

int dma_grant(struct proc *p, uint64_t bytes, vm_offset_t *va, vm_paddr_t *pa)
{
	vm_prot_t rw = VM_PROT_READ | VM_PROT_WRITE;
	vm_offset_t len = round_page(bytes);
	vm_object_t object;
	int error;

	if (bytes == 0 || bytes > ptoa(DMA_MAX_PAGES))
		return EINVAL;
	if ((error = find_room(p, len, va)) != 0)
		return error;
	if ((object = contig_object(atop(len), pa)) == NULL)
		return ENOMEM;
	if (vm_map_insert(p->map, object, 0, *va, *va + len, rw, rw, 0) != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return ENOMEM;
	}
	/* The map has the object now: deleting the range undoes everything. */
	if (vm_map_inherit(p->map, *va, *va + len, VM_INHERIT_NONE) != KERN_SUCCESS ||
	    vm_map_wire(p->map, *va, *va + len, NULL) != KERN_SUCCESS) {
		vm_map_delete(p->map, *va, *va + len);
		return ENOMEM;
	}
	return 0;
}
