/*
 * Physical frames. RAM is split once, at boot, into
 *   - what is not ours (firmware, the device tree, the initrd),
 *   - the kernel: its image and a reserve for page tables and bitmaps,
 *   - the pool: every other frame, handed to the root task (the VM server).
 * The kernel remembers which frames are in the pool, so that it maps into
 * user space only frames the pager owns.
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include "fdt.h"
#include "uapi/abi.h"

struct frame_pool {
	struct boot_range range[BOOTINFO_MAX_RANGES];
	int nranges;
	uint64_t nframes;
};

/* Splits RAM as above; the pool's ranges are written to *pool. */
void frame_init(const struct machine_info *info, struct frame_pool *pool);

/* Takes the lowest pool frame for the kernel's boot-time loading of the root task. */
paddr_t frame_take_from_pool(struct frame_pool *pool);

struct space;

/* The pool belongs to this space from now on (the root task's). */
void frame_pool_set_owner(struct space *owner);

/* Which frames the pool's owner has: one bit per frame of RAM. */
struct pool_ownership {
	const struct space *owner;
	paddr_t ram_start;
	uint64_t ram_size;
	uint64_t *bitmap;
};
extern struct pool_ownership pool_ownership;

/* Is pa the start of a frame in the pool, and does s own the pool? */
static inline bool frame_owned_by(paddr_t pa, const struct space *s)
{
	const struct pool_ownership *p = &pool_ownership;
	uint64_t offset = pa - p->ram_start;	/* below RAM wraps: too big */
	uint64_t bit = offset >> PAGE_SHIFT;

	if (s != p->owner || offset >= p->ram_size || (pa & (PAGE_SIZE - 1)) != 0)
		return false;
	return (p->bitmap[bit / 64] >> (bit % 64)) & 1;
}

/*
 * Device registers (the virtio-mmio transports of the device tree): pages
 * outside RAM that the pool's owner may map too, for its drivers.
 */
void frame_devices_init(const struct machine_info *info);
bool frame_device_owned_by(paddr_t pa, const struct space *s);

/* The kernel reserve: zeroed frames for page tables. NULL when exhausted. */
void *frame_alloc_kernel(void);
void frame_free_kernel(void *page);
uint64_t frame_kernel_free_count(void);

#endif
