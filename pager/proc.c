/*
 * Processes: a map, an address space and one thread. The VM server is also
 * the process manager - it must be, since a process is mostly its memory.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "exec.h"
#include "initrd.h"
#include "pmap_riscv.h"
#include "vm_proto.h"
#include "vmserver.h"

#define INIT_PID 1

static struct proc procs[NPROCS];
static int next_pid = INIT_PID;

uint64_t proc_badge(const struct proc *p)
{
	return (uint64_t)(p - procs) + 1;
}

struct proc *proc_from_badge(uint64_t badge)
{
	if (badge == 0 || badge > NPROCS || procs[badge - 1].state != PROC_ALIVE)
		return NULL;
	return &procs[badge - 1];
}

struct proc *proc_find(int pid)
{
	int i;

	for (i = 0; i < NPROCS; i++)
		if (procs[i].state != PROC_FREE && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

struct proc *proc_alloc(void)
{
	int i;

	for (i = 0; i < NPROCS; i++) {
		if (procs[i].state == PROC_FREE) {
			memset(&procs[i], 0, sizeof(procs[i]));
			procs[i].pid = next_pid++;
			procs[i].waiting_for = 0;
			return &procs[i];
		}
	}
	return NULL;
}

/* Frees everything a process holds; it becomes a zombie (or free). */
static void proc_teardown(struct proc *p)
{
	/* The space goes first: its thread stops, its tables go in one call. */
	pmap_remove_pages(p->map->pmap);
	vm_map_destroy(p->map);
	p->map = NULL;
}

/* A child gets its parent's endpoint caps (as it would its open files). */
static void inherit_caps(const struct proc *parent, struct proc *child)
{
	uint64_t slot;

	if (parent == NULL)
		return;
	for (slot = VM_SERVER_SLOT + 1; slot < PROC_CAP_SLOTS; slot++)
		k_cap_copy(child->space, slot, parent->space, slot, 0);	/* empty: skipped */
}

/*
 * The last step of spawn and fork: p's caps - its parent's, and the VM
 * server's endpoint badged with p - and its one thread, at entry with sp
 * and arg, its faults coming to us. Returns 0 or an errno value.
 */
static int start_thread(const struct proc *parent, struct proc *p, uint64_t entry,
			uint64_t sp, uint64_t arg)
{
	long tid;

	pmap_batch_flush();	/* the mappings made so far, before it runs */
	inherit_caps(parent, p);
	if (k_cap_copy(p->space, VM_SERVER_SLOT, SPACE_SELF, ROOT_ENDPOINT_SLOT,
		       proc_badge(p)) != 0)
		return EAGAIN;
	tid = k_thread_create(p->space, entry, sp, arg, ROOT_ENDPOINT_SLOT, proc_badge(p));
	if (tid < 0)
		return EAGAIN;
	p->thread = (uint64_t)tid;
	return 0;
}

struct proc *proc_spawn(struct proc *parent, const char *path, int argc, char *const argv[],
			int *error)
{
	struct initrd_file file;
	vm_offset_t entry, sp;
	struct proc *p;

	if (initrd_find(path, &file) != 0) {
		*error = ENOENT;
		return NULL;
	}
	if ((p = proc_alloc()) == NULL) {
		*error = EAGAIN;
		return NULL;
	}
	p->state = PROC_ALIVE;
	p->ppid = parent != NULL ? parent->pid : 0;
	strncpy(p->name, path, sizeof(p->name) - 1);
	if ((p->map = vm_map_create(USER_MIN, USER_MAP_END)) == NULL) {
		p->state = PROC_FREE;
		*error = ENOMEM;
		return NULL;
	}
	p->space = p->map->pmap->hw_id;
	if ((*error = -exec_load(p, &file, &entry)) != 0 ||
	    (*error = -exec_stack(p, argc, argv, &sp)) != 0)
		goto fail;
	if ((*error = start_thread(parent, p, entry, sp, sp)) != 0)
		goto fail;
	return p;
fail:
	proc_teardown(p);
	p->state = PROC_FREE;
	return NULL;
}

/*
 * fork: the child gets a copy of the parent's map (copy-on-write, made by
 * vm_map_fork), its caps, signal actions and mask, and one thread, which
 * starts at `entry` - lib's trampoline that returns 0 from fork() in the
 * child by jumping to registers the parent saved on its (now shared,
 * copy-on-write) stack.
 */
struct proc *proc_fork(struct proc *parent, uint64_t entry, uint64_t arg, uint64_t sp,
		       int *error)
{
	struct proc *p;

	if (entry >= USER_SPACE_END || sp > USER_SPACE_END) {
		*error = EINVAL;
		return NULL;
	}
	if ((p = proc_alloc()) == NULL) {
		*error = EAGAIN;
		return NULL;
	}
	p->state = PROC_ALIVE;
	p->ppid = parent->pid;
	memcpy(p->name, parent->name, sizeof(p->name));
	p->brk_start = parent->brk_start;
	p->brk = parent->brk;
	memcpy(p->sigact, parent->sigact, sizeof(p->sigact));
	p->sigmask = parent->sigmask;
	p->sigtramp = parent->sigtramp;
	if ((p->map = vm_map_fork(parent->map)) == NULL) {
		p->state = PROC_FREE;
		*error = ENOMEM;
		return NULL;
	}
	p->space = p->map->pmap->hw_id;
	if ((*error = start_thread(parent, p, entry, sp, arg)) != 0) {
		proc_teardown(p);
		p->state = PROC_FREE;
		return NULL;
	}
	return p;
}

static bool wait_matches(const struct proc *parent, const struct proc *child)
{
	return child->ppid == parent->pid &&
	       (parent->waiting_for == -1 || parent->waiting_for == child->pid);
}

/* Reaps a zombie: its wait status goes into the reply to its parent. */
static void reap(struct proc *child, struct ipc_msg *reply)
{
	reply->tag = TAG(0, 0);
	reply->w[0] = (uint64_t)child->pid;
	reply->w[1] = (uint64_t)child->status;
	child->state = PROC_FREE;
}

static void notify_parent(struct proc *child)
{
	struct proc *parent = proc_find(child->ppid);
	struct ipc_msg reply = { 0 };

	if (parent == NULL || parent->state != PROC_ALIVE) {
		child->state = PROC_FREE;	/* nobody will wait for it */
		return;
	}
	if (parent->waiting_thread != 0 && wait_matches(parent, child)) {
		reap(child, &reply);
		reply.peer = parent->waiting_thread;
		parent->waiting_thread = 0;
		ipc_reply(&reply);
	}
}

/* What the machine exits with when init ends: its exit code, or 128 + signal. */
static int machine_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void proc_exit(struct proc *p, int status)
{
	int i;

	page_wait_cancel(p);
	pager_proc_exit(p);
	/* What it wrote to files through shared mappings goes back to them. */
	vm_map_sync(p->map, USER_MIN, USER_MAP_END, false, NULL);
	service_proc_exit(p);
	proc_teardown(p);
	p->status = status;
	p->state = PROC_ZOMBIE;
	p->waiting_thread = 0;
	if (p->pid == INIT_PID) {
		printf("vmserver: init exited with status %d; shutting down\n",
		       machine_status(status));
		k_shutdown(machine_status(status));
	}
	for (i = 0; i < NPROCS; i++) {
		if (procs[i].state != PROC_FREE && procs[i].ppid == p->pid) {
			procs[i].ppid = INIT_PID;	/* orphans go to init */
			if (procs[i].state == PROC_ZOMBIE)
				notify_parent(&procs[i]);
		}
	}
	notify_parent(p);
}

static const char *signal_name(int signo)
{
	switch (signo) {
	case SIGSEGV:
		return "SIGSEGV";
	case SIGBUS:
		return "SIGBUS";
	case SIGILL:
		return "SIGILL";
	case SIGTRAP:
		return "SIGTRAP";
	case SIGABRT:
		return "SIGABRT";
	case SIGKILL:
		return "SIGKILL";
	case SIGTERM:
		return "SIGTERM";
	case SIGUSR1:
		return "SIGUSR1";
	case SIGUSR2:
		return "SIGUSR2";
	}
	return "signal";
}

void proc_kill(struct proc *p, int signo, int code, uint64_t addr, uint64_t pc)
{
	printf("vmserver: pid %d (%s) killed by %s (%s) at address %#lx, pc %#lx\n", p->pid,
	       p->name, signal_name(signo), signal_code_name(signo, code), (unsigned long)addr,
	       (unsigned long)pc);
	proc_exit(p, signo);	/* a wait status with WTERMSIG = signo */
}

int proc_wait(struct proc *p, uint64_t thread, int pid, int options, struct ipc_msg *reply)
{
	bool any = false;
	int i;

	if (pid == 0)
		pid = -1;	/* "my process group": there is one, everyone's */
	p->waiting_for = pid;
	for (i = 0; i < NPROCS; i++) {
		struct proc *c = &procs[i];

		if (c->state == PROC_FREE || !wait_matches(p, c))
			continue;
		any = true;
		if (c->state == PROC_ZOMBIE) {
			reap(c, reply);
			return 0;
		}
	}
	if (!any)
		return -ECHILD;
	if (options & WNOHANG) {
		reply->tag = TAG(0, 0);
		reply->w[0] = 0;
		return 0;
	}
	p->waiting_thread = thread;
	return 1;
}
