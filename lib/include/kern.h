/*
 * The kernel's system calls as inline functions (the ABI is
 * kernel/include/uapi/abi.h). Each is one `ecall`; nothing is cached.
 */
#ifndef LIB_KERN_H
#define LIB_KERN_H

#include <stdint.h>
#include "uapi/abi.h"

/* An IPC message as it travels in registers a0..a6. */
struct ipc_msg {
	uint64_t tag;		/* label | buffer length */
	uint64_t peer;		/* on receive: the sender's thread id */
	uint64_t w[4];
	uint64_t badge;		/* on receive: the badge of the sender's cap */
};

#define KCALL_CLOBBERS "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory"

static inline long kcall(long nr, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
			 uint64_t x4, uint64_t x5, uint64_t x6)
{
	register uint64_t a0 __asm__("a0") = x0;
	register uint64_t a1 __asm__("a1") = x1;
	register uint64_t a2 __asm__("a2") = x2;
	register uint64_t a3 __asm__("a3") = x3;
	register uint64_t a4 __asm__("a4") = x4;
	register uint64_t a5 __asm__("a5") = x5;
	register uint64_t a6 __asm__("a6") = x6;
	register uint64_t a7 __asm__("a7") = (uint64_t)nr;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5),
			   "+r"(a6), "+r"(a7)
			 :
			 : KCALL_CLOBBERS);
	return (long)a0;
}

/*
 * The IPC calls move a whole message both ways: m is sent (a0..a6) and
 * overwritten with what comes back.
 */
static inline void kcall_msg(long nr, struct ipc_msg *m, uint64_t slot)
{
	register uint64_t a0 __asm__("a0") = m->tag;
	register uint64_t a1 __asm__("a1") = m->peer;
	register uint64_t a2 __asm__("a2") = m->w[0];
	register uint64_t a3 __asm__("a3") = m->w[1];
	register uint64_t a4 __asm__("a4") = m->w[2];
	register uint64_t a5 __asm__("a5") = m->w[3];
	register uint64_t a6 __asm__("a6") = slot;
	register uint64_t a7 __asm__("a7") = (uint64_t)nr;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5),
			   "+r"(a6), "+r"(a7)
			 :
			 : KCALL_CLOBBERS);
	m->tag = a0;
	m->peer = a1;
	m->w[0] = a2;
	m->w[1] = a3;
	m->w[2] = a4;
	m->w[3] = a5;
	m->badge = a6;
}

/* Sends m to the endpoint in `slot` and waits: m becomes the reply. */
static inline void ipc_call(uint64_t slot, struct ipc_msg *m)
{
	kcall_msg(SYS_CALL, m, slot);
}

/*
 * Replies m to m->peer (if not 0), then waits on `slot`: m becomes the next
 * message. A negative tag is an error (a bad slot, a peer not waiting).
 */
static inline void ipc_reply_wait(uint64_t slot, struct ipc_msg *m)
{
	kcall_msg(SYS_REPLY_WAIT, m, slot);
}

/* A call with an empty message (a label only); returns the reply's tag. */
static inline uint64_t ipc_call_empty(uint64_t slot, uint32_t label)
{
	register uint64_t a0 __asm__("a0") = label;
	register uint64_t a6 __asm__("a6") = slot;
	register uint64_t a7 __asm__("a7") = SYS_CALL;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a6), "+r"(a7)
			 :
			 : "a1", "a2", "a3", "a4", "a5", KCALL_CLOBBERS);
	return a0;
}

/*
 * Replies an empty message (a label) to *peer, if not 0, and waits for the
 * next message: returns its tag, and its sender in *peer.
 */
static inline uint64_t ipc_reply_wait_empty(uint64_t slot, uint64_t *peer, uint32_t label)
{
	register uint64_t a0 __asm__("a0") = label;
	register uint64_t a1 __asm__("a1") = *peer;
	register uint64_t a6 __asm__("a6") = slot;
	register uint64_t a7 __asm__("a7") = SYS_REPLY_WAIT;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a6), "+r"(a7)
			 :
			 : "a2", "a3", "a4", "a5", KCALL_CLOBBERS);
	*peer = a1;
	return a0;
}

/* Replies m to m->peer and goes on: for answers a server deferred. */
static inline long ipc_reply(const struct ipc_msg *m)
{
	return kcall(SYS_REPLY, m->tag, m->peer, m->w[0], m->w[1], m->w[2], m->w[3], 0);
}

static inline long k_thread_self(void)
{
	return kcall(SYS_THREAD_SELF, 0, 0, 0, 0, 0, 0, 0);
}

static inline long k_console_write(const void *buf, uint64_t len)
{
	return kcall(SYS_CONSOLE_WRITE, (uint64_t)buf, len, 0, 0, 0, 0, 0);
}

static inline long k_yield(void)
{
	return kcall(SYS_YIELD, 0, 0, 0, 0, 0, 0, 0);
}

static inline long k_set_ipc_buffer(void *page)
{
	return kcall(SYS_SET_IPC_BUFFER, (uint64_t)page, 0, 0, 0, 0, 0, 0);
}

static inline long k_endpoint_create(void)
{
	return kcall(SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, 0, 0);
}

static inline long k_space_create(void)
{
	return kcall(SYS_SPACE_CREATE, 0, 0, 0, 0, 0, 0, 0);
}

static inline long k_space_destroy(uint64_t space)
{
	return kcall(SYS_SPACE_DESTROY, space, 0, 0, 0, 0, 0, 0);
}

static inline long k_thread_create(uint64_t space, uint64_t pc, uint64_t sp, uint64_t arg,
				   uint64_t pager_slot, uint64_t badge)
{
	return kcall(SYS_THREAD_CREATE, space, pc, sp, arg, pager_slot, badge, 0);
}

static inline long k_map(uint64_t space, uint64_t va_perm, uint64_t pa, uint64_t more)
{
	return kcall(SYS_MAP, space, va_perm, pa, more, 0, 0, 0);
}

static inline long k_unmap(uint64_t space, uint64_t va, uint64_t len)
{
	return kcall(SYS_UNMAP, space, va, len, 0, 0, 0, 0);
}

static inline long k_protect(uint64_t space, uint64_t va, uint64_t len, uint64_t perm)
{
	return kcall(SYS_PROTECT, space, va, len, perm, 0, 0, 0);
}

static inline long k_clear_ad(uint64_t space, uint64_t va, uint64_t pages, uint64_t bits)
{
	return kcall(SYS_CLEAR_AD, space, va, pages, bits, 0, 0, 0);
}

static inline long k_cap_copy(uint64_t dst_space, uint64_t dst_slot, uint64_t src_space,
			      uint64_t src_slot, uint64_t badge)
{
	return kcall(SYS_CAP_COPY, dst_space, dst_slot, src_space, src_slot, badge, 0, 0);
}

/* Empties a cap slot (of our space, or of one we manage). */
static inline long k_cap_clear(uint64_t space, uint64_t slot)
{
	return kcall(SYS_CAP_CLEAR, space, slot, 0, 0, 0, 0, 0);
}

/* Copies the registers of `peer` (waiting for our reply) into our IPC buffer. */
static inline long k_context_get(uint64_t peer)
{
	return kcall(SYS_CONTEXT_GET, 0, peer, 0, 0, 0, 0, 0);
}

/* Resumes `peer` (waiting for our reply) with the context in our IPC buffer. */
static inline long k_context_reply(uint64_t peer)
{
	return kcall(SYS_CONTEXT_REPLY, 0, peer, 0, 0, 0, 0, 0);
}

/*
 * Arms (or, with 0, disarms) the caller's receive deadline, a `time` CSR
 * count: its next wait for a message still blocked then returns -E_TIMEOUT.
 */
static inline long k_set_deadline(uint64_t deadline)
{
	return kcall(SYS_SET_DEADLINE, deadline, 0, 0, 0, 0, 0, 0);
}

static inline long k_shutdown(int status)
{
	return kcall(SYS_SHUTDOWN, (uint64_t)status, 0, 0, 0, 0, 0, 0);
}

/* Accessed and dirty bits of up to 64 pages from va (bit i: page i). 0 or -E_. */
static inline long k_read_ad(uint64_t space, uint64_t va, uint64_t pages,
			     uint64_t *accessed, uint64_t *dirty)
{
	register uint64_t a0 __asm__("a0") = space;
	register uint64_t a1 __asm__("a1") = va;
	register uint64_t a2 __asm__("a2") = pages;
	register uint64_t a7 __asm__("a7") = SYS_READ_AD;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a7)
			 :
			 : "a3", "a4", "a5", "a6", KCALL_CLOBBERS);
	*accessed = a1;
	*dirty = a2;
	return (long)a0;
}

/* The `time` CSR: boot_info's timebase_hz ticks per second. */
static inline uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static inline uint64_t rdinstret(void)
{
	uint64_t n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

#endif
