/* The boot image: a ustar archive of programs, mapped read-only. */
#ifndef PAGER_INITRD_H
#define PAGER_INITRD_H

#include <stddef.h>
#include <stdint.h>

struct initrd_file {
	const char *name;
	const uint8_t *data;
	size_t size;
};

void initrd_init(const void *archive, size_t size);
/* Finds a regular file by name; returns 0, or -1 if there is none. */
int initrd_find(const char *name, struct initrd_file *file);

#endif
