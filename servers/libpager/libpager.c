/*
 * libpager: the pager's half of the external pager protocol (vm_proto.h's
 * VM_PAGER_*; the VM server's half is pager/extpager.c). A pager is one
 * loop: VM_PAGER_WAIT hands over the answer to the last request and brings
 * the next - one IPC round trip per request - with the request's pages
 * lent at PAGER_WINDOW, where the callbacks read or write them in place.
 */
#include <errno.h>
#include <sys/mman.h>
#include "kern.h"
#include "libpager.h"
#include "libuser.h"
#include "vm_proto.h"

#define MAX_OBJECTS 256	/* as many as the VM server serves */
#define PAGE 4096

static struct served {
	uint32_t handle;		/* 0: free */
	const struct pager_ops *ops;
	void *cookie;
	uint64_t size;			/* bytes: the callbacks see none past it */
} served[MAX_OBJECTS];
static int nserved;		/* slots used so far: the rest were never touched */

/* The answer the next VM_PAGER_WAIT carries. */
static uint64_t done_id, done_result;

static struct served *find(uint64_t handle)
{
	int i;

	for (i = 0; i < nserved; i++)
		if (served[i].handle != 0 && served[i].handle == handle)
			return &served[i];
	return NULL;
}

uint32_t pager_create(const struct pager_ops *ops, void *cookie, uint64_t size)
{
	struct ipc_msg m = { .tag = TAG(VM_PAGER_CREATE, 0), .w = { size } };
	struct served *s = served;
	int error;

	while (s < served + nserved && s->handle != 0)
		s++;
	if (s == served + MAX_OBJECTS) {
		errno = ENOMEM;
		return 0;
	}
	if (ops == NULL || ops->fill == NULL) {
		errno = EINVAL;
		return 0;
	}
	if ((error = vm_call(&m)) != 0) {
		errno = error;
		return 0;
	}
	*s = (struct served){ (uint32_t)m.w[0], ops, cookie, size };
	if (s == served + nserved)
		nserved++;
	return s->handle;
}

int pager_release(uint32_t handle)
{
	struct ipc_msg m = { .tag = TAG(VM_PAGER_RELEASE, 0), .w = { handle } };
	int error = vm_call(&m);

	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/*
 * The bytes of a request's pages that lie inside the object: all of them
 * but at the end, where the last page reaches past the object's size. The
 * callbacks never see that tail, so it stays as lent - zero - and reads as
 * zeros, as the bytes past the end of a file do.
 */
static size_t request_len(const struct served *s, uint64_t offset, uint64_t pages)
{
	uint64_t len = pages * PAGE;

	return (size_t)(len > s->size - offset ? s->size - offset : len);
}

/* Does what one request asks; returns its result for the VM server. */
static int handle(uint32_t kind, uint64_t handle, uint64_t offset, uint64_t pages)
{
	struct served *s = find(handle);
	void *window = (void *)PAGER_WINDOW;
	size_t len;

	if (s == NULL || (kind != PAGER_CLOSE && offset >= s->size))
		return EIO;	/* cannot happen with a sane VM server */
	len = request_len(s, offset, pages);
	switch (kind) {
	case PAGER_PAGEIN:
		return s->ops->fill(s->cookie, offset, window, len);
	case PAGER_PAGEOUT:
		if (s->ops->writeback == NULL)
			return EROFS;
		return s->ops->writeback(s->cookie, offset, window, len);
	case PAGER_CLOSE:
		if (s->ops->close != NULL)
			s->ops->close(s->cookie);
		s->handle = 0;
		return 0;
	}
	return EINVAL;
}

int pager_serve_one(void)
{
	struct ipc_msg m = { .tag = TAG(VM_PAGER_WAIT, 0), .w = { done_id, done_result } };
	uint32_t kind;

	done_id = 0;
	ipc_call(VM_SERVER_SLOT, &m);
	if ((int64_t)m.tag < 0)
		return EIO;
	kind = TAG_LABEL(m.tag);
	if (kind == ENOENT)
		return ENOENT;
	done_result = (uint64_t)handle(kind, m.w[1], m.w[2], m.w[3]);
	done_id = m.w[0];
	return 0;
}

void pager_serve(void)
{
	while (pager_serve_one() == 0)
		;
}

void *pager_map(void *addr, size_t len, int prot, int flags, uint32_t handle,
		uint64_t offset)
{
	struct ipc_msg m = {
		.tag = TAG(VM_MMAP_OBJECT, 0),
		.w = { (uint64_t)addr, len, (uint64_t)(uint32_t)prot | (uint64_t)flags << 32,
		       handle | (offset / PAGE) << 32 },
	};
	int error;

	if (offset % PAGE != 0) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if ((error = vm_call(&m)) != 0) {
		errno = error;
		return MAP_FAILED;
	}
	return (void *)m.w[0];
}
