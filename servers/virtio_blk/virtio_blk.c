/*
 * virtio_blk: the block device driver, a server. It finds the virtio block
 * device among the machine's virtio-mmio transports (VM_DEVICE_MAP), sets
 * it up, registers the service BLK_SERVICE and serves reads and writes of
 * sectors (blk_proto.h), one request per ipc_reply_wait.
 *
 * The transport is virtio-mmio version 2, virtio 1.x's "modern" interface:
 * each part of the queue has its own 64-bit physical address and features
 * are agreed on with FEATURES_OK - no page-size and alignment arithmetic
 * as in the legacy version 1. QEMU 7.2 offers version 1 unless it is told
 * otherwise: tools/qemu-run --disk starts it with
 * -global virtio-mmio.force-legacy=false. (A legacy device is refused with
 * a line that says so.)
 *
 * One virtqueue of VIRTQ_SIZE descriptors, of which a request uses three:
 * header (the device reads), data (reads or writes), status (writes). The
 * queue and the request's buffers are one DMA allocation; data goes
 * through it as through a bounce buffer, from or to the IPC buffer. The
 * server serves one request at a time and has no interrupts: it polls the
 * used ring and yields between polls, so that other threads - QEMU's I/O
 * does not need us - go on running.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "blk_proto.h"
#include "device.h"
#include "kern.h"
#include "libuser.h"
#include "service.h"
#include "virtio_mmio.h"

#define BLK_DATA_MAX (BLK_MAX_SECTORS * BLK_SECTOR_SIZE)

/*
 * Everything the device reads or writes, in one physically contiguous
 * allocation: the queue's three parts, aligned as the specification asks
 * (16, 2 and 4 bytes), and one request. Its physical address plus a
 * field's offset is where the device finds that field.
 */
struct dma_area {
	struct virtq_desc desc[VIRTQ_SIZE] __attribute__((aligned(16)));
	struct virtq_avail avail __attribute__((aligned(2)));
	struct virtq_used used __attribute__((aligned(4)));
	struct virtio_blk_req_header header;
	uint8_t data[BLK_DATA_MAX];
	uint8_t status;
};

static volatile uint32_t *regs;		/* the transport's registers */
static uint64_t regs_pa;
static struct dma_area *dma;
static uint64_t dma_pa;
static uint16_t used_seen;		/* used.idx up to which we have looked */
static uint64_t capacity;		/* in sectors */

static uint32_t reg_read(uint32_t offset)
{
	return regs[offset / 4];
}

static void reg_write(uint32_t offset, uint32_t value)
{
	regs[offset / 4] = value;
}

/* A 64-bit value into a LOW/HIGH register pair. */
static void reg_write64(uint32_t low, uint64_t value)
{
	reg_write(low, (uint32_t)value);
	reg_write(low + 4, (uint32_t)(value >> 32));
}

/* Where the device finds a field of the DMA area. */
#define DMA_PA(field) (dma_pa + offsetof(struct dma_area, field))

static void __attribute__((noreturn)) give_up(const char *why)
{
	printf("virtio_blk: %s\n", why);
	exit(1);
}

/*
 * Maps every device of the boot's list in turn until one is a virtio
 * block device; the others are unmapped again, for other drivers. Returns
 * false when there is none.
 */
static bool find_device(void)
{
	int i;

	for (i = 0;; i++) {
		regs = device_map(i, &regs_pa);
		if (regs == NULL && errno == EBUSY)
			continue;	/* another driver's */
		if (regs == NULL)
			return false;	/* past the last one (EINVAL) */
		if (reg_read(VIRTIO_MMIO_MAGIC_VALUE) == VIRTIO_MAGIC &&
		    reg_read(VIRTIO_MMIO_DEVICE_ID) == VIRTIO_DEVICE_BLOCK)
			return true;
		munmap((void *)regs, 4096);
	}
}

static void add_status(uint32_t bit)
{
	reg_write(VIRTIO_MMIO_STATUS, reg_read(VIRTIO_MMIO_STATUS) | bit);
}

/*
 * The features we take: VERSION_1 alone - plain reads and writes need no
 * other - then FEATURES_OK, which the device keeps set only if it agrees.
 */
static bool agree_on_features(void)
{
	reg_write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	if (!(reg_read(VIRTIO_MMIO_DEVICE_FEATURES) & (1u << (VIRTIO_F_VERSION_1 - 32))))
		return false;
	reg_write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	reg_write(VIRTIO_MMIO_DRIVER_FEATURES, 0);
	reg_write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	reg_write(VIRTIO_MMIO_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));
	add_status(VIRTIO_STATUS_FEATURES_OK);
	return (reg_read(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) != 0;
}

/* Queue 0: its size and the physical addresses of its parts. */
static bool set_up_queue(void)
{
	reg_write(VIRTIO_MMIO_QUEUE_SEL, 0);
	if (reg_read(VIRTIO_MMIO_QUEUE_READY) != 0 ||
	    reg_read(VIRTIO_MMIO_QUEUE_NUM_MAX) < VIRTQ_SIZE)
		return false;
	reg_write(VIRTIO_MMIO_QUEUE_NUM, VIRTQ_SIZE);
	dma->avail.flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	reg_write64(VIRTIO_MMIO_QUEUE_DESC_LOW, DMA_PA(desc));
	reg_write64(VIRTIO_MMIO_QUEUE_DRIVER_LOW, DMA_PA(avail));
	reg_write64(VIRTIO_MMIO_QUEUE_DEVICE_LOW, DMA_PA(used));
	reg_write(VIRTIO_MMIO_QUEUE_READY, 1);
	return true;
}

/* The disk's size: a 64-bit field read in two halves, until no change came between. */
static uint64_t read_capacity(void)
{
	uint32_t generation, low, high;

	do {
		generation = reg_read(VIRTIO_MMIO_CONFIG_GENERATION);
		low = reg_read(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CONFIG_CAPACITY);
		high = reg_read(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CONFIG_CAPACITY + 4);
	} while (generation != reg_read(VIRTIO_MMIO_CONFIG_GENERATION));
	return (uint64_t)high << 32 | low;
}

/* The initialisation of 3.1.1, step by step; exits if the device will not. */
static void start_device(void)
{
	if (reg_read(VIRTIO_MMIO_VERSION) != 2)
		give_up("the device is legacy virtio-mmio (version 1): start QEMU with "
			"-global virtio-mmio.force-legacy=false");
	if ((dma = dma_alloc(sizeof(*dma), &dma_pa)) == NULL)
		give_up("no DMA memory");
	reg_write(VIRTIO_MMIO_STATUS, 0);	/* reset: done when it reads 0 */
	while (reg_read(VIRTIO_MMIO_STATUS) != 0)
		k_yield();
	add_status(VIRTIO_STATUS_ACKNOWLEDGE);
	add_status(VIRTIO_STATUS_DRIVER);
	if (!agree_on_features() || !set_up_queue()) {
		add_status(VIRTIO_STATUS_FAILED);
		give_up("the device refused its set-up");
	}
	capacity = read_capacity();
	add_status(VIRTIO_STATUS_DRIVER_OK);
}

/* Descriptor i: a buffer at pa; the chain goes on at i + 1 if flags say NEXT. */
static void describe(int i, uint64_t pa, uint32_t len, uint16_t flags)
{
	dma->desc[i] = (struct virtq_desc){ .addr = pa, .len = len, .flags = flags,
					    .next = (uint16_t)(i + 1) };
}

/*
 * One request: count sectors from `sector` between the disk and dma->data,
 * in the direction of type (VIRTIO_BLK_T_IN or _OUT). Waits for the device
 * to finish; returns 0 or EIO.
 */
static int transfer(uint32_t type, uint64_t sector, uint32_t count)
{
	volatile uint16_t *avail_idx = &dma->avail.idx, *used_idx = &dma->used.idx;
	uint16_t data_flags = type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0;

	dma->header = (struct virtio_blk_req_header){ .type = type, .sector = sector };
	dma->status = 0xff;	/* the device overwrites it */
	describe(0, DMA_PA(header), sizeof(dma->header), VIRTQ_DESC_F_NEXT);
	describe(1, DMA_PA(data), count * BLK_SECTOR_SIZE, VIRTQ_DESC_F_NEXT | data_flags);
	describe(2, DMA_PA(status), 1, VIRTQ_DESC_F_WRITE);
	dma->avail.ring[*avail_idx % VIRTQ_SIZE] = 0;	/* the chain's head */
	__sync_synchronize();	/* the chain before the index that offers it (2.7.13) */
	*avail_idx = (uint16_t)(*avail_idx + 1);
	__sync_synchronize();	/* the index before the notification */
	reg_write(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	while (*used_idx == used_seen)
		k_yield();
	__sync_synchronize();	/* the device's writes before our reads of them */
	used_seen++;
	return dma->status == VIRTIO_BLK_S_OK ? 0 : EIO;
}

/* A client's range: 1..BLK_MAX_SECTORS sectors, all on the disk. */
static bool range_ok(uint64_t sector, uint64_t count)
{
	return count >= 1 && count <= BLK_MAX_SECTORS && sector < capacity &&
	       count <= capacity - sector;
}

/* BLK_READ: the sectors go back in the reply's buffer. */
static void blk_read(struct ipc_msg *m)
{
	uint64_t sector = m->w[0], count = m->w[1];
	int error = range_ok(sector, count) ? transfer(VIRTIO_BLK_T_IN, sector, (uint32_t)count)
					    : EINVAL;

	if (error == 0)
		memcpy(ipc_buffer, dma->data, count * BLK_SECTOR_SIZE);
	m->tag = TAG(error, error == 0 ? count * BLK_SECTOR_SIZE : 0);
}

/* BLK_WRITE: the sectors come in the request's buffer, exactly count of them. */
static void blk_write(struct ipc_msg *m)
{
	uint64_t sector = m->w[0], count = m->w[1];
	int error = EINVAL;

	if (range_ok(sector, count) && !(m->tag & TAG_TRUNCATED) &&
	    TAG_BUFLEN(m->tag) == count * BLK_SECTOR_SIZE) {
		memcpy(dma->data, ipc_buffer, count * BLK_SECTOR_SIZE);
		error = transfer(VIRTIO_BLK_T_OUT, sector, (uint32_t)count);
	}
	m->tag = TAG(error, 0);
}

static void __attribute__((noreturn)) serve(int slot)
{
	struct ipc_msg m = { 0 };

	for (;;) {
		ipc_reply_wait((uint64_t)slot, &m);
		if ((int64_t)m.tag < 0) {	/* the last reply found no one: wait on */
			m = (struct ipc_msg){ 0 };
			continue;
		}
		switch (TAG_LABEL(m.tag)) {
		case BLK_INFO:
			m.tag = TAG(0, 0);
			m.w[0] = capacity;
			break;
		case BLK_READ:
			blk_read(&m);
			break;
		case BLK_WRITE:
			blk_write(&m);
			break;
		default:
			m.tag = TAG(ENOSYS, 0);
			break;
		}
	}
}

int main(void)
{
	int slot;

	if (!find_device())
		give_up("no virtio block device");
	start_device();
	if ((slot = service_register(BLK_SERVICE)) < 0) {
		printf("virtio_blk: cannot register %s (errno %d)\n", BLK_SERVICE, errno);
		return 1;
	}
	printf("virtio_blk: %lu sectors at %#lx\n", (unsigned long)capacity,
	       (unsigned long)regs_pa);
	serve(slot);
}
