/*
 * The file server's protocol (servers/fs): ordinary IPC calls on the cap
 * service_lookup(FS_SERVICE, ...) gives. The server only names files; their
 * data is read and written through VM objects it serves as their pager, so
 * lib/'s read(), write() and mmap() all go through the same pages. The
 * reply's label is 0 or an errno value.
 */
#ifndef LIB_FS_PROTO_H
#define LIB_FS_PROTO_H

#define FS_SERVICE "fs"

enum fs_request {
	FS_OPEN = 1,	/* buffer: the path, NUL-terminated; w0 = open()'s flags
			   -> w0 = the file's number, w1 = its size in bytes,
			   w2 = the handle of its VM object (for VM_MMAP_OBJECT);
			   ENOENT, EROFS (O_CREAT of a file that is not there:
			   the archive's files are fixed), EINVAL */
};

#endif
