// expect-output: ktest context: ok
/*
 * SYS_CONTEXT_GET and SYS_CONTEXT_REPLY, the calls the VM server delivers
 * signals and sigreturn with. The root is the pager of a child space:
 *
 *  - T1 loads known values into all 31 registers and faults: GET gives
 *    exactly those and the fault's pc. REPLY with a pc outside user space
 *    is refused (E_RANGE) and changes nothing; REPLY at the very last user
 *    word faults there with the new registers; REPLY into code that stores
 *    every register into a page shows them all; REPLY into a bare ecall
 *    makes the child call us with the words we put in its registers; and a
 *    thread so blocked in SYS_CALL, resumed by REPLY, gets our registers,
 *    not those of an ordinary reply.
 *  - T2 calls an endpoint nobody listens on: queued, it is nobody's to
 *    GET; taken, it is, and a REPLY that keeps its context but changes a0
 *    and a1 is what its call returns. Its own GET/REPLY on the root, on
 *    itself, on T1 (waiting for the root), on id 0, before and after its
 *    call to the root, all get E_NOTHREAD and leave its buffer alone.
 *  - T3 calls T4: the root may not GET T3, it waits for T4; nor may T4,
 *    which does not manage T3's space (E_PERM).
 *  - T6 may not receive on its badged copy of the root's endpoint (E_PERM),
 *    so it cannot take T7's exception, nor GET or REPLY T7 (E_NOTHREAD).
 *  - Bad ids, ids of runnable threads, stale ids (their slot reused), and
 *    an IPC buffer that is missing, unmapped or read-only.
 */
#include "ktest.h"

#define FAULT_BADGE 0xfa17
#define CHILD_BADGE 0xc41d
#define CALL_LABEL  0xc0de
#define QUEUE_LABEL 0x9e9e
#define PEER_LABEL  0x3333
#define TELL_LABEL  0x7e11
#define HELLO_LABEL 0x4e11
#define ANSWER_LABEL 0x600d

/* The child's pages (besides CHILD_CODE and the script pages). */
#define CTX_CODE    0x11000UL		/* this file's child programs, R|X */
#define CTX_REGS    CHILD_DATA		/* what ctx_fault_prog loads */
#define CTX_DUMP    (CHILD_DATA + 0x1000)	/* where ctx_dump stores */
#define CTX_IPCBUF  (CHILD_DATA + 0x2000)	/* T2's IPC buffer */
#define CTX_IPCBUF2 (CHILD_DATA + 0x3000)	/* T4's IPC buffer */
#define CTX_IPCBUF3 (CHILD_DATA + 0x4000)	/* T6's IPC buffer */
#define CTX_HOLE    0x60000UL		/* never mapped in the child */

/* Never mapped in the root (its windows start at 128 GiB). */
#define ROOT_HOLE   0x1000000000UL

/* Its slots: 0 the root's endpoint, 1 and 2 two more endpoints of the root. */
#define SLOT_ROOT 0
#define SLOT_EP2  1
#define SLOT_EP3  2

#define X(reg) ((reg) - 1)		/* x[] index of register x<reg> */
#define XS0 X(8)
#define XS1 X(9)
#define XGP X(3)
#define XA(n) (UCTX_A0 + (n))

/*
 * The programs (position-independent, copied to CTX_CODE):
 *   ctx_fault_prog(a0 = page)  loads x1..x31 from page[0..30] (a0 last),
 *                              then stores to the address in a0: a fault.
 *   ctx_dump                   stores x1..x31 to [gp + 8 * (n - 1)], then
 *                              executes an illegal instruction.
 *   ctx_ecall                  an ecall with whatever registers it has.
 */
__asm__(
	"	.pushsection .text.ctx_child, \"ax\", @progbits\n"
	"	.balign	4\n"
	"	.globl	ctx_child, ctx_fault_prog, ctx_fault_pc, ctx_dump, ctx_dump_end\n"
	"	.globl	ctx_ecall, ctx_ecall_ret, ctx_child_end\n"
	"ctx_child:\n"
	"ctx_fault_prog:\n"
	"	.irp	n, 1,2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	ld	x\\n, ((\\n - 1) * 8)(x10)\n"
	"	.endr\n"
	"	ld	x10, 72(x10)\n"
	"ctx_fault_pc:\n"
	"	sd	x0, 0(x10)\n"
	"	.4byte	0\n"
	"ctx_dump:\n"
	"	.irp	n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	sd	x\\n, ((\\n - 1) * 8)(x3)\n"
	"	.endr\n"
	"ctx_dump_end:\n"
	"	.4byte	0\n"
	"	.balign	4\n"
	"ctx_ecall:\n"
	"	.option	push\n"
	"	.option	norvc\n"
	"	ecall\n"
	"	.option	pop\n"
	"ctx_ecall_ret:\n"
	"	.4byte	0\n"
	"ctx_child_end:\n"
	"	.popsection\n");

extern char ctx_child[], ctx_fault_prog[], ctx_fault_pc[], ctx_dump[], ctx_dump_end[];
extern char ctx_ecall[], ctx_ecall_ret[], ctx_child_end[];

#define CTX_PC(label) (CTX_CODE + (uint64_t)((label) - ctx_child))

static struct child c;
static long self_tid, t1, t2, t3, t4, t6;
static long ep2, ep3;			/* the root's slots of the two endpoints */
static uint64_t regs_pa, dump_pa, ipcbuf_pa, ipcbuf2_pa, ipcbuf3_pa;

/* Register values no one would get by chance: seed, register number, salt. */
static void fill_values(struct user_context *u, uint64_t seed)
{
	int i;

	for (i = 0; i < 31; i++)
		u->x[i] = seed << 48 | (uint64_t)(i + 1) << 40 | (uint64_t)(i + 1) << 32 |
			  (0x5a5a5a5aUL ^ seed * 0x1010101UL);
	u->pc = 0;
}

/* GET into *out (the buffer first filled with junk, so that stale data shows). */
static long get_ctx(long tid, struct user_context *out)
{
	long error;

	memset(ipc_buffer, 0xa5, sizeof(*out));
	error = k_context_get((uint64_t)tid);
	memcpy(out, ipc_buffer, sizeof(*out));
	return error;
}

static long reply_ctx(long tid, const struct user_context *in)
{
	memcpy(ipc_buffer, in, sizeof(*in));
	return k_context_reply((uint64_t)tid);
}

/* Counts a failure for every register (and the pc) that is not as wanted. */
static void expect_regs(const char *what, const uint64_t *got, const uint64_t *want,
			int first, int last)
{
	int i;

	for (i = first; i <= last; i++) {
		if (got[i] != want[i]) {
			printf("FAIL %s: x%d = %#lx, want %#lx\n", what, i + 1, got[i], want[i]);
			failures++;
		}
	}
}

static void expect_ctx(const char *what, const struct user_context *got,
		       const struct user_context *want)
{
	expect_regs(what, got->x, want->x, 0, 30);
	if (got->pc != want->pc) {
		printf("FAIL %s: pc = %#lx, want %#lx\n", what, got->pc, want->pc);
		failures++;
	}
}

/* Both calls on `tid` are refused as not waiting for us. */
static void expect_not_ours(long tid)
{
	struct user_context u;

	fill_values(&u, 0xee);
	u.pc = CTX_PC(ctx_dump);
	EXPECT(get_ctx(tid, &u), -E_NOTHREAD);
	EXPECT(reply_ctx(tid, &u), -E_NOTHREAD);
}

/* Stops the test unless m is tid's illegal instruction at pc. */
static void expect_exception(const struct ipc_msg *m, long tid, uint64_t pc)
{
	if (m->tag != TAG(MSG_EXCEPTION, 0) || m->peer != (uint64_t)tid ||
	    m->w[0] != SCAUSE_ILLEGAL || m->w[2] != pc)
		FATAL("want an exception of %lx at %lx; got tag %lx from %lx: %lx %lx %lx %lx",
		      tid, pc, m->tag, m->peer, m->w[0], m->w[1], m->w[2], m->w[3]);
}

/* Lets the children run until one of them has stored *result (a script's). */
static void yield_until(volatile uint64_t *result)
{
	int i;

	for (i = 0; i < 1000 && *result == 0xdead; i++)
		k_yield();
	if (*result == 0xdead)
		FATAL("a child script never got that far");
}

static void map_page(uint64_t va_perm, uint64_t pa)
{
	long error = k_map(c.space, va_perm, pa, 0);

	if (error != 0)
		FATAL("cannot map %lx: %ld", va_perm, error);
}

/* The child space: both programs, the data pages, three caps to us. */
static void setup(void)
{
	uint64_t code_pa;

	child_setup(&c, 1);
	code_pa = new_frame();
	memcpy(window(code_pa), ctx_child, (size_t)(ctx_child_end - ctx_child));
	__asm__ volatile("fence.i" ::: "memory");
	map_page(CTX_CODE | PERM_R | PERM_X, code_pa);
	regs_pa = new_frame();
	dump_pa = new_frame();
	ipcbuf_pa = new_frame();
	ipcbuf2_pa = new_frame();
	ipcbuf3_pa = new_frame();
	map_page(CTX_REGS | PERM_R | PERM_W, regs_pa);
	map_page(CTX_DUMP | PERM_R | PERM_W, dump_pa);
	map_page(CTX_IPCBUF | PERM_R | PERM_W, ipcbuf_pa);
	map_page(CTX_IPCBUF2 | PERM_R | PERM_W, ipcbuf2_pa);
	map_page(CTX_IPCBUF3 | PERM_R | PERM_W, ipcbuf3_pa);
	if ((ep2 = k_endpoint_create()) <= 0 || (ep3 = k_endpoint_create()) <= 0)
		FATAL("k_endpoint_create: %ld %ld", ep2, ep3);
	EXPECT(k_cap_copy(c.space, SLOT_ROOT, SPACE_SELF, ROOT_ENDPOINT_SLOT, CHILD_BADGE), 0);
	EXPECT(k_cap_copy(c.space, SLOT_EP2, SPACE_SELF, (uint64_t)ep2, 0), 0);
	EXPECT(k_cap_copy(c.space, SLOT_EP3, SPACE_SELF, (uint64_t)ep3, 0), 0);
}

/* Ids that name no thread waiting for us, with nothing waiting at all. */
static void test_bad_ids(void)
{
	expect_not_ours(0);
	expect_not_ours(self_tid);			/* running: us */
	expect_not_ours(self_tid | 1UL << 32);
	expect_not_ours(self_tid + (1 << 16));	/* another generation of our slot */
	expect_not_ours(0xffff);
	expect_not_ours(257);			/* past the kernel's 256 threads */
	expect_not_ours(-1L);
	expect_not_ours(1L << 63);
}

/*
 * T1 faults with known registers. The buffer errors, GET, refused and
 * accepted REPLYs: see the top of the file.
 */
static void test_fault(void)
{
	struct user_context v1, v2, v3, v4, u, bad;
	struct ipc_msg m;
	uint64_t dump[31];

	fill_values(&v1, 1);
	v1.x[XA(0)] = CTX_HOLE + 0x238;
	v1.pc = CTX_PC(ctx_fault_pc);
	memcpy(window(regs_pa), v1.x, sizeof(v1.x));
	t1 = k_thread_create(c.space, CTX_PC(ctx_fault_prog), CHILD_STACK, CTX_REGS,
			     ROOT_ENDPOINT_SLOT, FAULT_BADGE);
	if (t1 <= 0)
		FATAL("k_thread_create = %ld", t1);
	expect_not_ours(t1);			/* runnable, not yet run */

	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag != TAG(MSG_PAGE_FAULT, 0) || m.peer != (uint64_t)t1 ||
	    m.w[0] != CTX_HOLE + 0x238 || m.w[1] != PERM_W || m.w[2] != v1.pc)
		FATAL("want T1's store fault at %lx; got tag %lx from %lx: %lx %lx %lx",
		      v1.pc, m.tag, m.peer, m.w[0], m.w[1], m.w[2]);

	/* No buffer, an unmapped one, a read-only one (for GET): E_FAULT. */
	fill_values(&u, 2);
	u.pc = CTX_PC(ctx_dump);
	memcpy(ipc_buffer, &u, sizeof(u));
	EXPECT(k_set_ipc_buffer(NULL), 0);
	EXPECT(k_context_get((uint64_t)t1), -E_FAULT);
	EXPECT(k_context_reply((uint64_t)t1), -E_FAULT);
	EXPECT(k_set_ipc_buffer((void *)ROOT_HOLE), 0);
	EXPECT(k_context_get((uint64_t)t1), -E_FAULT);
	EXPECT(k_context_reply((uint64_t)t1), -E_FAULT);
	EXPECT(k_set_ipc_buffer(ktest_bi), 0);	/* the boot_info page: read-only */
	EXPECT(k_context_get((uint64_t)t1), -E_FAULT);
	EXPECT(k_set_ipc_buffer(ipc_buffer), 0);
	/* Ids near T1's that are not T1's. */
	expect_not_ours(t1 | 1UL << 32);
	expect_not_ours(t1 + (1 << 16));
	expect_not_ours(t1 - (1 << 16));

	/* Exactly its registers, and the fault's pc. */
	EXPECT(get_ctx(t1, &u), 0);
	expect_ctx("GET at T1's fault", &u, &v1);

	/* A pc outside user space: refused, nothing changes, it still waits. */
	fill_values(&bad, 9);
	bad.x[XGP] = CTX_DUMP;
	bad.pc = USER_SPACE_END;
	EXPECT(reply_ctx(t1, &bad), -E_RANGE);
	bad.pc = -4UL;
	EXPECT(reply_ctx(t1, &bad), -E_RANGE);
	bad.pc = 0xffffffff80200000UL;	/* the kernel's text */
	EXPECT(reply_ctx(t1, &bad), -E_RANGE);
	bad.pc = 1UL << 63 | CTX_PC(ctx_dump);
	EXPECT(reply_ctx(t1, &bad), -E_RANGE);
	EXPECT(get_ctx(t1, &u), 0);
	expect_ctx("GET after refused REPLYs", &u, &v1);

	/*
	 * The last word of user space is a good pc: it runs there (and faults,
	 * nothing being mapped) with the new registers.
	 */
	fill_values(&v2, 2);
	v2.x[XGP] = CTX_DUMP;
	v2.pc = USER_SPACE_END - 4;
	EXPECT(reply_ctx(t1, &v2), 0);
	expect_not_ours(t1);			/* runnable now */
	m = (struct ipc_msg){ .tag = TAG(FAULT_RETRY, 0), .peer = (uint64_t)t1 };
	EXPECT(ipc_reply(&m), -E_NOTHREAD);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag != TAG(MSG_PAGE_FAULT, 0) || m.peer != (uint64_t)t1 ||
	    m.w[0] != USER_SPACE_END - 4 || m.w[1] != PERM_X || m.w[2] != USER_SPACE_END - 4)
		FATAL("want T1's fetch fault at the top of user space; got tag %lx from %lx: "
		      "%lx %lx %lx", m.tag, m.peer, m.w[0], m.w[1], m.w[2]);
	EXPECT(m.badge, FAULT_BADGE);
	EXPECT(get_ctx(t1, &u), 0);
	expect_ctx("GET at the top of user space", &u, &v2);

	/* Into ctx_dump: it stores what we gave it. */
	v2.pc = CTX_PC(ctx_dump);
	EXPECT(reply_ctx(t1, &v2), 0);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_exception(&m, t1, CTX_PC(ctx_dump_end));
	memcpy(dump, window(dump_pa), sizeof(dump));
	expect_regs("T1's registers after REPLY", dump, v2.x, 0, 30);
	v2.pc = CTX_PC(ctx_dump_end);
	EXPECT(get_ctx(t1, &u), 0);
	expect_ctx("GET at ctx_dump_end", &u, &v2);

	/* Into a bare ecall: a call to us, with our words. */
	fill_values(&v3, 3);
	v3.x[XA(0)] = TAG(CALL_LABEL, 0);
	v3.x[XA(6)] = SLOT_ROOT;
	v3.x[XA(7)] = SYS_CALL;
	v3.pc = CTX_PC(ctx_ecall);
	EXPECT(reply_ctx(t1, &v3), 0);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag != TAG(CALL_LABEL, 0) || m.peer != (uint64_t)t1)
		FATAL("want T1's call; got tag %lx from %lx", m.tag, m.peer);
	EXPECT(m.badge, CHILD_BADGE);
	EXPECT(m.w[0], v3.x[XA(2)]);
	EXPECT(m.w[1], v3.x[XA(3)]);
	EXPECT(m.w[2], v3.x[XA(4)]);
	EXPECT(m.w[3], v3.x[XA(5)]);
	/* Blocked in SYS_CALL, it has the registers it called with, past the ecall. */
	v3.pc = CTX_PC(ctx_ecall_ret);
	EXPECT(get_ctx(t1, &u), 0);
	expect_ctx("GET of T1 in its call", &u, &v3);

	/*
	 * REPLY in place of the call's reply: every register is ours - a0..a6
	 * are not the tag, our id, the words and badge 0 a reply would give.
	 */
	memset(window(dump_pa), 0, 4096);
	fill_values(&v4, 4);
	v4.x[XGP] = CTX_DUMP;
	v4.pc = CTX_PC(ctx_dump);
	EXPECT(reply_ctx(t1, &v4), 0);
	expect_not_ours(t1);
	m = (struct ipc_msg){ .tag = TAG(ANSWER_LABEL, 0), .peer = (uint64_t)t1 };
	EXPECT(ipc_reply(&m), -E_NOTHREAD);	/* answered already */
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_exception(&m, t1, CTX_PC(ctx_dump_end));
	memcpy(dump, window(dump_pa), sizeof(dump));
	expect_regs("T1's registers after REPLY to its call", dump, v4.x, 0, 30);
	/* T1 stays waiting for us, in its exception, for T2 to try. */
}

/*
 * T2's script: hello to the root (which holds it there while it puts T2's
 * own id into the script: the tick could otherwise run it into a record
 * half written), its buffer, who it is, a call to ep2 (queued, then taken
 * and answered by REPLY), GET/REPLY on the root, itself, T1 and id 0, a
 * call to the root, then the root again.
 */
static struct kcall_rec *r_hello, *r_self, *r_queued, *r_call, *r_denied[12], *r_on_self[2];
static int ndenied;

static void t2_script(struct script *s)
{
	const uint64_t before[] = { (uint64_t)self_tid, 0 /* T2 */, (uint64_t)t1, 0 };
	unsigned i;

	r_hello = SCRIPT_ADD(s, SYS_CALL, TAG(HELLO_LABEL, 0), 0, 0, 0, 0, 0, SLOT_ROOT);
	SCRIPT_ADD(s, SYS_SET_IPC_BUFFER, CTX_IPCBUF);
	r_self = SCRIPT_ADD(s, SYS_THREAD_SELF, 0);
	r_queued = SCRIPT_ADD(s, SYS_CALL, TAG(QUEUE_LABEL, 0), 0, 21, 22, 23, 24, SLOT_EP2);
	for (i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
		if (i == 1) {
			r_on_self[0] = SCRIPT_ADD(s, SYS_CONTEXT_GET, 0, 0);
			r_on_self[1] = SCRIPT_ADD(s, SYS_CONTEXT_REPLY, 0, 0);
			r_denied[ndenied++] = r_on_self[0];
			r_denied[ndenied++] = r_on_self[1];
			continue;
		}
		r_denied[ndenied++] = SCRIPT_ADD(s, SYS_CONTEXT_GET, 0, before[i]);
		r_denied[ndenied++] = SCRIPT_ADD(s, SYS_CONTEXT_REPLY, 0, before[i]);
	}
	r_call = SCRIPT_ADD(s, SYS_CALL, TAG(TELL_LABEL, 0), 0, 31, 32, 33, 34, SLOT_ROOT);
	r_denied[ndenied++] = SCRIPT_ADD(s, SYS_CONTEXT_GET, 0, (uint64_t)self_tid);
	r_denied[ndenied++] = SCRIPT_ADD(s, SYS_CONTEXT_REPLY, 0, (uint64_t)self_tid);
}

static void test_queued_call(void)
{
	struct script *s = child_script_page(&c, CHILD_SCRIPT);
	struct user_context u, want, *buf = window(ipcbuf_pa);
	struct ipc_msg m;
	int i;

	/* Its buffer holds a context REPLY would accept, were it allowed. */
	fill_values(buf, 7);
	buf->x[XGP] = CTX_DUMP;
	buf->pc = CTX_PC(ctx_dump);
	want = *buf;
	t2_script(s);
	t2 = child_start(&c, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, FAULT_BADGE);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag != TAG(HELLO_LABEL, 0) || m.peer != (uint64_t)t2)
		FATAL("want T2's hello; got tag %lx from %lx", m.tag, m.peer);
	r_on_self[0]->a[1] = r_on_self[1]->a[1] = (uint64_t)t2;
	m = (struct ipc_msg){ .tag = TAG(ANSWER_LABEL, 0), .peer = (uint64_t)t2 };
	EXPECT(ipc_reply(&m), 0);

	/*
	 * It runs until its call to ep2, where nobody receives: queued. (The
	 * tick may take the CPU from it on the way: we yield until it has.)
	 */
	yield_until(&r_self->ret[0]);
	for (i = 0; i < 8; i++)
		EXPECT(k_yield(), 0);
	EXPECT(r_self->ret[0], t2);
	if (r_queued->ret[0] != 0xdead)
		FATAL("T2's call to ep2 returned %lx", r_queued->ret[0]);
	expect_not_ours(t2);

	/* Taken: ours to GET. It called from the script's ecall. */
	wait_msg((uint64_t)ep2, &m);
	if (m.tag != TAG(QUEUE_LABEL, 0) || m.peer != (uint64_t)t2)
		FATAL("want T2's call on ep2; got tag %lx from %lx", m.tag, m.peer);
	EXPECT(m.w[0], 21);
	EXPECT(m.w[3], 24);
	EXPECT(get_ctx(t2, &u), 0);
	EXPECT(u.pc, CHILD_PC(ktest_script_store));
	EXPECT(u.x[XS0], (uint64_t)&((struct script *)CHILD_SCRIPT)->rec[3]);
	EXPECT(u.x[XS1], s->count - 3);
	EXPECT(u.x[UCTX_SP], CHILD_STACK);

	/* Its own context back, but for a0 and a1: what its call returns. */
	u.x[XA(0)] = 0xa0a0a0a0a0UL;
	u.x[XA(1)] = 0xa1a1a1a1a1UL;
	EXPECT(reply_ctx(t2, &u), 0);
	expect_not_ours(t2);

	/* Its call to the root, after the denied calls: an ordinary reply. */
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	if (m.tag != TAG(TELL_LABEL, 0) || m.peer != (uint64_t)t2)
		FATAL("want T2's call; got tag %lx from %lx (%lx)", m.tag, m.peer, m.w[0]);
	EXPECT(m.badge, CHILD_BADGE);
	EXPECT(m.w[0], 31);
	m = (struct ipc_msg){ .tag = TAG(ANSWER_LABEL, 0), .peer = (uint64_t)t2, .w = { 41 } };
	ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
	expect_script_end(&m, t2);

	EXPECT(r_hello->ret[0], TAG(ANSWER_LABEL, 0));
	EXPECT(r_queued->ret[0], 0xa0a0a0a0a0UL);
	EXPECT(r_queued->ret[1], 0xa1a1a1a1a1UL);
	EXPECT(r_call->ret[0], TAG(ANSWER_LABEL, 0));
	EXPECT(r_call->ret[1], self_tid);
	for (i = 0; i < ndenied; i++) {
		if ((long)r_denied[i]->ret[0] != -E_NOTHREAD) {
			printf("FAIL: T2's call %d (nr %lu, peer %lx) = %ld, want %d\n", i,
			       r_denied[i]->nr, r_denied[i]->a[1], (long)r_denied[i]->ret[0],
			       -E_NOTHREAD);
			failures++;
		}
	}
	/* Its buffer is as it was: no GET wrote it. */
	expect_regs("T2's buffer", buf->x, want.x, 0, 30);
	EXPECT(buf->pc, want.pc);
	/* T1 still waits for us: nothing T2 did resumed it. */
	EXPECT(get_ctx(t1, &u), 0);
	EXPECT(u.pc, CTX_PC(ctx_dump_end));
}

/*
 * T3 calls T4 on ep3. T3 waits for T4, not for us: E_NOTHREAD. And T4,
 * which took the call, does not manage T3's space: its GET is refused
 * (E_PERM), its buffer left alone - a thread's registers are its pager's.
 */
static void test_other_replier(void)
{
	struct script *s3 = child_script_page(&c, CHILD_SCRIPT + 0x1000);
	struct script *s4 = child_script_page(&c, CHILD_SCRIPT + 0x2000);
	struct kcall_rec *r_wait, *r_get, *r_reply;
	struct user_context *buf = window(ipcbuf2_pa), want;
	struct ipc_msg m;

	fill_values(buf, 8);
	buf->pc = CHILD_PC(ktest_touch_end);
	want = *buf;
	SCRIPT_ADD(s3, SYS_CALL, TAG(PEER_LABEL, 0), 0, 1, 2, 3, 4, SLOT_EP3);
	t3 = child_start(&c, CHILD_SCRIPT + 0x1000, ROOT_ENDPOINT_SLOT, FAULT_BADGE);
	SCRIPT_ADD(s4, SYS_SET_IPC_BUFFER, CTX_IPCBUF2);
	r_wait = SCRIPT_ADD(s4, SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0, SLOT_EP3);
	r_get = SCRIPT_ADD(s4, SYS_CONTEXT_GET, 0, (uint64_t)t3);
	r_reply = SCRIPT_ADD(s4, SYS_CONTEXT_REPLY, 0, (uint64_t)t3);
	t4 = child_start(&c, CHILD_SCRIPT + 0x2000, ROOT_ENDPOINT_SLOT, FAULT_BADGE);

	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_script_end(&m, t4);
	EXPECT(r_wait->ret[0], TAG(PEER_LABEL, 0));
	EXPECT(r_wait->ret[1], t3);
	EXPECT(r_get->ret[0], -E_PERM);
	EXPECT(r_reply->ret[0], -E_PERM);
	expect_regs("T4's buffer", buf->x, want.x, 0, 30);
	EXPECT(buf->pc, want.pc);

	expect_not_ours(t3);
	m = (struct ipc_msg){ .tag = TAG(ANSWER_LABEL, 0), .peer = (uint64_t)t3 };
	EXPECT(ipc_reply(&m), -E_NOTHREAD);
}

/*
 * A badged cap may send but not receive: T6 tries to wait on its (badged)
 * copy of the root's endpoint - which would hand it the exception of T7, a
 * thread of another space - and is refused (E_PERM). Then T7 waits for
 * nobody but the endpoint's real receiver, so T6 can neither read nor
 * replace its registers nor answer it; the root, which receives both T7's
 * exception and T6's end, can.
 */
static void test_stolen_fault(void)
{
	struct script *s6 = child_script_page(&c, CHILD_SCRIPT + 0x3000);
	struct kcall_rec *r_wait, *r_get, *r_reply, *r_answer;
	struct user_context *buf = window(ipcbuf3_pa), want, u;
	int got_t6 = 0, got_t7 = 0, i;
	struct child c3;
	struct ipc_msg m;
	long t7;

	fill_values(buf, 6);
	buf->pc = CHILD_PC(ktest_touch_end);
	want = *buf;
	child_setup(&c3, 1);
	t7 = k_thread_create(c3.space, CHILD_PC(ktest_script_end), CHILD_STACK, 0,
			     ROOT_ENDPOINT_SLOT, FAULT_BADGE);
	if (t7 <= 0)
		FATAL("k_thread_create = %ld", t7);
	SCRIPT_ADD(s6, SYS_SET_IPC_BUFFER, CTX_IPCBUF3);
	r_wait = SCRIPT_ADD(s6, SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0, SLOT_ROOT);
	r_get = SCRIPT_ADD(s6, SYS_CONTEXT_GET, 0, (uint64_t)t7);
	r_reply = SCRIPT_ADD(s6, SYS_CONTEXT_REPLY, 0, (uint64_t)t7);
	r_answer = SCRIPT_ADD(s6, SYS_REPLY, TAG(FAULT_RETRY, 0), (uint64_t)t7);
	t6 = child_start(&c, CHILD_SCRIPT + 0x3000, ROOT_ENDPOINT_SLOT, FAULT_BADGE);

	yield_until(&r_answer->ret[0]);
	EXPECT(r_wait->ret[0], -E_PERM);	/* badged: no receiving */
	EXPECT(r_get->ret[0], -E_NOTHREAD);
	EXPECT(r_reply->ret[0], -E_NOTHREAD);
	EXPECT(r_answer->ret[0], -E_NOTHREAD);
	expect_regs("T6's buffer", buf->x, want.x, 0, 30);
	EXPECT(buf->pc, want.pc);
	for (i = 0; i < 2; i++) {		/* both come to the root, in some order */
		wait_msg(ROOT_ENDPOINT_SLOT, &m);
		if (m.peer == (uint64_t)t7 && m.tag == TAG(MSG_EXCEPTION, 0)) {
			got_t7++;
		} else {
			expect_script_end(&m, t6);
			got_t6++;
		}
	}
	EXPECT(got_t7, 1);
	EXPECT(got_t6, 1);
	EXPECT(get_ctx(t7, &u), 0);		/* T7 waits for us now */
	EXPECT(u.pc, CHILD_PC(ktest_script_end));
	EXPECT(k_space_destroy(c3.space), 0);
	expect_not_ours(t7);
	EXPECT(get_ctx(t6, &u), 0);		/* T6 itself is ours */
	EXPECT(u.pc, CHILD_PC(ktest_script_end));
}

/*
 * Destroyed, the space's threads go stale; a new thread takes a freed
 * slot, and while it waits for us, its slot's other generations are not it.
 */
static void test_stale(void)
{
	struct child c2;
	struct user_context u;
	struct ipc_msg m;
	long t5, index;

	EXPECT(k_space_destroy(c.space), 0);
	expect_not_ours(t1);
	expect_not_ours(t2);
	expect_not_ours(t3);
	expect_not_ours(t4);
	expect_not_ours(t6);

	child_setup(&c2, 1);
	t5 = k_thread_create(c2.space, CHILD_PC(ktest_script_end), CHILD_STACK, 0,
			     ROOT_ENDPOINT_SLOT, FAULT_BADGE);
	if (t5 <= 0)
		FATAL("k_thread_create = %ld", t5);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_script_end(&m, t5);
	EXPECT(get_ctx(t5, &u), 0);
	EXPECT(u.pc, CHILD_PC(ktest_script_end));
	index = t5 & 0xffff;
	if (index == (t1 & 0xffff) || index == (t2 & 0xffff) || index == (t3 & 0xffff) ||
	    index == (t4 & 0xffff) || index == (t6 & 0xffff))
		printf("ktest context: T5 %lx reuses the slot of a dead thread\n", t5);
	expect_not_ours(t1);
	expect_not_ours(t5 - (1 << 16));
	expect_not_ours(t5 + (1 << 16));
	expect_not_ours(t5 | 1UL << 32);
	expect_not_ours(t5 | 1UL << 63);
	EXPECT(get_ctx(t5, &u), 0);		/* and it is still ours */
	EXPECT(k_space_destroy(c2.space), 0);
	expect_not_ours(t5);
}

void __start_c(struct boot_info *bi)
{
	ktest_init(bi);
	self_tid = k_thread_self();
	test_bad_ids();
	setup();
	test_fault();
	test_queued_call();
	test_other_replier();
	test_stolen_fault();
	test_stale();
	ktest_done("context");
}
