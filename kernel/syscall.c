/*
 * System calls: the table, and a handler per call. A handler checks its
 * arguments (check.h), does the work through the object's module, and
 * returns the thread to run next - usually the caller, with its result in a0.
 */
#include "check.h"
#include "frame.h"
#include "ipc.h"
#include "sched.h"
#include "space.h"
#include "thread.h"
#include "uapi/abi.h"

typedef struct thread *syscall_fn(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
				  uint64_t a4, uint64_t a5, uint64_t a6);

/* The caller continues, with `value` in a0. */
static struct thread *syscall_return(int64_t value)
{
	struct thread *self = current_thread();

	self->ctx.x[REG_A0] = (uint64_t)value;
	return self;
}

static struct thread *sys_thread_self(uint64_t a0, uint64_t a1, uint64_t a2,
				      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	return syscall_return(current_thread()->id);
}

/*
 * A message from registers. The tag keeps its label and buffer length only;
 * a buffer must be registered and mapped readable (else -E_FAULT: the
 * sender faults it in and tries again).
 */
static __attribute__((noinline)) int check_message(struct thread *self, uint64_t tag,
						   struct message *m, uint64_t w0, uint64_t w1,
						   uint64_t w2, uint64_t w3)
{
	uint64_t len = TAG_BUFLEN(tag);

	if (len > IPC_BUFFER_SIZE)
		return -E_INVAL;
	if (len > 0 && !space_user_readable(self->space, self->ipc_buffer, len))
		return -E_FAULT;
	*m = (struct message){ TAG(TAG_LABEL(tag), len), { w0, w1, w2, w3 } };
	return 0;
}

/*
 * Registers only: the common case, kept free of calls before the IPC itself
 * so that it needs no saved registers (a message with a buffer takes
 * check_message's longer road).
 */
static inline int message_from_registers(struct thread *self, uint64_t tag, struct message *m,
					 uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	if (TAG_BUFLEN(tag) != 0)
		return check_message(self, tag, m, w0, w1, w2, w3);
	*m = (struct message){ TAG_LABEL(tag), { w0, w1, w2, w3 } };
	return 0;
}

/* A call whose message has a buffer: checked, then the IPC's general road. */
static __attribute__((noinline)) struct thread *call_with_buffer(struct thread *self,
								 struct endpoint *ep,
								 uint64_t badge, uint64_t tag,
								 uint64_t w0, uint64_t w1,
								 uint64_t w2, uint64_t w3)
{
	struct message m;
	int error;

	if ((error = check_message(self, tag, &m, w0, w1, w2, w3)) != 0)
		return syscall_return(error);
	return ipc_call_message(self, ep, badge, &m);
}

/* Registers only, the common case, ends in a tail call: no stack frame. */
static struct thread *sys_call(uint64_t tag, uint64_t peer, uint64_t w0, uint64_t w1,
			       uint64_t w2, uint64_t w3, uint64_t slot)
{
	struct thread *self = current_thread();
	struct endpoint *ep;
	uint64_t badge;

	(void)peer;
	if ((ep = cap_endpoint(self->space, slot, &badge)) == NULL)
		return syscall_return(-E_BADSLOT);
	if (TAG_BUFLEN(tag) != 0)
		return call_with_buffer(self, ep, badge, tag, w0, w1, w2, w3);
	return ipc_call(self, ep, badge, TAG_LABEL(tag), w0, w1, w2, w3);
}

/* A reply with a buffer: checked, sent, and then the wait. */
static __attribute__((noinline)) struct thread *reply_with_buffer_wait(struct thread *self,
								       struct endpoint *ep,
								       uint64_t peer,
								       uint64_t tag,
								       uint64_t w0, uint64_t w1,
								       uint64_t w2, uint64_t w3)
{
	struct thread *replied;
	struct message m;
	int error;

	if ((error = check_message(self, tag, &m, w0, w1, w2, w3)) != 0)
		return syscall_return(error);
	if ((replied = ipc_reply(self, peer, &m, &error)) == NULL)
		return syscall_return(error);
	return ipc_wait(self, ep, replied);
}

static struct thread *sys_reply_wait(uint64_t tag, uint64_t peer, uint64_t w0,
				     uint64_t w1, uint64_t w2, uint64_t w3, uint64_t slot)
{
	struct thread *self = current_thread();
	struct endpoint *ep;
	uint64_t badge;

	if ((ep = cap_endpoint(self->space, slot, &badge)) == NULL)
		return syscall_return(-E_BADSLOT);
	/* A badged cap is a client's: it may send, never receive others' messages. */
	if (badge != 0)
		return syscall_return(-E_PERM);
	if (peer != 0 && TAG_BUFLEN(tag) != 0)
		return reply_with_buffer_wait(self, ep, peer, tag, w0, w1, w2, w3);
	return ipc_reply_wait(ep, peer, TAG_LABEL(tag), w0, w1, w2, w3);
}

static struct thread *sys_reply(uint64_t tag, uint64_t peer, uint64_t w0, uint64_t w1,
				uint64_t w2, uint64_t w3, uint64_t a6)
{
	struct thread *self = current_thread(), *replied;
	struct message m;
	int error;

	(void)a6;
	if ((error = message_from_registers(self, tag, &m, w0, w1, w2, w3)) != 0)
		return syscall_return(error);
	if ((replied = ipc_reply(self, peer, &m, &error)) == NULL)
		return syscall_return(error);
	sched_enqueue(replied);
	return syscall_return(0);
}

static struct thread *sys_console_write(uint64_t buf, uint64_t len, uint64_t a2,
					uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	char chunk[256];
	uint64_t done, n, i;
	int error;

	(void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	if (len > IPC_BUFFER_SIZE)
		return syscall_return(-E_INVAL);
	if ((error = check_user_range(buf, len)) != 0)
		return syscall_return(error);
	for (done = 0; done < len; done += n) {
		n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		error = space_copy_in(current_thread()->space, chunk, buf + done, n);
		if (error != 0)
			return syscall_return(error);
		for (i = 0; i < n; i++)
			kprintf("%c", chunk[i]);
	}
	return syscall_return((int64_t)len);
}

static struct thread *sys_yield(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
				uint64_t a4, uint64_t a5, uint64_t a6)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	syscall_return(0);
	sched_enqueue(current_thread());
	return schedule();
}

static struct thread *sys_set_ipc_buffer(uint64_t va, uint64_t a1, uint64_t a2,
					 uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	int error;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	if (va != 0 && (error = check_user_pages(va, IPC_BUFFER_SIZE)) != 0)
		return syscall_return(error);
	current_thread()->ipc_buffer = va;
	return syscall_return(0);
}

static struct thread *sys_endpoint_create(uint64_t a0, uint64_t a1, uint64_t a2,
					  uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	return syscall_return(endpoint_create(current_thread()->space));
}

/* Only the pool's owner (the root task) creates spaces: nobody else could map. */
static struct thread *sys_space_create(uint64_t a0, uint64_t a1, uint64_t a2,
				       uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct space *self = current_thread()->space, *s;

	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	if (self->manager != self)
		return syscall_return(-E_PERM);
	if ((s = space_create(self)) == NULL)
		return syscall_return(-E_NOMEM);
	return syscall_return(s->id);
}

static struct thread *sys_space_destroy(uint64_t id, uint64_t a1, uint64_t a2,
					uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct thread *self = current_thread();
	struct space *s;
	int error;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	if ((s = check_managed_space(self, id, &error)) == NULL)
		return syscall_return(error);
	if (s == self->space)
		return syscall_return(-E_PERM);
	space_destroy(s);
	return syscall_return(0);
}

static struct thread *sys_thread_create(uint64_t id, uint64_t pc, uint64_t sp,
					uint64_t arg, uint64_t pager_slot, uint64_t badge,
					uint64_t a6)
{
	struct thread *self = current_thread(), *t;
	struct endpoint *pager;
	struct space *s;
	uint64_t unused_badge;
	int error;

	(void)a6;
	if ((s = check_managed_space(self, id, &error)) == NULL)
		return syscall_return(error);
	/* A stack may start at the very top: sp is one past its first word. */
	if (check_user_range(pc, 0) != 0 || sp > USER_SPACE_END)
		return syscall_return(-E_RANGE);
	if ((pager = cap_endpoint(self->space, pager_slot, &unused_badge)) == NULL)
		return syscall_return(-E_BADSLOT);
	if ((t = thread_alloc(s, pc, sp, arg)) == NULL)
		return syscall_return(-E_NOMEM);
	thread_set_pager(t, pager, badge);
	sched_enqueue(t);
	return syscall_return(t->id);
}

static struct thread *sys_map(uint64_t id, uint64_t va_perm, uint64_t pa, uint64_t count,
			      uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct thread *self = current_thread();
	struct space *s;
	int error;

	(void)a4, (void)a5, (void)a6;
	if ((s = check_managed_space(self, id, &error)) == NULL)
		return syscall_return(error);
	return syscall_return(check_and_map(self, s, va_perm, pa, count));
}

static struct thread *sys_unmap(uint64_t id, uint64_t va, uint64_t len, uint64_t a3,
				uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct space *s;
	int error;

	(void)a3, (void)a4, (void)a5, (void)a6;
	if ((s = check_managed_space(current_thread(), id, &error)) == NULL)
		return syscall_return(error);
	if ((error = check_user_pages(va, len)) != 0)
		return syscall_return(error);
	space_unmap(s, va, len);
	return syscall_return(0);
}

static struct thread *sys_protect(uint64_t id, uint64_t va, uint64_t len, uint64_t perm,
				  uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct space *s;
	int error;

	(void)a4, (void)a5, (void)a6;
	if ((s = check_managed_space(current_thread(), id, &error)) == NULL)
		return syscall_return(error);
	if ((error = check_user_pages(va, len)) != 0 || (error = check_perm(perm)) != 0)
		return syscall_return(error);
	space_protect(s, va, len, perm);
	return syscall_return(0);
}

/* A range of 1..64 pages, for the accessed/dirty calls. */
static struct space *check_ad_range(uint64_t id, uint64_t va, uint64_t pages, int *error)
{
	struct space *s = check_managed_space(current_thread(), id, error);

	if (s == NULL)
		return NULL;
	if (pages == 0 || pages > 64) {
		*error = -E_INVAL;
		return NULL;
	}
	if ((*error = check_user_pages(va, pages * PAGE_SIZE)) != 0)
		return NULL;
	return s;
}

static struct thread *sys_read_ad(uint64_t id, uint64_t va, uint64_t pages, uint64_t a3,
				  uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct thread *self = current_thread();
	uint64_t accessed, dirty;
	struct space *s;
	int error;

	(void)a3, (void)a4, (void)a5, (void)a6;
	if ((s = check_ad_range(id, va, pages, &error)) == NULL)
		return syscall_return(error);
	space_read_ad(s, va, (int)pages, &accessed, &dirty);
	self->ctx.x[REG_A1] = accessed;
	self->ctx.x[REG_A2] = dirty;
	return syscall_return(0);
}

static struct thread *sys_clear_ad(uint64_t id, uint64_t va, uint64_t pages, uint64_t bits,
				   uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct space *s;
	int error;

	(void)a4, (void)a5, (void)a6;
	if ((s = check_ad_range(id, va, pages, &error)) == NULL)
		return syscall_return(error);
	if (bits == 0 || (bits & ~(uint64_t)(AD_ACCESSED | AD_DIRTY)) != 0)
		return syscall_return(-E_INVAL);
	space_clear_ad(s, va, (int)pages, (bits & AD_ACCESSED ? PTE_A : 0) |
					   (bits & AD_DIRTY ? PTE_D : 0));
	return syscall_return(0);
}

/* SPACE_SELF or the caller's own id name the caller's space; else it must manage it. */
static struct space *own_or_managed(uint64_t id, int *error)
{
	struct thread *self = current_thread();

	if (id == SPACE_SELF || id == self->space->id)
		return self->space;
	return check_managed_space(self, id, error);
}

static struct thread *sys_cap_copy(uint64_t dst_id, uint64_t dst_slot, uint64_t src_id,
				   uint64_t src_slot, uint64_t badge, uint64_t a5, uint64_t a6)
{
	struct space *dst, *src;
	int error;

	(void)a5, (void)a6;
	if ((dst = own_or_managed(dst_id, &error)) == NULL ||
	    (src = own_or_managed(src_id, &error)) == NULL)
		return syscall_return(error);
	return syscall_return(cap_copy(dst, dst_slot, src, src_slot, badge));
}

static struct thread *sys_cap_clear(uint64_t space_id, uint64_t slot, uint64_t a2, uint64_t a3,
				    uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct space *s;
	int error;

	(void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	if ((s = own_or_managed(space_id, &error)) == NULL)
		return syscall_return(error);
	if (slot >= NSLOTS || s->caps[slot].ep == NULL)
		return syscall_return(-E_BADSLOT);
	cap_clear(&s->caps[slot]);
	return syscall_return(0);
}

static struct thread *sys_shutdown(uint64_t status, uint64_t a1, uint64_t a2, uint64_t a3,
				   uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct space *self = current_thread()->space;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	if (self->manager != self)
		return syscall_return(-E_PERM);
	machine_exit((int)(status & 0xff));
}

/*
 * The thread peer_id, if it waits for our reply and we manage its space.
 * Anyone with a cap to an endpoint may receive on it, so having taken a
 * thread's message proves nothing: as with a fault's answer (fault_resolve),
 * only its pager may read or replace its registers.
 */
static struct thread *context_peer(struct thread *self, uint64_t peer_id, int *error)
{
	struct thread *peer = ipc_waiting_for(self, peer_id);

	if (peer == NULL)
		*error = -E_NOTHREAD;
	else if (peer->space->manager != self->space)
		*error = -E_PERM;
	else if (self->ipc_buffer == 0)
		*error = -E_FAULT;
	else
		return peer;
	return NULL;
}

static struct thread *sys_context_get(uint64_t a0, uint64_t peer_id, uint64_t a2,
				      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct thread *self = current_thread(), *peer;
	struct user_context ctx;
	int error;

	(void)a0, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	if ((peer = context_peer(self, peer_id, &error)) == NULL)
		return syscall_return(error);
	memcpy(ctx.x, peer->ctx.x, sizeof(ctx.x));
	ctx.pc = peer->ctx.pc;
	return syscall_return(space_copy_out(self->space, self->ipc_buffer, &ctx, sizeof(ctx)));
}

/*
 * The peer resumes with a whole new context, in place of a reply: every
 * register may be anything, but the pc must lie in user space.
 */
static struct thread *sys_context_reply(uint64_t a0, uint64_t peer_id, uint64_t a2,
					uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct thread *self = current_thread(), *peer;
	struct user_context ctx;
	int error;

	(void)a0, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	if ((peer = context_peer(self, peer_id, &error)) == NULL)
		return syscall_return(error);
	if ((error = space_copy_in(self->space, &ctx, self->ipc_buffer, sizeof(ctx))) != 0)
		return syscall_return(error);
	if (ctx.pc >= USER_SPACE_END)
		return syscall_return(-E_RANGE);
	memcpy(peer->ctx.x, ctx.x, sizeof(ctx.x));
	peer->ctx.pc = ctx.pc;
	peer->in_fault = false;
	peer->replier = NULL;
	sched_enqueue(peer);
	return syscall_return(0);
}

static struct thread *sys_set_deadline(uint64_t deadline, uint64_t a1, uint64_t a2,
				       uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	sched_set_deadline(current_thread(), deadline);
	return syscall_return(0);
}

static struct thread *sys_nosys(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
				uint64_t a4, uint64_t a5, uint64_t a6)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	return syscall_return(-E_NOSYS);
}

/* Every number below NSYSCALLS has an entry (a test checks it). */
static syscall_fn *const syscall_table[NSYSCALLS] = {
	[SYS_THREAD_SELF] = sys_thread_self,
	[SYS_CALL] = sys_call,
	[SYS_REPLY_WAIT] = sys_reply_wait,
	[SYS_REPLY] = sys_reply,
	[SYS_CONSOLE_WRITE] = sys_console_write,
	[SYS_YIELD] = sys_yield,
	[SYS_SET_IPC_BUFFER] = sys_set_ipc_buffer,
	[SYS_ENDPOINT_CREATE] = sys_endpoint_create,
	[SYS_SPACE_CREATE] = sys_space_create,
	[SYS_SPACE_DESTROY] = sys_space_destroy,
	[SYS_THREAD_CREATE] = sys_thread_create,
	[SYS_MAP] = sys_map,
	[SYS_UNMAP] = sys_unmap,
	[SYS_PROTECT] = sys_protect,
	[SYS_READ_AD] = sys_read_ad,
	[SYS_CLEAR_AD] = sys_clear_ad,
	[SYS_CAP_COPY] = sys_cap_copy,
	[SYS_SHUTDOWN] = sys_shutdown,
	[SYS_CONTEXT_GET] = sys_context_get,
	[SYS_CONTEXT_REPLY] = sys_context_reply,
	[SYS_SET_DEADLINE] = sys_set_deadline,
	[SYS_CAP_CLEAR] = sys_cap_clear,
	[SYS_NOSYS] = sys_nosys,
};

/*
 * Called by trap.S with the caller's a0..a7; returns the thread to run next
 * (trap.S switches address spaces when that is another thread).
 */
struct thread *syscall_dispatch(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
				uint64_t a4, uint64_t a5, uint64_t a6, uint64_t nr)
{
	if (nr >= NSYSCALLS)
		nr = SYS_NOSYS;
	return syscall_table[nr](a0, a1, a2, a3, a4, a5, a6);
}
