// boot-args: -s virtio_blk
// expect-output: virtio_blk: no virtio block device
// expect-output: init: server virtio_blk did not register its service
// expect-output: no_disk: no virtio_blk service: ENOENT
// expect-output: no_disk: all checks passed
/*
 * A boot that starts the disk's servers (init -s virtio_blk, as make run
 * FILES=... does) but has no disk: the driver says it found no device and
 * exits, init says the server did not come up and goes on, and the program
 * runs as it would without servers - it finds no service of that name,
 * and memory, fork and wait work.
 */
#define TEST_NAME "no_disk"
#include "blk_proto.h"
#include "service.h"
#include "systest.h"

int main(void)
{
	char *heap = malloc(1 << 20);
	pid_t pid;

	errno = 0;
	if (service_lookup(BLK_SERVICE, 0) != -1 || errno != ENOENT)
		fail("lookup of " BLK_SERVICE " without a disk: want ENOENT", errno, 0);
	printf("no_disk: no virtio_blk service: ENOENT\n");
	if (heap == NULL)
		fail("malloc", errno, 0);
	memset(heap, 1, 1 << 20);
	if ((pid = fork_or_fail()) == 0)
		exit(heap[12345] == 1 ? 7 : 1);
	expect_exit(wait_child(pid, "the child"), 7, "the child");
	printf("no_disk: all checks passed\n");
	return 0;
}
