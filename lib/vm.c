/*
 * The POSIX face of the VM server: each call is one IPC round trip on the
 * VM server's slot (vm_proto.h). The server's reply label is 0 or errno.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/vmmeter.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kern.h"
#include "libuser.h"
#include "proc.h"
#include "vm_proto.h"

int vm_call(struct ipc_msg *m)
{
	ipc_call(VM_SERVER_SLOT, m);
	if ((int64_t)m->tag < 0 || (m->tag & TAG_TRUNCATED))
		return EIO;
	return (int)TAG_LABEL(m->tag);
}

long vm_result(struct ipc_msg *m, long value)
{
	int error = vm_call(m);

	if (error != 0) {
		errno = error;
		return -1;
	}
	return value < 0 ? (long)m->w[0] : value;
}

void _exit(int status)
{
	struct ipc_msg m = { .tag = TAG(VM_EXIT, 0), .w = { (uint64_t)status } };

	console_flush_all();
	ipc_call(VM_SERVER_SLOT, &m);
	for (;;)	/* not reached: the VM server ends us */
		k_yield();
}

void *sbrk(ptrdiff_t incr)
{
	struct ipc_msg m = { .tag = TAG(VM_SBRK, 0), .w = { (uint64_t)incr } };

	if (vm_call(&m) != 0) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return (void *)m.w[0];
}

pid_t getpid(void)
{
	struct ipc_msg m = { .tag = TAG(VM_GETPID, 0) };

	return (pid_t)vm_result(&m, -1);
}

pid_t getppid(void)
{
	struct ipc_msg m = { .tag = TAG(VM_GETPID, 0) };

	return vm_call(&m) == 0 ? (pid_t)m.w[1] : -1;
}

int getpagesize(void)
{
	return 4096;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	struct ipc_msg m = { .tag = TAG(VM_MMAP, 0),
			     .w = { (uint64_t)addr, len, (uint64_t)prot, (uint64_t)flags } };
	int error;

	if (!(flags & MAP_ANON))
		return file_mmap(addr, len, prot, flags, fd, offset);
	if (fd != -1 || offset != 0) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if ((error = vm_call(&m)) != 0) {
		errno = error;
		return MAP_FAILED;
	}
	return (void *)m.w[0];
}

int munmap(void *addr, size_t len)
{
	struct ipc_msg m = { .tag = TAG(VM_MUNMAP, 0), .w = { (uint64_t)addr, len } };

	return (int)vm_result(&m, 0);
}

int mprotect(void *addr, size_t len, int prot)
{
	struct ipc_msg m = { .tag = TAG(VM_MPROTECT, 0),
			     .w = { (uint64_t)addr, len, (uint64_t)prot } };

	return (int)vm_result(&m, 0);
}

/* A range call: addr, len, and one argument. */
static int range_call(enum vm_request request, const void *addr, size_t len, uint64_t arg)
{
	struct ipc_msg m = { .tag = TAG(request, 0), .w = { (uint64_t)addr, len, arg } };

	return (int)vm_result(&m, 0);
}

int minherit(void *addr, size_t len, int inherit)
{
	return range_call(VM_MINHERIT, addr, len, (uint64_t)inherit);
}

int madvise(void *addr, size_t len, int advice)
{
	return range_call(VM_MADVISE, addr, len, (uint64_t)advice);
}

int mlock(const void *addr, size_t len)
{
	return range_call(VM_MLOCK, addr, len, 0);
}

int munlock(const void *addr, size_t len)
{
	return range_call(VM_MUNLOCK, addr, len, 0);
}

int msync(void *addr, size_t len, int flags)
{
	return range_call(VM_MSYNC, addr, len, (uint64_t)flags);
}

pid_t spawn(const char *path, char *const argv[])
{
	struct ipc_msg m;
	size_t len = strlen(path) + 1, n;
	uint64_t argc = 0;

	if (len > IPC_BUFFER_SIZE) {
		errno = E2BIG;
		return -1;
	}
	memcpy(ipc_buffer, path, len);
	for (; argv[argc] != NULL; argc++, len += n) {
		n = strlen(argv[argc]) + 1;
		if (len + n > IPC_BUFFER_SIZE) {
			errno = E2BIG;
			return -1;
		}
		memcpy(ipc_buffer + len, argv[argc], n);
	}
	m = (struct ipc_msg){ .tag = TAG(VM_SPAWN, len), .w = { argc } };
	return (pid_t)vm_result(&m, -1);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	struct ipc_msg m = { .tag = TAG(VM_WAITPID, 0),
			     .w = { (uint64_t)(int64_t)pid, (uint64_t)options } };
	long child = vm_result(&m, -1);

	if (child > 0 && status != NULL)
		*status = (int)m.w[1];
	return (pid_t)child;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int getvmmeter(struct vmmeter *vm)
{
	struct ipc_msg m = { .tag = TAG(VM_VMMETER, 0) };

	if (vm_result(&m, 0) != 0)
		return -1;
	memcpy(vm, ipc_buffer, sizeof(*vm));
	return 0;
}

int getrusage(int who, struct rusage *usage)
{
	struct ipc_msg m = { .tag = TAG(VM_RUSAGE, 0) };

	if (who != RUSAGE_SELF) {
		errno = EINVAL;
		return -1;
	}
	if (vm_result(&m, 0) != 0)
		return -1;
	memset(usage, 0, sizeof(*usage));
	usage->ru_minflt = (long)m.w[0];
	usage->ru_majflt = (long)m.w[1];
	return 0;
}

long vm_prezero(long pages)
{
	struct ipc_msg m = { .tag = TAG(VM_PREZERO, 0), .w = { (uint64_t)pages } };

	return vm_result(&m, -1);
}

long vm_chain_depth(const void *addr)
{
	struct ipc_msg m = { .tag = TAG(VM_CHAIN_DEPTH, 0), .w = { (uint64_t)addr } };

	return vm_result(&m, -1);
}
