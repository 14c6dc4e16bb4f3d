// expect-output: ktest isolation: ok
/*
 * What a task that is not a pager cannot do. A child thread, in a space
 * the root manages, makes every pager call - on its own space, on the
 * root's - and each gets E_PERM: it cannot create or destroy spaces, make
 * threads, map, unmap, protect, read or clear the accessed bits, take or
 * overwrite the root's caps, or end the machine. Nor can it print the
 * root's memory or answer calls meant for someone else; and a reply to a
 * thread that called another thread is refused, the caller getting its
 * real reply later.
 */
#include "ktest.h"

#define CHILD_BADGE 0xc1d
#define SERVER_BADGE 0x5e7
#define CLIENT_LABEL 0xa
#define SERVER_LABEL 0xb0
#define ANSWER_LABEL 0x600d

static uint64_t root_space;
static long self_tid;

/* A page of the root's own, for its accessed bits. */
static volatile char root_page[4096] __attribute__((aligned(4096)));

/* One call of the child's script and the error it must get. */
struct denied {
	uint64_t nr, a[7];
	long error;
};

/* The pager calls a child may not make, with the error each must get. */
static int denied_calls(struct denied *d, long own, uint64_t frame)
{
	const uint64_t root = root_space, rw = PERM_R | PERM_W;
	const struct denied list[] = {
		{ SYS_SPACE_CREATE, { 0 }, -E_PERM },
		{ SYS_SPACE_DESTROY, { own }, -E_PERM },
		{ SYS_SPACE_DESTROY, { root }, -E_PERM },
		{ SYS_SPACE_DESTROY, { 0x7777 }, -E_NOSPACE },
		{ SYS_THREAD_CREATE, { own, CHILD_CODE, CHILD_STACK, 0, 0, 0 }, -E_PERM },
		{ SYS_THREAD_CREATE, { root, 0x10000, CHILD_STACK, 0, 0, 0 }, -E_PERM },
		{ SYS_MAP, { own, CHILD_DATA | rw, frame, 0 }, -E_PERM },
		{ SYS_MAP, { own, CHILD_DATA | rw, frame, 3 }, -E_PERM },
		{ SYS_MAP, { root, 0x10000 | rw, frame, 0 }, -E_PERM },
		{ SYS_MAP, { root, ktest_bi->pool_window | rw, frame, 0 }, -E_PERM },
		{ SYS_UNMAP, { own, CHILD_CODE, 4096 }, -E_PERM },
		{ SYS_UNMAP, { root, 0, USER_SPACE_END }, -E_PERM },
		{ SYS_PROTECT, { root, 0x10000, 1UL << 30, PERM_R }, -E_PERM },
		{ SYS_PROTECT, { own, CHILD_SCRIPT, 4096, PERM_R }, -E_PERM },
		{ SYS_READ_AD, { root, (uint64_t)root_page, 1 }, -E_PERM },
		{ SYS_READ_AD, { own, CHILD_CODE, 1 }, -E_PERM },
		{ SYS_CLEAR_AD, { root, (uint64_t)root_page, 1, AD_ACCESSED }, -E_PERM },
		{ SYS_CAP_COPY, { root, ROOT_ENDPOINT_SLOT, SPACE_SELF, 0, 0 }, -E_PERM },
		{ SYS_CAP_COPY, { root, EMPTY_SLOT, SPACE_SELF, 0, 0 }, -E_PERM },
		{ SYS_CAP_COPY, { SPACE_SELF, 5, root, ROOT_ENDPOINT_SLOT, 0 }, -E_PERM },
		{ SYS_CAP_COPY, { SPACE_SELF, 5, root, ROOT_ENDPOINT_SLOT, 0x99 }, -E_PERM },
		{ SYS_SHUTDOWN, { 0 }, -E_PERM },
		{ SYS_SHUTDOWN, { 3 }, -E_PERM },
		/* Mapped in the root, not here: the kernel reads the caller's space. */
		{ SYS_CONSOLE_WRITE, { ktest_bi->pool_window, 16 }, -E_FAULT },
		{ SYS_CONSOLE_WRITE, { (uint64_t)ktest_bi, 16 }, -E_FAULT },
		{ SYS_CONSOLE_WRITE, { (uint64_t)root_page, 16 }, -E_FAULT },
		/* The root waits for a message, not for our reply. */
		{ SYS_REPLY, { TAG(1, 0), self_tid }, -E_NOTHREAD },
		{ SYS_REPLY, { TAG(FAULT_MAP, 0), self_tid, CHILD_DATA | rw, frame }, -E_NOTHREAD },
		/* Slot 0 is a badged cap to the root: it may send, not receive. */
		{ SYS_REPLY_WAIT, { TAG(1, 0), self_tid, 0, 0, 0, 0, 0 }, -E_PERM },
		{ SYS_CALL, { TAG(1, 0), 0, 0, 0, 0, 0, 5 }, -E_BADSLOT },
		{ SYS_CALL, { TAG(1, 0), 0, 0, 0, 0, 0, 16 }, -E_BADSLOT },
		{ SYS_REPLY_WAIT, { 0, 0, 0, 0, 0, 0, 16 }, -E_BADSLOT },
	};
	int n = (int)(sizeof(list) / sizeof(list[0]));

	memcpy(d, list, sizeof(list));
	return n;
}

/*
 * The child's script: the denied calls, then what it may do in its own
 * space - make an endpoint, copy its caps - and a call through the copy.
 */
static void test_denied(void)
{
	struct denied d[40];
	struct kcall_rec *rec[40], *r_ep, *r_copy, *r_copy2, *r_call;
	struct child c;
	struct script *s;
	struct ipc_msg m;
	uint64_t frame = new_frame(), dirty;
	long tid;
	int i, n;

	child_setup(&c, 1);
	s = child_script_page(&c, CHILD_SCRIPT);
	n = denied_calls(d, c.space, frame);
	for (i = 0; i < n; i++)
		rec[i] = script_add(s, d[i].nr, d[i].a);
	r_ep = SCRIPT_ADD(s, SYS_ENDPOINT_CREATE, 0);
	r_copy = SCRIPT_ADD(s, SYS_CAP_COPY, SPACE_SELF, 2, SPACE_SELF, 0, 0);
	r_copy2 = SCRIPT_ADD(s, SYS_CAP_COPY, (uint64_t)c.space, 3, SPACE_SELF, 2, 0);
	r_call = SCRIPT_ADD(s, SYS_CALL, TAG(0x5a, 0), 0, 7, 0, 0, 0, 3);
	EXPECT(k_cap_copy(c.space, 0, SPACE_SELF, ROOT_ENDPOINT_SLOT, CHILD_BADGE), 0);

	root_page[0] = 1;
	tid = child_start(&c, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, CHILD_BADGE);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag != TAG(0x5a, 0))
		FATAL("want the child's call, got tag %lx from %lx (%lx %lx %lx)", m.tag, m.peer,
		      m.w[0], m.w[1], m.w[2]);
	EXPECT(m.peer, tid);
	EXPECT(m.badge, CHILD_BADGE);	/* copied with badge 0: the badge it had */
	EXPECT(m.w[0], 7);
	m = (struct ipc_msg){ .tag = TAG(0x5b, 0), .peer = (uint64_t)tid };
	ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
	expect_script_end(&m, tid);

	for (i = 0; i < n; i++) {
		if ((long)rec[i]->ret[0] != d[i].error) {
			printf("FAIL: the child's call %d (nr %lu, a0 %lx) = %ld, want %ld\n", i,
			       d[i].nr, d[i].a[0], (long)rec[i]->ret[0], d[i].error);
			failures++;
		}
	}
	EXPECT(r_ep->ret[0], 1);
	EXPECT(r_copy->ret[0], 0);
	EXPECT(r_copy2->ret[0], 0);
	EXPECT(r_call->ret[0], TAG(0x5b, 0));
	EXPECT(r_call->ret[1], self_tid);

	/* The root's endpoint and pages are as they were. */
	EXPECT(ad_accessed(root_space, (uint64_t)root_page, 1, &dirty), 1);
	EXPECT(dirty, 1);
	EXPECT(k_cap_copy(SPACE_SELF, EMPTY_SLOT, SPACE_SELF, EMPTY_SLOT, 0), -E_BADSLOT);
	EXPECT(k_space_destroy(c.space), 0);
}

/*
 * Thread A (one space) calls endpoint E; thread B (another space) takes
 * the call and tells the root. The root's reply to A is refused - A waits
 * for B - and so is a second reply from B after its first.
 */
static void test_reply_to_other(void)
{
	struct child ca, cb;
	struct script *sa, *sb;
	struct kcall_rec *a_call, *b_wait, *b_tell, *b_reply, *b_again;
	struct ipc_msg m, wrong;
	long ep = k_endpoint_create(), a, b, first;

	EXPECT(ep > 0, 1);
	child_setup(&ca, 1);
	child_setup(&cb, 1);
	EXPECT(k_cap_copy(ca.space, 1, SPACE_SELF, (uint64_t)ep, 0), 0);
	EXPECT(k_cap_copy(cb.space, 1, SPACE_SELF, (uint64_t)ep, 0), 0);
	EXPECT(k_cap_copy(cb.space, 0, SPACE_SELF, ROOT_ENDPOINT_SLOT, SERVER_BADGE), 0);
	sa = child_script_page(&ca, CHILD_SCRIPT);
	sb = child_script_page(&cb, CHILD_SCRIPT);
	a_call = SCRIPT_ADD(sa, SYS_CALL, TAG(CLIENT_LABEL, 0), 0, 11, 12, 13, 14, 1);
	a = child_start(&ca, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
	b_wait = SCRIPT_ADD(sb, SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0, 1);
	b_tell = SCRIPT_ADD(sb, SYS_CALL, TAG(SERVER_LABEL, 0), 0, 0, 0, 0, 0, 0);
	b_reply = SCRIPT_ADD(sb, SYS_REPLY, TAG(ANSWER_LABEL, 0), (uint64_t)a, 21);
	b_again = SCRIPT_ADD(sb, SYS_REPLY, TAG(ANSWER_LABEL, 0), (uint64_t)a, 22);
	b = child_start(&cb, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);

	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag != TAG(SERVER_LABEL, 0) || m.peer != (uint64_t)b)
		FATAL("want B's word, got tag %lx from %lx", m.tag, m.peer);
	EXPECT(m.badge, SERVER_BADGE);
	EXPECT(b_wait->ret[0], TAG(CLIENT_LABEL, 0));
	EXPECT(b_wait->ret[1], a);
	wrong = (struct ipc_msg){ .tag = TAG(0xbad, 0), .peer = (uint64_t)a };
	EXPECT(ipc_reply(&wrong), -E_NOTHREAD);
	wrong.tag = TAG(FAULT_RETRY, 0);
	EXPECT(ipc_reply(&wrong), -E_NOTHREAD);
	ipc_reply_wait(ROOT_ENDPOINT_SLOT, &wrong);
	EXPECT(wrong.tag, -E_NOTHREAD);
	/* B replies to A and ends; A ends: two exceptions, in either order. */
	m = (struct ipc_msg){ .tag = TAG(1, 0), .peer = (uint64_t)b };
	ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
	first = m.peer == (uint64_t)a ? a : b;
	expect_script_end(&m, first);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_script_end(&m, first == a ? b : a);
	EXPECT(b_tell->ret[0], TAG(1, 0));
	EXPECT(b_reply->ret[0], 0);
	EXPECT(b_again->ret[0], -E_NOTHREAD);
	EXPECT(a_call->ret[0], TAG(ANSWER_LABEL, 0));
	EXPECT(a_call->ret[1], b);
	EXPECT(k_space_destroy(ca.space), 0);
	EXPECT(k_space_destroy(cb.space), 0);
}

/*
 * Badges: a server (the VM server) knows its clients by the badge of the
 * cap they call through, so a task must not mint itself another badge. A
 * badged cap copies only with its own badge (badge 0); an unbadged one -
 * an endpoint the task made itself - may get one. The root sees the calls
 * arrive with the badge it gave.
 */
static void test_badges(void)
{
	struct kcall_rec *forge, *forge_own, *keep, *make, *mint, *remint, *call_forged;
	struct kcall_rec *call_kept;
	struct child c;
	struct script *s;
	struct ipc_msg m;
	long tid;

	child_setup(&c, 1);
	s = child_script_page(&c, CHILD_SCRIPT);
	EXPECT(k_cap_copy(c.space, 0, SPACE_SELF, ROOT_ENDPOINT_SLOT, CHILD_BADGE), 0);
	forge = SCRIPT_ADD(s, SYS_CAP_COPY, SPACE_SELF, 6, SPACE_SELF, 0, SERVER_BADGE);
	forge_own = SCRIPT_ADD(s, SYS_CAP_COPY, (uint64_t)c.space, 0, SPACE_SELF, 0, 0x5ec);
	keep = SCRIPT_ADD(s, SYS_CAP_COPY, SPACE_SELF, 2, SPACE_SELF, 0, 0);
	make = SCRIPT_ADD(s, SYS_ENDPOINT_CREATE, 0);
	mint = SCRIPT_ADD(s, SYS_CAP_COPY, SPACE_SELF, 4, SPACE_SELF, 1, 0x44);
	remint = SCRIPT_ADD(s, SYS_CAP_COPY, SPACE_SELF, 5, SPACE_SELF, 4, 0x55);
	call_forged = SCRIPT_ADD(s, SYS_CALL, TAG(0x5a, 0), 0, 1, 0, 0, 0, 6);
	call_kept = SCRIPT_ADD(s, SYS_CALL, TAG(0x5a, 0), 0, 2, 0, 0, 0, 2);
	tid = child_start(&c, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, CHILD_BADGE);

	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag == TAG(0x5a, 0) && m.w[0] == 1) {	/* the forged cap worked */
		EXPECT(m.badge, CHILD_BADGE);
		m = (struct ipc_msg){ .tag = TAG(0x5b, 0), .peer = (uint64_t)tid };
		ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
	}
	if (m.tag != TAG(0x5a, 0) || m.w[0] != 2)
		FATAL("want the child's call, got tag %lx from %lx (%lx)", m.tag, m.peer, m.w[0]);
	EXPECT(m.badge, CHILD_BADGE);
	m = (struct ipc_msg){ .tag = TAG(0x5b, 0), .peer = (uint64_t)tid };
	ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
	expect_script_end(&m, tid);

	EXPECT(forge->ret[0], -E_PERM);
	EXPECT(forge_own->ret[0], -E_PERM);
	EXPECT(keep->ret[0], 0);
	EXPECT(make->ret[0], 1);
	EXPECT(mint->ret[0], 0);
	EXPECT(remint->ret[0], -E_PERM);
	EXPECT(call_forged->ret[0], -E_BADSLOT);
	EXPECT(call_kept->ret[0], TAG(0x5b, 0));
	EXPECT(k_space_destroy(c.space), 0);
}

void __start_c(struct boot_info *bi)
{
	ktest_init(bi);
	root_space = bi->self_space;
	self_tid = k_thread_self();
	test_denied();
	test_reply_to_other();
	test_badges();
	ktest_done("isolation");
}
