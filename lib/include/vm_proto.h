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
};

/*
 * How a handler is entered: the VM server resumes the thread at the
 * trampoline the process registered, with a0 = signo, a1 = &siginfo,
 * a2 = &ucontext (all on the thread's stack), a3 = the handler.
 */

#endif
