/* What the kernel learns from the flattened device tree at boot. */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include "kernel.h"

#define FDT_MAX_RESERVED 16
#define FDT_MAX_DEVICES  8

struct fdt_range {
	paddr_t start, end;			/* [start, end) */
};

struct machine_info {
	struct fdt_range ram;			/* first /memory node */
	struct fdt_range initrd;		/* empty when there is none */
	struct fdt_range dtb;			/* the blob itself */
	struct fdt_range reserved[FDT_MAX_RESERVED];
	int nreserved;				/* /reserved-memory and memreserve */
	int nharts;
	uint64_t timebase_hz;
	paddr_t test_device;			/* sifive,test0 (0x100000 on virt) */
	struct fdt_range devices[FDT_MAX_DEVICES];	/* virtio,mmio transports */
	int ndevices;
	const char *bootargs;			/* inside the blob; "" if none */
};

/* Parses the blob at dtb_pa; panics on a blob that is not a device tree. */
void fdt_read(paddr_t dtb_pa, struct machine_info *info);

#endif
