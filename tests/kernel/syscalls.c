// expect-output: ktest syscalls: ok
/*
 * The argument checks a pager's own calls meet, run as the root task with
 * no child running: every bad value gets its error code, before anything
 * changes, and the kernel state it would have touched still works after.
 * (args.c has the basic SYS_MAP/UNMAP/PROTECT/console checks.)
 */
#include "ktest.h"

#define ROOT_SCRATCH 0x1000000000UL	/* free in the root: 64 GiB up */

/* Three pages of the root's own, for its accessed and dirty bits. */
static volatile char ad_pages[3][4096] __attribute__((aligned(4096)));

static long bad_space(long space)
{
	return space + 1;	/* the next index: no space there */
}

/*
 * Numbers past the table are E_NOSYS, the whole 64-bit number counts
 * (1 << 32 | SYS_THREAD_SELF is not SYS_THREAD_SELF), and SYS_NOSYS itself.
 */
static void test_unknown_calls(void)
{
	EXPECT(kcall(SYS_NOSYS, 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	EXPECT(kcall(NSYSCALLS + 1, 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	EXPECT(kcall(1000, 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	EXPECT(kcall(-(long)NSYSCALLS, 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	EXPECT(kcall((long)(1UL << 63), 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	EXPECT(kcall((long)(1UL << 32 | SYS_THREAD_SELF), 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	EXPECT(kcall((long)(1UL << 32 | SYS_SPACE_CREATE), 0, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	EXPECT(k_thread_self() > 0, 1);
}

/*
 * SYS_THREAD_CREATE: an unknown space, a pc or sp outside user space and a
 * slot without an endpoint are refused, in that order, and make nothing:
 * more refused calls than there are threads still leave one to create.
 */
static void test_thread_create(void)
{
	long space = k_space_create(), tid;
	uint64_t pc = CHILD_CODE, sp = CHILD_STACK;
	int i;

	EXPECT(k_thread_create(0, pc, sp, 0, 0, 0), -E_NOSPACE);
	EXPECT(k_thread_create(bad_space(space), pc, sp, 0, 0, 0), -E_NOSPACE);
	EXPECT(k_thread_create(space + (1 << 16), pc, sp, 0, 0, 0), -E_NOSPACE);
	EXPECT(k_thread_create(space | 1UL << 32, pc, sp, 0, 0, 0), -E_NOSPACE);
	EXPECT(k_thread_create(-1UL, pc, sp, 0, 0, 0), -E_NOSPACE);
	EXPECT(k_thread_create(1 << 16, pc, sp, 0, 0, 0), -E_NOSPACE);	/* index -1 */
	EXPECT(k_thread_create(bad_space(space), USER_SPACE_END, sp, 0, 16, 0), -E_NOSPACE);

	EXPECT(k_thread_create(space, USER_SPACE_END, sp, 0, 0, 0), -E_RANGE);
	EXPECT(k_thread_create(space, -4UL, sp, 0, 0, 0), -E_RANGE);
	EXPECT(k_thread_create(space, 0xffffffff80200000UL, sp, 0, 0, 0), -E_RANGE);
	EXPECT(k_thread_create(space, pc, USER_SPACE_END + 16, 0, 0, 0), -E_RANGE);
	EXPECT(k_thread_create(space, pc, 0xffffffc000000000UL, 0, 0, 0), -E_RANGE);
	EXPECT(k_thread_create(space, USER_SPACE_END, sp, 0, 16, 0), -E_RANGE);

	EXPECT(k_thread_create(space, pc, sp, 0, 16, 0), -E_BADSLOT);
	EXPECT(k_thread_create(space, pc, sp, 0, -1UL, 0), -E_BADSLOT);
	EXPECT(k_thread_create(space, pc, sp, 0, 1UL << 32, 0), -E_BADSLOT);
	EXPECT(k_thread_create(space, pc, sp, 0, EMPTY_SLOT, 0), -E_BADSLOT);

	for (i = 0; i < 300; i++)
		if (k_thread_create(space, pc, sp, 0, EMPTY_SLOT, 0) != -E_BADSLOT)
			break;
	EXPECT(i, 300);
	tid = k_thread_create(space, pc, sp, 0, ROOT_ENDPOINT_SLOT, 0);
	EXPECT(tid > 0 && tid != k_thread_self(), 1);
	EXPECT(k_space_destroy(space), 0);
	EXPECT(k_thread_create(space, pc, sp, 0, 0, 0), -E_NOSPACE);
}

/*
 * SYS_CAP_COPY: slots out of range, an empty source and unknown spaces
 * are refused, and a refused copy leaves the destination slot as it was
 * (an empty source must not clear the root's own endpoint).
 */
static void test_cap_copy(void)
{
	long space = k_space_create(), tid;

	EXPECT(k_cap_copy(space, 16, SPACE_SELF, 0, 0), -E_BADSLOT);
	EXPECT(k_cap_copy(space, -1UL, SPACE_SELF, 0, 0), -E_BADSLOT);
	EXPECT(k_cap_copy(space, 1UL << 32, SPACE_SELF, 0, 0), -E_BADSLOT);
	EXPECT(k_cap_copy(space, 1, SPACE_SELF, 16, 0), -E_BADSLOT);
	EXPECT(k_cap_copy(space, 1, SPACE_SELF, -1UL, 0), -E_BADSLOT);
	EXPECT(k_cap_copy(space, 1, SPACE_SELF, 1UL << 32, 0), -E_BADSLOT);
	EXPECT(k_cap_copy(space, 1, SPACE_SELF, EMPTY_SLOT, 0), -E_BADSLOT);
	EXPECT(k_cap_copy(space, 1, space, 2, 0), -E_BADSLOT);
	EXPECT(k_cap_copy(SPACE_SELF, ROOT_ENDPOINT_SLOT, SPACE_SELF, EMPTY_SLOT, 0),
	       -E_BADSLOT);
	EXPECT(k_cap_copy(SPACE_SELF, ROOT_ENDPOINT_SLOT, space, 2, 7), -E_BADSLOT);

	EXPECT(k_cap_copy(bad_space(space), 1, SPACE_SELF, 0, 0), -E_NOSPACE);
	EXPECT(k_cap_copy(space, 1, bad_space(space), 0, 0), -E_NOSPACE);
	EXPECT(k_cap_copy(space | 1UL << 32, 1, SPACE_SELF, 0, 0), -E_NOSPACE);
	EXPECT(k_cap_copy(-1UL, 1, SPACE_SELF, 0, 0), -E_NOSPACE);

	/* The root's endpoint is still there: copies of it work. */
	EXPECT(k_cap_copy(space, 1, SPACE_SELF, ROOT_ENDPOINT_SLOT, 5), 0);
	EXPECT(k_cap_copy(space, 2, space, 1, 0), 0);
	EXPECT(k_cap_copy(space, 2, space, 2, 0), 0);
	EXPECT(k_cap_copy(space, 3, ktest_bi->self_space, ROOT_ENDPOINT_SLOT, 0), 0);
	EXPECT(k_cap_copy(SPACE_SELF, ROOT_ENDPOINT_SLOT, SPACE_SELF, ROOT_ENDPOINT_SLOT, 0), 0);
	tid = k_thread_create(space, CHILD_CODE, CHILD_STACK, 0, ROOT_ENDPOINT_SLOT, 0);
	EXPECT(tid > 0, 1);
	EXPECT(k_thread_create(space, CHILD_CODE, CHILD_STACK, 0, EMPTY_SLOT, 0), -E_BADSLOT);

	EXPECT(k_space_destroy(space), 0);
	EXPECT(k_cap_copy(space, 1, SPACE_SELF, 0, 0), -E_NOSPACE);
	EXPECT(k_cap_copy(SPACE_SELF, EMPTY_SLOT, space, 1, 0), -E_NOSPACE);
}

/* SYS_READ_AD and SYS_CLEAR_AD: 1..64 pages, page-aligned, in user space; bits 1..3. */
static void test_ad_args(void)
{
	long space = k_space_create();
	uint64_t dirty = 0xbad, va = 0x10000, top = USER_SPACE_END;

	EXPECT(ad_accessed(space, va, 0, &dirty), -E_INVAL);
	EXPECT(ad_accessed(space, va, 65, &dirty), -E_INVAL);
	EXPECT(ad_accessed(space, va, -1UL, &dirty), -E_INVAL);
	EXPECT(ad_accessed(space, va, 1UL << 52, &dirty), -E_INVAL);	/* pages * 4096 wraps */
	EXPECT(ad_accessed(space, va + 8, 1, &dirty), -E_RANGE);
	EXPECT(ad_accessed(space, top, 1, &dirty), -E_RANGE);
	EXPECT(ad_accessed(space, top - 4096, 2, &dirty), -E_RANGE);
	EXPECT(ad_accessed(space, 0xffffffc000000000UL, 1, &dirty), -E_RANGE);
	EXPECT(ad_accessed(space, -4096UL, 64, &dirty), -E_RANGE);
	EXPECT(ad_accessed(bad_space(space), va, 1, &dirty), -E_NOSPACE);
	EXPECT(ad_accessed(0, va, 1, &dirty), -E_NOSPACE);
	EXPECT(ad_accessed(bad_space(space), va, 0, &dirty), -E_NOSPACE);
	EXPECT(ad_accessed(space, va + 8, 0, &dirty), -E_INVAL);
	EXPECT(ad_accessed(space, top - 64 * 4096, 64, &dirty), 0);
	EXPECT(dirty, 0);

	EXPECT(k_clear_ad(space, va, 0, AD_ACCESSED), -E_INVAL);
	EXPECT(k_clear_ad(space, va, 65, AD_ACCESSED), -E_INVAL);
	EXPECT(k_clear_ad(space, va, 1UL << 52, AD_ACCESSED), -E_INVAL);
	EXPECT(k_clear_ad(space, va + 8, 1, AD_ACCESSED), -E_RANGE);
	EXPECT(k_clear_ad(space, top - 4096, 2, AD_ACCESSED), -E_RANGE);
	EXPECT(k_clear_ad(space, 0xffffffc000000000UL, 1, AD_ACCESSED), -E_RANGE);
	EXPECT(k_clear_ad(space, va, 1, 0), -E_INVAL);
	EXPECT(k_clear_ad(space, va, 1, 4), -E_INVAL);
	EXPECT(k_clear_ad(space, va, 1, AD_ACCESSED | 8), -E_INVAL);
	EXPECT(k_clear_ad(space, va, 1, -1UL), -E_INVAL);
	EXPECT(k_clear_ad(bad_space(space), va, 1, AD_DIRTY), -E_NOSPACE);
	EXPECT(k_clear_ad(space, top - 64 * 4096, 64, AD_ACCESSED | AD_DIRTY), 0);
	EXPECT(k_clear_ad(space, va, 1, AD_DIRTY), 0);

	EXPECT(k_space_destroy(space), 0);
	EXPECT(ad_accessed(space, va, 1, &dirty), -E_NOSPACE);
	EXPECT(k_clear_ad(space, va, 1, AD_DIRTY), -E_NOSPACE);
}

/*
 * READ_AD reports the bits of each page at its own bit position, and
 * CLEAR_AD clears them so that the next access sets them again (the TLB
 * must not keep the old entry): tried on the root's own pages.
 */
static void test_ad_bits(void)
{
	long self = (long)ktest_bi->self_space;
	uint64_t va = (uint64_t)ad_pages, dirty;

	ad_pages[0][0] = 1;
	(void)ad_pages[2][8];
	EXPECT(k_clear_ad(self, va, 3, AD_ACCESSED | AD_DIRTY), 0);
	EXPECT(ad_accessed(self, va, 3, &dirty), 0);
	EXPECT(dirty, 0);

	ad_pages[0][0] = 2;
	(void)ad_pages[2][8];
	EXPECT(ad_accessed(self, va, 3, &dirty), 5);
	EXPECT(dirty, 1);
	EXPECT(ad_accessed(self, va + 4096, 2, &dirty), 2);
	EXPECT(dirty, 0);

	EXPECT(k_clear_ad(self, va, 3, AD_DIRTY), 0);
	EXPECT(ad_accessed(self, va, 3, &dirty), 5);
	EXPECT(dirty, 0);
	(void)ad_pages[0][0];
	EXPECT(ad_accessed(self, va, 1, &dirty), 1);
	EXPECT(dirty, 0);
	ad_pages[0][0] = 3;
	EXPECT(ad_accessed(self, va, 1, &dirty), 1);
	EXPECT(dirty, 1);

	EXPECT(k_clear_ad(self, va, 3, AD_ACCESSED), 0);
	EXPECT(ad_accessed(self, va, 3, &dirty), 0);
	EXPECT(dirty, 1);
	ad_pages[1][0] = 4;
	EXPECT(ad_accessed(self, va, 3, &dirty), 2);
	EXPECT(dirty, 3);
}

/*
 * All 64 pages of a READ_AD: the last page's bit is bit 63, so a0 is
 * negative as a long yet no error (64 consecutive pool frames, seen
 * through the root's pool window).
 */
static void test_ad_64(void)
{
	long self = (long)ktest_bi->self_space;
	uint64_t first = new_frame(), dirty;
	volatile char *w = window(first);
	int i;

	for (i = 1; i < 64; i++)
		new_frame();
	EXPECT(k_clear_ad(self, (uint64_t)w, 64, AD_ACCESSED | AD_DIRTY), 0);
	EXPECT(ad_accessed(self, (uint64_t)w, 64, &dirty), 0);
	EXPECT(dirty, 0);
	(void)w[0];
	w[63 * 4096] = 1;
	EXPECT(ad_accessed(self, (uint64_t)w, 64, &dirty), 1UL | 1UL << 63);
	EXPECT(dirty, 1UL << 63);
}

/*
 * SYS_SET_IPC_BUFFER: a page-aligned user address or 0. A refused call
 * keeps the old buffer; an unmapped one is accepted, and what reads it
 * then fails with E_FAULT instead of faulting in the kernel.
 */
static void test_ipc_buffer(void)
{
	long space = k_space_create();
	struct map_record *r = (struct map_record *)ipc_buffer;
	uint64_t frame = new_frame();
	struct ipc_msg m;

	EXPECT(k_set_ipc_buffer(ipc_buffer + 8), -E_RANGE);
	EXPECT(k_set_ipc_buffer(ipc_buffer + 2048), -E_RANGE);
	EXPECT(k_set_ipc_buffer((void *)USER_SPACE_END), -E_RANGE);
	EXPECT(k_set_ipc_buffer((void *)(USER_SPACE_END - 2048)), -E_RANGE);
	EXPECT(k_set_ipc_buffer((void *)0xffffffc080200000UL), -E_RANGE);
	EXPECT(k_set_ipc_buffer((void *)-4096UL), -E_RANGE);

	r[0] = (struct map_record){ 0x11000 | PERM_R, frame };
	EXPECT(k_map(space, 0x10000 | PERM_R, frame, 1), 0);

	EXPECT(k_set_ipc_buffer((void *)(USER_SPACE_END - 4096)), 0);
	EXPECT(k_map(space, 0x10000 | PERM_R, frame, 1), -E_FAULT);
	EXPECT(k_set_ipc_buffer(NULL), 0);
	EXPECT(k_map(space, 0x10000 | PERM_R, frame, 1), -E_FAULT);
	m = (struct ipc_msg){ .tag = TAG(1, 8) };
	ipc_call(ROOT_ENDPOINT_SLOT, &m);	/* checked before it could block */
	EXPECT(m.tag, -E_FAULT);
	m = (struct ipc_msg){ .tag = TAG(1, 8), .peer = (uint64_t)k_thread_self() };
	EXPECT(ipc_reply(&m), -E_FAULT);

	EXPECT(k_set_ipc_buffer(ipc_buffer), 0);
	r[0] = (struct map_record){ 0x11000 | PERM_R, frame };
	EXPECT(k_map(space, 0x10000 | PERM_R, frame, 1), 0);
	EXPECT(k_space_destroy(space), 0);
}

static long call_tag(uint64_t slot, uint64_t tag)
{
	struct ipc_msg m = { .tag = tag };

	ipc_call(slot, &m);
	return (long)m.tag;
}

static long reply_wait_tag(uint64_t slot, uint64_t peer, uint64_t tag)
{
	struct ipc_msg m = { .tag = tag, .peer = peer };

	ipc_reply_wait(slot, &m);
	return (long)m.tag;
}

static long reply_tag(uint64_t peer, uint64_t tag)
{
	struct ipc_msg m = { .tag = tag, .peer = peer };

	return ipc_reply(&m);
}

/*
 * SYS_CALL, SYS_REPLY_WAIT and SYS_REPLY with a bad slot, a buffer longer
 * than IPC_BUFFER_SIZE, or a peer that is not waiting for our reply all
 * return at once: none of these may block the root (it would deadlock).
 */
static void test_ipc_args(void)
{
	uint64_t self = (uint64_t)k_thread_self();

	EXPECT(call_tag(16, TAG(1, 0)), -E_BADSLOT);
	EXPECT(call_tag(-1UL, TAG(1, 0)), -E_BADSLOT);
	EXPECT(call_tag(1UL << 32, TAG(1, 0)), -E_BADSLOT);
	EXPECT(call_tag(EMPTY_SLOT, TAG(1, 0)), -E_BADSLOT);
	EXPECT(call_tag(EMPTY_SLOT, TAG(1, 5000)), -E_BADSLOT);
	EXPECT(call_tag(ROOT_ENDPOINT_SLOT, TAG(1, IPC_BUFFER_SIZE + 1)), -E_INVAL);
	EXPECT(call_tag(ROOT_ENDPOINT_SLOT, TAG(1, 0x1fff)), -E_INVAL);

	EXPECT(reply_wait_tag(16, 0, 0), -E_BADSLOT);
	EXPECT(reply_wait_tag(1UL << 32, 0, 0), -E_BADSLOT);
	EXPECT(reply_wait_tag(EMPTY_SLOT, self, TAG(1, 0)), -E_BADSLOT);
	EXPECT(reply_wait_tag(ROOT_ENDPOINT_SLOT, self, TAG(1, 0)), -E_NOTHREAD);
	EXPECT(reply_wait_tag(ROOT_ENDPOINT_SLOT, 0xdeadbeef, TAG(1, 0)), -E_NOTHREAD);
	EXPECT(reply_wait_tag(ROOT_ENDPOINT_SLOT, -1UL, TAG(1, 0)), -E_NOTHREAD);
	EXPECT(reply_wait_tag(ROOT_ENDPOINT_SLOT, self | 1UL << 32, TAG(1, 0)), -E_NOTHREAD);
	EXPECT(reply_wait_tag(ROOT_ENDPOINT_SLOT, self, TAG(1, 5000)), -E_INVAL);

	EXPECT(reply_tag(0, TAG(1, 0)), -E_NOTHREAD);
	EXPECT(reply_tag(self, TAG(1, 0)), -E_NOTHREAD);
	EXPECT(reply_tag(0xffff, TAG(1, 0)), -E_NOTHREAD);
	EXPECT(reply_tag(1 << 16, TAG(1, 0)), -E_NOTHREAD);			/* index -1 */
	EXPECT(reply_tag(self + (1 << 16), TAG(1, 0)), -E_NOTHREAD);
	EXPECT(reply_tag(self, TAG(1, IPC_BUFFER_SIZE + 1)), -E_INVAL);
	EXPECT(reply_tag(self, TAG(FAULT_MAP, 0)), -E_NOTHREAD);
}

/*
 * A reply reaches only a thread waiting for the replier: not one that is
 * runnable, nor one queued on our endpoint whose message we have not
 * taken, nor a thread id of the wrong generation - then, once we took
 * its fault, exactly its id works. After its space goes, the id is stale.
 */
static void test_reply_states(void)
{
	long space = k_space_create(), tid;
	struct ipc_msg m;

	tid = k_thread_create(space, CHILD_CODE, CHILD_STACK, 0, ROOT_ENDPOINT_SLOT, 0x77);
	EXPECT(tid > 0, 1);
	EXPECT(reply_tag(tid, TAG(1, 0)), -E_NOTHREAD);			/* runnable */
	EXPECT(reply_tag(tid, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);
	k_yield();	/* it runs, faults on its pc and queues on our endpoint */
	EXPECT(reply_tag(tid, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);		/* sending */
	EXPECT(reply_wait_tag(ROOT_ENDPOINT_SLOT, tid, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);

	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	EXPECT(m.tag, TAG(MSG_PAGE_FAULT, 0));
	EXPECT(m.peer, tid);
	EXPECT(m.badge, 0x77);
	EXPECT(m.w[0], CHILD_CODE);
	EXPECT(reply_tag(tid + (1 << 16), TAG(FAULT_RETRY, 0)), -E_NOTHREAD);
	EXPECT(reply_tag(tid | 1UL << 32, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);
	EXPECT(reply_tag(tid, TAG(FAULT_RETRY, 0)), 0);
	EXPECT(reply_tag(tid, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);	/* replied: runnable */

	k_yield();	/* it faults again */
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	EXPECT(m.peer, tid);
	EXPECT(k_space_destroy(space), 0);
	EXPECT(reply_tag(tid, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);
}

/* A pool frame filled with `value`; mapped somewhere, it tells where it is. */
static uint64_t marked_frame(uint64_t value)
{
	uint64_t pa = new_frame();

	*(volatile uint64_t *)window(pa) = value;
	return pa;
}

static uint64_t peek(uint64_t va)
{
	return *(volatile uint64_t *)va;
}

/* One kind of bad record, and the error it earns. */
struct bad_record {
	struct map_record r;
	long error;
};

/*
 * SYS_MAP batches: up to 256 records in the IPC buffer after the one in
 * registers, each checked like the first wherever it sits (index 1, across
 * the kernel's 32-record chunks, the very last), the records before a bad
 * one valid. Mapped into the root's own space, a good batch can be read.
 */
static void test_map_batch(void)
{
	struct map_record *r = (struct map_record *)ipc_buffer;
	uint64_t self = ktest_bi->self_space, base = ROOT_SCRATCH;
	uint64_t first = marked_frame(0x1111), other = marked_frame(0x2222);
	uint64_t reserve = ktest_bi->pool[0].start - 4096;	/* kernel page tables */
	const struct bad_record bad[] = {
		{ { base | PERM_R, 0x80200000 }, -E_PERM },
		{ { base | PERM_R, 0x100000 }, -E_PERM },
		{ { base | PERM_R, other + 8 }, -E_PERM },
		{ { base | PERM_R, reserve }, -E_PERM },
		{ { base | PERM_R, ktest_bi->ram_end }, -E_PERM },
		{ { base | PERM_R, -4096UL }, -E_PERM },
		{ { 0xffffffc000000000UL | PERM_R, other }, -E_RANGE },
		{ { USER_SPACE_END | PERM_R, other }, -E_RANGE },
		{ { base | PERM_W, other }, -E_INVAL },
		{ { base, other }, -E_INVAL },
		{ { base | PERM_R | 0x10, other }, -E_INVAL },
	};
	const int where[] = { 0, 30, 31, 32, 40, 255 };
	unsigned i, j;

	for (i = 0; i < 256; i++)
		r[i] = (struct map_record){ (base + (i + 1) * 4096) | PERM_R, other };
	EXPECT(k_map(self, base | PERM_R | PERM_W, first, 256), 0);
	EXPECT(peek(base), 0x1111);
	EXPECT(peek(base + 4096), 0x2222);
	EXPECT(peek(base + 33 * 4096), 0x2222);
	EXPECT(peek(base + 256 * 4096), 0x2222);
	EXPECT(k_map(self, base | PERM_R, first, 257), -E_INVAL);
	EXPECT(k_map(self, base | PERM_R, first, -1UL), -E_INVAL);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* Bad in registers: the buffer is never looked at. */
		EXPECT(k_map(self, bad[i].r.va_perm, bad[i].r.pa, 0), bad[i].error);
		EXPECT(k_map(self, bad[i].r.va_perm, bad[i].r.pa, 300), bad[i].error);
		for (j = 0; j < sizeof(where) / sizeof(where[0]); j++) {
			struct map_record saved = r[where[j]];

			r[where[j]] = bad[i].r;
			EXPECT(k_map(self, base | PERM_R, first, where[j] + 1), bad[i].error);
			EXPECT(k_map(self, base | PERM_R, first, where[j]), 0);
			if (where[j] < 200)
				EXPECT(k_map(self, base | PERM_R, first, 256), bad[i].error);
			r[where[j]] = saved;
		}
	}
	EXPECT(k_map(self, base | PERM_R, first, 256), 0);
	EXPECT(peek(base + 255 * 4096), 0x2222);
	EXPECT(k_unmap(self, base, 257 * 4096), 0);
}

/*
 * Frames outside the pool cannot be mapped: below and above RAM, the
 * kernel's page-table reserve, and the gaps between pool ranges.
 */
static void test_map_frames(void)
{
	const struct boot_info *bi = ktest_bi;
	long space = k_space_create();
	uint64_t va = 0x10000 | PERM_R, i;

	EXPECT(k_map(space, va, 0, 0), -E_PERM);
	EXPECT(k_map(space, va, bi->ram_start, 0), -E_PERM);	/* the firmware */
	EXPECT(k_map(space, va, bi->ram_start - 4096, 0), -E_PERM);
	EXPECT(k_map(space, va, bi->ram_end, 0), -E_PERM);
	EXPECT(k_map(space, va, 1UL << 56, 0), -E_PERM);
	for (i = 0; i < bi->npool; i++) {
		EXPECT(k_map(space, va, bi->pool[i].start, 0), 0);
		EXPECT(k_map(space, va, bi->pool[i].end - 4096, 0), 0);
		if (i == 0 || bi->pool[i - 1].end < bi->pool[i].start)
			EXPECT(k_map(space, va, bi->pool[i].start - 4096, 0), -E_PERM);
		if (i + 1 == bi->npool || bi->pool[i].end < bi->pool[i + 1].start)
			if (bi->pool[i].end < bi->ram_end)
				EXPECT(k_map(space, va, bi->pool[i].end, 0), -E_PERM);
	}
	EXPECT(k_space_destroy(space), 0);
}

void __start_c(struct boot_info *bi)
{
	ktest_init(bi);
	printf("ktest syscalls: %lu pool ranges, first %lx..%lx\n", bi->npool,
	       bi->pool[0].start, bi->pool[0].end);
	test_unknown_calls();
	test_thread_create();
	test_cap_copy();
	test_ad_args();
	test_ad_bits();
	test_ad_64();
	test_ipc_buffer();
	test_ipc_args();
	test_reply_states();
	test_map_batch();
	test_map_frames();
	ktest_done("syscalls");
}
