/* Traps other than system calls: interrupts and exceptions from user mode. */
#include "csr.h"
#include "fault.h"
#include "sched.h"
#include "space.h"

struct thread *trap_dispatch(void)
{
	struct thread *self = current_thread(), *next;
	uint64_t scause = csr_read(scause);

	if (scause == (SCAUSE_INTERRUPT | IRQ_S_TIMER))
		next = timer_tick(self);
	else if (scause & SCAUSE_INTERRUPT)
		panic("unexpected interrupt %lx", scause & ~SCAUSE_INTERRUPT);
	else
		next = fault_forward(self, scause, csr_read(stval));
	thread_activate(next);
	return next;
}

void kernel_trap_panic(void)
{
	panic("trap in the kernel: scause %lx sepc %lx stval %lx",
	      csr_read(scause), csr_read(sepc), csr_read(stval));
}
