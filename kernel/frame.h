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

/* Is pa the start of a frame in the pool, and does s own the pool? */
bool frame_owned_by(paddr_t pa, const struct space *s);

/* The kernel reserve: zeroed frames for page tables. NULL when exhausted. */
void *frame_alloc_kernel(void);
void frame_free_kernel(void *page);
uint64_t frame_kernel_free_count(void);

#endif
