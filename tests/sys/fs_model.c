// files: tests/files
// expect-output: fs_model: every read matched the model
/*
 * A file's bytes, through every door at once, against a model. Random
 * steps on pattern.bin (41,060 bytes: ten pages and a partial eleventh):
 * read() and write() at random offsets and lengths; reads and writes
 * through a MAP_SHARED mapping of the whole file; a MAP_PRIVATE mapping,
 * whose written pages become its own while the others still show the file;
 * msync (MS_INVALIDATE drops the clean pages, so the next touch reads them
 * back from the disk through fs and virtio_blk); munmap and mmap again,
 * close and open again. The model is one array of the file's bytes and the
 * private mapping's own pages; every byte read, by either door, must match.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#define TEST_NAME "fs_model"
#include "systest.h"
#include "../rng.h"

#define STEPS 3000
#define PAGE 4096
#define SIZE 41060
#define PAGES ((SIZE + PAGE - 1) / PAGE)

static unsigned char model[SIZE];
static unsigned char private_bytes[PAGES * PAGE];
static bool private_own[PAGES];	/* written through the private mapping */
static unsigned char buf[3 * PAGE];
static char *shared, *priv;
static int fd;
static long checked;

static void open_file(void)
{
	if ((fd = open("pattern.bin", O_RDWR)) < 0)
		fail("open pattern.bin", errno, 0);
}

static char *map_file(int flags)
{
	char *p = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, flags, fd, 0);

	if (p == MAP_FAILED)
		fail("mmap of the file", flags, errno);
	return p;
}

/* A range inside the file: [*off, *off + *len). */
static void some_range(size_t *off, size_t *len)
{
	*off = rng() % SIZE;
	*len = 1 + rng() % (rng() % 4 == 0 ? sizeof(buf) : 64);
	if (*len > SIZE - *off)
		*len = SIZE - *off;
}

static void expect_bytes(const char *what, size_t off, const unsigned char *got,
			 const unsigned char *want, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (got[i] != want[i])
			failf("%s: byte %lu is %#x, the model has %#x", what,
			      (unsigned long)(off + i), got[i], want[i]);
	checked += (long)len;
}

static void fill_random(unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)rng();
}

static void step(void)
{
	size_t off, len, i;

	some_range(&off, &len);
	switch (rng() % 12) {
	case 0: case 1:		/* read() */
		if (lseek(fd, (off_t)off, SEEK_SET) != (off_t)off ||
		    read(fd, buf, len) != (ssize_t)len)
			fail("lseek, read", (long)off, errno);
		expect_bytes("read()", off, buf, model + off, len);
		break;
	case 2:			/* write() */
		fill_random(buf, len);
		if (lseek(fd, (off_t)off, SEEK_SET) != (off_t)off ||
		    write(fd, buf, len) != (ssize_t)len)
			fail("lseek, write", (long)off, errno);
		memcpy(model + off, buf, len);
		break;
	case 3: case 4:		/* the shared mapping */
		expect_bytes("the shared mapping", off, (unsigned char *)shared + off, model + off,
			     len);
		break;
	case 5:
		fill_random((unsigned char *)shared + off, len);
		memcpy(model + off, shared + off, len);
		break;
	case 6:			/* the private mapping: its own pages, or the file's */
		for (i = off; i < off + len; i++) {
			unsigned char want = private_own[i / PAGE] ? private_bytes[i] : model[i];

			expect_bytes("the private mapping", i, (unsigned char *)priv + i, &want, 1);
		}
		break;
	case 7:
		for (i = off; i < off + len; i++) {
			if (!private_own[i / PAGE]) {	/* its copy is made now */
				memcpy(private_bytes + i / PAGE * PAGE, model + i / PAGE * PAGE,
				       (i / PAGE + 1) * PAGE <= SIZE ? PAGE : SIZE % PAGE);
				private_own[i / PAGE] = true;
			}
			priv[i] = (char)rng();
			private_bytes[i] = (unsigned char)priv[i];
		}
		break;
	case 8:
		if (msync(shared, PAGES * PAGE,
			  (int[]){ MS_SYNC, MS_ASYNC, MS_INVALIDATE }[rng() % 3]) != 0)
			fail("msync", errno, 0);
		break;
	case 9:
		if (munmap(shared, PAGES * PAGE) != 0)
			fail("munmap of the shared mapping", errno, 0);
		shared = map_file(MAP_SHARED);
		break;
	case 10:
		if (munmap(priv, PAGES * PAGE) != 0)
			fail("munmap of the private mapping", errno, 0);
		priv = map_file(MAP_PRIVATE);
		memset(private_own, 0, sizeof(private_own));
		break;
	default:		/* the mappings stay: they do not need the descriptor */
		if (close(fd) != 0)
			fail("close", errno, 0);
		open_file();
		break;
	}
}

int main(void)
{
	int i;

	rng_state = 0x082efa98ec4e6c89ULL;
	open_file();
	if (read(fd, model, SIZE) != SIZE || read(fd, buf, 1) != 0)
		fail("the first read of the whole file", SIZE, errno);
	shared = map_file(MAP_SHARED);
	priv = map_file(MAP_PRIVATE);
	for (i = 0; i < STEPS; i++)
		step();
	if (lseek(fd, 0, SEEK_SET) != 0 || read(fd, buf, 0) != 0)
		fail("lseek to 0", errno, 0);
	for (i = 0; i < SIZE; i += (int)sizeof(buf)) {
		size_t len = SIZE - (size_t)i < sizeof(buf) ? SIZE - (size_t)i : sizeof(buf);

		if (read(fd, buf, len) != (ssize_t)len)
			fail("the last read of the whole file", i, errno);
		expect_bytes("the whole file, at the end", (size_t)i, buf, model + i, len);
	}
	printf("fs_model: %ld bytes checked\n", checked);
	printf("fs_model: every read matched the model\n");
	return 0;
}
