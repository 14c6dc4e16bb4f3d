// expect-output: ktest destroy: ok
/*
 * SYS_SPACE_DESTROY while the space's threads are blocked - in a fault,
 * queued on an endpoint as sender or receiver, in a call - and while
 * threads of other spaces wait on them: nothing breaks, every thread
 * waiting on a dead one gets its error (or, in a fault, sends it again to
 * its pager), the ids go stale even when their slots are reused, and the
 * space's tables, threads, caps and endpoints come back (hundreds of
 * create/destroy rounds, more than the kernel has of each).
 */
#include "ktest.h"

#define TELL_LABEL 0x7e11

/* A space has 16 cap slots (kernel/space.h); slot 0 holds a cap to us. */
#define CHILD_FREE_SLOTS 15

static long self_tid;

/* Stops the test unless m is a page fault of `tid` at addr. */
static void expect_fault_at(const struct ipc_msg *m, long tid, uint64_t addr)
{
	if (m->tag != TAG(MSG_PAGE_FAULT, 0) || m->peer != (uint64_t)tid || m->w[0] != addr)
		FATAL("want a fault of %lx at %lx; got tag %lx from %lx at %lx", tid, addr,
		      m->tag, m->peer, m->w[0]);
}

/* Stops the test unless m is a call labelled TELL_LABEL from tid. */
static void expect_tell(const struct ipc_msg *m, long tid)
{
	if (m->tag != TAG(TELL_LABEL, 0) || m->peer != (uint64_t)tid)
		FATAL("want word from %lx; got tag %lx from %lx", tid, m->tag, m->peer);
}

static long reply_tag(long peer, uint64_t tag)
{
	struct ipc_msg m = { .tag = tag, .peer = (uint64_t)peer };

	return ipc_reply(&m);
}

/* Every call on a destroyed space's id fails with E_NOSPACE. */
static void expect_stale_space(long space)
{
	uint64_t dirty;

	EXPECT(k_map(space, CHILD_DATA | PERM_R, new_frame(), 0), -E_NOSPACE);
	EXPECT(k_unmap(space, CHILD_DATA, 4096), -E_NOSPACE);
	EXPECT(k_protect(space, CHILD_DATA, 4096, PERM_R), -E_NOSPACE);
	EXPECT(ad_accessed(space, CHILD_DATA, 1, &dirty), -E_NOSPACE);
	EXPECT(k_clear_ad(space, CHILD_DATA, 1, AD_ACCESSED), -E_NOSPACE);
	EXPECT(k_thread_create(space, CHILD_CODE, CHILD_STACK, 0, ROOT_ENDPOINT_SLOT, 0),
	       -E_NOSPACE);
	EXPECT(k_cap_copy(space, 1, SPACE_SELF, ROOT_ENDPOINT_SLOT, 0), -E_NOSPACE);
	EXPECT(k_cap_copy(SPACE_SELF, EMPTY_SLOT, space, 0, 0), -E_NOSPACE);
	EXPECT(k_space_destroy(space), -E_NOSPACE);
}

/*
 * A thread in a fault we took: destroyed, its id is stale. The next space
 * and thread may reuse the slots, with new ids: the old ids still fail
 * while the new ones work.
 */
static void test_in_fault(void)
{
	long space = k_space_create(), tid, space2, tid2;
	struct ipc_msg m;

	tid = k_thread_create(space, CHILD_CODE, CHILD_STACK, 0, ROOT_ENDPOINT_SLOT, 0);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_fault_at(&m, tid, CHILD_CODE);
	EXPECT(k_space_destroy(space), 0);
	EXPECT(reply_tag(tid, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);
	expect_stale_space(space);

	space2 = k_space_create();
	EXPECT(space2 > 0 && space2 != space, 1);
	tid2 = k_thread_create(space2, CHILD_CODE, CHILD_STACK, 0, ROOT_ENDPOINT_SLOT, 0);
	EXPECT(tid2 > 0 && tid2 != tid, 1);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_fault_at(&m, tid2, CHILD_CODE);
	EXPECT(m.w[3], space2);
	expect_stale_space(space);
	EXPECT(reply_tag(tid, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);
	EXPECT(reply_tag(tid2, TAG(FAULT_RETRY, 0)), 0);
	EXPECT(k_space_destroy(space2), 0);
}

/*
 * A thread queued on our endpoint, its fault not yet taken: destroyed, it
 * leaves the queue - the next message we get is a live thread's.
 */
static void test_queued_sender(void)
{
	long space = k_space_create(), tid, space2, tid2;
	struct ipc_msg m;

	tid = k_thread_create(space, CHILD_CODE, CHILD_STACK, 0, ROOT_ENDPOINT_SLOT, 0);
	k_yield();		/* it faults, and queues: we are not waiting */
	EXPECT(k_space_destroy(space), 0);
	space2 = k_space_create();
	tid2 = k_thread_create(space2, CHILD_DATA, CHILD_STACK, 0, ROOT_ENDPOINT_SLOT, 0);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_fault_at(&m, tid2, CHILD_DATA);
	EXPECT(reply_tag(tid, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);
	EXPECT(k_space_destroy(space2), 0);
}

/*
 * A thread waiting to receive on an endpoint: destroyed, it leaves the
 * queue - our call on that endpoint goes to the thread that waits after it.
 */
static void test_queued_receiver(void)
{
	struct child dead, live;
	struct script *s;
	struct kcall_rec *r_wait, *r_reply;
	struct ipc_msg m;
	long ep = k_endpoint_create(), r, tid;

	EXPECT(ep > 0, 1);
	child_setup(&dead, 1);
	EXPECT(k_cap_copy(dead.space, 1, SPACE_SELF, (uint64_t)ep, 0), 0);
	s = child_script_page(&dead, CHILD_SCRIPT);
	SCRIPT_ADD(s, SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0, 1);
	r = child_start(&dead, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
	k_yield();		/* it waits on ep */
	EXPECT(k_space_destroy(dead.space), 0);

	child_setup(&live, 1);
	EXPECT(k_cap_copy(live.space, 1, SPACE_SELF, (uint64_t)ep, 0), 0);
	s = child_script_page(&live, CHILD_SCRIPT);
	r_wait = SCRIPT_ADD(s, SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0, 1);
	r_reply = SCRIPT_ADD(s, SYS_REPLY, TAG(5, 0), (uint64_t)self_tid, 55);
	tid = child_start(&live, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
	k_yield();

	m = (struct ipc_msg){ .tag = TAG(4, 0), .w = { 44 } };
	ipc_call((uint64_t)ep, &m);
	EXPECT(m.tag, TAG(5, 0));
	EXPECT(m.peer, tid);
	EXPECT(m.w[0], 55);
	wait_script_end(ROOT_ENDPOINT_SLOT, tid);
	EXPECT(r_wait->ret[0], TAG(4, 0));
	EXPECT(r_wait->ret[1], self_tid);
	EXPECT(r_reply->ret[0], 0);
	EXPECT(reply_tag(r, TAG(1, 0)), -E_NOTHREAD);
	EXPECT(k_space_destroy(live.space), 0);
}

/*
 * A calls B (another space) through endpoint E; B took the call and waits
 * in a call to us when its space goes. A's call ends with E_NOTHREAD.
 */
static void test_dead_server(void)
{
	struct child ca, cb;
	struct script *sa, *sb;
	struct kcall_rec *a_call;
	struct ipc_msg m;
	long ep = k_endpoint_create(), a, b;

	child_setup(&ca, 1);
	child_setup(&cb, 1);
	EXPECT(k_cap_copy(ca.space, 1, SPACE_SELF, (uint64_t)ep, 0), 0);
	EXPECT(k_cap_copy(cb.space, 1, SPACE_SELF, (uint64_t)ep, 0), 0);
	EXPECT(k_cap_copy(cb.space, 0, SPACE_SELF, ROOT_ENDPOINT_SLOT, 0), 0);
	sa = child_script_page(&ca, CHILD_SCRIPT);
	sb = child_script_page(&cb, CHILD_SCRIPT);
	a_call = SCRIPT_ADD(sa, SYS_CALL, TAG(1, 0), 0, 0, 0, 0, 0, 1);
	SCRIPT_ADD(sb, SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0, 1);
	SCRIPT_ADD(sb, SYS_CALL, TAG(TELL_LABEL, 0), 0, 0, 0, 0, 0, 0);
	a = child_start(&ca, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
	b = child_start(&cb, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);

	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_tell(&m, b);
	EXPECT(reply_tag(a, TAG(1, 0)), -E_NOTHREAD);	/* A waits for B, not us */
	EXPECT(k_space_destroy(cb.space), 0);
	EXPECT(reply_tag(b, TAG(1, 0)), -E_NOTHREAD);
	wait_script_end(ROOT_ENDPOINT_SLOT, a);
	EXPECT(a_call->ret[0], -E_NOTHREAD);
	EXPECT(k_space_destroy(ca.space), 0);
}

/*
 * F's pager is endpoint E; B, a thread of another space, takes F's fault
 * from E. Not F's manager, B cannot answer it (E_PERM), nor can we (F waits
 * for B). When B's space goes, F faults again, and this time we take the
 * fault from E and serve it.
 */
static void test_dead_fault_holder(void)
{
	struct child cf, cb;
	struct script *sb;
	struct kcall_rec *b_wait, *b_map, *b_retry;
	struct map_record *r = (struct map_record *)ipc_buffer;
	uint64_t data = new_frame(), data2 = new_frame();
	struct ipc_msg m;
	long ep = k_endpoint_create(), f, b;

	child_setup(&cf, 1);
	child_setup(&cb, 1);
	EXPECT(k_cap_copy(cb.space, 1, SPACE_SELF, (uint64_t)ep, 0), 0);
	EXPECT(k_cap_copy(cb.space, 0, SPACE_SELF, ROOT_ENDPOINT_SLOT, 0), 0);
	f = k_thread_create(cf.space, CHILD_PC(ktest_touch), CHILD_STACK, CHILD_DATA,
			    (uint64_t)ep, 0xf);
	EXPECT(f > 0, 1);
	sb = child_script_page(&cb, CHILD_SCRIPT);
	b_wait = SCRIPT_ADD(sb, SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0, 1);
	b_map = SCRIPT_ADD(sb, SYS_REPLY, TAG(FAULT_MAP, 0), (uint64_t)f,
			   CHILD_DATA | PERM_R | PERM_W, data);
	b_retry = SCRIPT_ADD(sb, SYS_REPLY, TAG(FAULT_RETRY, 0), (uint64_t)f);
	SCRIPT_ADD(sb, SYS_CALL, TAG(TELL_LABEL, 0), 0, 0, 0, 0, 0, 0);
	b = child_start(&cb, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);

	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_tell(&m, b);
	EXPECT(b_wait->ret[0], TAG(MSG_PAGE_FAULT, 0));
	EXPECT(b_wait->ret[1], f);
	EXPECT(b_map->ret[0], -E_PERM);
	EXPECT(b_retry->ret[0], -E_PERM);
	EXPECT(reply_tag(f, TAG(FAULT_RETRY, 0)), -E_NOTHREAD);
	EXPECT(k_space_destroy(cb.space), 0);

	wait_msg((uint64_t)ep, &m);
	expect_fault_at(&m, f, CHILD_DATA);
	EXPECT(m.w[1], PERM_W);
	EXPECT(m.badge, 0xf);
	r[0] = (struct map_record){ (CHILD_DATA + 4096) | PERM_R, data2 };
	m = (struct ipc_msg){ .tag = TAG(FAULT_MAP, sizeof(*r)), .peer = (uint64_t)f,
			      .w = { CHILD_DATA | PERM_R | PERM_W, data } };
	ipc_reply_wait((uint64_t)ep, &m);
	if (m.tag != TAG(MSG_EXCEPTION, 0) || m.peer != (uint64_t)f ||
	    m.w[2] != CHILD_PC(ktest_touch_end))
		FATAL("want F's end, got tag %lx from %lx at %lx", m.tag, m.peer, m.w[2]);
	EXPECT(*(volatile uint64_t *)window(data), CHILD_DATA);
	EXPECT(k_space_destroy(cf.space), 0);
}

/*
 * A waits to send on endpoint E when E's last cap goes with the space of
 * the thread that made it: nobody can receive there any more, and A's call
 * ends with E_NORECEIVER.
 */
static void test_last_cap(void)
{
	struct child cx, ca;
	struct script *sx, *sa;
	struct kcall_rec *x_make, *a_call;
	long x, a;

	child_setup(&cx, 1);
	child_setup(&ca, 1);
	sx = child_script_page(&cx, CHILD_SCRIPT);
	x_make = SCRIPT_ADD(sx, SYS_ENDPOINT_CREATE, 0);
	x = child_start(&cx, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
	wait_script_end(ROOT_ENDPOINT_SLOT, x);
	EXPECT(x_make->ret[0], 0);

	EXPECT(k_cap_copy(ca.space, 1, cx.space, 0, 0), 0);
	sa = child_script_page(&ca, CHILD_SCRIPT);
	a_call = SCRIPT_ADD(sa, SYS_CALL, TAG(1, 0), 0, 0, 0, 0, 0, 1);
	a = child_start(&ca, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
	k_yield();		/* A queues on E: nobody receives there */
	EXPECT(a_call->ret[0], 0xdead);
	EXPECT(k_cap_copy(ca.space, 1, SPACE_SELF, ROOT_ENDPOINT_SLOT, 0), 0);
	EXPECT(k_space_destroy(cx.space), 0);
	wait_script_end(ROOT_ENDPOINT_SLOT, a);
	EXPECT(a_call->ret[0], -E_NORECEIVER);
	EXPECT(k_space_destroy(ca.space), 0);
}

/*
 * Hundreds of spaces, each with tables in 8 gigabyte regions, 16 caps and
 * a thread (runnable, or queued on our endpoint), destroyed: more rounds
 * than there are spaces and threads, and more tables than the kernel's
 * reserve holds, so anything a destroy forgot to free runs out.
 */
static void test_rounds(void)
{
	uint64_t frame = new_frame(), slot, region;
	long space, tid, error;
	int i, failed = 0;

	for (i = 0; i < 300 && !failed; i++) {
		if ((space = k_space_create()) <= 0) {
			printf("FAIL: round %d: k_space_create = %ld\n", i, space);
			failed = 1;
			break;
		}
		for (region = 0; region < 8; region++) {
			error = k_map(space, (region << 30 | 0x200000) | PERM_R, frame, 0);
			if (error != 0) {
				printf("FAIL: round %d: k_map = %ld\n", i, error);
				failed = 1;
			}
		}
		for (slot = 0; slot < 16; slot++)
			EXPECT(k_cap_copy(space, slot, SPACE_SELF, ROOT_ENDPOINT_SLOT, slot), 0);
		tid = k_thread_create(space, CHILD_CODE, CHILD_STACK, 0, ROOT_ENDPOINT_SLOT, 0);
		if (tid <= 0) {
			printf("FAIL: round %d: k_thread_create = %ld\n", i, tid);
			failed = 1;
		}
		if (i % 2 == 1)
			k_yield();	/* it faults and queues on our endpoint */
		EXPECT(k_space_destroy(space), 0);
	}
	failures += failed;
}

/*
 * Rounds of a child making endpoints in all its free slots: destroying its
 * space frees them, or the kernel's endpoints run out.
 */
static void test_endpoint_rounds(void)
{
	struct child c;
	struct script *s;
	struct kcall_rec *make[CHILD_FREE_SLOTS + 1];
	long tid;
	int i, j;

	for (i = 0; i < 20; i++) {
		child_setup(&c, 1);
		EXPECT(k_cap_copy(c.space, 0, SPACE_SELF, ROOT_ENDPOINT_SLOT, 0), 0);
		s = child_script_page(&c, CHILD_SCRIPT);
		for (j = 0; j < CHILD_FREE_SLOTS + 1; j++)
			make[j] = SCRIPT_ADD(s, SYS_ENDPOINT_CREATE, 0);
		tid = child_start(&c, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
		wait_script_end(ROOT_ENDPOINT_SLOT, tid);
		for (j = 0; j < CHILD_FREE_SLOTS; j++)
			if ((long)make[j]->ret[0] != j + 1) {
				printf("FAIL: round %d: endpoint %d = %ld\n", i, j,
				       (long)make[j]->ret[0]);
				failures++;
			}
		EXPECT((long)make[CHILD_FREE_SLOTS]->ret[0] < 0, 1);	/* no slot left */
		EXPECT(k_space_destroy(c.space), 0);
	}
}

void __start_c(struct boot_info *bi)
{
	ktest_init(bi);
	self_tid = k_thread_self();
	test_in_fault();
	test_queued_sender();
	test_queued_receiver();
	test_dead_server();
	test_dead_fault_holder();
	test_last_cap();
	test_rounds();
	test_endpoint_rounds();
	ktest_done("destroy");
}
