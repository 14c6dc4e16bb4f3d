#include "check.h"
#include "frame.h"
#include "space.h"
#include "thread.h"
#include "uapi/abi.h"

_Static_assert(USER_TOP == USER_SPACE_END, "the ABI and the kernel agree on user space");

int check_user_range(uint64_t va, uint64_t len)
{
	if (va >= USER_TOP || len > USER_TOP - va)
		return -E_RANGE;
	return 0;
}

int check_user_pages(uint64_t va, uint64_t len)
{
	if ((va | len) & (PAGE_SIZE - 1))
		return -E_RANGE;
	return check_user_range(va, len);
}

/* The permissions Sv39 allows, as a set of bits: R, RW, X, RX, RWX (W alone is reserved). */
#define VALID_PERMS (1U << PERM_R | 1U << (PERM_R | PERM_W) | 1U << PERM_X | \
		     1U << (PERM_R | PERM_X) | 1U << (PERM_R | PERM_W | PERM_X))

static inline bool perm_valid(uint64_t perm)
{
	return perm <= PERM_MASK && ((VALID_PERMS >> perm) & 1);
}

int check_perm(uint64_t perm)
{
	return perm_valid(perm) ? 0 : -E_INVAL;
}

struct space *check_managed_space(struct thread *self, uint64_t id, int *error)
{
	struct space *s = space_lookup(id);

	if (s == NULL) {
		*error = -E_NOSPACE;
		return NULL;
	}
	if (s->manager != self->space) {
		*error = -E_PERM;
		return NULL;
	}
	return s;
}

/*
 * Not a pool frame: a device's registers, then? Out of line, and reached
 * by a tail call, so that the common case needs no stack frame.
 */
static __attribute__((noinline)) int map_device(struct thread *pager, struct space *target,
						uint64_t va, uint64_t pa, uint64_t perm)
{
	if (!frame_device_owned_by(pa, pager->space))
		return -E_PERM;
	return space_map(target, va, pa, perm);
}

/*
 * One record: a user page, a permission Sv39 allows, a frame of the pager's
 * pool (or device registers it was given).
 */
static inline int map_record(struct thread *pager, struct space *target, uint64_t va_perm,
			     uint64_t pa)
{
	uint64_t va = va_perm & ~(PAGE_SIZE - 1), perm = va_perm & (PAGE_SIZE - 1);

	if (va >= USER_TOP)
		return -E_RANGE;
	if (!perm_valid(perm))
		return -E_INVAL;
	if (!frame_owned_by(pa, pager->space))
		return map_device(pager, target, va, pa, perm);
	return space_map(target, va, pa, perm);
}

/* The records after the first, from the pager's IPC buffer: out of line. */
static __attribute__((noinline)) int map_from_buffer(struct thread *pager,
						     struct space *target, uint64_t count)
{
	struct map_record batch[32];
	uint64_t done, i, n;
	int error;

	if (count > IPC_BUFFER_SIZE / sizeof(struct map_record))
		return -E_INVAL;
	if (pager->ipc_buffer == 0)
		return -E_FAULT;
	for (done = 0; done < count; done += n) {
		n = count - done < ARRAY_SIZE(batch) ? count - done : ARRAY_SIZE(batch);
		error = space_copy_in(pager->space, batch,
				      pager->ipc_buffer + done * sizeof(batch[0]),
				      n * sizeof(batch[0]));
		for (i = 0; i < n && error == 0; i++)
			error = map_record(pager, target, batch[i].va_perm, batch[i].pa);
		if (error != 0)
			return error;
	}
	return 0;
}

int check_and_map(struct thread *pager, struct space *target, uint64_t va_perm,
		  uint64_t pa, uint64_t count)
{
	int error = map_record(pager, target, va_perm, pa);

	if (error != 0 || count == 0)
		return error;
	return map_from_buffer(pager, target, count);
}
