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

int check_perm(uint64_t perm)
{
	if (perm == 0 || (perm & ~(uint64_t)PERM_MASK) != 0)
		return -E_INVAL;
	if ((perm & PERM_W) && !(perm & PERM_R))
		return -E_INVAL;	/* W without R is reserved in Sv39 */
	return 0;
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

static int check_record(struct thread *pager, uint64_t va_perm, uint64_t pa)
{
	uint64_t va = va_perm & ~(PAGE_SIZE - 1);
	int error;

	if ((error = check_user_pages(va, PAGE_SIZE)) != 0)
		return error;
	if ((error = check_perm(va_perm & (PAGE_SIZE - 1))) != 0)
		return error;
	if (!frame_owned_by(pa, pager->space))
		return -E_PERM;
	return 0;
}

static int map_record(struct thread *pager, struct space *target, uint64_t va_perm,
		      uint64_t pa)
{
	int error = check_record(pager, va_perm, pa);

	if (error != 0)
		return error;
	return space_map(target, va_perm & ~(PAGE_SIZE - 1), pa,
			 va_perm & PERM_MASK);
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
