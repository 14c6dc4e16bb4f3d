// files: tests/sys/files
// expect-output: virtio_blk: 20 sectors at
// expect-output: blk_driver: the disk has 20 sectors; sector 0 is alpha.txt's ustar header
// expect-output: blk_driver: file data read back as written in tests/sys/files
// expect-output: blk_driver: writes read back, one sector and eight
// expect-output: blk_driver: bad requests: EINVAL, ENOSYS
// expect-output: blk_driver: all checks passed
/*
 * The virtio block driver (servers/virtio_blk, blk_proto.h), over a disk
 * made of tests/sys/files: a ustar archive of alpha.txt and beta.txt, each
 * under 512 bytes, so sector 0 is alpha.txt's header, 1 its data, 2
 * beta.txt's header, 3 its data, then the archive's end and tar's padding
 * to 20 sectors. The test runner gives each boot a fresh copy of the disk,
 * so writes here reach no other run.
 *
 *   info     BLK_INFO says 20 sectors.
 *   read     sector 0 has "ustar" at byte 257 and the name alpha.txt; the
 *            data sectors hold the files' text; a read of 8 sectors is
 *            the 8 single-sector reads end to end.
 *   write    a sector written (one inside alpha.txt's data block) reads
 *            back; so do 8 sectors written at once at the end of the disk.
 *   bad      a count of 0 or 9, a first sector at or past the end, a range
 *            that runs past it, a sector so large it wraps, and a write
 *            whose buffer is not count sectors long give EINVAL; an
 *            unknown request ENOSYS.
 */
#define TEST_NAME "blk_driver"
#include "blk_proto.h"
#include "libuser.h"
#include "service.h"
#include "systest.h"

#define DISK_SECTORS 20
#define ALPHA_TEXT "Alpha file: the first on the disk.\n"
#define BETA_TEXT  "Beta file: two lines,\nthe second one.\n"

static uint64_t blk;	/* our cap to the driver */

/* A request; the reply's error. A read's data is in ipc_buffer after. */
static int blk_call(uint32_t label, uint64_t sector, uint64_t count, uint64_t buflen,
		    struct ipc_msg *reply)
{
	struct ipc_msg m = { .tag = TAG(label, buflen), .w = { sector, count } };

	ipc_call(blk, &m);
	if ((int64_t)m.tag < 0)
		fail("the call to the driver failed", (long)m.tag, 0);
	if (reply != NULL)
		*reply = m;
	return (int)TAG_LABEL(m.tag);
}

/* Reads count sectors from sector into buf, or fails. */
static void read_or_fail(uint64_t sector, uint64_t count, void *buf)
{
	struct ipc_msg reply;
	int error = blk_call(BLK_READ, sector, count, 0, &reply);

	if (error != 0 || TAG_BUFLEN(reply.tag) != count * BLK_SECTOR_SIZE)
		failf("read of %lu sectors at %lu: error %d, %u bytes", (unsigned long)count,
		      (unsigned long)sector, error, TAG_BUFLEN(reply.tag));
	memcpy(buf, ipc_buffer, count * BLK_SECTOR_SIZE);
}

static void write_or_fail(uint64_t sector, uint64_t count, const void *buf)
{
	int error;

	memcpy(ipc_buffer, buf, count * BLK_SECTOR_SIZE);
	error = blk_call(BLK_WRITE, sector, count, count * BLK_SECTOR_SIZE, NULL);
	if (error != 0)
		failf("write of %lu sectors at %lu: error %d", (unsigned long)count,
		      (unsigned long)sector, error);
}

static void case_info_and_header(void)
{
	struct ipc_msg reply;
	char sector[BLK_SECTOR_SIZE];

	if (blk_call(BLK_INFO, 0, 0, 0, &reply) != 0 || reply.w[0] != DISK_SECTORS)
		fail("BLK_INFO: the disk's sectors", (long)reply.w[0], DISK_SECTORS);
	read_or_fail(0, 1, sector);
	if (memcmp(sector + 257, "ustar", 5) != 0)
		failf("sector 0 has no ustar magic at 257: \"%.5s\"", sector + 257);
	if (strcmp(sector, "alpha.txt") != 0)
		failf("the first file is \"%.100s\", want alpha.txt", sector);
	printf("blk_driver: the disk has %d sectors; sector 0 is alpha.txt's ustar header\n",
	       DISK_SECTORS);
}

static void case_file_data(void)
{
	static char one[BLK_MAX_SECTORS][BLK_SECTOR_SIZE], eight[BLK_MAX_SECTORS][BLK_SECTOR_SIZE];
	int i;

	for (i = 0; i < BLK_MAX_SECTORS; i++)
		read_or_fail((uint64_t)i, 1, one[i]);
	read_or_fail(0, BLK_MAX_SECTORS, eight);
	if (memcmp(one, eight, sizeof(one)) != 0)
		fail("8 sectors in one read differ from 8 single reads", 0, 0);
	if (memcmp(one[1], ALPHA_TEXT, sizeof(ALPHA_TEXT)) != 0 ||
	    strcmp(one[2], "beta.txt") != 0 || memcmp(one[3], BETA_TEXT, sizeof(BETA_TEXT)) != 0)
		failf("the files' data: \"%.40s\", \"%.40s\"", one[1], one[3]);
	printf("blk_driver: file data read back as written in tests/sys/files\n");
}

static void case_writes(void)
{
	static char out[BLK_MAX_SECTORS][BLK_SECTOR_SIZE], in[BLK_MAX_SECTORS][BLK_SECTOR_SIZE];
	uint64_t last8 = DISK_SECTORS - BLK_MAX_SECTORS;
	int i;

	memset(out[0], 0, BLK_SECTOR_SIZE);
	strcpy(out[0], "Alpha file: rewritten by blk_driver.\n");
	write_or_fail(1, 1, out[0]);
	read_or_fail(1, 1, in[0]);
	if (memcmp(in[0], out[0], BLK_SECTOR_SIZE) != 0)
		failf("sector 1 reads \"%.40s\" after the write", in[0]);
	for (i = 0; i < BLK_MAX_SECTORS; i++)
		memset(out[i], 'A' + i, BLK_SECTOR_SIZE);
	write_or_fail(last8, BLK_MAX_SECTORS, out);
	for (i = 0; i < BLK_MAX_SECTORS; i++) {
		read_or_fail(last8 + (uint64_t)i, 1, in[i]);
		if (memcmp(in[i], out[i], BLK_SECTOR_SIZE) != 0)
			fail("a sector of the 8 written reads back wrong", i, in[i][0]);
	}
	printf("blk_driver: writes read back, one sector and eight\n");
}

/* The request must be refused with want and no data. */
static void expect_refused(uint32_t label, uint64_t sector, uint64_t count, uint64_t buflen,
			   int want, const char *what)
{
	struct ipc_msg reply;
	int error = blk_call(label, sector, count, buflen, &reply);

	if (error != want || TAG_BUFLEN(reply.tag) != 0)
		failf("%s: error %d with %u bytes, want %d", what, error, TAG_BUFLEN(reply.tag),
		      want);
}

static void case_bad_requests(void)
{
	uint64_t n = DISK_SECTORS;

	expect_refused(BLK_READ, 0, 0, 0, EINVAL, "read of 0 sectors");
	expect_refused(BLK_READ, 0, 9, 0, EINVAL, "read of 9 sectors");
	expect_refused(BLK_READ, n, 1, 0, EINVAL, "read at the end");
	expect_refused(BLK_READ, n - 1, 2, 0, EINVAL, "read across the end");
	expect_refused(BLK_READ, UINT64_MAX, 2, 0, EINVAL, "read at a sector that wraps");
	expect_refused(BLK_WRITE, 0, 0, 0, EINVAL, "write of 0 sectors");
	expect_refused(BLK_WRITE, 0, 9, IPC_BUFFER_SIZE, EINVAL, "write of 9 sectors");
	expect_refused(BLK_WRITE, n, 1, BLK_SECTOR_SIZE, EINVAL, "write at the end");
	expect_refused(BLK_WRITE, 4, 2, BLK_SECTOR_SIZE, EINVAL, "write short of its count");
	expect_refused(BLK_WRITE, 4, 1, 0, EINVAL, "write with no data");
	expect_refused(99, 0, 1, 0, ENOSYS, "an unknown request");
	printf("blk_driver: bad requests: EINVAL, ENOSYS\n");
}

int main(void)
{
	int slot = service_lookup(BLK_SERVICE, 2000);

	if (slot < 0)
		fail("lookup of " BLK_SERVICE, errno, 0);
	blk = (uint64_t)slot;
	case_info_and_header();
	case_file_data();
	case_writes();
	case_bad_requests();
	printf("blk_driver: all checks passed\n");
	return 0;
}
