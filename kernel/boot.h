#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include "fdt.h"
#include "frame.h"
#include "thread.h"

/* Loads the root task from the initrd and gives it the pool. Returns its thread. */
struct thread *boot_root_task(const struct machine_info *info, struct frame_pool *pool);

#endif
