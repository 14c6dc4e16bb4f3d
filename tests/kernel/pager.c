// expect-output: ktest pager: ok
/*
 * The root task as the pager of a child space, the way the VM server is:
 * it takes the child's page faults and exceptions on its endpoint, checks
 * every field of the kernel's messages, answers with mappings, and sees
 * each malformed answer refused at once while the child stays blocked.
 * The child also makes unknown system calls (E_NOSYS back in its a0) and
 * an IPC call through a badged cap, and its accesses show in READ_AD.
 */
#include "ktest.h"

#define FAULT_BADGE  0xfa17
#define TOUCH_BADGE  0x70c4
#define CALL_BADGE   0xca11
#define CALL_LABEL   0x1234
#define ANSWER_LABEL 0x4321
#define ANY_PC       (~0UL)

static struct child c;
static long tid, touch_tid, self_tid;
static uint64_t script_pa, data_pa, data2_pa;
static struct script *script;
static struct kcall_rec *r_self, *r_nosys[6], *r_call, *r_after;

/* Stops the test unless m is a page fault with exactly these fields. */
static void expect_fault(const struct ipc_msg *m, long thread, uint64_t badge,
			 uint64_t addr, uint64_t access, uint64_t pc)
{
	if (m->tag != TAG(MSG_PAGE_FAULT, 0) || m->peer != (uint64_t)thread ||
	    m->badge != badge || m->w[0] != addr || m->w[1] != access ||
	    (pc != ANY_PC && m->w[2] != pc) || m->w[3] != (uint64_t)c.space)
		FATAL("want a fault of %lx (badge %lx) at %lx, access %lx, pc %lx, space %lx;"
		      " got tag %lx from %lx (badge %lx): %lx %lx %lx %lx", thread, badge,
		      addr, access, pc, c.space, m->tag, m->peer, m->badge, m->w[0],
		      m->w[1], m->w[2], m->w[3]);
}

/* Replies (tag, w0, w1) to `peer` and waits for the next message in m. */
static void reply_wait(struct ipc_msg *m, uint64_t tag, uint64_t peer, uint64_t w0,
		       uint64_t w1)
{
	*m = (struct ipc_msg){ .tag = tag, .peer = peer, .w = { w0, w1 } };
	ipc_reply_wait(ROOT_ENDPOINT_SLOT, m);
}

/* A reply the kernel must refuse: SYS_REPLY_WAIT returns its error at once. */
static long bad_reply_wait(uint64_t tag, uint64_t w0, uint64_t w1)
{
	struct ipc_msg m;

	reply_wait(&m, tag, (uint64_t)tid, w0, w1);
	return (long)m.tag;
}

/* The same through SYS_REPLY. */
static long bad_reply(uint64_t tag, uint64_t w0, uint64_t w1)
{
	struct ipc_msg m = { .tag = tag, .peer = (uint64_t)tid, .w = { w0, w1 } };

	return ipc_reply(&m);
}

/* The script: who am I, unknown calls, a call to the root, who am I again. */
static void write_script(void)
{
	const uint64_t nosys[] = {
		NSYSCALLS, SYS_NOSYS, 1000, -1UL, 1UL << 32 | SYS_THREAD_SELF, 1UL << 63,
	};
	unsigned i;

	r_self = SCRIPT_ADD(script, SYS_THREAD_SELF, 0);
	for (i = 0; i < 6; i++)
		r_nosys[i] = SCRIPT_ADD(script, nosys[i], 1, 2, 3, 4, 5, 6, 7);
	r_call = SCRIPT_ADD(script, SYS_CALL, TAG(CALL_LABEL, 0), 0, 1, 2, 3, 4,
			    ROOT_ENDPOINT_SLOT);
	r_after = SCRIPT_ADD(script, SYS_THREAD_SELF, 0);
}

/*
 * Bad answers to a fault: frames that are not the pager's, addresses
 * outside user space, W without R, bad labels and lengths, a bad record in
 * the buffer. Each is refused with its error without waiting; the thread
 * still waits for us, so the next answer can still work.
 */
static void test_bad_replies(uint64_t va)
{
	struct map_record *r = (struct map_record *)ipc_buffer;
	uint64_t reserve = ktest_bi->pool[0].start - 4096;	/* kernel page tables */
	struct ipc_msg m;
	int i;

	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va | PERM_R | PERM_X, 0x80200000), -E_PERM);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va | PERM_R | PERM_X, 0x100000), -E_PERM);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va | PERM_R | PERM_X, 0), -E_PERM);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va | PERM_R | PERM_X, reserve), -E_PERM);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va | PERM_R | PERM_X, c.code_pa + 8), -E_PERM);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), 0xffffffc000000000UL | PERM_R, c.code_pa),
	       -E_RANGE);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), USER_SPACE_END | PERM_R, c.code_pa), -E_RANGE);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va | PERM_W | PERM_X, c.code_pa), -E_INVAL);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va | PERM_W, c.code_pa), -E_INVAL);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va, c.code_pa), -E_INVAL);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), va | 0x11, c.code_pa), -E_INVAL);
	EXPECT(bad_reply_wait(TAG(0, 0), va | PERM_R | PERM_X, c.code_pa), -E_INVAL);
	EXPECT(bad_reply_wait(TAG(7, 0), va | PERM_R | PERM_X, c.code_pa), -E_INVAL);
	EXPECT(bad_reply_wait(TAG(MSG_PAGE_FAULT, 0), va | PERM_R | PERM_X, c.code_pa),
	       -E_INVAL);
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, IPC_BUFFER_SIZE + 16), va | PERM_R | PERM_X,
			      c.code_pa), -E_INVAL);
	EXPECT(bad_reply(TAG(FAULT_MAP, 0), va | PERM_R | PERM_X, 0x80200000), -E_PERM);
	EXPECT(bad_reply(TAG(FAULT_MAP, 0), va | PERM_W, c.code_pa), -E_INVAL);
	EXPECT(bad_reply(TAG(3, 0), va | PERM_R | PERM_X, c.code_pa), -E_INVAL);

	/* The records after the first: a bad second one, a bad 40th one. */
	r[0] = (struct map_record){ CHILD_DATA | PERM_R, data_pa };
	r[1] = (struct map_record){ (CHILD_DATA + 4096) | PERM_R, 0x80200000 };
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 32), va | PERM_R | PERM_X, c.code_pa), -E_PERM);
	r[1] = (struct map_record){ 0xffffffc000000000UL | PERM_R, data_pa };
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 32), va | PERM_R | PERM_X, c.code_pa), -E_RANGE);
	memset(r, 0, 40 * sizeof(*r));
	for (i = 0; i < 39; i++)
		r[i] = (struct map_record){ (CHILD_DATA + 4096 * (uint64_t)i) | PERM_R, data_pa };
	r[39] = (struct map_record){ CHILD_DATA | PERM_W, data_pa };
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 40 * 16), va | PERM_R | PERM_X, c.code_pa),
	       -E_INVAL);
	EXPECT(bad_reply(TAG(FAULT_MAP, 40 * 16), va | PERM_R | PERM_X, c.code_pa), -E_INVAL);
	/* A refused batch may have mapped the records before the bad one. */
	EXPECT(k_unmap(c.space, CHILD_CODE, 4096), 0);
	EXPECT(k_unmap(c.space, CHILD_DATA, 40 * 4096), 0);

	/* Answers for a thread that is not this one. */
	m = (struct ipc_msg){ .tag = TAG(FAULT_RETRY, 0), .peer = (uint64_t)tid + (1 << 16) };
	EXPECT(ipc_reply(&m), -E_NOTHREAD);
	m.peer = (uint64_t)self_tid;
	EXPECT(ipc_reply(&m), -E_NOTHREAD);
}

/*
 * The first fault: the thread's very first instruction, at CHILD_CODE.
 * FAULT_RETRY resumes it to fault again; a mapping without X, too; then a
 * proper one lets it run on.
 */
static void test_code_fault(struct ipc_msg *m)
{
	wait_msg(ROOT_ENDPOINT_SLOT, m);
	expect_fault(m, tid, FAULT_BADGE, CHILD_CODE, PERM_X, CHILD_CODE);
	test_bad_replies(CHILD_CODE);

	reply_wait(m, TAG(FAULT_RETRY, 0), (uint64_t)tid, 0, 0);
	expect_fault(m, tid, FAULT_BADGE, CHILD_CODE, PERM_X, CHILD_CODE);
	reply_wait(m, TAG(FAULT_MAP, 0), (uint64_t)tid, CHILD_CODE | PERM_R, c.code_pa);
	expect_fault(m, tid, FAULT_BADGE, CHILD_CODE, PERM_X, CHILD_CODE);
	reply_wait(m, TAG(FAULT_MAP, 0), (uint64_t)tid, CHILD_CODE | PERM_R | PERM_X, c.code_pa);
}

/*
 * Its script page: a load fault; mapped read-only, then a store fault
 * on the first result it writes; answered with two mappings, one of them
 * from the IPC buffer (the data page the touch thread uses later).
 */
static void test_data_faults(struct ipc_msg *m)
{
	struct map_record *r = (struct map_record *)ipc_buffer;

	expect_fault(m, tid, FAULT_BADGE, CHILD_SCRIPT, PERM_R, CHILD_PC(ktest_script_load));
	reply_wait(m, TAG(FAULT_MAP, 0), (uint64_t)tid, CHILD_SCRIPT | PERM_R, script_pa);
	expect_fault(m, tid, FAULT_BADGE, CHILD_SCRIPT + 8 + 64, PERM_W,
		     CHILD_PC(ktest_script_store));
	EXPECT(r_self->ret[0], 0xdead);		/* it could not store yet */
	EXPECT(bad_reply_wait(TAG(FAULT_MAP, 0), CHILD_SCRIPT | PERM_W, script_pa), -E_INVAL);
	r[0] = (struct map_record){ CHILD_DATA | PERM_R | PERM_W, data_pa };
	reply_wait(m, TAG(FAULT_MAP, sizeof(*r)), (uint64_t)tid, CHILD_SCRIPT | PERM_R | PERM_W,
		   script_pa);
}

/* Its call through the cap we gave it: our label, words and badge, its id. */
static void test_call(struct ipc_msg *m)
{
	if (m->tag != TAG(CALL_LABEL, 0))
		FATAL("want the child's call, got tag %lx from %lx", m->tag, m->peer);
	EXPECT(m->peer, tid);
	EXPECT(m->badge, CALL_BADGE);
	EXPECT(m->w[0], 1);
	EXPECT(m->w[1], 2);
	EXPECT(m->w[2], 3);
	EXPECT(m->w[3], 4);
	EXPECT(r_nosys[0]->ret[0], -E_NOSYS);	/* already stored: it ran them */
	EXPECT(bad_reply(TAG(ANSWER_LABEL, IPC_BUFFER_SIZE + 1), 5, 6), -E_INVAL);
	reply_wait(m, TAG(ANSWER_LABEL, 0), (uint64_t)tid, 5, 6);
}

/* The end of the script: MSG_EXCEPTION with scause, stval, pc, space, badge. */
static void test_script_results(struct ipc_msg *m)
{
	unsigned i;

	expect_script_end(m, tid);
	EXPECT(m->w[1], 0);		/* stval: the instruction, all zeros, or 0 */
	EXPECT(m->w[3], c.space);
	EXPECT(m->badge, FAULT_BADGE);
	EXPECT(r_self->ret[0], tid);
	for (i = 0; i < 6; i++)
		EXPECT(r_nosys[i]->ret[0], -E_NOSYS);
	EXPECT(r_call->ret[0], TAG(ANSWER_LABEL, 0));
	EXPECT(r_call->ret[1], self_tid);
	EXPECT(r_after->ret[0], tid);
}

/*
 * A second thread in the space writes the data page and reads the next
 * one (unmapped: a fault, with its own badge). READ_AD sees page 0
 * accessed and dirty, page 1 accessed only, the code page only read;
 * CLEAR_AD clears each kind alone. The data frame holds what it wrote.
 */
static void test_touch(struct ipc_msg *m)
{
	uint64_t dirty;

	EXPECT(ad_accessed(c.space, CHILD_DATA, 2, &dirty), 0);
	EXPECT(dirty, 0);
	touch_tid = k_thread_create(c.space, CHILD_PC(ktest_touch), CHILD_STACK, CHILD_DATA,
				    ROOT_ENDPOINT_SLOT, TOUCH_BADGE);
	EXPECT(touch_tid > 0 && touch_tid != tid, 1);
	wait_msg(ROOT_ENDPOINT_SLOT, m);
	expect_fault(m, touch_tid, TOUCH_BADGE, CHILD_DATA + 4096, PERM_R, ANY_PC);
	EXPECT(m->w[2] > CHILD_PC(ktest_touch) && m->w[2] < CHILD_PC(ktest_touch_end), 1);
	EXPECT(*(volatile uint64_t *)window(data_pa), CHILD_DATA);
	EXPECT(ad_accessed(c.space, CHILD_DATA, 2, &dirty), 1);
	EXPECT(dirty, 1);

	reply_wait(m, TAG(FAULT_MAP, 0), (uint64_t)touch_tid, (CHILD_DATA + 4096) | PERM_R,
		   data2_pa);
	if (m->tag != TAG(MSG_EXCEPTION, 0) || m->peer != (uint64_t)touch_tid ||
	    m->w[2] != CHILD_PC(ktest_touch_end) || m->badge != TOUCH_BADGE)
		FATAL("want the touch thread's end, got tag %lx from %lx at %lx", m->tag,
		      m->peer, m->w[2]);
	EXPECT(ad_accessed(c.space, CHILD_DATA, 3, &dirty), 3);
	EXPECT(dirty, 1);
	EXPECT(ad_accessed(c.space, CHILD_CODE, 1, &dirty), 1);
	EXPECT(dirty, 0);
	EXPECT(ad_accessed(c.space, CHILD_SCRIPT, 1, &dirty), 1);
	EXPECT(dirty, 1);
	EXPECT(ad_accessed(c.space, CHILD_CODE, 64, &dirty), 1 | 1 << 16 | 3UL << 48);
	EXPECT(dirty, 1 << 16 | 1UL << 48);

	EXPECT(k_clear_ad(c.space, CHILD_DATA, 2, AD_DIRTY), 0);
	EXPECT(ad_accessed(c.space, CHILD_DATA, 2, &dirty), 3);
	EXPECT(dirty, 0);
	EXPECT(k_clear_ad(c.space, CHILD_DATA, 2, AD_ACCESSED), 0);
	EXPECT(ad_accessed(c.space, CHILD_DATA, 2, &dirty), 0);
	EXPECT(dirty, 0);
	EXPECT(ad_accessed(c.space, CHILD_SCRIPT, 1, &dirty), 1);	/* other pages keep theirs */
	EXPECT(dirty, 1);
}

/* Destroyed with both threads waiting in exceptions: every id goes stale. */
static void test_destroy(void)
{
	struct ipc_msg m = { .tag = TAG(FAULT_RETRY, 0), .peer = (uint64_t)tid };
	uint64_t dirty;

	EXPECT(k_space_destroy(c.space), 0);
	EXPECT(ipc_reply(&m), -E_NOTHREAD);
	m.peer = (uint64_t)touch_tid;
	EXPECT(ipc_reply(&m), -E_NOTHREAD);
	EXPECT(k_map(c.space, CHILD_CODE | PERM_R, c.code_pa, 0), -E_NOSPACE);
	EXPECT(ad_accessed(c.space, CHILD_CODE, 1, &dirty), -E_NOSPACE);
	EXPECT(k_space_destroy(c.space), -E_NOSPACE);
}

void __start_c(struct boot_info *bi)
{
	struct ipc_msg m;

	ktest_init(bi);
	self_tid = k_thread_self();
	child_setup(&c, 0);
	script_pa = new_frame();
	script = window(script_pa);
	data_pa = new_frame();
	data2_pa = new_frame();
	write_script();
	EXPECT(k_cap_copy(c.space, 0, SPACE_SELF, ROOT_ENDPOINT_SLOT, CALL_BADGE), 0);
	tid = k_thread_create(c.space, CHILD_PC(ktest_script), CHILD_STACK, CHILD_SCRIPT,
			      ROOT_ENDPOINT_SLOT, FAULT_BADGE);
	EXPECT(tid > 0 && tid != self_tid, 1);
	printf("ktest pager: child space %lx, thread %lx\n", c.space, tid);

	test_code_fault(&m);
	test_data_faults(&m);
	test_call(&m);
	test_script_results(&m);
	test_touch(&m);
	test_destroy();
	ktest_done("pager");
}
