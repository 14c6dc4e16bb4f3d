/*
 * The VM server: the root task. It owns every frame of the pool, every
 * process's map, and answers page faults and the calls of lib/ (vm_proto.h).
 */
#ifndef PAGER_VMSERVER_H
#define PAGER_VMSERVER_H

#include <stdbool.h>
#include <stdint.h>
#include "kern.h"
#include "vm_fault.h"
#include "vm_map.h"
#include "vm_proto.h"

/* The user address space of a process. */
#define USER_MIN        0x10000UL
#define USER_STACK_TOP  0x80000000UL
#define USER_STACK_SIZE (8UL << 20)
#define USER_MMAP_BASE  0x100000000UL
#define USER_MAP_END    0x3ff0000000UL	/* the top of what a process may map */
/* Program segments and the heap end below the window where pagers are lent pages. */
#define USER_HEAP_END   PAGER_WINDOW
_Static_assert(PAGER_WINDOW_END == USER_STACK_TOP - USER_STACK_SIZE, "window under the stack");

#define NPROCS 128
#define PROC_CAP_SLOTS 16	/* the kernel's NSLOTS */

enum proc_state { PROC_FREE, PROC_ALIVE, PROC_ZOMBIE };

#define NSIGNALS 32

struct proc;
struct pager_io;

/* A message waiting for a busy page (pagewait.c). */
struct page_wait {
	vm_page_t page;			/* the page; NULL: not waiting */
	struct ipc_msg msg;		/* handled again when it is unbusied */
	struct vm_fault_info info;	/* a fault's: what its first half left */
	bool counted;			/* a fault's: a half of it started a page-in */
	struct proc *next;		/* the list of waiting processes */
};

/* How the I/O a message waited for ended. */
enum io_result { IO_OK, IO_PAGEIN_FAILED, IO_PAGEOUT_FAILED };

struct sig_action {
	uint64_t handler;		/* 0: default, 1: ignore, else the function */
	uint64_t mask;			/* blocked while it runs */
	int flags;			/* SA_ */
};

struct proc {
	enum proc_state state;
	int pid, ppid;
	char name[32];
	vm_map_t map;
	uint64_t space;			/* the kernel's id of its address space */
	uint64_t thread;		/* its (only) thread */
	vm_offset_t brk_start, brk;	/* the heap: [brk_start, brk) */
	int status;			/* wait status, once a zombie */
	uint64_t waiting_thread;	/* in waitpid: reply owed to this thread */
	int waiting_for;		/* ... for this pid, or -1 for any child */
	uint64_t minflt, majflt;	/* faults served without / with a pager */
	struct sig_action sigact[NSIGNALS];
	uint64_t sigmask;		/* blocked signals: bit signo - 1 */
	uint64_t sigtramp;		/* where handlers are entered from */
	struct page_wait pwait;		/* its message that waits for a page */
	/* As an external pager (extpager.c): the requests for it. */
	struct pager_io *pager_queue, *pager_queue_tail;	/* not handed over yet */
	struct pager_io *pager_current;	/* handed over, not answered yet */
	uint64_t pager_waiting;			/* its thread, in VM_PAGER_WAIT */
	int pager_objects;			/* live objects it serves */
};

/* Set by the trace=1 boot argument: one line per fault. */
extern bool fault_trace;

/* The process a message's badge names, or NULL if it is gone. */
struct proc *proc_from_badge(uint64_t badge);
uint64_t proc_badge(const struct proc *p);
struct proc *proc_alloc(void);
struct proc *proc_find(int pid);

/* Starts program `path` with argv; returns the new process or NULL (errno-style *error). */
struct proc *proc_spawn(struct proc *parent, const char *path, int argc, char *const argv[],
			int *error);

/*
 * Ends a process with a wait status (see <sys/wait.h>): its memory goes, its
 * parent learns. The machine shuts down when init ends.
 */
void proc_exit(struct proc *p, int status);

/* Ends a process with a signal, as the default action would. */
void proc_kill(struct proc *p, int signo, int code, uint64_t addr, uint64_t pc);

/* A child of p with a copy of its memory (fork); NULL and *error if none. */
struct proc *proc_fork(struct proc *p, uint64_t entry, uint64_t arg, uint64_t sp, int *error);

/*
 * A synchronous signal for `thread` of p, which waits for our reply (a
 * fault, or a call): run its handler, or end p as the default action does.
 */
void signal_deliver(struct proc *p, uint64_t thread, int signo, int code, uint64_t addr,
		    uint64_t pc);

/* sigaction, sigprocmask, sigreturn, raise: fill m with the reply or m->peer = 0. */
void signal_request(struct proc *p, struct ipc_msg *m);

/*
 * Reads or writes a process's memory as the process would: faulting pages
 * in (copy-on-write included) and honouring its protections. 0 or -errno.
 */
int copyin(struct proc *p, vm_offset_t va, void *dst, size_t len);
int copyout(struct proc *p, vm_offset_t va, const void *src, size_t len);

/*
 * waitpid: 0 and *reply filled when a child can be reaped now; -errno on
 * error; 1 when the caller must wait (the reply comes later).
 */
int proc_wait(struct proc *p, uint64_t thread, int pid, int options, struct ipc_msg *reply);

/* The server's own requests (VM_*): fill m with the reply, or m->peer = 0. */
void vm_request(struct proc *p, struct ipc_msg *m);

/* Page faults and exceptions of user threads. */
void vm_page_fault(struct proc *p, struct ipc_msg *m);
void vm_exception(struct proc *p, struct ipc_msg *m);

/*
 * The second half of a fault that waited for a busy page: fault again
 * (VM_FAULT_RESUME), or, if the page-in it waited for was its own and
 * failed, give the signal. `counted`: a half of it started a page-in
 * (ru_majflt counts it once).
 */
void vm_page_fault_resume(struct proc *p, struct ipc_msg *m, struct vm_fault_info *info,
			  bool counted, bool pagein_failed);

/* Any message but a page fault, from a live process: an exception or a call. */
void vm_handle(struct proc *p, struct ipc_msg *m);
/*
 * A parked call whose page's I/O failed, so that it fails with `error`
 * instead of running again: what it did so far is undone (an mlock's
 * wiring).
 */
void vm_call_failed(struct proc *p, struct ipc_msg *m, int error);

/*
 * Parks m (a fault or a call without a buffer) until `busy` is no longer
 * busy; m->peer becomes 0, as for any deferred reply. info: a fault's.
 */
void page_wait(struct proc *p, struct ipc_msg *m, vm_page_t busy,
	       const struct vm_fault_info *info, bool counted);
/* p is ending: its parked message is forgotten. */
void page_wait_cancel(struct proc *p);
/* The I/O on ma[0..count) ended: the messages waiting for them are handled again. */
void page_wakeup(vm_page_t *ma, int count, enum io_result result);

/* External pagers (extpager.c). */
extern uint64_t pager_timeout_ms;	/* boot option pager_timeout= */
void pager_request_create(struct proc *p, struct ipc_msg *m);
void pager_request_release(struct proc *p, struct ipc_msg *m);
void pager_request_wait(struct proc *p, struct ipc_msg *m);
/* The object a handle names, or NULL (none, or closing): for VM_MMAP_OBJECT. */
vm_object_t pager_object(uint64_t handle);
/* p is ending: its requests fail, its objects lose their pager. */
void pager_proc_exit(struct proc *p);

/*
 * The service registry (service.c). service_add registers p's endpoint in
 * its `slot` under name: 0 or an errno value. service_find puts a cap to the
 * service `name` in p's `slot`, as waitpid answers: 0 when done, -errno on
 * error, 1 when the reply comes later (to `thread`: the name came, or
 * wait_ms passed). service_proc_exit forgets p's names and its waiting lookup.
 */
int service_add(struct proc *p, uint64_t slot, const char *name);
int service_find(struct proc *p, uint64_t thread, uint64_t slot, uint64_t wait_ms,
		 const char *name);
void service_proc_exit(struct proc *p);

/*
 * Devices for drivers (device.c), from boot_info's list. device_grant maps
 * device `index`'s registers into p, dma_grant `bytes` of contiguous memory;
 * each returns 0 with the va and pa, or an errno value.
 */
void device_init(const struct boot_info *bi);
int device_grant(struct proc *p, uint64_t index, vm_offset_t *va, vm_paddr_t *pa);
int dma_grant(struct proc *p, uint64_t bytes, vm_offset_t *va, vm_paddr_t *pa);

/* "SEGV_MAPERR" and so on. */
const char *signal_code_name(int signo, int code);

void vm_server_panic(const char *what, long value) __attribute__((noreturn));

#endif
