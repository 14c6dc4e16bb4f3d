// expect-output: ktest protect: ok
/*
 * SYS_PROTECT lowers and never raises: each page keeps only the rights in
 * the call's perm. The VM server counts on it - fork write-protects a whole
 * range in one call, whatever each page had - and on the dirty bit staying
 * when the write right goes (it reads it later).
 *
 *   raise     PROT to R|W|X of a read-only page: a write still faults.
 *   keep D    a page written, then lowered to R: still dirty in READ_AD.
 *   none      a readable page lowered to X alone (R & X: no right left) is
 *             unmapped, not left as a leaf with no rights - which Sv39
 *             would take for a pointer to a page table.
 *   far       a call over all of user space lowers a page 128 GiB up.
 */
#include "ktest.h"

#define TOUCH_BADGE 0x70c4
#define FAR_VA ((128UL << 30) + (10UL << 20))	/* not at its gigabyte's start */

static void expect_fault_at(const struct ipc_msg *m, long tid, uint64_t addr, uint64_t access)
{
	if (m->tag != TAG(MSG_PAGE_FAULT, 0) || m->peer != (uint64_t)tid || m->w[0] != addr ||
	    m->w[1] != access)
		FATAL("want a fault of %lx at %lx (access %lx); got tag %lx from %lx: %lx %lx",
		      tid, addr, access, m->tag, m->peer, m->w[0], m->w[1]);
}

/*
 * One call over almost all of user space reaches a page 128 GiB up, past
 * gigabytes with no table at all (which the walk steps over whole).
 */
static void far_away(struct child *c, uint64_t frame)
{
	struct ipc_msg m;
	long tid;

	EXPECT(k_map(c->space, FAR_VA | PERM_R | PERM_W, frame, 0), 0);
	EXPECT(k_protect(c->space, 0, USER_SPACE_END, PERM_R | PERM_X), 0);	/* W goes */
	tid = k_thread_create(c->space, CHILD_PC(ktest_touch), CHILD_STACK, FAR_VA,
			      ROOT_ENDPOINT_SLOT, TOUCH_BADGE);
	EXPECT(tid > 0, 1);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_fault_at(&m, tid, FAR_VA, PERM_W);
}

void __start_c(struct boot_info *bi)
{
	uint64_t data, next, dirty;
	struct child c;
	struct ipc_msg m;
	long tid;

	ktest_init(bi);
	data = new_frame();
	next = new_frame();
	child_setup(&c, 1);
	EXPECT(k_map(c.space, CHILD_DATA | PERM_R, data, 0), 0);
	EXPECT(k_map(c.space, (CHILD_DATA + 4096) | PERM_R, next, 0), 0);
	EXPECT(k_protect(c.space, CHILD_DATA, 2 * 4096, PERM_R | PERM_W | PERM_X), 0);

	/* ktest_touch writes CHILD_DATA, then reads the page after it. */
	tid = k_thread_create(c.space, CHILD_PC(ktest_touch), CHILD_STACK, CHILD_DATA,
			      ROOT_ENDPOINT_SLOT, TOUCH_BADGE);
	EXPECT(tid > 0, 1);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_fault_at(&m, tid, CHILD_DATA, PERM_W);	/* not raised to W */
	m = (struct ipc_msg){ .tag = TAG(FAULT_MAP, 0), .peer = (uint64_t)tid,
			      .w = { CHILD_DATA | PERM_R | PERM_W, data } };
	ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag != TAG(MSG_EXCEPTION, 0) || m.peer != (uint64_t)tid ||
	    m.w[2] != CHILD_PC(ktest_touch_end))
		FATAL("want the touch thread's end, got tag %lx from %lx at %lx", m.tag, m.peer,
		      m.w[2]);
	EXPECT(*(volatile uint64_t *)window(data), CHILD_DATA);

	/* The write right goes, the dirty bit stays. */
	EXPECT(ad_accessed(c.space, CHILD_DATA, 2, &dirty), 3);
	EXPECT(dirty, 1);
	EXPECT(k_protect(c.space, CHILD_DATA, 4096, PERM_R), 0);
	EXPECT(ad_accessed(c.space, CHILD_DATA, 2, &dirty), 3);
	EXPECT(dirty, 1);

	/* No right left: the page is gone (READ_AD sees nothing there). */
	EXPECT(k_protect(c.space, CHILD_DATA + 4096, 4096, PERM_X), 0);
	EXPECT(ad_accessed(c.space, CHILD_DATA, 2, &dirty), 1);
	EXPECT(dirty, 1);

	far_away(&c, next);
	EXPECT(k_space_destroy(c.space), 0);
	ktest_done("protect");
}
