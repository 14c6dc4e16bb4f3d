// expect-output: sig_codes: SIGSEGV/SEGV_MAPERR: NULL, wild, kernel, munmapped, jump: si_addr right
// expect-output: sig_codes: SIGSEGV/SEGV_ACCERR: read-only, PROT_NONE, text, no-exec: si_addr right
// expect-output: sig_codes: SIGILL/ILL_ILLOPC and SIGTRAP/TRAP_BRKPT: si_addr = pc; the handler skipped them
// expect-output: sig_codes: SIGBUS/BUS_ADRALN for a misaligned atomic: si_addr right
// expect-output: sig_codes: SIGBUS/BUS_OOMERR when memory runs out: si_addr = the page touched
// expect-output: sig_codes: raise: SI_USER
// expect-output: sig_codes: all checks passed
/*
 * What a SA_SIGINFO handler learns: si_signo, si_code and si_addr, for each
 * kind of fault this system can raise from user space.
 *
 *   SEGV_MAPERR  nothing mapped: NULL + 16, a wild address, a kernel
 *                address, a page munmap()ed out of a region, a call to an
 *                unmapped address (si_addr: the target)
 *   SEGV_ACCERR  mapped without the right: a store to PROT_READ, a load from
 *                PROT_NONE, a store to the program's text, a call into a
 *                mapping without PROT_EXEC (si_addr: the target)
 *   ILL_ILLOPC   an illegal instruction; si_addr is its pc. The handler
 *                steps over it (uc_mcontext.pc += 4) and returns
 *   TRAP_BRKPT   ebreak, the same way
 *   BUS_ADRALN   an atomic add to a misaligned address (si_addr: it)
 *   BUS_OOMERR   a child touches new pages until memory runs out; its
 *                handler records si_addr, which must be the page it was
 *                touching, and exits 0
 *   SI_USER      raise()
 *
 * BUS_OBJERR (past the end of a file mapping's object) needs file mappings,
 * which this system does not have yet: it is not tested here.
 * Access faults are caught with sigsetjmp/siglongjmp (systest.h's
 * expect_access); the faults that do not come from an access, here.
 */
#include <stdint.h>
#include <sys/ucontext.h>
#define TEST_NAME "sig_codes"
#include "systest.h"

#define PAGE 4096
#define RDONLY_AT 0x200000000UL
#define NOEXEC_AT 0x200010000UL
#define NOWHERE   0x300000000UL
#define HUGE ((size_t)256 << 20)	/* twice the machine's memory */

extern char _start[];

struct caught {
	volatile int count, signo, code;
	void *volatile addr;
};

static struct caught caught;
static sigjmp_buf env;

/* Records the signal and leaves with siglongjmp. */
static void catch_and_jump(int signo, siginfo_t *info, void *uc)
{
	(void)uc;
	caught.count++;
	caught.signo = signo;
	caught.code = info->si_code;
	caught.addr = info->si_addr;
	if (info->si_signo != signo)
		caught.signo = -1;
	siglongjmp(env, 1);
}

/* Per signal, what the skipping and recording handlers saw. */
static struct caught seen[NSIG];

/* Records the signal in seen[] and steps over the 4-byte instruction that raised it. */
static void catch_and_skip(int signo, siginfo_t *info, void *ucp)
{
	ucontext_t *uc = ucp;
	struct caught *c = &seen[signo];

	c->count++;
	c->signo = info->si_signo;
	c->code = info->si_code;
	c->addr = info->si_addr;
	if ((void *)uc->uc_mcontext.pc != info->si_addr)
		c->signo = -2;	/* the pc to resume must be the faulting one */
	uc->uc_mcontext.pc += 4;
}

/* Records the signal in seen[] and returns. */
static void catch_and_return(int signo, siginfo_t *info, void *uc)
{
	struct caught *c = &seen[signo];

	(void)uc;
	c->count++;
	c->signo = info->si_signo;
	c->code = info->si_code;
	c->addr = info->si_addr;
}

static void expect_seen(int signo, int count, int code, void *addr, const char *what)
{
	struct caught *c = &seen[signo];

	if (c->count != count || c->signo != signo || c->code != code || c->addr != addr)
		failf("%s: caught %d times: signal %d code %d si_addr %p; want %d times, "
		      "signal %d code %d si_addr %p", what, c->count, c->signo, c->code, c->addr,
		      count, signo, code, addr);
}

static void expect_caught(int signo, int code, void *addr, const char *what)
{
	if (caught.count != 1 || caught.signo != signo || caught.code != code ||
	    caught.addr != addr)
		failf("%s: caught %d times: signal %d code %d si_addr %p; want signal %d code %d "
		      "si_addr %p", what, caught.count, caught.signo, caught.code, caught.addr,
		      signo, code, addr);
	memset((void *)&caught, 0, sizeof(caught));
}

/* Calls the code at addr; expects the call itself to fault with (signo, code). */
static void expect_call_fault(uintptr_t addr, int code, const char *what)
{
	int (*volatile fn)(void) = (int (*)(void))addr;

	on_signal(SIGSEGV, catch_and_jump, 0);
	if (sigsetjmp(env, 1) == 0) {
		fn();
		failf("%s: the call returned", what);
	}
	default_signal(SIGSEGV);
	expect_caught(SIGSEGV, code, (void *)addr, what);
}

static void *map_at(uintptr_t at, int prot)
{
	void *p = mmap((void *)at, PAGE, prot, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);

	if (p != (void *)at)
		fail("mmap MAP_FIXED", (long)at, errno);
	return p;
}

static void segv_maperr(void)
{
	volatile char *r = map_anon(3 * PAGE, MAP_PRIVATE);

	r[0] = r[2 * PAGE] = 1;
	if (munmap((void *)(r + PAGE), PAGE) != 0)
		fail("munmap", errno, 0);
	expect_access((volatile char *)16, 0, SIGSEGV, SEGV_MAPERR, "NULL + 16");
	expect_access((volatile char *)0xdead0008UL, 1, SIGSEGV, SEGV_MAPERR, "a wild address");
	expect_access((volatile char *)0xffffffc000000010UL, 0, SIGSEGV, SEGV_MAPERR,
		      "a kernel address");
	expect_access(r + PAGE + 123, 0, SIGSEGV, SEGV_MAPERR, "a munmapped page (read)");
	expect_access(r + PAGE + 4095, 1, SIGSEGV, SEGV_MAPERR, "a munmapped page (write)");
	expect_call_fault(NOWHERE, SEGV_MAPERR, "a call to an unmapped address");
	printf("sig_codes: SIGSEGV/SEGV_MAPERR: NULL, wild, kernel, munmapped, jump: si_addr "
	       "right\n");
}

static void segv_accerr(void)
{
	volatile char *ro = map_at(RDONLY_AT, PROT_READ);
	volatile char *none = map_anon(PAGE, MAP_PRIVATE);
	uint32_t *code = map_at(NOEXEC_AT, PROT_READ | PROT_WRITE);

	if (mprotect((void *)none, PAGE, PROT_NONE) != 0)
		fail("mprotect", errno, 0);
	expect_access(ro + 100, 0, 0, 0, "a read of a read-only page");
	expect_access(ro + 100, 1, SIGSEGV, SEGV_ACCERR, "a write to a read-only page");
	expect_access(none + 7, 0, SIGSEGV, SEGV_ACCERR, "a read of a PROT_NONE page");
	expect_access(none + 7, 1, SIGSEGV, SEGV_ACCERR, "a write to a PROT_NONE page");
	expect_access((volatile char *)_start + 2, 1, SIGSEGV, SEGV_ACCERR, "a write to text");
	code[0] = 0x02a00513;	/* li a0, 42 */
	code[1] = 0x00008067;	/* ret */
	__asm__ volatile("fence.i" ::: "memory");
	expect_call_fault(NOEXEC_AT, SEGV_ACCERR, "a call into a no-exec page");
	/* With PROT_EXEC the same code runs: the fault was the protection. */
	if (mprotect(code, PAGE, PROT_READ | PROT_EXEC) != 0)
		fail("mprotect PROT_EXEC", errno, 0);
	__asm__ volatile("fence.i" ::: "memory");
	if (((int (*)(void))(uintptr_t)NOEXEC_AT)() != 42)
		fail("the code did not run once executable", 0, 0);
	printf("sig_codes: SIGSEGV/SEGV_ACCERR: read-only, PROT_NONE, text, no-exec: si_addr "
	       "right\n");
}

/* Raise SIGILL and SIGTRAP at known pcs; the handler skips the instruction. */
static void __attribute__((noinline)) ill_and_trap(uintptr_t *ill_pc, uintptr_t *trap_pc,
						   volatile int *after)
{
	__asm__ volatile(".option push\n.option norvc\n"
			 "la t0, 1f\n sd t0, 0(%0)\n"
			 "1: .4byte 0x00000000\n"	/* an illegal instruction */
			 ".option pop\n"
			 : : "r"(ill_pc) : "t0", "memory");
	*after = 1;
	__asm__ volatile(".option push\n.option norvc\n"
			 "la t0, 1f\n sd t0, 0(%0)\n"
			 "1: .4byte 0x00100073\n"	/* ebreak, uncompressed */
			 ".option pop\n"
			 : : "r"(trap_pc) : "t0", "memory");
	*after = 2;
}

static void ill_trap(void)
{
	uintptr_t ill_pc = 0, trap_pc = 0;
	volatile int after = 0;
	pid_t pid;

	on_signal(SIGILL, catch_and_skip, 0);
	on_signal(SIGTRAP, catch_and_skip, 0);
	ill_and_trap(&ill_pc, &trap_pc, &after);
	if (after != 2)
		fail("the code after the skipped instructions did not run", after, 2);
	expect_seen(SIGILL, 1, ILL_ILLOPC, (void *)ill_pc, "an illegal instruction");
	expect_seen(SIGTRAP, 1, TRAP_BRKPT, (void *)trap_pc, "ebreak");
	/* SIGTRAP back to its default: a child skips the SIGILL, then dies of the ebreak. */
	default_signal(SIGTRAP);
	if ((pid = fork_or_fail()) == 0) {
		ill_and_trap(&ill_pc, &trap_pc, &after);
		exit(0);
	}
	expect_signal(wait_child(pid, "the ebreak child"), SIGTRAP, "the ebreak child");
	default_signal(SIGILL);
	printf("sig_codes: SIGILL/ILL_ILLOPC and SIGTRAP/TRAP_BRKPT: si_addr = pc; the handler "
	       "skipped them\n");
}

static void bus_adraln(void)
{
	volatile uint32_t *words = map_anon(PAGE, MAP_PRIVATE);
	volatile char *odd = (volatile char *)words + 2;

	on_signal(SIGBUS, catch_and_jump, 0);
	if (sigsetjmp(env, 1) == 0) {
		__asm__ volatile("amoadd.w zero, zero, (%0)" : : "r"(odd) : "memory");
		fail("a misaligned amoadd.w did not fault", 0, 0);
	}
	default_signal(SIGBUS);
	expect_caught(SIGBUS, BUS_ADRALN, (void *)odd, "a misaligned atomic");
	printf("sig_codes: SIGBUS/BUS_ADRALN for a misaligned atomic: si_addr right\n");
}

/* ---- out of memory, in a child -------------------------------------- */

struct oom_report {
	volatile int signo, code, done;
	volatile uintptr_t addr, touching;
};

static struct oom_report *oom;

static void oom_handler(int signo, siginfo_t *info, void *uc)
{
	(void)uc;
	oom->signo = signo;
	oom->code = info->si_code;
	oom->addr = (uintptr_t)info->si_addr;
	oom->done = 1;
	_exit(0);
}

/* Stack the handler will need, made resident before memory runs out. */
static long __attribute__((noinline)) use_stack(int depth)
{
	volatile char frame[PAGE - 128];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth > 1)
		return use_stack(depth - 1) + frame[0];
	return frame[0];
}

static void oom_child(void)
{
	char *p = mmap(NULL, HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		exit(2);
	/*
	 * What the handler will write, made the child's own now (no frame will
	 * be left for a copy then): stack for the signal frame and the calls,
	 * and the console's line buffer, which _exit() flushes.
	 */
	use_stack(8);
	fflush(stdout);
	on_signal(SIGBUS, oom_handler, 0);
	for (i = 0; i < HUGE; i += PAGE) {
		oom->touching = (uintptr_t)(p + i);
		p[i] = 1;
	}
	exit(3);	/* never ran out */
}

static void bus_oomerr(void)
{
	struct vmmeter before;
	pid_t pid;

	get_meter(&before);
	oom = map_anon(PAGE, MAP_SHARED);
	if ((pid = fork_or_fail()) == 0)
		oom_child();
	expect_exit(wait_child(pid, "the out-of-memory child"), 0, "the out-of-memory child");
	if (!oom->done || oom->signo != SIGBUS || oom->code != BUS_OOMERR ||
	    oom->addr != oom->touching)
		failf("out of memory: signal %d code %d si_addr %#lx, touching %#lx (done %d)",
		      oom->signo, oom->code, (unsigned long)oom->addr,
		      (unsigned long)oom->touching, oom->done);
	printf("sig_codes: SIGBUS/BUS_OOMERR when memory runs out: si_addr = the page touched "
	       "(%#lx)\n", (unsigned long)oom->addr);
}

static void si_user(void)
{
	on_signal(SIGUSR1, catch_and_return, 0);
	if (raise(SIGUSR1) != 0)
		fail("raise", errno, 0);
	expect_seen(SIGUSR1, 1, SI_USER, NULL, "raise(SIGUSR1)");
	on_signal(SIGSEGV, catch_and_return, 0);
	if (raise(SIGSEGV) != 0)
		fail("raise", errno, 1);
	expect_seen(SIGSEGV, 1, SI_USER, NULL, "raise(SIGSEGV)");
	default_signal(SIGSEGV);
	default_signal(SIGUSR1);
	printf("sig_codes: raise: SI_USER, the handler returns into raise(), which returns 0\n");
}

int main(void)
{
	segv_maperr();
	segv_accerr();
	ill_trap();
	bus_adraln();
	bus_oomerr();
	si_user();
	printf("sig_codes: all checks passed\n");
	return 0;
}
