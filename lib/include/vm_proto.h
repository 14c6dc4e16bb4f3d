/*
 * The protocol between programs (lib/) and the VM server: ordinary IPC calls
 * on cap slot VM_SERVER_SLOT, where the VM server put its endpoint, minted
 * with the caller's process as badge. The label is the request; the reply's
 * label is 0 or an errno value, its words the results.
 */
#ifndef LIB_VM_PROTO_H
#define LIB_VM_PROTO_H

#define VM_SERVER_SLOT 0

enum vm_request {
	VM_EXIT = 1,	/* w0 = status; no reply */
	VM_SBRK,	/* w0 = increment -> w0 = the old break */
	VM_MMAP,	/* w0 = addr, w1 = len, w2 = prot, w3 = flags -> w0 = addr */
	VM_MUNMAP,	/* w0 = addr, w1 = len */
	VM_MPROTECT,	/* w0 = addr, w1 = len, w2 = prot */
	VM_GETPID,	/* -> w0 = pid, w1 = parent's pid */
	VM_SPAWN,	/* buffer: path, then argv[0..], each NUL-terminated;
			   w0 = argc -> w0 = pid */
	VM_WAITPID,	/* w0 = pid (-1: any), w1 = options -> w0 = pid, w1 = status */
	VM_VMMETER,	/* -> buffer: struct vmmeter */
	VM_RUSAGE,	/* -> w0 = minor faults, w1 = major faults */
	VM_PREZERO,	/* w0 = pages -> w0 = pages zeroed ahead of need */
	VM_FORK,	/* w0 = child's entry, w1 = its argument, w2 = its sp
			   -> w0 = child's pid */
	VM_MINHERIT,	/* w0 = addr, w1 = len, w2 = inheritance */
	VM_MADVISE,	/* w0 = addr, w1 = len, w2 = advice */
	VM_MLOCK,	/* w0 = addr, w1 = len */
	VM_MUNLOCK,	/* w0 = addr, w1 = len */
	VM_MSYNC,	/* w0 = addr, w1 = len, w2 = flags */
	VM_SIGACTION,	/* w0 = signo | flags << 32, w1 = handler, w2 = mask,
			   w3 = the trampoline handlers run from
			   -> w0 = old handler, w1 = old flags, w2 = old mask */
	VM_SIGPROCMASK,	/* w0 = how (0: just read), w1 = set -> w0 = old mask */
	VM_SIGRETURN,	/* w0 = the ucontext_t to resume: no reply, the thread
			   resumes there */
	VM_RAISE,	/* w0 = signo: delivered as a fault's signal would be */
	VM_CHAIN_DEPTH,	/* w0 = addr -> w0 = objects in the shadow chain mapped
			   there (0: none yet) - for tests and benchmarks */

	/* Services: names for endpoints, so that programs find servers. */
	VM_SERVICE_REGISTER,	/* w0 = the caller's slot holding its (unbadged)
				   endpoint; buffer: the name, NUL-terminated
				   -> 0, or EEXIST, EINVAL, ENOSPC (the
				   registry is full); the name goes when the
				   caller ends */
	VM_SERVICE_LOOKUP,	/* w0 = a free slot of the caller's, w1 = ms to
				   wait for the name to appear (0: not at all);
				   buffer: the name -> 0 (a cap to the service,
				   badged with the caller's pid, is in the slot),
				   or ENOENT, ETIMEDOUT, EINVAL */

	/* Device drivers. */
	VM_DEVICE_MAP,		/* w0 = index of a device in boot_info's list
				   -> w0 = va of its registers, w1 = their pa;
				   EINVAL past the last device, EBUSY while it
				   is mapped (by anyone: munmap or exit frees it) */
	VM_DMA_ALLOC,		/* w0 = bytes (1..DMA_MAX_PAGES pages) -> w0 = va,
				   w1 = pa: zeroed, wired, physically contiguous
				   memory for a device; never inherited by fork */

	/* External pagers: the pager's side (servers/libpager). */
	VM_PAGER_CREATE,	/* w0 = size in bytes -> w0 = handle of a new
				   object whose pages this process supplies */
	VM_PAGER_RELEASE,	/* w0 = handle: the pager's reference goes */
	VM_PAGER_WAIT,		/* w0 = id of the request just done (0: none),
				   w1 = its result (0 or an errno value) -> the
				   next request: label PAGER_*, w0 = its id,
				   w1 = handle, w2 = offset in bytes, w3 = pages,
				   lent at PAGER_WINDOW */

	/* External pagers: the clients' side. */
	VM_MMAP_OBJECT,		/* w0 = addr, w1 = len, w2 = prot | flags << 32,
				   w3 = handle | offset in pages << 32 -> w0 = addr */
};

/* A service name has 1..SERVICE_NAME_MAX characters (printable, no spaces). */
#define SERVICE_NAME_MAX 31

/* The most VM_DMA_ALLOC gives at once, in pages. */
#define DMA_MAX_PAGES 16

/*
 * The requests a pager gets from VM_PAGER_WAIT. The pages of a request are
 * mapped into the pager at PAGER_WINDOW for as long as it works on it:
 * writable and zeroed for PAGER_PAGEIN (fill them), read-only for
 * PAGER_PAGEOUT (store them). PAGER_CLOSE: the object's last reference went
 * (its dirty pages were paged out first); the handle is dead.
 */
enum pager_request {
	PAGER_PAGEIN = 0x1001,	/* above every errno value, which a reply may be */
	PAGER_PAGEOUT,
	PAGER_CLOSE,
};

/*
 * Where the pages of a request appear: the megabyte just below the stack,
 * above the heap's limit, which no mapping may enter. Lent so near the stack,
 * the pages share the upper nodes of the pager's mapping tree with it, so a
 * request builds and frees little more than one bottom node (at the top of
 * the address space it built and freed a whole path: ~1,000 instructions).
 */
#define PAGER_WINDOW_PAGES 256
#define PAGER_WINDOW_END   0x7f800000UL	/* the stack's lowest page */
#define PAGER_WINDOW       (PAGER_WINDOW_END - PAGER_WINDOW_PAGES * 4096UL)

/*
 * How a handler is entered: the VM server resumes the thread at the
 * trampoline the process registered, with a0 = signo, a1 = &siginfo,
 * a2 = &ucontext (all on the thread's stack), a3 = the handler.
 */

#endif
