/*
 * Page faults and exceptions, as messages from the kernel: the thread waits
 * while vm_fault() decides; the reply maps the page (and the neighbours
 * vm_fault chose), or - for a fault no mapping can fix - the process ends
 * with the signal FreeBSD's vm_fault_trap() would give it.
 */
#include <signal.h>
#include <stdio.h>
#include "pmap_riscv.h"
#include "vmserver.h"

bool fault_trace;

static vm_prot_t fault_type_of(uint64_t access)
{
	return (access & PERM_W) ? VM_PROT_WRITE :
	       (access & PERM_X) ? VM_PROT_EXECUTE : VM_PROT_READ;
}

/* vm_fault_trap()'s table: a failed fault's signal and si_code. */
static void fault_signal(int rv, int *signo, int *code)
{
	switch (rv) {
	case KERN_PROTECTION_FAILURE:
		*signo = SIGSEGV;
		*code = SEGV_ACCERR;
		break;
	case KERN_OUT_OF_BOUNDS:
	case KERN_FAILURE:
		*signo = SIGBUS;
		*code = BUS_OBJERR;
		break;
	case KERN_RESOURCE_SHORTAGE:
		*signo = SIGBUS;
		*code = BUS_OOMERR;
		break;
	default:
		*signo = SIGSEGV;
		*code = SEGV_MAPERR;
		break;
	}
}

const char *signal_code_name(int signo, int code)
{
	if (code == SI_USER)
		return "SI_USER";
	if (signo == SIGSEGV)
		return code == SEGV_ACCERR ? "SEGV_ACCERR" : "SEGV_MAPERR";
	if (signo == SIGBUS)
		return code == BUS_OOMERR ? "BUS_OOMERR" : code == BUS_ADRALN ? "BUS_ADRALN" :
		       code == BUS_ADRERR ? "BUS_ADRERR" : "BUS_OBJERR";
	if (signo == SIGILL)
		return "ILL_ILLOPC";
	if (signo == SIGTRAP)
		return "TRAP_BRKPT";
	return "?";
}

static const char *const outcome_names[] = {
	[FAULT_OUTCOME_SOFT] = "soft",
	[FAULT_OUTCOME_BACKING] = "backing page, read-only",
	[FAULT_OUTCOME_ZERO] = "zero fill",
	[FAULT_OUTCOME_COW_COPY] = "COW copy",
	[FAULT_OUTCOME_COW_MOVE] = "COW move",
	[FAULT_OUTCOME_PAGER] = "pager",
	[FAULT_OUTCOME_BUSY] = "busy page",
	[FAULT_OUTCOME_ERROR] = "error",
};

static void trace_fault(struct proc *p, uint64_t addr, vm_prot_t type, int flags, int rv,
			const struct vm_fault_info *info)
{
	printf("fault: pid %d %#lx %s: object %u depth %d: %s", p->pid, (unsigned long)addr,
	       type == VM_PROT_WRITE ? "write" : type == VM_PROT_EXECUTE ? "exec" : "read",
	       info->object_id, info->depth, outcome_names[info->outcome]);
	if (info->paged_in > 0)
		printf(", %d paged in", info->paged_in);
	if (rv == KERN_PENDING)
		printf(", waits\n");
	else
		printf(", %d prefaulted%s\n", info->prefaulted,
		       flags & VM_FAULT_RESUME ? " (resumed)" : "");
}

static void fault_fail(struct proc *p, struct ipc_msg *m, int rv)
{
	uint64_t thread = m->peer;
	int signo, code;

	fault_signal(rv, &signo, &code);
	m->peer = 0;	/* the handler's entry, or the end, is the reply */
	signal_deliver(p, thread, signo, code, m->w[0], m->w[2]);
}

/*
 * Every answer to a fault but the plain "here are the mappings" of
 * vm_page_fault's fast path: a signal; nothing yet, while the page is busy
 * with a pager's I/O; the trace line. When it is over, and served: a fault
 * that had a pager read its page counts in ru_majflt (as FreeBSD counts a
 * hard fault that completes), any other in ru_minflt, one that failed in
 * neither; `counted`: a half of this fault started a page-in.
 */
static __attribute__((noinline)) void fault_answer(struct proc *p, struct ipc_msg *m,
						   int flags, int rv,
						   struct vm_fault_info *info, bool counted)
{
	vm_prot_t type = fault_type_of(m->w[1]);

	if (fault_trace)
		trace_fault(p, m->w[0], type, flags, rv, info);
	if (rv == KERN_PENDING) {
		page_wait(p, m, info->busy, info,
			  counted || info->outcome == FAULT_OUTCOME_PAGER);
		return;
	}
	if (rv != KERN_SUCCESS) {
		fault_fail(p, m, rv);
		return;
	}
	if (counted || info->outcome == FAULT_OUTCOME_PAGER)
		p->majflt++;
	else
		p->minflt++;
	pmap_batch_to_reply(p->space, m);
}

/*
 * MSG_PAGE_FAULT: a2 = address, a3 = access, a4 = pc, a5 = space.
 * The reply carries the mappings pmap_enter() batched.
 */
void vm_page_fault(struct proc *p, struct ipc_msg *m)
{
	struct vm_fault_info info;
	int rv = vm_fault(p->map, m->w[0], fault_type_of(m->w[1]), VM_FAULT_NORMAL, &info);

	if (rv != KERN_SUCCESS || fault_trace || info.outcome == FAULT_OUTCOME_PAGER) {
		fault_answer(p, m, VM_FAULT_NORMAL, rv, &info, false);
		return;
	}
	p->minflt++;
	pmap_batch_to_reply(p->space, m);
}

void vm_page_fault_resume(struct proc *p, struct ipc_msg *m, struct vm_fault_info *info,
			  bool counted, bool pagein_failed)
{
	int rv;

	/*
	 * The page-in this fault asked for failed: SIGBUS. One that only
	 * waited for another's runs again, and asks for its own page if it
	 * still needs it (as FreeBSD's fault retries after its busy sleep).
	 */
	if (pagein_failed && info->outcome == FAULT_OUTCOME_PAGER) {
		if (fault_trace)
			printf("fault: pid %d %#lx: the page-in failed\n", p->pid,
			       (unsigned long)m->w[0]);
		fault_fail(p, m, KERN_FAILURE);
		return;
	}
	rv = vm_fault(p->map, m->w[0], fault_type_of(m->w[1]), VM_FAULT_RESUME, info);
	fault_answer(p, m, VM_FAULT_RESUME, rv, info, counted);
}

/* MSG_EXCEPTION: a2 = scause, a3 = stval, a4 = pc. */
void vm_exception(struct proc *p, struct ipc_msg *m)
{
	uint64_t scause = m->w[0], stval = m->w[1], pc = m->w[2], thread = m->peer;

	m->peer = 0;
	switch (scause) {
	case 3:		/* breakpoint */
		signal_deliver(p, thread, SIGTRAP, TRAP_BRKPT, pc, pc);
		break;
	case 0:		/* instruction address misaligned */
	case 4:		/* load address misaligned */
	case 6:		/* store address misaligned */
		signal_deliver(p, thread, SIGBUS, BUS_ADRALN, stval, pc);
		break;
	case 1:		/* instruction access fault */
	case 5:		/* load access fault */
	case 7:		/* store access fault */
		signal_deliver(p, thread, SIGBUS, BUS_ADRERR, stval, pc);
		break;
	default:	/* illegal instruction, and anything else */
		signal_deliver(p, thread, SIGILL, ILL_ILLOPC, pc, pc);
		break;
	}
}
