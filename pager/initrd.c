/*
 * ustar: 512-byte headers, each followed by its file's data rounded up to
 * 512 bytes; two zero blocks end the archive. Sizes are octal text.
 */
#include <string.h>
#include "initrd.h"

#define BLOCK 512

static const uint8_t *archive;
static size_t archive_size;

void initrd_init(const void *base, size_t size)
{
	archive = base;
	archive_size = size;
}

static size_t octal(const uint8_t *s, int len)
{
	size_t v = 0;
	int i;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '7'; i++)
		v = v * 8 + (size_t)(s[i] - '0');
	return v;
}

int initrd_find(const char *name, struct initrd_file *file)
{
	size_t off = 0;

	while (off + BLOCK <= archive_size && archive[off] != '\0') {
		const uint8_t *h = archive + off;
		size_t size = octal(h + 124, 12);
		char type = (char)h[156];

		if (off + BLOCK + size > archive_size)
			return -1;
		if ((type == '0' || type == '\0') &&
		    strncmp((const char *)h, name, 100) == 0) {
			file->name = (const char *)h;
			file->data = h + BLOCK;
			file->size = size;
			return 0;
		}
		off += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
	}
	return -1;
}
