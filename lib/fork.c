/*
 * fork() without kernel help. The parent saves its registers with setjmp()
 * in a frame on its stack and asks the VM server for a child: a copy-on-
 * write copy of its memory - that frame included - and one thread, started
 * at __fork_child (crt0.S) on the parent's stack pointer. The child sets up
 * gp and tp, registers its IPC buffer, and longjmp()s into the frame: for it,
 * setjmp() returns a second time, and fork() returns 0.
 */
#include <errno.h>
#include <setjmp.h>
#include <unistd.h>
#include "kern.h"
#include "libuser.h"
#include "vm_proto.h"

void __fork_child(void);

struct fork_frame {
	jmp_buf env;
};

/* Called by __fork_child with the frame, in the child. */
void __fork_child_c(struct fork_frame *frame)
{
	k_set_ipc_buffer(ipc_buffer);	/* the page is the child's own copy */
	ipc_buffer_wire();		/* wiring is not inherited */
	longjmp(frame->env, 1);
}

pid_t fork(void)
{
	struct fork_frame frame;
	struct ipc_msg m;
	uint64_t sp;
	int error;

	console_flush_all();	/* or the child would print it again */
	if (setjmp(frame.env) != 0)
		return 0;
	__asm__ volatile("mv %0, sp" : "=r"(sp));
	m = (struct ipc_msg){ .tag = TAG(VM_FORK, 0),
			      .w = { (uint64_t)__fork_child, (uint64_t)&frame, sp } };
	ipc_call(VM_SERVER_SLOT, &m);
	error = (int64_t)m.tag < 0 ? EIO : (int)TAG_LABEL(m.tag);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return (pid_t)m.w[0];
}
