/*
 * Address maps: a process's address space as a set of entries, each mapping
 * [start, end) to an object from `offset`, with protections, inheritance
 * and copy-on-write state. Entries are kept twice: in an AVL tree keyed by
 * start, so that a fault finds its entry in O(log n) however many there are,
 * and on a list in address order, for walks over ranges.
 */
#ifndef VM_VM_MAP_H
#define VM_VM_MAP_H

#include "vm.h"
#include "vm_object.h"
#include "pmap.h"

/* eflags */
#define MAP_ENTRY_COW         0x01	/* private: writes go to a copy */
#define MAP_ENTRY_NEEDS_COPY  0x02	/* ... and the copy's object is not made yet */
#define MAP_ENTRY_USER_WIRED  0x04	/* mlock()ed */
#define MAP_ENTRY_DEVICE      0x08	/* a device's registers (vm_map_insert_device) */
#define MAP_ENTRY_WIRING      0x10	/* wired by a vm_map_wire not finished yet */

/* inheritance at fork, as FreeBSD's minherit() */
#define VM_INHERIT_SHARE 0
#define VM_INHERIT_COPY  1
#define VM_INHERIT_NONE  2

/* behavior, as madvise() sets it */
#define MAP_BEHAV_NORMAL     0
#define MAP_BEHAV_RANDOM     1
#define MAP_BEHAV_SEQUENTIAL 2

typedef struct vm_map_entry {
	struct vm_map_entry *left, *right;	/* AVL children */
	struct vm_map_entry *prev, *next;	/* address order */
	int height;				/* AVL height of this subtree */
	vm_offset_t start, end;
	vm_object_t object;			/* NULL: anonymous, not yet touched */
	vm_pindex_t offset;			/* object page index at start */
	vm_prot_t protection, max_protection;
	uint8_t inheritance;
	uint8_t behavior;
	uint16_t eflags;
	uint16_t wired_count;
	uint8_t read_ahead;			/* pages of the last read-ahead */
	vm_offset_t next_read;			/* where a sequential reader faults next */
} *vm_map_entry_t;

typedef struct vm_map {
	vm_map_entry_t root;			/* AVL tree */
	vm_map_entry_t first, last;		/* address order */
	vm_map_entry_t hint;			/* the last entry a lookup found */
	int nentries;
	vm_offset_t min_offset, max_offset;
	pmap_t pmap;
	uint32_t timestamp;			/* changes with every change of the map */
} *vm_map_t;

void vm_map_startup(void);

/* A new, empty map of [min, max) with its own pmap; NULL when out of memory. */
vm_map_t vm_map_create(vm_offset_t min, vm_offset_t max);
/* Removes every entry, then the pmap and the map. */
void vm_map_destroy(vm_map_t map);

/* The tree search behind vm_map_lookup_entry. */
vm_map_entry_t vm_map_search(vm_map_t map, vm_offset_t addr);

/* The entry containing addr, or NULL. O(log n); the hint makes repeats O(1). */
static inline vm_map_entry_t vm_map_lookup_entry(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t e = map->hint;

	if (e != NULL && addr >= e->start && addr < e->end)
		return e;
	return vm_map_search(map, addr);
}

/*
 * Maps [start, end) to object from offset (object may be NULL: anonymous
 * memory, created at first touch). The range must be free. The caller's
 * reference on object passes to the map. cow is 0 or MAP_ENTRY_COW |
 * MAP_ENTRY_NEEDS_COPY (or MAP_ENTRY_DEVICE, from vm_map_insert_device). Returns KERN_SUCCESS, KERN_NO_SPACE (range in use or
 * outside the map), KERN_INVALID_ARGUMENT, or KERN_RESOURCE_SHORTAGE.
 */
int vm_map_insert(vm_map_t map, vm_object_t object, vm_pindex_t offset,
		  vm_offset_t start, vm_offset_t end, vm_prot_t prot, vm_prot_t max,
		  int cow);

/*
 * Maps the page of device registers at pa to [start, start + PAGE_SIZE),
 * read/write, never executable. A device entry has no object (its offset
 * is the frame number, atop(pa)), and its page is mapped now, unmanaged
 * (pmap_enter_unmanaged), for as long as the entry lives: no fault ever
 * serves it - vm_map_lookup refuses one, so nothing is zero-filled there -
 * fork leaves it out, mprotect cannot change it, munmap and exit remove it.
 * Returns as vm_map_insert.
 */
int vm_map_insert_device(vm_map_t map, vm_offset_t start, vm_paddr_t pa);

/* Finds `length` free bytes at or above *addr (first fit); KERN_NO_SPACE if none. */
int vm_map_find_space(vm_map_t map, vm_offset_t length, vm_offset_t *addr);

/* Unmaps [start, end), clipping entries at its edges. */
int vm_map_delete(vm_map_t map, vm_offset_t start, vm_offset_t end);

/* Sets the protection of [start, end); fails if it exceeds an entry's max. */
int vm_map_protect(vm_map_t map, vm_offset_t start, vm_offset_t end, vm_prot_t prot);

/*
 * The map of a forked child (FreeBSD's vmspace_fork): entries inherited as
 * VM_INHERIT_COPY become copy-on-write and needs-copy in both maps and the
 * parent's writable mappings read-only; VM_INHERIT_SHARE entries share their
 * object; VM_INHERIT_NONE ones are left out. NULL when out of memory.
 */
vm_map_t vm_map_fork(vm_map_t old);

/* minherit(): the inheritance of [start, end), which must be mapped. */
int vm_map_inherit(vm_map_t map, vm_offset_t start, vm_offset_t end, int inheritance);

/* madvise() advice, as the VM core knows it (the server maps <sys/mman.h>'s onto these). */
#define MADV_NORMAL_VM     0
#define MADV_RANDOM_VM     1
#define MADV_SEQUENTIAL_VM 2
#define MADV_WILLNEED_VM   3	/* map the resident pages now */
#define MADV_DONTNEED_VM   4	/* lower the pages' priority; the data stays */
int vm_map_madvise(vm_map_t map, vm_offset_t start, vm_offset_t end, int advice);

/*
 * mlock()/munlock(): fault in and wire every page of [start, end) (copies
 * made now), or unwire them. The range must be mapped. A wire that fails
 * leaves the range as it found it. KERN_PENDING: a page is busy with pager
 * I/O - the waiting fault's info in *pending: its busy page, and whether it
 * started that page-in; wait for the page and call again (what is wired
 * stays wired, and is not wired twice). pending may be NULL where no pager
 * answers later.
 */
struct vm_fault_info;
int vm_map_wire(vm_map_t map, vm_offset_t start, vm_offset_t end,
		struct vm_fault_info *pending);
/* A wire that waited (KERN_PENDING) and will not be called again: undone. */
void vm_map_wire_cancel(vm_map_t map, vm_offset_t start, vm_offset_t end);
int vm_map_unwire(vm_map_t map, vm_offset_t start, vm_offset_t end);

/*
 * msync(): writes back the dirty pages that [start, end) maps from objects
 * whose store takes writes; with `invalidate`, once they are clean, frees
 * the resident pages there, so that the next access reads the store again
 * (MS_INVALIDATE). Returns VM_PAGER_OK, PEND (wait for *busy, then call
 * again) or ERROR, as vm_object_page_clean does.
 */
int vm_map_sync(vm_map_t map, vm_offset_t start, vm_offset_t end, bool invalidate,
		vm_page_t *busy);

/* Is every page of [start, end) mapped by some entry? */
bool vm_map_range_mapped(vm_map_t map, vm_offset_t start, vm_offset_t end);

/*
 * For a fault at vaddr of type fault_type: finds the entry, checks the
 * access, makes the shadow object a needs-copy entry wants for a write (as
 * vm_map_lookup does) and the object of an untouched anonymous entry.
 * Returns KERN_SUCCESS with the entry, object, page index in it and the
 * protection to map with; or KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE,
 * KERN_RESOURCE_SHORTAGE.
 */
int vm_map_lookup(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
		  vm_map_entry_t *entry, vm_object_t *object, vm_pindex_t *pindex,
		  vm_prot_t *prot, bool *wired);

/* Checks the tree, the list and the entries against each other. */
void vm_map_validate(vm_map_t map);

#endif
