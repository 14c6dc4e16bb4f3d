// expect-output: service_names: a missing name: ENOENT at once; bad names and slots: EINVAL
// expect-output: service_names: a lookup waited for a name registered later; its cap has our pid as badge
// expect-output: service_names: a lookup that waits in vain: ETIMEDOUT after its wait
// expect-output: service_names: a name taken: EEXIST, from any process
// expect-output: service_names: names die with their owner, and calls to it fail (E_NORECEIVER)
// expect-output: service_names: slots: lookups from the top, endpoints from the bottom
// expect-output: service_names: all checks passed
/*
 * The VM server's service registry (service.h; VM_SERVICE_REGISTER and
 * VM_SERVICE_LOOKUP in vm_proto.h).
 *
 *   missing      a lookup of a name nobody registered, with no wait, fails
 *                with ENOENT at once. Bad names (empty, 32 characters, a
 *                space, no NUL) and bad slots (0, the VM server's; 16,
 *                past the end; a slot with no cap; a badged cap, which
 *                could not be badged again for clients) give EINVAL.
 *   wait         a lookup waits while a child registers the name later;
 *                then it calls the child through the cap it got, and the
 *                child sees our pid as the badge.
 *   timeout      a lookup for a name that never comes ends with ETIMEDOUT,
 *                after its wait (300 ms) and not long after.
 *   taken        registering a name in use gives EEXIST, to its owner and
 *                to another process alike.
 *   death        a child's name goes when the child exits: a lookup gives
 *                ENOENT, and the name can be registered again. A call that
 *                waited for the child to receive ends with E_NORECEIVER when
 *                it exits, and later calls through the cap end so at once.
 *   slots        lib hands out cap slots: lookups take them from the top,
 *                new endpoints from the bottom; a released slot is reused.
 */
#define TEST_NAME "service_names"
#include "libuser.h"
#include "service.h"
#include "systest.h"
#include "vm_proto.h"

#define TICKS_PER_MS 10000	/* QEMU virt's timebase: 10 MHz */
#define CAP_SLOTS 16

static volatile int *flag;	/* shared with children */

static long elapsed_ms(uint64_t since)
{
	return (long)((rdtime() - since) / TICKS_PER_MS);
}

/* A raw request with `len` bytes of `name` in the buffer; returns the error. */
static int raw_call(enum vm_request request, const char *name, size_t len, uint64_t slot)
{
	struct ipc_msg m = { .tag = TAG(request, len), .w = { slot, 0 } };

	memcpy(ipc_buffer, name, len);
	return vm_call(&m);
}

/* service_lookup(name, wait_ms) must fail with errno want. */
static void expect_lookup_fails(const char *name, unsigned wait_ms, int want)
{
	errno = 0;
	if (service_lookup(name, wait_ms) != -1 || errno != want)
		failf("lookup of \"%s\": errno %d, want %d", name, errno, want);
}

static void expect_register_fails(const char *name, int want)
{
	errno = 0;
	if (service_register(name) != -1 || errno != want)
		failf("register \"%s\": errno %d, want %d", name, errno, want);
}

static int register_or_fail(const char *name)
{
	int slot = service_register(name);

	if (slot < 0)
		failf("register \"%s\": errno %d", name, errno);
	return slot;
}

static void case_missing_and_bad(void)
{
	uint64_t t0 = rdtime();
	int own = register_or_fail("t_own"), badged;

	expect_lookup_fails("t_missing", 0, ENOENT);
	if (elapsed_ms(t0) > 500)
		fail("a lookup without a wait took ms", elapsed_ms(t0), 0);
	expect_lookup_fails("", 0, EINVAL);
	expect_lookup_fails("0123456789abcdef0123456789abcdef", 0, EINVAL);
	expect_lookup_fails("a b", 0, EINVAL);
	expect_register_fails("", EINVAL);
	expect_register_fails("0123456789abcdef0123456789abcdef", EINVAL);
	if (raw_call(VM_SERVICE_LOOKUP, "t_own", 6, VM_SERVER_SLOT) != EINVAL ||
	    raw_call(VM_SERVICE_LOOKUP, "t_own", 6, CAP_SLOTS) != EINVAL ||
	    raw_call(VM_SERVICE_LOOKUP, "t_own", 5, 9) != EINVAL)
		fail("a lookup into slot 0, 16, or without a NUL worked", 0, 0);
	if ((badged = service_lookup("t_own", 0)) < 0)
		fail("lookup of our own name", errno, 0);
	if (raw_call(VM_SERVICE_REGISTER, "t_x", 4, VM_SERVER_SLOT) != EINVAL ||
	    raw_call(VM_SERVICE_REGISTER, "t_x", 4, (uint64_t)badged) != EINVAL ||
	    raw_call(VM_SERVICE_REGISTER, "t_x", 4, 9) != EINVAL ||
	    raw_call(VM_SERVICE_REGISTER, "t_x", 4, CAP_SLOTS) != EINVAL)
		fail("registering slot 0, a badged cap, an empty slot or slot 16 worked", own,
		     badged);
	expect_lookup_fails("t_x", 0, ENOENT);
	service_release(badged);
	printf("service_names: a missing name: ENOENT at once; bad names and slots: EINVAL\n");
}

/* The child: after a while, registers `name` and answers one call with its badge. */
static void serve_one_call_later(const char *name)
{
	struct ipc_msg m = { 0 };
	uint64_t t0 = rdtime();
	int slot;

	while (elapsed_ms(t0) < 200)
		k_yield();
	slot = register_or_fail(name);
	ipc_reply_wait((uint64_t)slot, &m);
	if ((int64_t)m.tag < 0)
		fail("the child's receive", (long)m.tag, 0);
	m.w[0] = m.badge;
	m.tag = TAG(0, 0);
	ipc_reply(&m);
	exit(0);
}

static void case_wait(void)
{
	struct ipc_msg m = { .tag = TAG(1, 0) };
	pid_t pid = fork_or_fail();
	int slot;

	if (pid == 0)
		serve_one_call_later("t_late");
	if ((slot = service_lookup("t_late", 10000)) < 0)
		fail("a lookup waiting for a child's registration", errno, 0);
	ipc_call((uint64_t)slot, &m);
	if ((int64_t)m.tag < 0 || m.w[0] != (uint64_t)getpid())
		fail("the server saw the badge (want our pid)", (long)m.w[0], (long)getpid());
	expect_exit(wait_child(pid, "the late server"), 0, "the late server");
	service_release(slot);
	printf("service_names: a lookup waited for a name registered later; its cap has our "
	       "pid as badge\n");
}

static void case_timeout(void)
{
	uint64_t t0 = rdtime();
	long ms;

	expect_lookup_fails("t_never", 300, ETIMEDOUT);
	ms = elapsed_ms(t0);
	if (ms < 290 || ms > 5000)
		fail("a 300 ms wait took ms", ms, 0);
	printf("service_names: a lookup that waits in vain: ETIMEDOUT after its wait (%ld ms)\n",
	       ms);
}

static void case_taken(void)
{
	pid_t pid;

	register_or_fail("t_dup");
	expect_register_fails("t_dup", EEXIST);
	if ((pid = fork_or_fail()) == 0) {
		expect_register_fails("t_dup", EEXIST);
		exit(0);
	}
	expect_exit(wait_child(pid, "the child registering a taken name"), 0, "the child");
	printf("service_names: a name taken: EEXIST, from any process\n");
}

static void case_death(void)
{
	pid_t pid;
	int slot;

	*flag = 0;
	if ((pid = fork_or_fail()) == 0) {
		uint64_t t0 = rdtime();

		register_or_fail("t_mortal");
		*flag = 1;
		while (elapsed_ms(t0) < 100)	/* never receives: the call below queues */
			k_yield();
		exit(0);
	}
	wait_until(flag, 1, "the child's registration");
	if ((slot = service_lookup("t_mortal", 0)) < 0)
		fail("lookup of the child's name", errno, 0);
	if ((int64_t)ipc_call_empty((uint64_t)slot, 1) != -E_NORECEIVER)
		fail("a call queued when its server died ended with", 0, -E_NORECEIVER);
	expect_exit(wait_child(pid, "the mortal server"), 0, "the mortal server");
	if ((int64_t)ipc_call_empty((uint64_t)slot, 1) != -E_NORECEIVER)
		fail("a call to a dead server ended with", 0, -E_NORECEIVER);
	service_release(slot);
	expect_lookup_fails("t_mortal", 0, ENOENT);
	register_or_fail("t_mortal");
	printf("service_names: names die with their owner, and calls to it fail "
	       "(E_NORECEIVER)\n");
}

/* Registered so far: t_own, t_dup, t_mortal - slots 1, 2, 3. */
static void case_slots(void)
{
	int a = service_lookup("t_own", 0), b = service_lookup("t_own", 0), e, c;

	if (a != CAP_SLOTS - 1 || b != CAP_SLOTS - 2)
		fail("two lookups got slots (want 15, 14)", a, b);
	e = register_or_fail("t_slots");
	if (e != 4)
		fail("a new endpoint got slot (want 4)", e, 0);
	service_release(a);
	if ((c = service_lookup("t_dup", 0)) != a)
		fail("a lookup after a release got slot", c, a);
	printf("service_names: slots: lookups from the top, endpoints from the bottom\n");
}

int main(void)
{
	flag = map_anon(4096, MAP_SHARED);
	case_missing_and_bad();
	case_wait();
	case_timeout();
	case_taken();
	case_death();
	case_slots();
	printf("service_names: all checks passed\n");
	return 0;
}
