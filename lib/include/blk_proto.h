/*
 * The block driver's protocol (servers/virtio_blk): ordinary IPC calls on
 * the cap service_lookup(BLK_SERVICE, ...) gives. The disk is an array of
 * BLK_SECTOR_SIZE-byte sectors, read and written up to BLK_MAX_SECTORS at
 * a time - one IPC buffer. The reply's label is 0 or an errno value:
 * EINVAL for a bad request (a count of 0 or above BLK_MAX_SECTORS, sectors
 * past the disk's end, a write buffer of another length than count
 * sectors), EIO when the device fails, ENOSYS for an unknown label.
 */
#ifndef LIB_BLK_PROTO_H
#define LIB_BLK_PROTO_H

#define BLK_SERVICE     "virtio_blk"
#define BLK_SECTOR_SIZE 512
#define BLK_MAX_SECTORS 8

enum blk_request {
	BLK_INFO = 1,	/* -> w0 = the disk's size in sectors */
	BLK_READ,	/* w0 = first sector, w1 = count -> buffer: the sectors */
	BLK_WRITE,	/* w0 = first sector, w1 = count; buffer: the sectors */
};

#endif
