/*
 * Kernel argument checks, run as the root task (no VM server): every bad
 * value a pager could pass gets an error code, and nothing breaks.
 */
#include <stdio.h>
#include "kern.h"
#include "libuser.h"

static int failures;

#define EXPECT(call, want) do { \
	long got_ = (call); \
	if (got_ != (want)) { \
		printf("FAIL %s:%d: %s = %ld, want %ld\n", __FILE__, __LINE__, #call, \
		       got_, (long)(want)); \
		failures++; \
	} \
} while (0)

/* A message with a buffer from an IPC buffer that is not mapped: -E_FAULT. */
static void check_unmapped_send_buffer(void)
{
	struct ipc_msg m = { .tag = TAG(1, 16) };

	EXPECT(k_set_ipc_buffer((void *)0x10000000), 0);	/* nothing there */
	kcall_msg(SYS_CALL, &m, ROOT_ENDPOINT_SLOT);
	EXPECT((long)m.tag, -E_FAULT);
	EXPECT(k_set_ipc_buffer(ipc_buffer), 0);
}

/* The accessed bits of 64 pages use all 64 bits: none may read as an error. */
static void check_read_ad_top_bit(struct boot_info *bi)
{
	uint64_t accessed = 0, dirty = 0;
	volatile char *window = (volatile char *)bi->pool_window;
	uint64_t last = bi->pool[0].start - bi->ram_start + 63 * 4096;

	(void)window[last];	/* page 63 of the window: accessed */
	EXPECT(k_read_ad(bi->self_space, bi->pool_window + bi->pool[0].start - bi->ram_start,
			 64, &accessed, &dirty), 0);
	EXPECT(accessed >> 63, 1);
}

/*
 * A badged cap names its holder to the server: it may send, but receiving
 * through it would let a client take other clients' messages and faults.
 */
static void check_badged_caps_cannot_receive(void)
{
	long slot = k_endpoint_create();
	uint64_t peer = 0;

	EXPECT(slot > 0, 1);
	EXPECT(k_cap_copy(SPACE_SELF, (uint64_t)slot + 1, SPACE_SELF, (uint64_t)slot, 77), 0);
	EXPECT((long)ipc_reply_wait_empty((uint64_t)slot + 1, &peer, 0), -E_PERM);
	EXPECT((long)ipc_reply_wait_empty(ROOT_ENDPOINT_SLOT + 15, &peer, 0), -E_BADSLOT);
}

/* A space has 16 cap slots: creating endpoints past that is -E_NOSLOT. */
static void check_slots_run_out(void)
{
	long slot = 0;
	int made = 0;

	while ((slot = k_endpoint_create()) >= 0)
		made++;
	EXPECT(slot, -E_NOSLOT);
	EXPECT(made, 13);	/* slot 0: the root endpoint; 1, 2: the badge test's */
}

void __start_c(struct boot_info *bi)
{
	long space;
	uint64_t frame = bi->pool[0].end - 4096;	/* a pool frame we do not use */

	ipc_buffer_init();
	printf("ktest args: pool %lu ranges, image %lx..%lx\n", bi->npool,
	       bi->image.start, bi->image.end);
	EXPECT(kcall(NSYSCALLS, 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	EXPECT(kcall(-1, 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	space = k_space_create();
	EXPECT(space > 0, 1);
	/* mappings */
	EXPECT(k_map(space, 0x10000 | PERM_R, frame, 0), 0);
	EXPECT(k_map(space, 0x10000 | PERM_W, frame, 0), -E_INVAL);
	EXPECT(k_map(space, 0x10000, frame, 0), -E_INVAL);
	EXPECT(k_map(space, 0x10000 | 0x10, frame, 0), -E_INVAL);
	EXPECT(k_map(space, USER_SPACE_END | PERM_R, frame, 0), -E_RANGE);
	EXPECT(k_map(space, 0xffffffc000000000UL | PERM_R, frame, 0), -E_RANGE);
	EXPECT(k_map(space, 0x10000 | PERM_R, 0x80200000, 0), -E_PERM);
	EXPECT(k_map(space, 0x10000 | PERM_R, frame + 8, 0), -E_PERM);
	EXPECT(k_map(space, 0x10000 | PERM_R, 0x100000, 0), -E_PERM);
	EXPECT(k_map(space + 1, 0x10000 | PERM_R, frame, 0), -E_NOSPACE);
	EXPECT(k_map(0, 0x10000 | PERM_R, frame, 0), -E_NOSPACE);
	EXPECT(k_map(space, 0x10000 | PERM_R, frame, 10000), -E_INVAL);
	EXPECT(k_unmap(space, 0x10000, 4096), 0);
	EXPECT(k_unmap(space, 0x10001, 4096), -E_RANGE);
	EXPECT(k_unmap(space, 0x10000, USER_SPACE_END), -E_RANGE);
	EXPECT(k_unmap(space, 0x10000, -4096UL), -E_RANGE);
	EXPECT(k_protect(space, 0x10000, 4096, PERM_W), -E_INVAL);
	EXPECT(k_protect(space, 0x10000, 4096, 0), -E_INVAL);
	EXPECT(k_console_write((void *)0x10, 5), -E_FAULT);
	EXPECT(k_console_write((void *)0xffffffff80200000UL, 5), -E_RANGE);
	EXPECT(k_console_write(ipc_buffer, 1 << 20), -E_INVAL);
	/* A stack may begin at the very top of user space. */
	EXPECT(k_thread_create(space, 0x10000, USER_SPACE_END, 0, ROOT_ENDPOINT_SLOT, 1) > 0, 1);
	EXPECT(k_thread_create(space, 0x10000, USER_SPACE_END + 8, 0, ROOT_ENDPOINT_SLOT, 1),
	       -E_RANGE);
	EXPECT(k_space_destroy(bi->self_space), -E_PERM);
	EXPECT(k_space_destroy(space), 0);
	EXPECT(k_space_destroy(space), -E_NOSPACE);
	check_unmapped_send_buffer();
	check_read_ad_top_bit(bi);
	check_badged_caps_cannot_receive();
	check_slots_run_out();
	printf("ktest args: %s\n", failures == 0 ? "ok" : "FAILED");
	k_shutdown(failures == 0 ? 0 : 1);
}
