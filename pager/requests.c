/*
 * The calls of lib/ to the VM server (vm_proto.h): the process's memory
 * (sbrk, mmap, munmap, mprotect) and its life (spawn, exit, waitpid, getpid),
 * the counters, service names (service.c) and devices (device.c). Each
 * handler checks its arguments - they come from an untrusted process - and
 * writes the reply into m.
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

/* <sys/mman.h> and the VM core agree on these values: requests pass them through. */
_Static_assert(MADV_NORMAL == MADV_NORMAL_VM && MADV_RANDOM == MADV_RANDOM_VM &&
	       MADV_SEQUENTIAL == MADV_SEQUENTIAL_VM && MADV_WILLNEED == MADV_WILLNEED_VM &&
	       MADV_DONTNEED == MADV_DONTNEED_VM, "madvise values");
_Static_assert(INHERIT_SHARE == VM_INHERIT_SHARE && INHERIT_COPY == VM_INHERIT_COPY &&
	       INHERIT_NONE == VM_INHERIT_NONE, "minherit values");

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
	case KERN_FAILURE:
		return EIO;	/* a pager failed */
	}
	return EINVAL;
}

/* A page-aligned range inside the user part of the map, clear of the pager window. */
static bool user_range_ok(vm_offset_t addr, vm_offset_t len)
{
	return (addr & PAGE_MASK) == 0 && len > 0 && addr >= USER_MIN &&
	       addr + len > addr && addr + len <= USER_MAP_END &&
	       (addr + len <= PAGER_WINDOW || addr >= PAGER_WINDOW_END);
}

static vm_prot_t prot_of(uint64_t prot)
{
	return (vm_prot_t)(prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

/*
 * Unmaps [start, end). Dirty pages that a store (a file) backs are sent
 * back to it first: what was written through a shared mapping reaches the
 * file when the mapping goes, even if nobody calls msync.
 */
static int unmap_range(struct proc *p, vm_offset_t start, vm_offset_t end)
{
	vm_map_sync(p->map, start, end, false, NULL);
	return vm_map_delete(p->map, start, end);
}

static void do_sbrk(struct proc *p, struct ipc_msg *m)
{
	int64_t incr = (int64_t)m->w[0];
	vm_offset_t old = p->brk, new = old + (uint64_t)incr;
	vm_offset_t old_end = round_page(old), new_end = round_page(new);
	int rv = KERN_SUCCESS;

	if ((incr > 0 && new < old) || new < p->brk_start ||
	    new > USER_HEAP_END) {
		reply(m, ENOMEM, 0, 0);
		return;
	}
	if (new_end > old_end)
		rv = vm_map_insert(p->map, NULL, 0, old_end, new_end,
				   VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, 0);
	else if (new_end < old_end)
		rv = unmap_range(p, new_end, old_end);
	if (rv == KERN_SUCCESS)
		p->brk = new;
	reply(m, kern_errno(rv), old, 0);
}

/*
 * Shared anonymous memory: its object exists from the start (the sharers
 * must agree on it), and fork shares it rather than copying.
 */
static int map_shared_anon(struct proc *p, vm_offset_t addr, vm_offset_t len, vm_prot_t prot)
{
	vm_object_t object = vm_object_allocate(atop(len));
	int rv;

	if (object == NULL)
		return KERN_RESOURCE_SHORTAGE;
	rv = vm_map_insert(p->map, object, 0, addr, addr + len, prot, VM_PROT_ALL, 0);
	if (rv != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return rv;
	}
	return vm_map_inherit(p->map, addr, addr + len, VM_INHERIT_SHARE);
}

/*
 * Checks mmap's arguments and picks the address: *addr itself for
 * MAP_FIXED (whatever was there goes), else a free range at or above the
 * hint. Returns 0 or an errno value.
 */
static int mmap_place(struct proc *p, vm_offset_t *addr, vm_offset_t len, int prot, int flags)
{
	vm_offset_t hint = USER_MMAP_BASE;
	int rv;

	if (len == 0 || (flags & (MAP_SHARED | MAP_PRIVATE)) == (MAP_SHARED | MAP_PRIVATE) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0)
		return EINVAL;
	if (flags & MAP_FIXED) {
		if (!user_range_ok(*addr, len))
			return EINVAL;
		unmap_range(p, *addr, *addr + len);
		return 0;
	}
	/*
	 * A hint is only a hint: one outside the mmap area is ignored (past
	 * user space, rounding it would wrap to the bottom, next to the
	 * break); if nothing fits above it, look from the base.
	 */
	if (*addr >= USER_MMAP_BASE && *addr < USER_MAP_END)
		hint = *addr;
	*addr = hint;
	rv = vm_map_find_space(p->map, len, addr);
	if (rv != KERN_SUCCESS && hint != USER_MMAP_BASE) {
		*addr = USER_MMAP_BASE;
		rv = vm_map_find_space(p->map, len, addr);
	}
	return rv == KERN_SUCCESS ? 0 : ENOMEM;
}

static void do_mmap(struct proc *p, struct ipc_msg *m)
{
	vm_offset_t addr = m->w[0], len = round_page(m->w[1]);
	int prot = (int)m->w[2], flags = (int)m->w[3];
	int error, rv;

	if (len < m->w[1] || !(flags & MAP_ANON)) {
		reply(m, EINVAL, 0, 0);
		return;
	}
	if ((error = mmap_place(p, &addr, len, prot, flags)) != 0) {
		reply(m, error, 0, 0);
		return;
	}
	if (flags & MAP_SHARED)
		rv = map_shared_anon(p, addr, len, prot_of((uint64_t)prot));
	else
		rv = vm_map_insert(p->map, NULL, 0, addr, addr + len, prot_of((uint64_t)prot),
				   VM_PROT_ALL, 0);
	reply(m, kern_errno(rv), addr, 0);
}

/*
 * VM_MMAP_OBJECT: an object an external pager serves (a file), shared -
 * writes reach the object, and fork shares it - or private: copy-on-write
 * over it, as FreeBSD maps a vnode. Pages past the object's end may be
 * mapped; touching them is SIGBUS.
 */
static void do_mmap_object(struct proc *p, struct ipc_msg *m)
{
	vm_offset_t addr = m->w[0], len = round_page(m->w[1]);
	int prot = (int)(uint32_t)m->w[2], flags = (int)(m->w[2] >> 32);
	vm_object_t object = pager_object((uint32_t)m->w[3]);
	vm_pindex_t offset = m->w[3] >> 32;
	int error, rv;

	if (object == NULL) {
		reply(m, EBADF, 0, 0);
		return;
	}
	if (len < m->w[1] || (flags & MAP_ANON) || !(flags & (MAP_SHARED | MAP_PRIVATE))) {
		reply(m, EINVAL, 0, 0);
		return;
	}
	if ((error = mmap_place(p, &addr, len, prot, flags)) != 0) {
		reply(m, error, 0, 0);
		return;
	}
	vm_object_reference(object);
	rv = vm_map_insert(p->map, object, offset, addr, addr + len, prot_of((uint64_t)prot),
			   VM_PROT_ALL,
			   flags & MAP_SHARED ? 0 : MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY);
	if (rv != KERN_SUCCESS)
		vm_object_deallocate(object);
	else if (flags & MAP_SHARED)
		rv = vm_map_inherit(p->map, addr, addr + len, VM_INHERIT_SHARE);
	reply(m, kern_errno(rv), addr, 0);
}

static void do_munmap(struct proc *p, struct ipc_msg *m)
{
	vm_offset_t addr = m->w[0], len = round_page(m->w[1]);

	if (!user_range_ok(addr, len)) {
		reply(m, EINVAL, 0, 0);
		return;
	}
	reply(m, kern_errno(unmap_range(p, addr, addr + len)), 0, 0);
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

/* The page-aligned range of a request's w0/w1, or false. */
static bool request_range(struct ipc_msg *m, vm_offset_t *start, vm_offset_t *end)
{
	vm_offset_t len = round_page(m->w[1]);

	if (!user_range_ok(m->w[0], len) || len < m->w[1])
		return false;
	*start = m->w[0];
	*end = m->w[0] + len;
	return true;
}

/*
 * msync: writes back what the range maps from files (other memory has no
 * store to write to). MS_SYNC (the default) and MS_INVALIDATE wait until
 * the pages are written (KERN_PENDING: the call parks); MS_ASYNC only
 * starts the writes.
 */
static int msync_range(struct proc *p, vm_offset_t start, vm_offset_t end, uint64_t flags,
		       vm_page_t *busy)
{
	if (flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE) ||
	    (flags & (MS_ASYNC | MS_INVALIDATE)) == (MS_ASYNC | MS_INVALIDATE))
		return KERN_INVALID_ARGUMENT;
	if (!vm_map_range_mapped(p->map, start, end))
		return KERN_INVALID_ADDRESS;
	switch (vm_map_sync(p->map, start, end, (flags & MS_INVALIDATE) != 0, busy)) {
	case VM_PAGER_PEND:
		return flags & MS_ASYNC ? KERN_SUCCESS : KERN_PENDING;
	case VM_PAGER_ERROR:
		return KERN_FAILURE;
	}
	return KERN_SUCCESS;
}

/* minherit, madvise, mlock, munlock, msync: a range and an argument. */
static void do_range(struct proc *p, struct ipc_msg *m)
{
	struct vm_fault_info pending = { 0 };	/* mlock's fault that must wait */
	vm_offset_t start, end;
	vm_page_t busy = NULL;
	int rv = KERN_SUCCESS;

	if (!request_range(m, &start, &end)) {
		reply(m, EINVAL, 0, 0);
		return;
	}
	switch (TAG_LABEL(m->tag)) {
	case VM_MINHERIT:
		rv = vm_map_inherit(p->map, start, end, (int)m->w[2]);
		break;
	case VM_MADVISE:
		/* <sys/mman.h>'s advice values are the VM core's. */
		rv = vm_map_madvise(p->map, start, end, (int)m->w[2]);
		break;
	case VM_MLOCK: {
		uint64_t served = vm_cnt.v_io_faults;

		rv = vm_map_wire(p->map, start, end, &pending);
		/* Its faults that a pager served now: hard faults of ours, as FreeBSD counts. */
		p->majflt += vm_cnt.v_io_faults - served;
		busy = pending.busy;
		break;
	}
	case VM_MUNLOCK:
		rv = vm_map_unwire(p->map, start, end);
		break;
	case VM_MSYNC:
		rv = msync_range(p, start, end, m->w[2], &busy);
		break;
	}
	if (rv == KERN_PENDING) {
		page_wait(p, m, busy, &pending, false);	/* and then again */
		return;
	}
	reply(m, kern_errno(rv), 0, 0);
}

void vm_call_failed(struct proc *p, struct ipc_msg *m, int error)
{
	vm_offset_t start, end;

	if (TAG_LABEL(m->tag) == VM_MLOCK && request_range(m, &start, &end))
		vm_map_wire_cancel(p->map, start, end);
	reply(m, error, 0, 0);
}

static void do_fork(struct proc *p, struct ipc_msg *m)
{
	int error = 0;
	struct proc *child = proc_fork(p, m->w[0], m->w[1], m->w[2], &error);

	reply(m, child != NULL ? 0 : error, child != NULL ? (uint64_t)child->pid : 0, 0);
}

/*
 * The IPC buffer, for a reply that carries data. Mappings still batched go
 * to the kernel first: sending them uses the same buffer.
 */
static void *reply_buffer(void)
{
	pmap_batch_flush();
	return ipc_buffer;
}

static void do_chain_depth(struct proc *p, struct ipc_msg *m)
{
	vm_map_entry_t e = vm_map_lookup_entry(p->map, m->w[0]);

	if (e == NULL) {
		reply(m, ENOMEM, 0, 0);
		return;
	}
	reply(m, 0, e->object != NULL ? (uint64_t)vm_object_chain_depth(e->object) : 0, 0);
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
		.v_active_count = vm_page_queue_length(PQ_ACTIVE),
		.v_inactive_count = vm_page_queue_length(PQ_INACTIVE),
		.v_pageins = vm_cnt.v_pageins, .v_pagein_pages = vm_cnt.v_pagein_pages,
		.v_pageouts = vm_cnt.v_pageouts, .v_pageout_pages = vm_cnt.v_pageout_pages,
	};

	memcpy(reply_buffer(), &v, sizeof(v));
	m->tag = TAG(0, sizeof(v));
}

/*
 * The request's buffer as a string of at most max characters, copied into
 * buf (max + 1 bytes). False if it is none: empty, too long, truncated, or
 * not NUL-terminated.
 */
static bool request_string(const struct ipc_msg *m, char *buf, size_t max)
{
	uint64_t len = TAG_BUFLEN(m->tag);

	if ((m->tag & TAG_TRUNCATED) || len == 0 || len > max + 1)
		return false;
	memcpy(buf, ipc_buffer, len);
	return buf[len - 1] == '\0';
}

static void do_service_register(struct proc *p, struct ipc_msg *m)
{
	char name[SERVICE_NAME_MAX + 1];

	if (!request_string(m, name, SERVICE_NAME_MAX))
		reply(m, EINVAL, 0, 0);
	else
		reply(m, service_add(p, m->w[0], name), 0, 0);
}

static void do_service_lookup(struct proc *p, struct ipc_msg *m)
{
	char name[SERVICE_NAME_MAX + 1];
	int rv = -EINVAL;

	if (request_string(m, name, SERVICE_NAME_MAX))
		rv = service_find(p, m->peer, m->w[0], m->w[1], name);
	if (rv > 0)
		m->peer = 0;	/* the reply comes with the name, or when the wait is over */
	else
		reply(m, -rv, 0, 0);
}

/* VM_DEVICE_MAP and VM_DMA_ALLOC: w0 -> w0 = va, w1 = pa. */
static void do_device(struct proc *p, struct ipc_msg *m)
{
	vm_offset_t va = 0;
	vm_paddr_t pa = 0;
	int error;

	if (TAG_LABEL(m->tag) == VM_DEVICE_MAP)
		error = device_grant(p, m->w[0], &va, &pa);
	else
		error = dma_grant(p, m->w[0], &va, &pa);
	reply(m, error, error == 0 ? va : 0, error == 0 ? pa : 0);
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
	case VM_FORK:
		do_fork(p, m);
		break;
	case VM_MINHERIT:
	case VM_MADVISE:
	case VM_MLOCK:
	case VM_MUNLOCK:
	case VM_MSYNC:
		do_range(p, m);
		break;
	case VM_CHAIN_DEPTH:
		do_chain_depth(p, m);
		break;
	case VM_MMAP_OBJECT:
		do_mmap_object(p, m);
		break;
	case VM_PAGER_CREATE:
		pager_request_create(p, m);
		break;
	case VM_PAGER_RELEASE:
		pager_request_release(p, m);
		break;
	case VM_PAGER_WAIT:
		pager_request_wait(p, m);
		break;
	case VM_SERVICE_REGISTER:
		do_service_register(p, m);
		break;
	case VM_SERVICE_LOOKUP:
		do_service_lookup(p, m);
		break;
	case VM_DEVICE_MAP:
	case VM_DMA_ALLOC:
		do_device(p, m);
		break;
	case VM_SIGACTION:
	case VM_SIGPROCMASK:
	case VM_SIGRETURN:
	case VM_RAISE:
		signal_request(p, m);
		break;
	default:
		reply(m, ENOSYS, 0, 0);
		break;
	}
}
