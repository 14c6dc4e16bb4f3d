// expect-output: ktest deadline: ok
/*
 * SYS_SET_DEADLINE: a receive that would block past the deadline ends with
 * -E_TIMEOUT, once; a message that comes first is delivered and leaves the
 * deadline armed; 0 disarms it. And the device pages boot_info names (the
 * virtio-mmio transports) may be mapped by the root task, but no other
 * page outside the pool - and the kernel does not read them on its behalf.
 */
#include "ktest.h"

#define CHILD_CALL_SLOT 1	/* the child's cap to the root's endpoint */
#define CHILD_BADGE 7
#define LABEL_HELLO 42
#define DEVICE_VA 0x1000000000UL	/* free in the root: 64 GiB up */
#define VIRTIO_MAGIC 0x74726976		/* "virt" */
#define UART_PA 0x10000000UL		/* QEMU virt's 16550: not given out */

static uint64_t ms(uint64_t n)
{
	return ktest_bi->timebase_hz / 1000 * n;
}

/* A deadline already past: the wait returns at once, and it is spent. */
static void test_past(void)
{
	struct ipc_msg m;

	EXPECT(k_set_deadline(rdtime()), 0);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	EXPECT((long)m.tag, -E_TIMEOUT);
}

/* A future one: the wait blocks (the hart idles) until the tick after it. */
static void test_future(void)
{
	uint64_t start = rdtime();
	struct ipc_msg m;

	EXPECT(k_set_deadline(start + ms(30)), 0);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	EXPECT((long)m.tag, -E_TIMEOUT);
	EXPECT(rdtime() >= start + ms(30), 1);
}

/* A child that calls the root once, then ends its script. */
static long start_caller(struct child *c)
{
	struct script *s;

	child_setup(c, 1);
	if (k_cap_copy((uint64_t)c->space, CHILD_CALL_SLOT, SPACE_SELF, ROOT_ENDPOINT_SLOT,
		       CHILD_BADGE) != 0)
		FATAL("cannot give the child a cap");
	s = child_script_page(c, CHILD_SCRIPT);
	SCRIPT_ADD(s, SYS_CALL, TAG(LABEL_HELLO, 0), 0, 1, 2, 3, 4, CHILD_CALL_SLOT);
	return child_start(c, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, CHILD_BADGE);
}

static void expect_hello(const struct ipc_msg *m, long tid)
{
	EXPECT(m->tag, TAG(LABEL_HELLO, 0));
	EXPECT(m->peer, tid);
	EXPECT(m->badge, CHILD_BADGE);
}

/*
 * A message before the deadline is delivered; the deadline stays armed and
 * ends the next wait; after that, waits block for messages again.
 */
static void test_message_first(void)
{
	struct child c;
	struct ipc_msg m;
	long tid;

	EXPECT(k_set_deadline(rdtime() + ms(20)), 0);
	tid = start_caller(&c);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_hello(&m, tid);
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	EXPECT((long)m.tag, -E_TIMEOUT);
	m = (struct ipc_msg){ .tag = TAG(0, 0), .peer = (uint64_t)tid };
	EXPECT(ipc_reply(&m), 0);
	wait_script_end(ROOT_ENDPOINT_SLOT, tid);
	EXPECT(k_space_destroy((uint64_t)c.space), 0);
}

/*
 * Reply-and-wait past the deadline: the reply is made (the child runs on)
 * and the wait times out. Then 0 disarms a deadline that has passed.
 */
static void test_reply_then_timeout(void)
{
	struct child c;
	struct ipc_msg m;
	long tid = start_caller(&c);

	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	expect_hello(&m, tid);
	EXPECT(k_set_deadline(rdtime()), 0);
	m = (struct ipc_msg){ .tag = TAG(0, 0), .peer = (uint64_t)tid };
	ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
	EXPECT((long)m.tag, -E_TIMEOUT);

	EXPECT(k_set_deadline(rdtime()), 0);
	EXPECT(k_set_deadline(0), 0);
	wait_script_end(ROOT_ENDPOINT_SLOT, tid);	/* not a timeout */
	EXPECT(k_space_destroy((uint64_t)c.space), 0);
}

static void test_devices(void)
{
	volatile uint32_t *regs = (volatile uint32_t *)DEVICE_VA;
	long self = (long)ktest_bi->self_space;
	uint64_t i, past_all = 0;

	for (i = 0; i < ktest_bi->ndevices; i++)
		if (ktest_bi->devices[i].end > past_all)
			past_all = ktest_bi->devices[i].end;

	EXPECT(ktest_bi->ndevices, 8);	/* QEMU virt's virtio-mmio transports */
	EXPECT(k_map(self, DEVICE_VA | PERM_R | PERM_W, ktest_bi->devices[0].start, 0), 0);
	EXPECT(regs[0], VIRTIO_MAGIC);
	/* The kernel never touches device registers for a task: not RAM. */
	EXPECT(k_console_write((const void *)DEVICE_VA, 4), -E_FAULT);
	EXPECT(k_unmap(self, DEVICE_VA, 4096), 0);
	EXPECT(k_map(self, DEVICE_VA | PERM_R, UART_PA, 0), -E_PERM);
	EXPECT(k_map(self, DEVICE_VA | PERM_R, ktest_bi->devices[0].start + 8, 0), -E_PERM);
	EXPECT(k_map(self, DEVICE_VA | PERM_R, past_all, 0), -E_PERM);
}

void __start_c(struct boot_info *bi)
{
	ktest_init(bi);
	test_past();
	test_future();
	test_message_first();
	test_reply_then_timeout();
	test_devices();
	ktest_done("deadline");
}
