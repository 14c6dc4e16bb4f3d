/*
 * Messages that wait for a busy page.
 *
 * In FreeBSD a thread whose fault meets a page under I/O sleeps on it
 * (vm_page_busy_sleep) and, woken, retries the fault. The VM server is one
 * thread serving everybody, so it cannot sleep: the message that needed the
 * page - a fault, or a call such as mlock or msync - is parked here, its
 * sender left waiting for the reply, and the server goes on. When the I/O
 * ends, the message is handled again from the start, and this time its
 * reply goes out as a deferred SYS_REPLY.
 *
 * A process has one thread, so at most one message of its waits at a time:
 * the record lives in struct proc. Only messages without a buffer park
 * (the buffer would be gone by the time they are handled again).
 */
#include <errno.h>
#include <signal.h>
#include "pmap_riscv.h"
#include "vmserver.h"

static struct proc *waiters;	/* linked by pwait.next */

void page_wait(struct proc *p, struct ipc_msg *m, vm_page_t busy,
	       const struct vm_fault_info *info, bool counted)
{
	VM_ASSERT(p->pwait.page == NULL && TAG_BUFLEN(m->tag) == 0 && busy->busy);
	p->pwait.page = busy;
	p->pwait.msg = *m;
	if (info != NULL)
		p->pwait.info = *info;
	p->pwait.counted = counted;
	p->pwait.next = waiters;
	waiters = p;
	m->peer = 0;		/* the reply comes after the I/O */
}

void page_wait_cancel(struct proc *p)
{
	struct proc **pp;

	if (p->pwait.page == NULL)
		return;
	for (pp = &waiters; *pp != p; pp = &(*pp)->pwait.next)
		;
	*pp = p->pwait.next;
	p->pwait.page = NULL;
}

static bool among(vm_page_t m, vm_page_t *ma, int count)
{
	int i;

	for (i = 0; i < count; i++)
		if (ma[i] == m)
			return true;
	return false;
}

/* Sends a reply a handler left in m, after the fact. */
static void reply_late(struct proc *p, struct ipc_msg *m)
{
	long error;

	if (m->peer == 0)
		return;
	pmap_batch_flush();	/* a fault's mappings are in m already */
	error = ipc_reply(m);
	/* The kernel could not make the mappings: as in the serve loop. */
	if (error == -E_NOMEM)
		proc_kill(p, SIGBUS, BUS_OOMERR, 0, 0);
}

/*
 * Does the failed I/O fail the call that waited for it? A failed read
 * fails the mlock whose fault asked for it; a failed write-back fails
 * msync, which was to store it (running it again would only try again).
 * Otherwise the call runs again: an mlock behind another's failed read
 * asks for its own page (as a fault does), one behind a failed write-back
 * finds its page still in memory, and msync behind a failed read finds
 * nothing of it to store.
 */
static bool call_failed_by(uint32_t label, enum io_result result,
			   const struct vm_fault_info *info)
{
	if (label == VM_MSYNC)
		return result == IO_PAGEOUT_FAILED;
	if (label == VM_MLOCK)
		return result == IO_PAGEIN_FAILED && info->outcome == FAULT_OUTCOME_PAGER;
	return result == IO_PAGEIN_FAILED && label != MSG_EXCEPTION;
}

/* Handles a parked message again, now that its page is not busy. */
static void replay(struct proc *p, enum io_result result)
{
	struct ipc_msg m = p->pwait.msg;

	if (TAG_LABEL(m.tag) == MSG_PAGE_FAULT) {
		vm_page_fault_resume(p, &m, &p->pwait.info, p->pwait.counted,
				     result == IO_PAGEIN_FAILED);
	} else if (call_failed_by(TAG_LABEL(m.tag), result, &p->pwait.info)) {
		vm_call_failed(p, &m, EIO);
	} else {
		/* An mlock's fault whose page-in came: a hard fault (FreeBSD's count). */
		if (TAG_LABEL(m.tag) == VM_MLOCK && result == IO_OK &&
		    p->pwait.info.outcome == FAULT_OUTCOME_PAGER)
			p->majflt++;
		vm_handle(p, &m);
	}
	reply_late(p, &m);
}

void page_wakeup(vm_page_t *ma, int count, enum io_result result)
{
	struct proc *woken[NPROCS], **pp = &waiters, *p;
	int n = 0, i;

	/* Take them all off first: handling one may park another. */
	while ((p = *pp) != NULL) {
		if (among(p->pwait.page, ma, count)) {
			*pp = p->pwait.next;
			p->pwait.page = NULL;
			woken[n++] = p;
		} else {
			pp = &p->pwait.next;
		}
	}
	for (i = 0; i < n; i++) {
		/* One handled before may have ended it (a pager's death, a signal). */
		if (woken[i]->state == PROC_ALIVE)
			replay(woken[i], result);
	}
}
