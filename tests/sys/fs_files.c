// files: tests/files
// expect-output: fs_files: ok
/*
 * Files from the file server: open, read, lseek, fstat, write and close;
 * mmap of a file, private (copy-on-write over the file) and shared (writes
 * reach the disk: after msync, MS_INVALIDATE drops the cached pages and a
 * read pages them in again from the disk); the part of the last page past
 * the end reads as zeros, a page wholly past it is SIGBUS/BUS_OBJERR.
 * tests/files holds hello.txt ("hello, world\n"), an empty file,
 * pattern.bin: 41060 bytes, byte i = (7i + i / 4096) mod 251, and files in
 * subdirectories, one with a path longer than a ustar name (its prefix).
 */
#define TEST_NAME "fs_files"
#include <fcntl.h>
#include <sys/stat.h>
#include "systest.h"

#define PATTERN_SIZE 41060
#define PATTERN_PAGES 11	/* 10 whole pages and a part */

static unsigned char pattern(long i)
{
	return (unsigned char)((i * 7 + i / 4096) % 251);
}

static int open_or_fail(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		failf("open %s: errno %d", path, errno);
	return fd;
}

static void expect_read(int fd, const char *want, const char *what)
{
	char buf[64] = { 0 };
	long n = read(fd, buf, strlen(want));

	if (n != (long)strlen(want) || memcmp(buf, want, strlen(want)) != 0)
		failf("%s: read %ld bytes \"%s\", want \"%s\"", what, n, buf, want);
}

static void test_read_seek_stat(void)
{
	int fd = open_or_fail("/hello.txt", O_RDONLY);
	struct stat st;
	char c;

	if (fstat(fd, &st) != 0 || st.st_size != 13 || !S_ISREG(st.st_mode))
		fail("fstat", (long)st.st_size, errno);
	expect_read(fd, "hello, world\n", "whole file");
	if (read(fd, &c, 1) != 0)
		fail("read at the end", 0, 0);
	if (lseek(fd, 7, SEEK_SET) != 7)
		fail("lseek SEEK_SET", errno, 0);
	expect_read(fd, "world", "after lseek");
	if (lseek(fd, -1, SEEK_END) != 12)
		fail("lseek SEEK_END", errno, 0);
	expect_read(fd, "\n", "last byte");
	if (lseek(fd, -100, SEEK_CUR) != -1 || errno != EINVAL)
		fail("lseek before the start", errno, 0);
	if (write(fd, "x", 1) != -1 || errno != EBADF)
		fail("write to a read-only file", errno, 0);
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) != MAP_FAILED ||
	    errno != EACCES)
		fail("writable shared mapping of a read-only file", errno, 0);
	if (close(fd) != 0 || read(fd, &c, 1) != -1 || errno != EBADF)
		fail("read after close", errno, 0);
}

#define LONG_DIR "sub/a_directory_whose_name_is_long_enough_that_the_whole_path_needs_the_ustar_prefix_field"

static void test_subdirectories(void)
{
	int fd = open_or_fail("/sub/nested.txt", O_RDONLY);

	expect_read(fd, "nested\n", "a file in a subdirectory");
	close(fd);
	fd = open_or_fail("/" LONG_DIR "/deep.txt", O_RDONLY);
	expect_read(fd, "deep\n", "a file whose path needs the prefix");
	close(fd);
	if (open("/sub", O_RDONLY) != -1 || errno != ENOENT)
		fail("open of a directory", errno, 0);
}

static void test_errors(void)
{
	int fd = open_or_fail("empty.txt", O_RDONLY);
	char c;

	if (read(fd, &c, 1) != 0)
		fail("read of an empty file", 0, 0);
	close(fd);
	if (open("/missing", O_RDONLY) != -1 || errno != ENOENT)
		fail("open of a missing file", errno, 0);
	if (open("/missing", O_RDWR | O_CREAT) != -1 || errno != EROFS)
		fail("O_CREAT of a missing file", errno, 0);
	if (read(99, &c, 1) != -1 || errno != EBADF)
		fail("read of a bad descriptor", errno, 0);
}

/* Private: every byte is the file's; a write is the process's own copy. */
static void test_private_mapping(void)
{
	int fd = open_or_fail("/pattern.bin", O_RDONLY);
	unsigned char *p = mmap(NULL, PATTERN_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE,
				fd, 0);
	unsigned char byte;
	long i;

	if (p == MAP_FAILED)
		fail("mmap private", errno, 0);
	for (i = 0; i < PATTERN_SIZE; i++)
		if (p[i] != pattern(i))
			fail("private mapping byte", i, p[i]);
	for (i = PATTERN_SIZE; i < PATTERN_PAGES * 4096; i++)
		if (p[i] != 0)
			fail("past the end of the file, in its last page", i, p[i]);
	p[5000] = 0xee;
	if (lseek(fd, 5000, SEEK_SET) != 5000 || read(fd, &byte, 1) != 1 || byte != pattern(5000))
		fail("a private write reached the file", byte, pattern(5000));
	munmap(p, PATTERN_PAGES * 4096);
	close(fd);
}

/* A page wholly past the end of the file: SIGBUS, BUS_OBJERR, at that address. */
static void test_past_the_end(void)
{
	int fd = open_or_fail("/pattern.bin", O_RDONLY);
	char *p = mmap(NULL, (PATTERN_PAGES + 2) * 4096, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		fail("mmap past the end", errno, 0);
	expect_access(p + PATTERN_PAGES * 4096 + 8, 0, SIGBUS, BUS_OBJERR, "past the end");
	munmap(p, (PATTERN_PAGES + 2) * 4096);
	close(fd);
}

/*
 * Shared: a write shows in read() at once (one cache), reaches the disk on
 * msync, and is read back from the disk once MS_INVALIDATE has dropped
 * the pages. Then the file gets its byte back, through write().
 */
static void test_shared_mapping(void)
{
	int fd = open_or_fail("/pattern.bin", O_RDWR);
	unsigned char *p = mmap(NULL, PATTERN_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
				fd, 0);
	unsigned char byte, old = pattern(40000);
	struct vmmeter before, after;

	if (p == MAP_FAILED)
		fail("mmap shared", errno, 0);
	p[40000] = 0x5a;
	if (lseek(fd, 40000, SEEK_SET) != 40000 || read(fd, &byte, 1) != 1 || byte != 0x5a)
		fail("read() does not see a shared write", byte, 0x5a);
	if (msync(p, PATTERN_PAGES * 4096, MS_SYNC) != 0)
		fail("msync", errno, 0);
	get_meter(&before);
	if (msync(p, PATTERN_PAGES * 4096, MS_INVALIDATE) != 0)
		fail("msync MS_INVALIDATE", errno, 0);
	if (p[40000] != 0x5a)
		fail("the write did not reach the disk", p[40000], 0x5a);
	get_meter(&after);
	if (after.v_io_faults == before.v_io_faults)
		fail("the page was not read again", 0, 0);
	if (lseek(fd, 40000, SEEK_SET) != 40000 || write(fd, &old, 1) != 1)
		fail("write", errno, 0);
	munmap(p, PATTERN_PAGES * 4096);
	close(fd);
}

/* write() through a descriptor: seen by another open of the file, and by a child. */
static void test_write_and_fork(void)
{
	int fd = open_or_fail("/hello.txt", O_RDWR), other;
	pid_t pid;

	if (write(fd, "HELLO", 5) != 5)
		fail("write", errno, 0);
	if (lseek(fd, 0, SEEK_END) != 13 || write(fd, "!", 1) != -1 || errno != EFBIG)
		fail("write past the end", errno, 0);
	close(fd);
	other = open_or_fail("/hello.txt", O_RDONLY);
	pid = fork_or_fail();
	if (pid == 0) {
		expect_read(other, "HELLO, world\n", "in a child");
		_exit(0);
	}
	expect_exit(wait_child(pid, "reader"), 0, "reader");
	expect_read(other, "HELLO", "in the parent, whose offset is its own");
	close(other);
}

int main(void)
{
	test_read_seek_stat();
	test_subdirectories();
	test_errors();
	test_private_mapping();
	test_past_the_end();
	test_shared_mapping();
	test_write_and_fork();
	printf("fs_files: ok\n");
	return 0;
}
