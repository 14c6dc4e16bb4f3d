/* Devices and DMA memory for drivers (device.h): one VM server call each. */
#include <errno.h>
#include "device.h"
#include "kern.h"
#include "libuser.h"
#include "vm_proto.h"

/* A call that answers w0 = an address, w1 = a physical address; NULL on error. */
static void *map_call(enum vm_request request, uint64_t arg, uint64_t *pa)
{
	struct ipc_msg m = { .tag = TAG(request, 0), .w = { arg } };

	if (vm_result(&m, 0) != 0)
		return NULL;
	if (pa != NULL)
		*pa = m.w[1];
	return (void *)m.w[0];
}

void *device_map(int index, uint64_t *pa)
{
	if (index < 0) {
		errno = EINVAL;
		return NULL;
	}
	return map_call(VM_DEVICE_MAP, (uint64_t)index, pa);
}

void *dma_alloc(size_t bytes, uint64_t *pa)
{
	return map_call(VM_DMA_ALLOC, bytes, pa);
}
