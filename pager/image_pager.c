/*
 * The image pager: fills pages from a file of the boot image (read-only
 * memory), zero past the file's end. It has every page of its object, so
 * read-behind and read-ahead clusters are limited only by the object's size.
 */
#include <string.h>
#include "image_pager.h"
#include "pmap.h"
#include "vm_zone.h"

struct image_handle {
	const uint8_t *data;
	uint64_t size;
};

static struct vm_zone handle_zone;
static bool zone_ready;

static bool image_haspage(vm_object_t object, vm_pindex_t pindex, int *before, int *after)
{
	if (pindex >= object->size)
		return false;
	*before = (int)(pindex < 256 ? pindex : 256);
	*after = (int)(object->size - 1 - pindex < 256 ? object->size - 1 - pindex : 256);
	return true;
}

static int image_getpages(vm_object_t object, vm_page_t *ma, int count)
{
	struct image_handle *h = object->handle;
	int i;

	for (i = 0; i < count; i++) {
		uint64_t off = ptoa(ma[i]->pindex), n = 0;
		uint8_t *page = pmap_page_address(ma[i]);

		if (off < h->size)
			n = h->size - off < PAGE_SIZE ? h->size - off : PAGE_SIZE;
		memcpy(page, h->data + off, n);
		memset(page + n, 0, PAGE_SIZE - n);
	}
	return VM_PAGER_OK;
}

static void image_dealloc(vm_object_t object)
{
	vm_zone_free(&handle_zone, object->handle);
}

static const struct vm_pager_ops image_pager_ops = {
	.name = "image",
	.haspage = image_haspage,
	.getpages = image_getpages,
	.dealloc = image_dealloc,
};

vm_object_t image_object_create(const uint8_t *data, uint64_t filesz)
{
	struct image_handle *h;
	vm_object_t object;

	if (!zone_ready) {
		vm_zone_init(&handle_zone, "image handle", sizeof(struct image_handle));
		zone_ready = true;
	}
	if ((h = vm_zone_alloc(&handle_zone)) == NULL)
		return NULL;
	h->data = data;
	h->size = filesz;
	object = vm_object_allocate_pager(&image_pager_ops, h, atop(round_page(filesz)));
	if (object == NULL)
		vm_zone_free(&handle_zone, h);
	return object;
}
