// expect-output: device_map: 8 devices, each a virtio-mmio transport; past the last: EINVAL
// expect-output: device_map: mapped once at most: EBUSY here and in a child
// expect-output: device_map: a forked child has no mapping: SEGV_MAPERR
// expect-output: device_map: never executable, protection fixed, never a zero page
// expect-output: device_map: munmap and exit free a device: SEGV_MAPERR after munmap
// expect-output: device_map: all checks passed
/*
 * Device registers (device.h; VM_DEVICE_MAP): QEMU virt's eight virtio-mmio
 * transports, mapped as device entries.
 *
 *   list         device_map(i) works for i = 0..7 - each page-aligned, at a
 *                transport's physical address, reading the virtio magic
 *                value - and gives EINVAL past the last (and for -1).
 *   busy         a device is mapped once at most: asking again gives EBUSY,
 *                here and in a forked child.
 *   fork         the child has no mapping there: a read is SIGSEGV with
 *                SEGV_MAPERR - fork never passes a device on, whatever
 *                minherit said (INHERIT_SHARE here).
 *   rules        a jump into the registers is SIGSEGV/SEGV_ACCERR (never
 *                executable); mprotect of them fails with EACCES; so does
 *                mlock - no fault may serve them - and the registers still
 *                read the magic value after it (no zero page came in).
 *   freeing      after munmap a read is SIGSEGV/SEGV_MAPERR and a child may
 *                take the device; when the child exits without unmapping
 *                it, the device is free for us again.
 */
#define TEST_NAME "device_map"
#include "device.h"
#include "systest.h"

#define NDEVICES 8
#define VIRTIO_BASE 0x10001000UL	/* QEMU virt: transport i at + i * 4096 */
#define VIRTIO_MAGIC 0x74726976

static volatile uint32_t *regs[NDEVICES];

static void case_list(void)
{
	uint64_t pa;
	int i;

	for (i = 0; i < NDEVICES; i++) {
		if ((regs[i] = device_map(i, &pa)) == NULL)
			fail("device_map", i, errno);
		if (((uintptr_t)regs[i] & 4095) != 0 || (pa & 4095) != 0 || pa < VIRTIO_BASE ||
		    pa >= VIRTIO_BASE + NDEVICES * 4096)
			failf("device %d at %p, pa %#lx", i, (void *)regs[i], (unsigned long)pa);
		if (regs[i][0] != VIRTIO_MAGIC)
			fail("the magic value of device", i, (long)regs[i][0]);
	}
	errno = 0;
	if (device_map(NDEVICES, &pa) != NULL || errno != EINVAL)
		fail("device_map past the last: want EINVAL", errno, 0);
	errno = 0;
	if (device_map(-1, &pa) != NULL || errno != EINVAL)
		fail("device_map(-1): want EINVAL", errno, 0);
	printf("device_map: %d devices, each a virtio-mmio transport; past the last: EINVAL\n",
	       NDEVICES);
}

static void case_busy_and_fork(void)
{
	pid_t pid;

	errno = 0;
	if (device_map(0, NULL) != NULL || errno != EBUSY)
		fail("a second device_map of ours: want EBUSY", errno, 0);
	if (minherit((void *)regs[0], 4096, INHERIT_SHARE) != 0)
		fail("minherit of device registers", errno, 0);
	if ((pid = fork_or_fail()) == 0) {
		errno = 0;
		if (device_map(0, NULL) != NULL || errno != EBUSY)
			fail("the child's device_map: want EBUSY", errno, 0);
		expect_access((volatile char *)regs[0], 0, SIGSEGV, SEGV_MAPERR,
			      "the child, at the parent's registers");
		exit(0);
	}
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	printf("device_map: mapped once at most: EBUSY here and in a child\n");
	printf("device_map: a forked child has no mapping: SEGV_MAPERR\n");
}

/*
 * Jumps to addr; returns the signal that stopped the jump there (0: none),
 * which must have come with SEGV_ACCERR and si_addr addr.
 */
static int try_call(volatile uint32_t *addr)
{
	struct systest_probe *s = systest_probe_state();

	on_signal(SIGSEGV, systest_probe_handler, 0);
	s->signo = 0;
	if (sigsetjmp(s->env, 1) == 0)
		((void (*)(void))(uintptr_t)addr)();
	default_signal(SIGSEGV);
	if (s->signo != 0 && (s->code != SEGV_ACCERR || s->addr != (void *)addr))
		failf("a jump into the registers: si_code %d, si_addr %p", s->code, s->addr);
	return s->signo;
}

static void case_rules(void)
{
	if (try_call(regs[1]) != SIGSEGV)
		fail("a jump into device registers did not fault", 0, 0);
	errno = 0;
	if (mprotect((void *)regs[1], 4096, PROT_READ) != -1 || errno != EACCES)
		fail("mprotect of device registers: want EACCES", errno, 0);
	errno = 0;
	if (mlock((void *)regs[1], 4096) != -1 || errno != EACCES)
		fail("mlock of device registers: want EACCES", errno, 0);
	if (regs[1][0] != VIRTIO_MAGIC)
		fail("after mlock, the registers read", (long)regs[1][0], 0);
	printf("device_map: never executable, protection fixed, never a zero page\n");
}

static void case_freeing(void)
{
	pid_t pid;

	if (munmap((void *)regs[0], 4096) != 0 || munmap((void *)regs[1], 4096) != 0)
		fail("munmap of device registers", errno, 0);
	expect_access((volatile char *)regs[0], 0, SIGSEGV, SEGV_MAPERR, "after munmap");
	if ((pid = fork_or_fail()) == 0) {
		volatile uint32_t *r0 = device_map(0, NULL), *r1 = device_map(1, NULL);

		if (r0 == NULL || r1 == NULL || r0[0] != VIRTIO_MAGIC)
			fail("the child's device_map of unmapped devices", errno, 0);
		munmap((void *)r0, 4096);
		exit(0);	/* device 1 still mapped */
	}
	expect_exit(wait_child(pid, "the child"), 0, "the child");
	if ((regs[0] = device_map(0, NULL)) == NULL || (regs[1] = device_map(1, NULL)) == NULL)
		fail("device_map after the child's munmap and exit", errno, 0);
	printf("device_map: munmap and exit free a device: SEGV_MAPERR after munmap\n");
}

int main(void)
{
	case_list();
	case_busy_and_fork();
	case_rules();
	case_freeing();
	printf("device_map: all checks passed\n");
	return 0;
}
