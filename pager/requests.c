/*
 * The calls of lib/ to the VM server (vm_proto.h): the process's memory
 * (sbrk, mmap, munmap, mprotect) and its life (spawn, exit, waitpid, getpid),
 * and the counters. Each handler checks its arguments - they come from an
 * untrusted process - and writes the reply into m.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vmmeter.h>
#include "libuser.h"
#include "pmap_riscv.h"
#include "vm_proto.h"
#include "vmserver.h"

#define SPAWN_MAX_ARGS 32

static void reply(struct ipc_msg *m, int error, uint64_t w0, uint64_t w1)
{
	m->tag = TAG(error, 0);
	m->w[0] = w0;
	m->w[1] = w1;
}

static int kern_errno(int rv)
{
	switch (rv) {
	case KERN_SUCCESS:
		return 0;
	case KERN_RESOURCE_SHORTAGE:
	case KERN_NO_SPACE:
		return ENOMEM;
	case KERN_PROTECTION_FAILURE:
		return EACCES;
	case KERN_INVALID_ADDRESS:
		return ENOMEM;	/* POSIX: part of the range is not mapped */
	}
	return EINVAL;
}

/* A page-aligned range inside the user part of the map. */
static bool user_range_ok(vm_offset_t addr, vm_offset_t len)
{
	return (addr & PAGE_MASK) == 0 && len > 0 && addr >= USER_MIN &&
	       addr + len > addr && addr + len <= USER_SPACE_END;
}

static vm_prot_t prot_of(uint64_t prot)
{
	return (vm_prot_t)(prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

static void do_sbrk(struct proc *p, struct ipc_msg *m)
{
	int64_t incr = (int64_t)m->w[0];
	vm_offset_t old = p->brk, new = old + (uint64_t)incr;
	vm_offset_t old_end = round_page(old), new_end = round_page(new);
	int rv = KERN_SUCCESS;

	if ((incr > 0 && new < old) || new < p->brk_start ||
	    new > USER_STACK_TOP - USER_STACK_SIZE) {
		reply(m, ENOMEM, 0, 0);
		return;
	}
	if (new_end > old_end)
		rv = vm_map_insert(p->map, NULL, 0, old_end, new_end,
				   VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, 0);
	else if (new_end < old_end)
		rv = vm_map_delete(p->map, new_end, old_end);
	if (rv == KERN_SUCCESS)
		p->brk = new;
	reply(m, kern_errno(rv), old, 0);
}

static void do_mmap(struct proc *p, struct ipc_msg *m)
{
	vm_offset_t addr = m->w[0], len = round_page(m->w[1]);
	int prot = (int)m->w[2], flags = (int)m->w[3];
	int rv;

	if (len == 0 || len < m->w[1] || !(flags & MAP_ANON) ||
	    (flags & (MAP_SHARED | MAP_PRIVATE)) == (MAP_SHARED | MAP_PRIVATE) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0) {
		reply(m, EINVAL, 0, 0);
		return;
	}
	if (flags & MAP_SHARED) {
		reply(m, EOPNOTSUPP, 0, 0);	/* shared anonymous memory: issue 3 */
		return;
	}
	if (flags & MAP_FIXED) {
		if (!user_range_ok(addr, len)) {
			reply(m, EINVAL, 0, 0);
			return;
		}
		vm_map_delete(p->map, addr, addr + len);
	} else {
		vm_offset_t hint = USER_MMAP_BASE;

		/*
		 * A hint is only a hint: one outside the mmap area is ignored (past
		 * user space, rounding it would wrap to the bottom, next to the
		 * break); if nothing fits above it, look from the base.
		 */
		if (addr >= USER_MMAP_BASE && addr < USER_SPACE_END)
			hint = addr;
		addr = hint;
		rv = vm_map_find_space(p->map, len, &addr);
		if (rv != KERN_SUCCESS && hint != USER_MMAP_BASE) {
			addr = USER_MMAP_BASE;
			rv = vm_map_find_space(p->map, len, &addr);
		}
		if (rv != KERN_SUCCESS) {
			reply(m, ENOMEM, 0, 0);
			return;
		}
	}
	rv = vm_map_insert(p->map, NULL, 0, addr, addr + len, prot_of((uint64_t)prot),
			   VM_PROT_ALL, 0);
	reply(m, kern_errno(rv), addr, 0);
}

static void do_munmap(struct proc *p, struct ipc_msg *m)
{
	vm_offset_t addr = m->w[0], len = round_page(m->w[1]);

	if (!user_range_ok(addr, len)) {
		reply(m, EINVAL, 0, 0);
		return;
	}
	reply(m, kern_errno(vm_map_delete(p->map, addr, addr + len)), 0, 0);
}

static void do_mprotect(struct proc *p, struct ipc_msg *m)
{
	vm_offset_t addr = m->w[0], len = round_page(m->w[1]);

	if (!user_range_ok(addr, len) || (m->w[2] & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC))) {
		reply(m, EINVAL, 0, 0);
		return;
	}
	reply(m, kern_errno(vm_map_protect(p->map, addr, addr + len, prot_of(m->w[2]))), 0, 0);
}

/* The buffer: path, then argc strings, each NUL-terminated. */
static void do_spawn(struct proc *p, struct ipc_msg *m)
{
	static char buf[IPC_BUFFER_SIZE + 1];
	char *argv[SPAWN_MAX_ARGS + 1], *s;
	uint64_t len = TAG_BUFLEN(m->tag), argc = m->w[0], i;
	struct proc *child;
	int error;

	memcpy(buf, ipc_buffer, len);
	buf[len] = '\0';
	if (argc > SPAWN_MAX_ARGS || (m->tag & TAG_TRUNCATED)) {
		reply(m, E2BIG, 0, 0);
		return;
	}
	for (s = buf + strlen(buf) + 1, i = 0; i < argc; i++, s += strlen(s) + 1) {
		if (s >= buf + len) {
			reply(m, EINVAL, 0, 0);
			return;
		}
		argv[i] = s;
	}
	argv[argc] = NULL;
	child = proc_spawn(p, buf, (int)argc, argv, &error);
	reply(m, child != NULL ? 0 : error, child != NULL ? (uint64_t)child->pid : 0, 0);
}

static void do_waitpid(struct proc *p, struct ipc_msg *m)
{
	int rv = proc_wait(p, m->peer, (int)m->w[0], (int)m->w[1], m);

	if (rv < 0)
		reply(m, -rv, 0, 0);
	else if (rv > 0)
		m->peer = 0;		/* the reply comes when a child exits */
}

static void do_vmmeter(struct ipc_msg *m)
{
	struct vmmeter v = {
		.v_vm_faults = vm_cnt.v_vm_faults, .v_io_faults = vm_cnt.v_io_faults,
		.v_cow_faults = vm_cnt.v_cow_faults, .v_cow_optim = vm_cnt.v_cow_optim,
		.v_zfod = vm_cnt.v_zfod, .v_ozfod = vm_cnt.v_ozfod,
		.v_intrans = vm_cnt.v_intrans, .v_page_count = vm_cnt.v_page_count,
		.v_free_count = vm_cnt.v_free_count, .v_wire_count = vm_cnt.v_wire_count,
		.v_objects = vm_cnt.v_objects, .v_prefaults = vm_cnt.v_prefaults,
	};

	memcpy(ipc_buffer, &v, sizeof(v));
	m->tag = TAG(0, sizeof(v));
}

void vm_request(struct proc *p, struct ipc_msg *m)
{
	switch (TAG_LABEL(m->tag)) {
	case VM_EXIT:
		m->peer = 0;
		proc_exit(p, (int)((m->w[0] & 0xff) << 8));
		break;
	case VM_SBRK:
		do_sbrk(p, m);
		break;
	case VM_MMAP:
		do_mmap(p, m);
		break;
	case VM_MUNMAP:
		do_munmap(p, m);
		break;
	case VM_MPROTECT:
		do_mprotect(p, m);
		break;
	case VM_GETPID:
		reply(m, 0, (uint64_t)p->pid, (uint64_t)p->ppid);
		break;
	case VM_SPAWN:
		do_spawn(p, m);
		break;
	case VM_WAITPID:
		do_waitpid(p, m);
		break;
	case VM_VMMETER:
		do_vmmeter(m);
		break;
	case VM_RUSAGE:
		reply(m, 0, p->minflt, p->majflt);
		break;
	case VM_PREZERO:
		reply(m, 0, vm_page_prezero(m->w[0]), 0);
		break;
	default:
		reply(m, ENOSYS, 0, 0);
		break;
	}
}
