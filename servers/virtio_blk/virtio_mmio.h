/*
 * The virtio-mmio transport, version 2 ("modern", virtio 1.x), its split
 * virtqueues and the block device's requests: the parts of the virtio 1.1
 * specification a polling driver needs (sections 2.6, 4.2.2 and 5.2).
 * Registers are 32 bits wide and little-endian, as RISC-V is.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <stdint.h>

/* Register offsets (4.2.2). */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000	/* VIRTIO_MAGIC */
#define VIRTIO_MMIO_VERSION		0x004	/* 2; 1 is the legacy interface */
#define VIRTIO_MMIO_DEVICE_ID		0x008	/* 0: no device behind it */
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010	/* 32 feature bits ... */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014	/* ... of word n */
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030	/* the queue the next five are about */
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050	/* write a queue's number: it has work */
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080	/* physical addresses of the three */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084	/* parts of the queue */
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090	/* (the available ring) */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0	/* (the used ring) */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc	/* changes when the config does */
#define VIRTIO_MMIO_CONFIG		0x100	/* the device type's configuration */

#define VIRTIO_MAGIC		0x74726976	/* "virt" */
#define VIRTIO_DEVICE_BLOCK	2

/* Device status bits, set one after another as initialisation goes (3.1.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	1	/* we saw the device */
#define VIRTIO_STATUS_DRIVER		2	/* we can drive it */
#define VIRTIO_STATUS_DRIVER_OK		4	/* set up: go */
#define VIRTIO_STATUS_FEATURES_OK	8	/* we agree on the features */
#define VIRTIO_STATUS_FAILED		128	/* we gave up */

#define VIRTIO_F_VERSION_1	32	/* feature bit: the device is modern */

/*
 * A split virtqueue (2.6) of VIRTQ_SIZE descriptors. The driver offers a
 * chain of descriptors - buffers by physical address - by putting its head
 * in the available ring and advancing avail.idx; the device hands it back
 * through the used ring and used.idx. Indexes run freely and wrap at 2^16.
 */
#define VIRTQ_SIZE 8

#define VIRTQ_DESC_F_NEXT	1	/* the chain goes on at `next` */
#define VIRTQ_DESC_F_WRITE	2	/* the device writes this buffer (else reads it) */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1	/* we poll: no interrupts, please */

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;			/* where the driver puts the next entry */
	uint16_t ring[VIRTQ_SIZE];	/* heads of chains */
	uint16_t used_event;
};

struct virtq_used_elem {
	uint32_t id;			/* the head of a chain done with */
	uint32_t len;			/* bytes the device wrote */
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;			/* where the device puts the next entry */
	struct virtq_used_elem ring[VIRTQ_SIZE];
	uint16_t avail_event;
};

/* Block requests (5.2.6): a header, the data, a status byte the device writes. */
#define VIRTIO_BLK_T_IN		0	/* read */
#define VIRTIO_BLK_T_OUT	1	/* write */
#define VIRTIO_BLK_S_OK		0

struct virtio_blk_req_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;		/* in 512-byte sectors, whatever the block size */
};

/* The block device's configuration starts with its size, in 512-byte sectors. */
#define VIRTIO_BLK_CONFIG_CAPACITY 0

#endif
