/* Objects over a program file in the boot image: the ELF segments' pages. */
#ifndef PAGER_IMAGE_PAGER_H
#define PAGER_IMAGE_PAGER_H

#include "vm_object.h"

/*
 * An object whose page i holds bytes [offset + i * PAGE_SIZE, ...) of data,
 * zero past `filesz`. It covers ceil(filesz / PAGE_SIZE) pages.
 */
vm_object_t image_object_create(const uint8_t *data, uint64_t filesz);

#endif
