// expect-output: ktest fuzz: ok
/*
 * The kernel against its most trusted caller gone mad: a root task making
 * thousands of calls drawn at random - spaces made and destroyed, threads
 * started at good and bad pcs, maps of pool frames, of device pages and of
 * frames it does not own, at any address with any rights, batches of
 * records from its IPC buffer, unmaps, protects, accessed/dirty reads and
 * clears, cap copies and clears, context gets and replies, replies to any
 * thread id - while the threads it started fault and trap, and it answers
 * their messages at random (mappings, retries, garbage, or nothing).
 *
 * Left out: what would end the root task itself (maps into its own space,
 * its endpoint's slot, its IPC buffer, SYS_SHUTDOWN). The test passes if the
 * kernel survives, and afterwards - every space destroyed - still has the
 * memory to run a fresh child's script, and runs it right: thousands of
 * spaces, threads and tables came and went, so a leak would have run out.
 */
#include "../rng.h"
#include "ktest.h"

#define STEPS 6000
#define NSPACES 4
#define NFRAMES 8
#define NTIDS 32

static long spaces[NSPACES];
static long tids[NTIDS];
static uint64_t frames[NFRAMES];

/* A space id to act on: ours mostly, stale ones, garbage - never the root's. */
static uint64_t some_space(void)
{
	uint64_t s;

	switch (rng() % 8) {
	case 0: s = rng(); break;
	case 1: s = (uint64_t)spaces[rng() % NSPACES] + 1; break;
	default: s = (uint64_t)spaces[rng() % NSPACES]; break;
	}
	return s == ktest_bi->self_space || s == SPACE_SELF ? (uint64_t)spaces[0] : s;
}

static uint64_t some_va(void)
{
	static const uint64_t vas[] = {
		CHILD_CODE, CHILD_DATA, CHILD_DATA + 4096, CHILD_SCRIPT, 0, 4096,
		USER_SPACE_END - 4096, USER_SPACE_END, 0x3fffe00000, 1UL << 38,
	};

	if (rng() % 2)
		return CHILD_DATA + (rng() % 4) * 4096;
	return rng() % 8 ? vas[rng() % (sizeof(vas) / sizeof(vas[0]))] : rng();
}

static uint64_t some_pa(void)
{
	switch (rng() % 16) {
	case 0: return rng();
	case 1: return ktest_bi->ram_start + 0x200000;	/* the kernel's image */
	case 2: return ktest_bi->devices[0].start;	/* a device: the root may */
	case 3: return 0x10000000;			/* the UART: nobody may */
	case 4: return frames[rng() % NFRAMES] + rng() % 4096;
	default: return frames[rng() % NFRAMES];
	}
}

/* Rights for a map or a protect: the ones Sv39 allows mostly, any bits at times. */
static uint64_t some_perm(void)
{
	static const uint64_t perms[] = { PERM_R, PERM_R | PERM_W, PERM_R | PERM_X,
					  PERM_R | PERM_W | PERM_X, PERM_X };

	return rng() % 4 ? perms[rng() % 5] : rng() % 16;
}

static uint64_t some_len(void)
{
	static const uint64_t lens[] = { 0, 1, 4096, 8192, 1UL << 21, 1UL << 30, -4096UL };

	return lens[rng() % (sizeof(lens) / sizeof(lens[0]))];
}

static long some_tid(void)
{
	return rng() % 8 ? tids[rng() % NTIDS] : (long)rng();
}

static void new_thread(void)
{
	uint64_t pc = rng() % 4 ? CHILD_PC(ktest_touch) : some_va();
	long tid = k_thread_create(some_space(), pc, CHILD_STACK, CHILD_DATA,
				   rng() % 8 ? ROOT_ENDPOINT_SLOT : rng() % 20, rng() % 4);

	if (tid > 0)
		tids[rng() % NTIDS] = tid;
}

static void map_step(void)
{
	struct map_record *r = (struct map_record *)ipc_buffer;
	uint64_t i, more = rng() % 4 ? 0 : rng() % 6;

	for (i = 0; i < more; i++)
		r[i] = (struct map_record){ some_va() | some_perm(), some_pa() };
	k_map(some_space(), some_va() | some_perm(), some_pa(), rng() % 16 ? more : rng());
}

/* Takes a message from our threads if one waits (a deadline already past), and answers it somehow. */
static void serve_step(void)
{
	struct ipc_msg m;

	k_set_deadline(rdtime());
	wait_msg(ROOT_ENDPOINT_SLOT, &m);
	k_set_deadline(0);
	if ((long)m.tag < 0 || rng() % 4 == 0)
		return;		/* no message, or left without an answer */
	m = (struct ipc_msg){
		.tag = TAG(rng() % 3 ? FAULT_MAP : rng() % 2 ? FAULT_RETRY : rng(),
			   rng() % 4 ? 0 : rng() % 64),
		.peer = m.peer, .w = { some_va() | some_perm(), some_pa(), rng(), rng() },
	};
	ipc_reply(&m);
}

static void step(void)
{
	int i = (int)(rng() % NSPACES);

	switch (rng() % 16) {
	case 0:
		k_space_destroy((uint64_t)spaces[i]);	/* (none leaks: see the end) */
		spaces[i] = k_space_create();
		break;
	case 1: k_space_destroy(some_space()); break;
	case 2: new_thread(); break;
	case 3: case 4: map_step(); break;
	case 5: k_unmap(some_space(), some_va(), some_len()); break;
	case 6: k_protect(some_space(), some_va(), some_len(), some_perm()); break;
	case 7: {
		uint64_t a, d;

		k_read_ad(rng() % 4 ? some_space() : SPACE_SELF, some_va(), rng() % 80, &a, &d);
		break;
	}
	case 8: k_clear_ad(some_space(), some_va(), rng() % 80, rng() % 4); break;
	case 9:
		k_cap_copy(some_space(), rng() % 20, rng() % 2 ? SPACE_SELF : some_space(),
			   rng() % 20, rng() % 3 ? 0 : rng());
		break;
	case 10: k_cap_clear(some_space(), rng() % 20); break;
	case 11:
		if (rng() % 2) {
			k_context_get((uint64_t)some_tid());
		} else {
			for (i = 0; i < 40; i++)
				((uint64_t *)ipc_buffer)[i] = rng() % 2 ? some_va() : rng();
			k_context_reply((uint64_t)some_tid());
		}
		break;
	case 12: {
		struct ipc_msg m = { .tag = TAG(rng() % 4, 0), .peer = (uint64_t)some_tid() };

		ipc_reply(&m);
		break;
	}
	case 13: case 14: serve_step(); break;
	default: k_yield(); break;
	}
}

/* Afterwards: a fresh child still runs its script, and reports as it should. */
static void still_works(void)
{
	struct kcall_rec *self;
	struct script *s;
	struct child c;
	struct ipc_msg m;
	long tid;

	child_setup(&c, 1);
	s = child_script_page(&c, CHILD_SCRIPT);
	self = SCRIPT_ADD(s, SYS_THREAD_SELF, 0);
	tid = child_start(&c, CHILD_SCRIPT, ROOT_ENDPOINT_SLOT, 0);
	do {		/* messages from the fuzzing's threads may still come first */
		wait_msg(ROOT_ENDPOINT_SLOT, &m);
	} while (m.peer != (uint64_t)tid);
	expect_script_end(&m, tid);
	EXPECT(self->ret[0], tid);
	EXPECT(k_space_destroy(c.space), 0);
}

void __start_c(struct boot_info *bi)
{
	int i;

	rng_state = 0x13198a2e03707344ULL;
	ktest_init(bi);
	for (i = 0; i < NFRAMES; i++)
		frames[i] = new_frame();
	for (i = 0; i < NSPACES; i++)
		spaces[i] = k_space_create();
	for (i = 0; i < STEPS; i++)
		step();
	for (i = 0; i < NSPACES; i++)
		k_space_destroy((uint64_t)spaces[i]);
	still_works();
	ktest_done("fuzz");
}
