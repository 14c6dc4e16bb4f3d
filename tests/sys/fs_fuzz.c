// files: tests/files
// expect-output: fs_fuzz: the file server and the disk driver still answer
/*
 * The file server, its pager side and the disk driver against nonsense.
 * Thousands of steps drawn at random: open() of real paths and of garbage,
 * with any flags; read, write, lseek, fstat and close on good and bad
 * descriptors with any lengths and offsets; mmap of files, shared or
 * private, at any offset, touched (SIGBUS past the end is caught), synced,
 * unmapped; and raw requests straight to `fs` and `virtio_blk` with any
 * label, words and buffer - disk writes included, so file data may turn to
 * garbage; the servers must not.
 *
 * Passes when, after all that, both servers still answer: hello.txt opens
 * and still has its 13 bytes (files never grow), and the disk its size.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define TEST_NAME "fs_fuzz"
#include "blk_proto.h"
#include "fs_proto.h"
#include "libuser.h"
#include "service.h"
#include "systest.h"
#include "../rng.h"

#define STEPS 8000
#define NFDS 8
#define NMAPS 4
#define PAGE 4096

static int fds[NFDS];
static char *maps[NMAPS];
static size_t map_lens[NMAPS];
static char buf[3 * PAGE];
static int fs_slot, blk_slot;

static const char *some_path(void)
{
	static const char *const paths[] = {
		"hello.txt", "empty.txt", "pattern.bin", "sub/nested.txt", "sub", "sub/",
		"", "/", "nope", "../hello.txt", "/hello.txt", "hello.txt/", "sub//nested.txt",
		"sub/a_directory_whose_name_is_long_enough_that_the_whole_path_needs_the_"
		"ustar_prefix_field/deep.txt",
	};
	static char garbage[300];
	size_t i, n;

	if (rng() % 2)
		return paths[rng() % 4];	/* a file */
	if (rng() % 8 != 0)
		return paths[rng() % (sizeof(paths) / sizeof(paths[0]))];
	n = rng() % sizeof(garbage);
	for (i = 0; i < n; i++)
		garbage[i] = (char)(1 + rng() % 255);
	garbage[n] = '\0';
	return garbage;
}

static int some_fd(void)
{
	static const int odd[] = { -1, 0, 3, 100, 1 << 30 };	/* not the console's */

	return rng() % 6 ? fds[rng() % NFDS] : odd[rng() % 5];
}

static size_t some_len(void)
{
	static const size_t lens[] = { 0, 1, 13, 512, PAGE - 1, PAGE, PAGE + 1, sizeof(buf) };

	return lens[rng() % (sizeof(lens) / sizeof(lens[0]))];
}

static off_t some_offset(void)
{
	static const off_t offs[] = { 0, 1, 12, 13, 14, PAGE, 41059, 41060, 1 << 20, -1, -PAGE };

	return offs[rng() % (sizeof(offs) / sizeof(offs[0]))];
}

static void file_step(void)
{
	int i = (int)(rng() % NFDS), flags;
	struct stat st;

	switch (rng() % 7) {
	case 0:
		if (fds[i] > 2)
			close(fds[i]);
		flags = (int[]){ O_RDONLY, O_RDWR, O_RDONLY, O_RDWR, O_WRONLY, O_RDWR | O_CREAT,
				 0x7fff }[rng() % 7];
		fds[i] = open(some_path(), flags);
		break;
	case 1:
		read(some_fd(), buf, some_len());
		break;
	case 2:
		write(some_fd(), buf, some_len());
		break;
	case 3:
		lseek(some_fd(), some_offset(), (int)(rng() % 4));
		break;
	case 4:
		fstat(some_fd(), &st);
		break;
	case 5:
		close(some_fd());
		break;
	default:
		fds[i] = -1;	/* forgotten: may stay open */
		break;
	}
}

static void map_step(void)
{
	int i = (int)(rng() % NMAPS);
	char *p;

	if (maps[i] == NULL || rng() % 4 == 0) {
		if (maps[i] != NULL)
			munmap(maps[i], map_lens[i]);
		map_lens[i] = (1 + rng() % 12) * PAGE;
		p = mmap(NULL, map_lens[i],
			 (int[]){ PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
				  PROT_NONE }[rng() % 4],
			 rng() % 2 ? MAP_SHARED : MAP_PRIVATE, some_fd(),
			 rng() % 4 ? 0 : some_offset());
		maps[i] = p == MAP_FAILED ? NULL : p;
		return;
	}
	p = maps[i] + (rng() % (map_lens[i] / PAGE)) * PAGE + rng() % PAGE;
	switch (rng() % 4) {
	case 0: case 1:
		try_access(p, (int)(rng() % 2), (char)rng());
		break;
	case 2:
		msync(maps[i], map_lens[i], (int[]){ MS_SYNC, MS_ASYNC, MS_INVALIDATE }[rng() % 3]);
		break;
	default:
		madvise(maps[i], map_lens[i], (int)(rng() % 5));
		break;
	}
}

/* A request straight to a server: any label, words and buffer. */
static void raw_step(void)
{
	int slot = rng() % 2 ? fs_slot : blk_slot;
	uint32_t label = (uint32_t)(rng() % 3 ? 1 + rng() % 4 : rng()), len = 0;
	struct ipc_msg m;
	int k;

	if (slot < 0)
		return;
	if (rng() % 2) {
		len = (uint32_t)(rng() % (IPC_BUFFER_SIZE + 1));
		for (k = 0; k < (int)len; k++)
			ipc_buffer[k] = (char)(rng() % 3 ? 'a' + rng() % 26 : rng());
	}
	m = (struct ipc_msg){ .tag = TAG(label, len) };
	for (k = 0; k < 4; k++)
		m.w[k] = rng() % 2 ? rng() % 64 : rng();
	ipc_call((uint64_t)slot, &m);
}

int main(void)
{
	struct ipc_msg m = { .tag = TAG(BLK_INFO, 0) };
	uint64_t sectors;
	char hello[32];
	int i, fd;

	rng_state = 0x243f6a8885a308d3ULL;
	if ((fs_slot = service_lookup(FS_SERVICE, 2000)) < 0 ||
	    (blk_slot = service_lookup(BLK_SERVICE, 2000)) < 0)
		fail("no fs or virtio_blk", fs_slot, blk_slot);
	ipc_call((uint64_t)blk_slot, &m);
	sectors = m.w[0];
	for (i = 0; i < NFDS; i++)
		fds[i] = -1;
	for (i = 0; i < STEPS; i++) {
		uint64_t r = rng() % 10;

		if (r < 5)
			file_step();
		else if (r < 8)
			map_step();
		else
			raw_step();
	}
	for (fd = 3; fd < 256; fd++)	/* the ones it forgot, too */
		close(fd);
	if ((fd = open("hello.txt", O_RDONLY)) < 0 || read(fd, hello, sizeof(hello)) != 13)
		fail("hello.txt after the fuzzing: open, read 13 bytes", fd, errno);
	m = (struct ipc_msg){ .tag = TAG(BLK_INFO, 0) };
	ipc_call((uint64_t)blk_slot, &m);
	if ((int64_t)m.tag < 0 || TAG_LABEL(m.tag) != 0 || m.w[0] != sectors)
		fail("the disk's size after the fuzzing", (long)m.w[0], (long)sectors);
	printf("fs_fuzz: the file server and the disk driver still answer\n");
	return 0;
}
