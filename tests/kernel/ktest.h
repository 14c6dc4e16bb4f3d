/*
 * What the kernel tests share. Each test is a root task (no VM server): it
 * checks results with EXPECT, takes frames from the pool it owns, and runs
 * small assembly programs in child spaces whose faults it serves itself.
 *
 * The child programs (below, position-independent) are copied into a pool
 * frame and mapped at CHILD_CODE. The main one runs a "script": a page of
 * system call records it makes one by one, storing what each returned in
 * a0 and a1 back into the record; at the end it executes an illegal
 * instruction, which reaches its pager as MSG_EXCEPTION. The root reads the
 * results through its pool window.
 */
#ifndef TESTS_KERNEL_KTEST_H
#define TESTS_KERNEL_KTEST_H

#include <stdio.h>
#include <string.h>
#include "kern.h"
#include "libuser.h"

static int failures;

#define EXPECT(call, want) do { \
	long got_ = (long)(call), want_ = (long)(want); \
	if (got_ != want_) { \
		printf("FAIL %s:%d: %s = %ld (%#lx), want %ld (%#lx)\n", __FILE__, \
		       __LINE__, #call, got_, got_, want_, want_); \
		failures++; \
	} \
} while (0)

/* Something the rest of the test depends on went wrong: stop now. */
#define FATAL(...) do { \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	k_shutdown(1); \
} while (0)

/* A slot of the root that stays empty in every test. */
#define EMPTY_SLOT 13

/* Where the child programs and their pages live in a child space. */
#define CHILD_CODE   0x10000UL
#define CHILD_SCRIPT 0x20000UL	/* the first script page; more follow */
#define CHILD_DATA   0x40000UL
#define CHILD_STACK  0x80000UL	/* an sp for thread_create; no program uses it */

/* scause of an illegal instruction, as MSG_EXCEPTION reports it. */
#define SCAUSE_ILLEGAL 2

static struct boot_info *ktest_bi;
static uint64_t ktest_next_frame;

/* Call first: registers the IPC buffer and finds the free pool frames. */
static inline void ktest_init(struct boot_info *bi)
{
	ipc_buffer_init();
	ktest_bi = bi;
	ktest_next_frame = bi->image.end;	/* the frames after the root's image */
}

static inline void ktest_done(const char *name)
{
	printf("ktest %s: %s\n", name, failures == 0 ? "ok" : "FAILED");
	k_shutdown(failures == 0 ? 0 : 1);
}

/* Pool frame pa, as the root sees it through its pool window. */
static inline void *window(uint64_t pa)
{
	return (void *)(ktest_bi->pool_window + (pa - ktest_bi->ram_start));
}

/* A zeroed pool frame that nothing uses yet. */
static inline uint64_t new_frame(void)
{
	uint64_t pa = ktest_next_frame;

	if (pa + 4096 > ktest_bi->pool[0].end)
		FATAL("out of pool frames");
	ktest_next_frame += 4096;
	memset(window(pa), 0, 4096);
	return pa;
}

/* ---- the child programs ------------------------------------------------ */

__asm__(
	"	.pushsection .text.ktest_child, \"ax\", @progbits\n"
	"	.balign	4\n"
	"	.globl	ktest_child, ktest_script, ktest_script_load, ktest_script_store\n"
	"	.globl	ktest_script_end, ktest_touch, ktest_touch_end, ktest_child_end\n"
	"ktest_child:\n"
	/* ktest_script(a0 = script): count, then records of 10 words. */
	"ktest_script:\n"
	"	mv	s0, a0\n"
	"ktest_script_load:\n"
	"	ld	s1, 0(s0)\n"
	"	addi	s0, s0, 8\n"
	"1:	beqz	s1, ktest_script_end\n"
	"	ld	a7, 0(s0)\n"
	"	ld	a0, 8(s0)\n"
	"	ld	a1, 16(s0)\n"
	"	ld	a2, 24(s0)\n"
	"	ld	a3, 32(s0)\n"
	"	ld	a4, 40(s0)\n"
	"	ld	a5, 48(s0)\n"
	"	ld	a6, 56(s0)\n"
	"	ecall\n"
	"ktest_script_store:\n"
	"	sd	a0, 64(s0)\n"
	"	sd	a1, 72(s0)\n"
	"	addi	s0, s0, 80\n"
	"	addi	s1, s1, -1\n"
	"	j	1b\n"
	"ktest_script_end:\n"
	"	.4byte	0\n"			/* an illegal instruction */
	/* ktest_touch(a0 = page): writes its first word, reads the next page. */
	"ktest_touch:\n"
	"	sd	a0, 0(a0)\n"
	"	li	t0, 4096\n"
	"	add	t0, a0, t0\n"
	"	ld	t1, 0(t0)\n"
	"ktest_touch_end:\n"
	"	.4byte	0\n"
	"ktest_child_end:\n"
	"	.popsection\n");

extern char ktest_child[], ktest_script[], ktest_script_load[], ktest_script_store[];
extern char ktest_script_end[], ktest_touch[], ktest_touch_end[], ktest_child_end[];

/* The address of a label of the child code in a child space. */
#define CHILD_PC(label) (CHILD_CODE + (uint64_t)((label) - ktest_child))

/* One system call of a script: the call, then what came back. */
struct kcall_rec {
	uint64_t nr;		/* a7 */
	uint64_t a[7];		/* a0..a6 */
	uint64_t ret[2];	/* a0, a1 after the call */
};

#define SCRIPT_MAX 50

struct script {
	uint64_t count;
	struct kcall_rec rec[SCRIPT_MAX];
};

_Static_assert(sizeof(struct script) <= 4096, "a script fits in a page");
_Static_assert(sizeof(struct kcall_rec) == 80, "ktest_script's record size");

/* Appends a call to a script; returns its record, to check after the run. */
#define SCRIPT_ADD(s, nr, ...) script_add((s), (nr), (const uint64_t[7]){ __VA_ARGS__ })

static inline struct kcall_rec *script_add(struct script *s, uint64_t nr, const uint64_t a[7])
{
	struct kcall_rec *r;

	if (s->count == SCRIPT_MAX)
		FATAL("script too long");
	r = &s->rec[s->count++];
	r->nr = nr;
	memcpy(r->a, a, sizeof(r->a));
	r->ret[0] = r->ret[1] = 0xdead;		/* not run */
	return r;
}

/* A child space: the child code mapped R|X at CHILD_CODE. */
struct child {
	long space;
	uint64_t code_pa;
};

/* A fresh frame holding the child programs. */
static inline uint64_t child_code_frame(void)
{
	uint64_t pa = new_frame();

	memcpy(window(pa), ktest_child, (size_t)(ktest_child_end - ktest_child));
	__asm__ volatile("fence.i" ::: "memory");
	return pa;
}

/* Makes a space with the child code mapped; `map_code` 0 leaves it to a fault. */
static inline void child_setup(struct child *c, int map_code)
{
	if ((c->space = k_space_create()) <= 0)
		FATAL("k_space_create = %ld", c->space);
	c->code_pa = child_code_frame();
	if (map_code && k_map(c->space, CHILD_CODE | PERM_R | PERM_X, c->code_pa, 0) != 0)
		FATAL("cannot map the child code");
}

/* A new script page mapped read-write at va in the child; returns it. */
static inline struct script *child_script_page(struct child *c, uint64_t va)
{
	uint64_t pa = new_frame();
	long error = k_map(c->space, va | PERM_R | PERM_W, pa, 0);

	if (error != 0)
		FATAL("cannot map a script page: %ld", error);
	return window(pa);
}

/* Starts a thread running the script at va; its faults come to `pager_slot`. */
static inline long child_start(struct child *c, uint64_t va, uint64_t pager_slot,
			       uint64_t badge)
{
	long tid = k_thread_create(c->space, CHILD_PC(ktest_script), CHILD_STACK, va,
				   pager_slot, badge);

	if (tid <= 0)
		FATAL("k_thread_create = %ld", tid);
	return tid;
}

/* Waits on `slot` for the next message, replying to nobody. */
static inline void wait_msg(uint64_t slot, struct ipc_msg *m)
{
	memset(m, 0, sizeof(*m));
	ipc_reply_wait(slot, m);
}

/* Stops the test unless m is thread tid's exception at the end of its script. */
static inline void expect_script_end(const struct ipc_msg *m, long tid)
{
	if (m->tag != TAG(MSG_EXCEPTION, 0) || m->peer != (uint64_t)tid ||
	    m->w[0] != SCAUSE_ILLEGAL || m->w[2] != CHILD_PC(ktest_script_end))
		FATAL("want the end of thread %lx's script; got tag %lx from %lx: "
		      "%lx %lx %lx %lx", tid, m->tag, m->peer, m->w[0], m->w[1], m->w[2],
		      m->w[3]);
}

/* Waits on `slot` until thread tid has run its whole script. */
static inline void wait_script_end(uint64_t slot, long tid)
{
	struct ipc_msg m;

	wait_msg(slot, &m);
	expect_script_end(&m, tid);
}

/* SYS_READ_AD's accessed bits, or its error; the dirty bits go to *dirty. */
static inline long ad_accessed(uint64_t space, uint64_t va, uint64_t pages, uint64_t *dirty)
{
	uint64_t accessed;
	long error = k_read_ad(space, va, pages, &accessed, dirty);

	return error != 0 ? error : (long)accessed;
}

#endif
