/*
 * Service names (service.h) over the VM server's registry, and the
 * process's cap slots, which this file hands out. The kernel gives a space
 * CAP_SLOTS of them: slot 0 holds the VM server's endpoint; an endpoint
 * the kernel makes (k_endpoint_create) takes the lowest slot it sees empty;
 * so lookups take theirs from the top down, and the two never meet while
 * slots remain.
 *
 * Invariant: a slot marked used holds a cap this process asked for and
 * keeps (slot 0: the VM server's). A slot marked free may hold a cap no one
 * here uses - its parent's (spawn copies them), a released lookup's - which
 * a lookup may replace.
 */
#include <errno.h>
#include <string.h>
#include "kern.h"
#include "libuser.h"
#include "service.h"
#include "vm_proto.h"

#define CAP_SLOTS 16	/* per space: the kernel's NSLOTS */

static unsigned slots_used = 1u << VM_SERVER_SLOT;

/* Empties the slot: the endpoint goes with its last cap. */
static void slot_free(int slot)
{
	k_cap_clear(SPACE_SELF, (uint64_t)slot);
	slots_used &= ~(1u << slot);
}

/* The highest free slot, now used; -1 if none. */
static int slot_alloc_from_top(void)
{
	int slot;

	for (slot = CAP_SLOTS - 1; slot > VM_SERVER_SLOT; slot--) {
		if (!(slots_used & (1u << slot))) {
			slots_used |= 1u << slot;
			return slot;
		}
	}
	return -1;
}

/* Sends request with `name` in the buffer; returns the reply's error (0 or errno). */
static int name_call(enum vm_request request, const char *name, uint64_t w0, uint64_t w1)
{
	size_t len = strnlen(name, SERVICE_NAME_MAX + 1) + 1;
	struct ipc_msg m = { .tag = TAG(request, len), .w = { w0, w1 } };

	if (len > SERVICE_NAME_MAX + 1)
		return EINVAL;
	memcpy(ipc_buffer, name, len);
	return vm_call(&m);
}

int service_register(const char *name)
{
	long slot = k_endpoint_create();
	int error;

	if (slot < 0) {
		errno = slot == -E_NOSLOT ? EMFILE : ENOMEM;
		return -1;
	}
	slots_used |= 1u << slot;
	if ((error = name_call(VM_SERVICE_REGISTER, name, (uint64_t)slot, 0)) != 0) {
		slot_free((int)slot);
		errno = error;
		return -1;
	}
	return (int)slot;
}

int service_lookup(const char *name, unsigned wait_ms)
{
	int slot = slot_alloc_from_top(), error;

	if (slot < 0) {
		errno = EMFILE;
		return -1;
	}
	if ((error = name_call(VM_SERVICE_LOOKUP, name, (uint64_t)slot, wait_ms)) != 0) {
		slot_free(slot);
		errno = error;
		return -1;
	}
	return slot;
}

void service_release(int slot)
{
	if (slot > VM_SERVER_SLOT && slot < CAP_SLOTS)
		slot_free(slot);
}
