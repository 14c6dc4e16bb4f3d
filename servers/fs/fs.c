/*
 * fs: the file server. It serves the regular files of a ustar archive on
 * the disk (servers/virtio_blk), as VM objects it is the pager of: the VM
 * server caches their pages and decides when to read ahead and write back;
 * fs only moves sectors between the disk and the pages it is lent. A
 * program's read() and write() copy from and to a mapping of the object
 * (lib/file.c), so every way of reaching a file sees the same pages.
 *
 * fs is two processes. A pager waits in VM_PAGER_WAIT and a server waits on
 * its own endpoint: one thread cannot wait in both. The pager creates one
 * object per file at start and forks the name server, which inherits the
 * table of files and their handles, registers "fs" and answers FS_OPEN.
 *
 * The archive's files are fixed: they can be written (through a writable
 * mapping, or write()), not created or grown. Bytes written past a file's
 * end inside its last page land in the archive's padding and are never
 * read back: a page-in zero-fills past the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "blk_proto.h"
#include "fs_proto.h"
#include "kern.h"
#include "libpager.h"
#include "libuser.h"
#include "service.h"

#define MAX_FILES  128
#define BLOCK      512		/* a ustar block: one sector */
#define CHUNK      (BLK_MAX_SECTORS * BLK_SECTOR_SIZE)	/* one disk request */
#define BLK_WAIT_MS 2000

struct file {
	char name[258];		/* ustar's prefix "/" name, NUL-terminated */
	uint64_t sector;	/* where its data starts */
	uint64_t size;		/* in bytes */
	uint32_t handle;	/* its VM object */
};

static struct file files[MAX_FILES];
static int nfiles;
static int blk_slot;

/* ---- the disk ---------------------------------------------------------- */

/* Reads count (<= BLK_MAX_SECTORS) sectors into our IPC buffer. 0 or errno. */
static int disk_read(uint64_t sector, uint64_t count)
{
	struct ipc_msg m = { .tag = TAG(BLK_READ, 0), .w = { sector, count } };

	ipc_call((uint64_t)blk_slot, &m);
	if ((int64_t)m.tag < 0 || (m.tag & TAG_TRUNCATED))
		return EIO;
	if (TAG_LABEL(m.tag) != 0)
		return (int)TAG_LABEL(m.tag);
	return TAG_BUFLEN(m.tag) == count * BLK_SECTOR_SIZE ? 0 : EIO;
}

/* Writes count sectors from our IPC buffer. 0 or errno. */
static int disk_write(uint64_t sector, uint64_t count)
{
	struct ipc_msg m = {
		.tag = TAG(BLK_WRITE, count * BLK_SECTOR_SIZE), .w = { sector, count },
	};

	ipc_call((uint64_t)blk_slot, &m);
	if ((int64_t)m.tag < 0)
		return EIO;
	return (int)TAG_LABEL(m.tag);
}

static uint64_t sectors_for(uint64_t bytes)
{
	return (bytes + BLK_SECTOR_SIZE - 1) / BLK_SECTOR_SIZE;
}

/* ---- the pager: file data in and out ------------------------------------ */

/* The pages come zeroed: only the file's bytes are read, the rest stays 0. */
static int fill(void *cookie, uint64_t offset, void *pages, size_t len)
{
	struct file *f = cookie;
	uint64_t end = offset + len < f->size ? offset + len : f->size, pos, n;
	int error;

	for (pos = offset; pos < end; pos += n) {
		n = end - pos < CHUNK ? end - pos : CHUNK;
		if ((error = disk_read(f->sector + pos / BLK_SECTOR_SIZE, sectors_for(n))) != 0)
			return error;
		memcpy((char *)pages + (pos - offset), ipc_buffer, n);
	}
	return 0;
}

/* Only the file's bytes go back; the rest of its last sector stays padding (zeros). */
static int writeback(void *cookie, uint64_t offset, const void *pages, size_t len)
{
	struct file *f = cookie;
	uint64_t end = offset + len < f->size ? offset + len : f->size, pos, n;
	int error;

	for (pos = offset; pos < end; pos += n) {
		n = end - pos < CHUNK ? end - pos : CHUNK;
		memcpy(ipc_buffer, (const char *)pages + (pos - offset), n);
		memset(ipc_buffer + n, 0, sectors_for(n) * BLK_SECTOR_SIZE - n);
		if ((error = disk_write(f->sector + pos / BLK_SECTOR_SIZE, sectors_for(n))) != 0)
			return error;
	}
	return 0;
}

static const struct pager_ops file_pager = { .fill = fill, .writeback = writeback };

/* ---- the archive --------------------------------------------------------- */

static uint64_t octal(const char *s, int len)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(s[i] - '0');
	return v;
}

/* Reads a ustar header's name: "prefix/name", or just name. */
static void header_name(const char *h, char *out, size_t size)
{
	if (h[345] != '\0')
		snprintf(out, size, "%.155s/%.100s", h + 345, h);
	else
		snprintf(out, size, "%.100s", h);
}

/*
 * Walks the archive's headers: each names a member and its size; its data
 * follows in whole blocks. Two zero blocks (or the disk's end) end it.
 */
static int load_archive(uint64_t disk_sectors)
{
	uint64_t sector = 0;
	int error;

	while (sector < disk_sectors && nfiles < MAX_FILES) {
		const char *h = ipc_buffer;
		uint64_t size;

		if ((error = disk_read(sector, 1)) != 0)
			return error;
		if (h[0] == '\0')
			break;
		if (memcmp(h + 257, "ustar", 5) != 0)
			return EINVAL;
		size = octal(h + 124, 12);
		if (h[156] == '0' || h[156] == '\0') {
			struct file *f = &files[nfiles++];

			header_name(h, f->name, sizeof(f->name));
			f->sector = sector + 1;
			f->size = size;
		}
		sector += 1 + sectors_for(size);
	}
	return 0;
}

/* ---- the name server ------------------------------------------------------ */

static struct file *find(const char *path)
{
	int i;

	while (*path == '/')
		path++;
	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i].name, path) == 0)
			return &files[i];
	return NULL;
}

static int open_file(struct ipc_msg *m)
{
	uint64_t len = TAG_BUFLEN(m->tag), flags = m->w[0];
	struct file *f;

	if (len == 0 || (m->tag & TAG_TRUNCATED) || ipc_buffer[len - 1] != '\0')
		return EINVAL;
	if ((flags & O_ACCMODE) == O_ACCMODE || (flags & (O_TRUNC | O_APPEND)))
		return EINVAL;
	if ((f = find(ipc_buffer)) == NULL)
		return (flags & O_CREAT) ? EROFS : ENOENT;
	m->w[0] = (uint64_t)(f - files);
	m->w[1] = f->size;
	m->w[2] = f->handle;
	return 0;
}

static void __attribute__((noreturn)) serve_names(void)
{
	struct ipc_msg m = { 0 };
	int slot = service_register(FS_SERVICE);

	if (slot < 0) {
		printf("fs: cannot register \"%s\" (errno %d)\n", FS_SERVICE, errno);
		_exit(1);
	}
	for (;;) {
		int error;

		ipc_reply_wait((uint64_t)slot, &m);
		if ((int64_t)m.tag < 0) {
			m.peer = 0;
			continue;
		}
		error = TAG_LABEL(m.tag) == FS_OPEN ? open_file(&m) : ENOSYS;
		m.tag = TAG(error, 0);
	}
}

int main(void)
{
	struct ipc_msg info = { .tag = TAG(BLK_INFO, 0) };
	int error, i;

	if ((blk_slot = service_lookup(BLK_SERVICE, BLK_WAIT_MS)) < 0) {
		printf("fs: no disk (%s: errno %d)\n", BLK_SERVICE, errno);
		return 1;
	}
	ipc_call((uint64_t)blk_slot, &info);
	if ((error = TAG_LABEL(info.tag)) != 0 || (error = load_archive(info.w[0])) != 0) {
		printf("fs: cannot read the archive (errno %d)\n", error);
		return 1;
	}
	for (i = 0; i < nfiles; i++) {
		if ((files[i].handle = pager_create(&file_pager, &files[i], files[i].size)) == 0) {
			printf("fs: no object for %s (errno %d)\n", files[i].name, errno);
			return 1;
		}
	}
	printf("fs: %d files\n", nfiles);
	if (fork() == 0)
		serve_names();
	pager_serve();		/* never ends: fs keeps its objects */
	return 0;
}
