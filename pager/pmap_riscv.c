#include <stdio.h>
#include <string.h>
#include "pmap_riscv.h"
#include "pmap_hw.h"
#include "libuser.h"
#include "vmserver.h"

#define BATCH_MAX (IPC_BUFFER_SIZE / sizeof(struct map_record))

static uint64_t pool_window;	/* va of pa ram_start */
static uint64_t ram_start;

static struct {
	uint64_t space;
	unsigned count;
	struct map_record rec[BATCH_MAX];
} batch;

void pmap_riscv_init(const struct boot_info *bi)
{
	pool_window = bi->pool_window;
	ram_start = bi->ram_start;
}

void *hw_frame_address(vm_paddr_t pa)
{
	return (void *)(pool_window + (pa - ram_start));
}

/* Sv39 has no write-only pages: VM_PROT_WRITE brings PERM_R along. */
static const uint8_t perm_table[8] = {
	[VM_PROT_READ] = PERM_R,
	[VM_PROT_WRITE] = PERM_R | PERM_W,
	[VM_PROT_READ | VM_PROT_WRITE] = PERM_R | PERM_W,
	[VM_PROT_EXECUTE] = PERM_X,
	[VM_PROT_READ | VM_PROT_EXECUTE] = PERM_R | PERM_X,
	[VM_PROT_WRITE | VM_PROT_EXECUTE] = PERM_R | PERM_W | PERM_X,
	[VM_PROT_ALL] = PERM_R | PERM_W | PERM_X,
};

static uint64_t perm_of(vm_prot_t prot)
{
	return perm_table[prot & VM_PROT_ALL];
}

/* Records 1.. travel in the IPC buffer; record 0 in registers. */
static unsigned batch_to_ipc_buffer(void)
{
	unsigned more = batch.count - 1;

	if (more > 0)
		memcpy(ipc_buffer, &batch.rec[1], more * sizeof(struct map_record));
	batch.count = 0;
	return more;
}

void pmap_batch_flush(void)
{
	struct map_record first = batch.rec[0];
	long error;

	if (batch.count == 0)
		return;
	error = k_map(batch.space, first.va_perm, first.pa, batch_to_ipc_buffer());
	if (error != 0)
		vm_server_panic("SYS_MAP failed", error);
}

/* A fault whose mappings went elsewhere (or nowhere): flush, and just resume. */
static __attribute__((noinline)) void reply_retry(struct ipc_msg *m)
{
	pmap_batch_flush();
	m->tag = TAG(FAULT_RETRY, 0);
}

/* A fault reply with neighbours: they go in the IPC buffer. */
static __attribute__((noinline)) void reply_with_neighbours(struct ipc_msg *m)
{
	m->tag = TAG(FAULT_MAP, batch_to_ipc_buffer() * sizeof(struct map_record));
}

void pmap_batch_to_reply(uint64_t space, struct ipc_msg *m)
{
	if (batch.count == 0 || batch.space != space) {
		reply_retry(m);
		return;
	}
	m->w[0] = batch.rec[0].va_perm;
	m->w[1] = batch.rec[0].pa;
	if (batch.count > 1) {
		reply_with_neighbours(m);
		return;
	}
	batch.count = 0;
	m->tag = TAG(FAULT_MAP, 0);	/* the usual case: registers only */
}

static void batch_append(uint64_t id, vm_offset_t va, vm_paddr_t pa, vm_prot_t prot)
{
	batch.space = id;
	batch.rec[batch.count].va_perm = va | perm_of(prot);
	batch.rec[batch.count].pa = pa;
	batch.count++;
}

static __attribute__((noinline)) int enter_after_flush(uint64_t id, vm_offset_t va,
						       vm_paddr_t pa, vm_prot_t prot)
{
	pmap_batch_flush();
	batch_append(id, va, pa, prot);
	return 0;
}

int hw_enter(uint64_t id, vm_offset_t va, vm_paddr_t pa, vm_prot_t prot)
{
	if (batch.count > 0 && (batch.space != id || batch.count == BATCH_MAX))
		return enter_after_flush(id, va, pa, prot);
	batch_append(id, va, pa, prot);
	return 0;
}

int hw_space_create(uint64_t *id)
{
	long space = k_space_create();

	if (space < 0)
		return -1;
	*id = (uint64_t)space;
	return 0;
}

/* Everything below must happen after the mappings already batched. */

void hw_space_destroy(uint64_t id)
{
	if (batch.space == id)
		batch.count = 0;	/* moot: the space is going */
	pmap_batch_flush();
	k_space_destroy(id);
}

void hw_remove(uint64_t id, vm_offset_t sva, vm_offset_t eva)
{
	pmap_batch_flush();
	k_unmap(id, sva, eva - sva);
}

void hw_protect(uint64_t id, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot)
{
	pmap_batch_flush();
	k_protect(id, sva, eva - sva, perm_of(prot));
}

void hw_read_ad(uint64_t id, vm_offset_t va, bool *accessed, bool *dirty)
{
	uint64_t a = 0, d = 0;

	pmap_batch_flush();
	k_read_ad(id, va, 1, &a, &d);
	*accessed = a & 1;
	*dirty = d & 1;
}

void hw_clear_ad(uint64_t id, vm_offset_t va, bool accessed, bool dirty)
{
	pmap_batch_flush();
	k_clear_ad(id, va, 1, (accessed ? AD_ACCESSED : 0) | (dirty ? AD_DIRTY : 0));
}
