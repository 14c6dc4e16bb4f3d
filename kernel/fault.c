#include "fault.h"
#include "check.h"
#include "csr.h"
#include "ipc.h"
#include "space.h"
#include "uapi/abi.h"

/* Exit status of the machine when the root task itself faults. */
#define EXIT_ROOT_TASK_FAULT 252

static uint64_t fault_access(uint64_t scause)
{
	switch (scause) {
	case EXC_INST_PAGE_FAULT:
		return PERM_X;
	case EXC_LOAD_PAGE_FAULT:
		return PERM_R;
	case EXC_STORE_PAGE_FAULT:
		return PERM_W;
	}
	return 0;
}

struct thread *fault_forward(struct thread *t, uint64_t scause, uint64_t stval)
{
	uint64_t access = fault_access(scause);

	if (t->pager == NULL) {
		kprintf("root task thread %x: exception %lu at pc %lx, address %lx\n",
			t->id, scause, t->ctx.pc, stval);
		machine_exit(EXIT_ROOT_TASK_FAULT);
	}
	/* Either way the thread waits for a fault reply, never a message. */
	t->in_fault = true;
	if (access != 0)
		return ipc_call(t, t->pager, t->pager_badge, TAG(MSG_PAGE_FAULT, 0), stval, access,
				t->ctx.pc, t->space->id);
	return ipc_call(t, t->pager, t->pager_badge, TAG(MSG_EXCEPTION, 0), scause, stval,
			t->ctx.pc, t->space->id);
}

int fault_resolve(struct thread *t, struct thread *pager, const struct message *m)
{
	uint64_t nrecords = TAG_BUFLEN(m->tag) / sizeof(struct map_record);

	if (t->space->manager != pager->space)
		return -E_PERM;
	switch (TAG_LABEL(m->tag)) {
	case FAULT_MAP:
		return check_and_map(pager, t->space, m->w[0], m->w[1], nrecords);
	case FAULT_RETRY:
		return 0;
	}
	return -E_INVAL;
}
