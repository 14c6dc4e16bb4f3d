// expect-output: vm_fuzz: the VM server took every request and gave every frame back
/*
 * The VM server against nonsense. Child after child sends it thousands of
 * requests drawn at random (and, one time in eight, the kernel a system
 * call it must refuse): any label (the kernel's own MSG_PAGE_FAULT and
 * MSG_EXCEPTION included, which a process may forge), words from a list of
 * values that make checks work - 0, -1, page boundaries, addresses in an
 * arena of its own, the edges of user space, now and then its own stack or
 * code - and random buffers of any length. A child may well destroy itself
 * (unmap its stack, protect its code, raise a signal): that ends its round,
 * and the next child goes on.
 *
 * A child forks now and then, and its child fuzzes on. Left out: what
 * would block or run away for good rather than fail - VM_PAGER_WAIT (waits
 * for page-in work that never comes), raw VM_FORK and VM_SIGRETURN (start
 * or resume code at a random pc, which may loop), long
 * waits for service names, and signal handlers at random addresses (but
 * rarely). Deadly signals are raised now and then, not often.
 *
 * The test passes when the server is still there, answering, and every
 * frame and object has come back once all the children are gone (in a
 * second pass over the same seeds: see main).
 */
#include <stdint.h>
#include <sys/wait.h>
#define TEST_NAME "vm_fuzz"
#include "libuser.h"
#include "systest.h"
#include "../rng.h"
#include "vm_proto.h"

#define ROUNDS 24
#define REQUESTS 1500
#define LABELS (VM_MMAP_OBJECT + 8)	/* every request, and a few past the last */

static volatile long *sent;	/* requests sent, by all children (a shared page) */

static uint64_t code_word(void) { return (uint64_t)(uintptr_t)&rng; }

/* A child's arena: an address there is one its requests may do anything to. */
#define ARENA_PAGES 64
static char *arena;

/*
 * A word that makes the server's checks work: mostly addresses in or near
 * the arena, edges of the address space, sizes and flags; now and then an
 * address of our own stack or code (a request may then unmap or protect
 * what we run on, and this child's round ends there).
 */
static uint64_t some_word(const char *heap)
{
	uint64_t stack = (uint64_t)(uintptr_t)&heap;

	if (rng() % 8192 == 0)
		return rng() % 2 ? stack & ~4095UL : code_word() & ~4095UL;
	switch (rng() % 20) {
	case 0: case 1: case 2: case 3:
		return (uint64_t)(uintptr_t)arena + ((rng() % (ARENA_PAGES + 8)) << 12);
	case 4: return 0;
	case 5: return -1UL;
	case 6: return rng() % 64;
	case 7: return 4096;
	case 8: return (rng() % 128) << 12;
	case 9: return ((uint64_t)(uintptr_t)heap & ~4095UL) + ((rng() % 8) << 12);
	case 10: return 0x100000000UL + ((rng() % 512) << 12);
	case 11: return PAGER_WINDOW + ((rng() % 4) << 12);
	case 12: return 0x3ff0000000UL - 4096;
	case 13: return 0x4000000000UL;
	case 14: return 1UL << (rng() % 64);
	case 15: case 16: return (rng() % 16) | (rng() % 16) << 32;	/* flags | more flags */
	case 17: return 0x7f800000UL - ((rng() % 4) << 12);	/* around the stack's bottom */
	default: return rng();
	}
}

/* Signals that end a process by default are sent now and then, not often. */
static uint64_t some_signal(void)
{
	static const uint64_t harmless[] = { 0, SIGCHLD, SIGURG, 64, 65, 1000, -1UL };

	if (rng() % 400 == 0)
		return 1 + rng() % 31;
	return harmless[rng() % (sizeof(harmless) / sizeof(harmless[0]))];
}

static uint32_t some_label(void)
{
	for (;;) {
		uint32_t label = rng() % 2048 == 0 ? MSG_PAGE_FAULT + (uint32_t)(rng() % 2)
						   : (uint32_t)(rng() % LABELS);

		if (label != VM_PAGER_WAIT && label != VM_FORK && label != VM_SIGRETURN &&
		    (label != VM_EXIT || rng() % 200 == 0))
			return label;
	}
}

/* Arguments a request must not have at random, lest it block or kill for good. */
static void tame(uint32_t label, struct ipc_msg *m)
{
	if (label == VM_SERVICE_LOOKUP)
		m->w[1] %= 20;			/* ms to wait for the name */
	if (label == VM_SIGACTION && rng() % 100 != 0)
		m->w[1] = rng() % 2;		/* SIG_DFL or SIG_IGN */
	if (label == VM_RAISE)
		m->w[0] = some_signal();
}

/*
 * A system call straight to the kernel, which must refuse a process what
 * only a pager or the root task may do (map, protect, shut down, another's
 * context...). Left out: the calls that would block for good (a call or a
 * wait on an endpoint nobody serves), making spaces and threads of our own
 * (code at random addresses, which may loop), the console (noise), and
 * anything to slot 0, our only way to the VM server - and out.
 */
static void some_kernel_call(const char *heap)
{
	static const long calls[] = {
		SYS_THREAD_SELF, SYS_YIELD, SYS_ENDPOINT_CREATE, SYS_REPLY, SYS_SPACE_DESTROY,
		SYS_MAP, SYS_UNMAP, SYS_PROTECT, SYS_READ_AD, SYS_CLEAR_AD, SYS_CAP_COPY,
		SYS_SHUTDOWN, SYS_CONTEXT_GET, SYS_CONTEXT_REPLY, SYS_SET_DEADLINE,
		SYS_CAP_CLEAR, SYS_NOSYS, NSYSCALLS, 1000,
	};
	long nr = calls[rng() % (sizeof(calls) / sizeof(calls[0]))];
	uint64_t a[7];
	int k;

	for (k = 0; k < 7; k++)
		a[k] = some_word(heap);
	if (nr == SYS_CAP_COPY && a[1] == VM_SERVER_SLOT)
		a[1] = 15;
	if (nr == SYS_CAP_CLEAR && a[1] == VM_SERVER_SLOT)
		return;
	if (nr == SYS_SET_DEADLINE)
		a[0] = 0;	/* no deadline left armed for our next wait */
	kcall(nr, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
}

/*
 * Now and then the fuzzing forks (lib's fork, not a raw VM_FORK): the child
 * goes on with a seed of its own, over what its parent did to its memory
 * (copy-on-write, wired and inherited entries included), while the parent
 * waits for it - no process outlives its round.
 */
static void maybe_fork(int *depth, int *left)
{
	pid_t pid;

	if (*depth >= 2 || rng() % 300 != 0)
		return;
	if ((pid = fork()) == 0) {
		(*depth)++;
		*left /= 2;
		rng_state ^= 0x5bd1e995;
		return;
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void fuzz(uint64_t seed)
{
	char *heap = malloc(8 * 4096);
	int depth = 0, left = REQUESTS;

	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	arena = map_anon(ARENA_PAGES * 4096, MAP_PRIVATE);
	for (; left > 0; left--) {
		uint32_t label = some_label(), len = 0;
		struct ipc_msg m;
		int k;

		maybe_fork(&depth, &left);
		if (rng() % 3 == 0) {
			len = (uint32_t)(rng() % (IPC_BUFFER_SIZE + 1));
			for (k = 0; k < (int)len; k++)
				ipc_buffer[k] = (char)(rng() % 4 == 0 ? 0 : rng());
		}
		if (rng() % 8 == 0) {
			some_kernel_call(heap);
			continue;
		}
		m = (struct ipc_msg){ .tag = TAG(label, len) };
		for (k = 0; k < 4; k++)
			m.w[k] = some_word(heap);
		tame(label, &m);
		(*sent)++;
		vm_call(&m);
	}
	_exit(0);
}

/* One child's round; counts how it ended. */
static void round_of(int round, int *exited, int *killed)
{
	pid_t pid = fork_or_fail();
	int status;

	if (pid == 0)
		fuzz((uint64_t)round + 1);
	status = wait_child(pid, "a fuzzing child");
	if (WIFEXITED(status))
		(*exited)++;
	else if (WIFSIGNALED(status))
		(*killed)++;
	else
		failf("round %d: status %#x", round, status);
	if (getpid() <= 0)
		fail("the VM server stopped answering", round, 0);
}

int main(void)
{
	struct vmmeter before;
	int round, exited = 0, killed = 0;

	sent = map_anon(4096, MAP_SHARED);
	/*
	 * Every round twice, with the same seeds. The first pass also warms
	 * up: the server's caches fill (a zone's slab, its spare request
	 * record) and so do our own first copies after a fork (data, heap,
	 * stack). The second pass takes the same paths, so it must give back
	 * every frame and object it takes.
	 */
	for (round = 0; round < ROUNDS; round++)
		round_of(round, &exited, &killed);
	get_meter(&before);
	expect_meter_settles(&before, "the first pass");	/* its stack and buffers too */
	get_meter(&before);
	for (round = 0; round < ROUNDS; round++)
		round_of(round, &exited, &killed);
	expect_meter_settles(&before, "frames and objects after the second pass");
	printf("vm_fuzz: %ld requests; %d children ran to the end, %d destroyed themselves\n",
	       *sent, exited, killed);
	printf("vm_fuzz: the VM server took every request and gave every frame back\n");
	return 0;
}
