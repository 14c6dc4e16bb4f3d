/*
 * The kernel's system call and IPC interface: the one header the kernel and
 * user space (the VM server included) share. Nothing else crosses.
 *
 * A system call is `ecall` with the call number in a7 and arguments in
 * a0..a6. Like a function call, it preserves sp, gp, tp, s0..s11 and ra, and
 * clobbers t0..t6; a0..a6 carry results back (a0 is 0 or a negative E_ code).
 *
 * IPC messages travel in registers:
 *
 *   a0  tag     label (bits 0..31) | buffer length in bytes (bits 32..44)
 *   a1  peer    thread id: the thread to reply to, or (on receive) the sender
 *   a2..a5      four data words
 *   a6  on entry: an endpoint slot; on receive: the badge of the sender's cap
 *
 * and, when the tag names a buffer length, up to IPC_BUFFER_SIZE bytes copied
 * from the sender's IPC buffer (a page it registered) into the receiver's.
 */
#ifndef UAPI_ABI_H
#define UAPI_ABI_H

#include <stdint.h>

#define IPC_BUFFER_SIZE 4096

/* User addresses are [0, USER_SPACE_END): the lower half of Sv39. */
#define USER_SPACE_END 0x4000000000UL

/* System call numbers (a7). */
enum {
	SYS_THREAD_SELF = 0,	/* -> a0 = caller's thread id; the null syscall */
	SYS_CALL,		/* a6 = slot: send a message, wait for the reply */
	SYS_REPLY_WAIT,		/* a1 = peer to reply to (0: none), a6 = slot to wait on
				   (an unbadged cap: a badged one may only send) */
	SYS_CONSOLE_WRITE,	/* a0 = buffer, a1 = length (<= IPC_BUFFER_SIZE) */
	SYS_YIELD,
	SYS_SET_IPC_BUFFER,	/* a0 = page-aligned user address */
	SYS_ENDPOINT_CREATE,	/* -> a0 = slot of a new endpoint */
	SYS_REPLY,		/* a1 = peer: reply, and go on running */

	/* Calls of a pager on an address space it manages. */
	SYS_SPACE_CREATE,	/* -> a0 = space id, managed by the caller */
	SYS_SPACE_DESTROY,	/* a0 = space: its threads die, its tables go */
	SYS_THREAD_CREATE,	/* a0 = space, a1 = pc, a2 = sp (<= USER_SPACE_END), a3 = arg,
				   a4 = pager slot, a5 = badge -> a0 = thread id */
	SYS_MAP,		/* a0 = space, a1 = va | perm, a2 = pa, a3 = count of
				   further struct map_record in the IPC buffer; the
				   records before a bad one stay mapped */
	SYS_UNMAP,		/* a0 = space, a1 = va, a2 = length */
	SYS_PROTECT,		/* a0 = space, a1 = va, a2 = length, a3 = perm: each
				   page keeps only the rights in perm (none left:
				   unmapped); no right is ever added */
	SYS_READ_AD,		/* a0 = space, a1 = va, a2 = pages (<= 64)
				   -> a1 = accessed bits, a2 = dirty bits */
	SYS_CLEAR_AD,		/* a0 = space, a1 = va, a2 = pages, a3 = AD bits */
	SYS_CAP_COPY,		/* a0 = dst space, a1 = dst slot, a2 = src space
				   (0: caller's), a3 = src slot, a4 = badge (0:
				   keep it; a badged cap cannot get another) */
	SYS_SHUTDOWN,		/* a0 = status: the root task ends the machine */
	SYS_CONTEXT_GET,	/* a1 = peer waiting for our reply, in a space we
				   manage: its registers -> our IPC buffer, as
				   struct user_context */
	SYS_CONTEXT_REPLY,	/* a1 = peer waiting for our reply, in a space we
				   manage: resume it with the struct user_context
				   in our IPC buffer */
	SYS_SET_DEADLINE,	/* a0 = a time (the `time` CSR's count), 0: none.
				   The caller's next wait for a message that would
				   last past it ends instead with -E_TIMEOUT; the
				   deadline then disarms (it fires once) */
	SYS_CAP_CLEAR,		/* a0 = space (0: caller's), a1 = slot: empties it */
	SYS_NOSYS,		/* never valid: E_NOSYS */
	NSYSCALLS
};

/* Errors (negated in a0). */
enum {
	E_OK = 0,
	E_NOSYS = 1,	/* unknown system call */
	E_INVAL = 2,	/* a malformed argument */
	E_FAULT = 3,	/* a user buffer that is not mapped as it must be */
	E_BADSLOT = 4,	/* no endpoint in that slot */
	E_NOMEM = 5,	/* the kernel's own memory (tables, objects) ran out */
	E_PERM = 6,	/* the caller does not manage that space / own that frame */
	E_NOSPACE = 7,	/* no such address space */
	E_NOTHREAD = 8,	/* no such thread, or it is not waiting for this reply */
	E_RANGE = 9,	/* an address outside user space, or not page-aligned */
	E_NOSLOT = 10,	/* every cap slot of the space is in use */
	E_TIMEOUT = 11,	/* SYS_SET_DEADLINE's time passed before a message came */
	E_NORECEIVER = 12,	/* no unbadged cap to the endpoint is left: no server
				   can ever take the message */
};

/* The message tag in a0. */
#define TAG(label, buflen)  ((uint64_t)(uint32_t)(label) | ((uint64_t)(buflen) << 32))
#define TAG_LABEL(tag)      ((uint32_t)(tag))
#define TAG_BUFLEN(tag)     ((uint32_t)((tag) >> 32) & 0x1fff)
#define TAG_TRUNCATED       (1UL << 48)	/* the receiver's buffer was not mapped */

/*
 * Messages the kernel sends a pager on behalf of a thread, as if the thread
 * had called the pager: a1 = the thread, a6 = the badge of its pager cap.
 */
enum {
	MSG_PAGE_FAULT = 0x70000001,	/* a2 = address, a3 = access (PERM_R/W/X),
					   a4 = pc, a5 = space id */
	MSG_EXCEPTION = 0x70000002,	/* a2 = scause, a3 = stval, a4 = pc,
					   a5 = space id */
};

/*
 * The pager's answer to MSG_PAGE_FAULT is an ordinary reply:
 *   label FAULT_MAP:    map a2 = va | perm at frame a3, then the tag's buffer
 *                       length / sizeof(struct map_record) records from the
 *                       pager's IPC buffer; resume the thread.
 *   label FAULT_RETRY:  resume the thread without mapping anything.
 * A fault that cannot be served gets no reply: the pager ends the task.
 */
enum {
	FAULT_MAP = 1,
	FAULT_RETRY = 2,
};

/* Permission bits in the low bits of a mapping's va (Sv39's R, W, X). */
#define PERM_R   0x2
#define PERM_W   0x4
#define PERM_X   0x8
#define PERM_MASK (PERM_R | PERM_W | PERM_X)

/* Accessed and dirty bits for SYS_CLEAR_AD. */
#define AD_ACCESSED 0x1
#define AD_DIRTY    0x2

struct map_record {
	uint64_t va_perm;	/* page-aligned user address | PERM_ bits */
	uint64_t pa;		/* a frame of the pager's pool */
};

/*
 * A thread's user registers, for SYS_CONTEXT_GET and SYS_CONTEXT_REPLY:
 * x[i - 1] is register xi; pc is where it resumes. A server that answers
 * for a thread (a pager delivering a signal, a sigreturn) replaces them.
 * For a thread waiting in SYS_CALL, the registers a call may clobber
 * (t0..t6, a0..a7) hold nothing meaningful.
 */
struct user_context {
	uint64_t x[31];
	uint64_t pc;
};
#define UCTX_RA 0	/* x[] index of ra (x1) */
#define UCTX_SP 1	/* ... of sp (x2) */
#define UCTX_A0 9	/* ... of a0 (x10); a1..a7 follow */

/* Address space 0 names "the caller's own" in SYS_CAP_COPY. */
#define SPACE_SELF 0

/*
 * The root task (the VM server) starts with a0 = the address of this page,
 * mapped read-only in its space.
 */
#define BOOTINFO_MAX_RANGES 16
#define BOOTINFO_MAX_DEVICES 8
#define BOOTINFO_ARGS_SIZE  512

struct boot_range {
	uint64_t start, end;		/* physical, [start, end) */
};

struct boot_info {
	uint64_t ram_start, ram_end;	/* all of RAM */
	uint64_t pool_window;		/* user va of pa ram_start in the pool window */
	uint64_t npool;			/* ranges of frames given to the root task */
	struct boot_range pool[BOOTINFO_MAX_RANGES];
	struct boot_range image;	/* the frames the kernel loaded it into */
	uint64_t initrd_window;		/* user va of the initrd, read-only */
	uint64_t initrd_size;
	uint64_t nharts;
	uint64_t timebase_hz;
	uint64_t self_space;		/* the root task's own space id */
	/*
	 * Device registers the root task may map (SYS_MAP takes their frames
	 * as it takes the pool's): the virtio-mmio transports of the device
	 * tree, one page each.
	 */
	uint64_t ndevices;
	struct boot_range devices[BOOTINFO_MAX_DEVICES];
	char args[BOOTINFO_ARGS_SIZE];	/* kernel command line (/chosen/bootargs) */
};

/* The root task's own endpoint: faults of the tasks it manages arrive here. */
#define ROOT_ENDPOINT_SLOT 0

#endif
