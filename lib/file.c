/*
 * Files: open, read, write, lseek, fstat, close, and mmap of a file.
 *
 * The file server (servers/fs) only names files: FS_OPEN answers with a
 * file's size and the handle of the VM object it serves the file's pages
 * through. Everything else happens here, through a shared mapping of that
 * object, made at the first read or write: read() is a copy from it, write()
 * a copy into it. So read(), write() and every process's mmap() of the file
 * see the same pages - there is one cache, the VM server's - and a write
 * reaches the disk when the pages are written back (msync, munmap, close,
 * exit). Files cannot grow: a write stops at the end of the file.
 *
 * Descriptors 0, 1 and 2 are the console (write only).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs_proto.h"
#include "kern.h"
#include "libpager.h"
#include "libuser.h"
#include "service.h"

#define FIRST_FILE_FD 3
#define MAX_FILES 32

struct open_file {
	bool used;
	int flags;		/* open()'s */
	uint32_t handle;	/* the file's VM object */
	uint64_t size;
	uint64_t offset;
	char *map;		/* the whole file, mapped shared; NULL until used */
};

static struct open_file open_files[MAX_FILES];
static int fs_slot = -1;

static struct open_file *file_of(int fd)
{
	if (fd < FIRST_FILE_FD || fd >= FIRST_FILE_FD + MAX_FILES ||
	    !open_files[fd - FIRST_FILE_FD].used) {
		errno = EBADF;
		return NULL;
	}
	return &open_files[fd - FIRST_FILE_FD];
}

static bool writable(const struct open_file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

int open(const char *path, int flags, ...)
{
	size_t len = strlen(path) + 1;
	struct ipc_msg m = { .tag = TAG(FS_OPEN, len), .w = { (uint64_t)flags } };
	int fd, error;

	for (fd = 0; fd < MAX_FILES && open_files[fd].used; fd++)
		;
	if (fd == MAX_FILES) {
		errno = EMFILE;
		return -1;
	}
	if (len > IPC_BUFFER_SIZE) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (fs_slot < 0 && (fs_slot = service_lookup(FS_SERVICE, 0)) < 0) {
		errno = ENOENT;		/* no file server: no files */
		return -1;
	}
	memcpy(ipc_buffer, path, len);
	ipc_call((uint64_t)fs_slot, &m);
	error = (int64_t)m.tag < 0 ? EIO : (int)TAG_LABEL(m.tag);
	if (error != 0) {
		errno = error;
		return -1;
	}
	open_files[fd] = (struct open_file){
		.used = true, .flags = flags, .handle = (uint32_t)m.w[2], .size = m.w[1],
	};
	return FIRST_FILE_FD + fd;
}

/* The file's pages, mapped for read() and write(); NULL with errno if they cannot be. */
static char *file_pages(struct open_file *f)
{
	int prot = PROT_READ | (writable(f) ? PROT_WRITE : 0);
	void *p;

	if (f->map == NULL) {
		p = pager_map(NULL, f->size, prot, MAP_SHARED, f->handle, 0);
		if (p == MAP_FAILED)
			return NULL;
		f->map = p;
	}
	return f->map;
}

ssize_t read(int fd, void *buf, size_t n)
{
	struct open_file *f = file_of(fd);
	char *pages;

	if (f == NULL)
		return -1;
	if ((f->flags & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	if (f->offset >= f->size || n == 0)
		return 0;
	if (n > f->size - f->offset)
		n = f->size - f->offset;
	if ((pages = file_pages(f)) == NULL)
		return -1;
	memcpy(buf, pages + f->offset, n);
	f->offset += n;
	return (ssize_t)n;
}

/* The console: stdio's line first, so that the output keeps its order. */
static ssize_t console_out(const void *buf, size_t n)
{
	size_t done = 0;
	long sent;

	console_flush_all();
	while (done < n) {
		size_t chunk = n - done < IPC_BUFFER_SIZE ? n - done : IPC_BUFFER_SIZE;

		if ((sent = console_write((const char *)buf + done, chunk)) < 0) {
			errno = EFAULT;
			return -1;
		}
		done += chunk;
	}
	return (ssize_t)n;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	struct open_file *f;
	char *pages;

	if (fd == STDOUT_FILENO || fd == STDERR_FILENO)
		return console_out(buf, n);
	if ((f = file_of(fd)) == NULL)
		return -1;
	if (!writable(f)) {
		errno = EBADF;
		return -1;
	}
	if (n == 0)
		return 0;
	if (f->offset >= f->size) {
		errno = EFBIG;		/* files do not grow */
		return -1;
	}
	if (n > f->size - f->offset)
		n = f->size - f->offset;
	if ((pages = file_pages(f)) == NULL)
		return -1;
	memcpy(pages + f->offset, buf, n);
	f->offset += n;
	return (ssize_t)n;
}

off_t lseek(int fd, off_t offset, int whence)
{
	struct open_file *f = file_of(fd);
	off_t base;

	if (f == NULL)
		return -1;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (off_t)f->offset;
		break;
	case SEEK_END:
		base = (off_t)f->size;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (base + offset < 0) {
		errno = EINVAL;
		return -1;
	}
	f->offset = (uint64_t)(base + offset);
	return (off_t)f->offset;
}

int fstat(int fd, struct stat *st)
{
	struct open_file *f;

	memset(st, 0, sizeof(*st));
	st->st_blksize = 4096;
	if (fd >= 0 && fd < FIRST_FILE_FD) {
		st->st_mode = S_IFCHR | 0620;
		return 0;
	}
	if ((f = file_of(fd)) == NULL)
		return -1;
	st->st_mode = S_IFREG | 0644;
	st->st_size = (off_t)f->size;
	st->st_nlink = 1;
	st->st_blocks = (blkcnt_t)((f->size + 511) / 512);
	return 0;
}

/* The mapping goes, and with it the file's dirty pages go back to the disk. */
int close(int fd)
{
	struct open_file *f = file_of(fd);

	if (f == NULL)
		return -1;
	if (f->map != NULL)
		munmap(f->map, f->size);
	memset(f, 0, sizeof(*f));
	return 0;
}

void *file_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	struct open_file *f = file_of(fd);

	if (f == NULL)
		return MAP_FAILED;
	if ((prot & PROT_WRITE) && (flags & MAP_SHARED) && !writable(f)) {
		errno = EACCES;
		return MAP_FAILED;
	}
	if ((f->flags & O_ACCMODE) == O_WRONLY || offset < 0) {
		errno = (offset < 0) ? EINVAL : EACCES;
		return MAP_FAILED;
	}
	return pager_map(addr, len, prot, flags, f->handle, (uint64_t)offset);
}
