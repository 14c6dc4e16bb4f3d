// expect-output: ktest endpoints: ok
/*
 * SYS_CAP_CLEAR, and what an endpoint does when nobody can receive on it
 * any more (its unbadged caps are gone, the server's space with them):
 *
 *   args      a slot past the end, an empty slot: E_BADSLOT; no such space:
 *             E_NOSPACE.
 *   orphan    a call through a badged cap whose endpoint has no unbadged
 *             cap left ends at once with E_NORECEIVER, not waiting forever;
 *             with the last cap gone the slot is empty (E_BADSLOT).
 *   senders   a child queued to send stays queued while some unbadged cap
 *             is left (a copy of ours), gets its message taken through it,
 *             and its next call ends with E_NORECEIVER when that copy goes.
 *   receiver  a child waiting to receive on its unbadged cap stays waiting
 *             while we clear ours, and gets E_NORECEIVER when its manager
 *             (we) clears the child's own slot.
 *   replies   a reply-and-wait to a thread that waits for no reply from us
 *             (no such thread, ourselves) ends at once with E_NOTHREAD, its
 *             message in registers or with a buffer, and waits for nothing.
 *   reuse     endpoints come back with their last cap: far more create and
 *             clear rounds than the kernel has endpoints.
 */
#include "ktest.h"

#define SLOT_A 5
#define SLOT_B 6
#define CHILD_SLOT 1
#define CHILD_BADGE 9
#define LABEL_HELLO 42
#define LABEL_ANSWER 7
#define ROUNDS 400		/* the kernel has 128 endpoints */

static long new_endpoint(void)
{
	long slot = k_endpoint_create();

	if (slot < 0)
		FATAL("k_endpoint_create = %ld", slot);
	return slot;
}

static void test_args(void)
{
	EXPECT(k_cap_clear(SPACE_SELF, 16), -E_BADSLOT);
	EXPECT(k_cap_clear(SPACE_SELF, -1UL), -E_BADSLOT);
	EXPECT(k_cap_clear(SPACE_SELF, EMPTY_SLOT), -E_BADSLOT);
	EXPECT(k_cap_clear(ktest_bi->self_space + 1, 1), -E_NOSPACE);
	EXPECT(ipc_call_empty(EMPTY_SLOT, 1), -E_BADSLOT);	/* still empty */
}

static void test_orphan(void)
{
	long e = new_endpoint();

	EXPECT(k_cap_copy(SPACE_SELF, SLOT_B, SPACE_SELF, (uint64_t)e, CHILD_BADGE), 0);
	EXPECT(k_cap_clear(SPACE_SELF, (uint64_t)e), 0);
	EXPECT(ipc_call_empty(SLOT_B, LABEL_HELLO), -E_NORECEIVER);
	EXPECT(k_cap_clear(SPACE_SELF, SLOT_B), 0);
	EXPECT(ipc_call_empty(SLOT_B, LABEL_HELLO), -E_BADSLOT);
}

/* A child whose script is `calls` calls on CHILD_SLOT, a cap to endpoint e. */
static long start_caller(struct child *c, long e, struct kcall_rec **rec, int calls)
{
	struct script *s;
	int i;

	child_setup(c, 1);
	EXPECT(k_cap_copy((uint64_t)c->space, CHILD_SLOT, SPACE_SELF, (uint64_t)e, CHILD_BADGE),
	       0);
	s = child_script_page(c, CHILD_SCRIPT);
	for (i = 0; i < calls; i++)
		rec[i] = SCRIPT_ADD(s, SYS_CALL, TAG(LABEL_HELLO, 0), 0, 0, 0, 0, 0, CHILD_SLOT);
	return child_start(c, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
}

static void test_senders(void)
{
	struct kcall_rec *rec[2];
	struct child c;
	struct ipc_msg m;
	long e = new_endpoint(), tid;

	tid = start_caller(&c, e, rec, 2);
	k_yield();			/* it queues: nobody receives on e */
	EXPECT(rec[0]->ret[0], 0xdead);
	EXPECT(k_cap_copy(SPACE_SELF, SLOT_A, SPACE_SELF, (uint64_t)e, 0), 0);
	EXPECT(k_cap_clear(SPACE_SELF, (uint64_t)e), 0);
	k_yield();
	EXPECT(rec[0]->ret[0], 0xdead);	/* SLOT_A can still receive: it waits on */

	wait_msg(SLOT_A, &m);
	EXPECT(m.tag, TAG(LABEL_HELLO, 0));
	EXPECT(m.peer, tid);
	EXPECT(m.badge, CHILD_BADGE);
	m = (struct ipc_msg){ .tag = TAG(LABEL_ANSWER, 0), .peer = (uint64_t)tid };
	EXPECT(ipc_reply(&m), 0);
	k_yield();			/* its second call queues */
	EXPECT(rec[0]->ret[0], TAG(LABEL_ANSWER, 0));
	EXPECT(rec[1]->ret[0], 0xdead);

	EXPECT(k_cap_clear(SPACE_SELF, SLOT_A), 0);
	wait_script_end(ROOT_ENDPOINT_SLOT, tid);
	EXPECT(rec[1]->ret[0], -E_NORECEIVER);
	EXPECT(k_space_destroy(c.space), 0);
}

static void test_receiver(void)
{
	struct kcall_rec *wait;
	struct script *s;
	struct child c;
	long e = new_endpoint(), tid;

	child_setup(&c, 1);
	EXPECT(k_cap_copy((uint64_t)c.space, CHILD_SLOT, SPACE_SELF, (uint64_t)e, 0), 0);
	s = child_script_page(&c, CHILD_SCRIPT);
	wait = SCRIPT_ADD(s, SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0, CHILD_SLOT);
	tid = child_start(&c, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
	k_yield();			/* it waits for a message */
	EXPECT(k_cap_clear(SPACE_SELF, (uint64_t)e), 0);
	k_yield();
	EXPECT(wait->ret[0], 0xdead);	/* its own cap can still receive */
	EXPECT(k_cap_clear((uint64_t)c.space, CHILD_SLOT), 0);
	wait_script_end(ROOT_ENDPOINT_SLOT, tid);
	EXPECT(wait->ret[0], -E_NORECEIVER);
	EXPECT(k_space_destroy(c.space), 0);
}

/* A reply-and-wait whose reply cannot go returns its error at once, waiting for nothing. */
static void test_reply_errors(void)
{
	uint64_t peers[] = { 0x7fff, k_thread_self(), -1UL };
	struct ipc_msg m;
	unsigned i;

	for (i = 0; i < sizeof(peers) / sizeof(peers[0]); i++) {
		m = (struct ipc_msg){ .tag = TAG(LABEL_ANSWER, 0), .peer = peers[i] };
		ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
		EXPECT((long)m.tag, -E_NOTHREAD);
		m = (struct ipc_msg){ .tag = TAG(LABEL_ANSWER, 8), .peer = peers[i] };
		ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
		EXPECT((long)m.tag, -E_NOTHREAD);
	}
}

static void test_reuse(void)
{
	int i;

	for (i = 0; i < ROUNDS; i++) {
		long e = k_endpoint_create();

		if (e < 0 || k_cap_copy(SPACE_SELF, SLOT_B, SPACE_SELF, (uint64_t)e, 3) != 0 ||
		    k_cap_clear(SPACE_SELF, (uint64_t)e) != 0 ||
		    k_cap_clear(SPACE_SELF, SLOT_B) != 0) {
			FATAL("round %d: endpoint %ld", i, e);
		}
	}
}

void __start_c(struct boot_info *bi)
{
	ktest_init(bi);
	test_args();
	test_orphan();
	test_senders();
	test_receiver();
	test_reply_errors();
	test_reuse();
	ktest_done("endpoints");
}
