#include <string.h>
#include <sys/mman.h>
#include "kern.h"
#include "libuser.h"

char ipc_buffer[IPC_BUFFER_SIZE] __attribute__((aligned(IPC_BUFFER_SIZE)));

/* Written once so that it is mapped writable before the kernel copies into it. */
void ipc_buffer_init(void)
{
	memset(ipc_buffer, 0, sizeof(ipc_buffer));
	k_set_ipc_buffer(ipc_buffer);
}

void ipc_buffer_wire(void)
{
	mlock(ipc_buffer, sizeof(ipc_buffer));
}
