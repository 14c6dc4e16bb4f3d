/*
 * Devices, for drivers: the registers of one of the machine's devices
 * (QEMU virt's virtio-mmio transports), mapped into this process, and
 * memory a device can reach by its physical address (DMA). Both are
 * mappings of this process only: fork does not pass them on, munmap and
 * exit end them.
 */
#ifndef LIB_DEVICE_H
#define LIB_DEVICE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Maps the page of registers of device `index` (0, 1, ... in the boot's
 * list) read/write, and sets *pa (if not NULL) to its physical address.
 * Returns its address, or NULL with errno: EINVAL past the last device,
 * EBUSY while it is mapped (here or by another process), ENOMEM.
 */
void *device_map(int index, uint64_t *pa);

/*
 * bytes (at most DMA_MAX_PAGES pages, rounded up to pages) of zeroed,
 * physically contiguous memory that stays where it is (wired), read/write.
 * Returns its address and sets *pa to the physical address of its first
 * byte; or NULL with errno EINVAL (a size of 0 or too big), ENOMEM.
 */
void *dma_alloc(size_t bytes, uint64_t *pa);

#endif
