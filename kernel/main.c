/*
 * Boot: learn the machine from the device tree, finish the kernel's own
 * mappings, split RAM, start the root task, and leave for user mode. From
 * then on the kernel runs only when a trap brings it in.
 */
#include "boot.h"
#include "csr.h"
#include "fdt.h"
#include "frame.h"
#include "sbi.h"
#include "sched.h"
#include "space.h"
#include "sv39.h"

#define IDENTITY_SLOT 2		/* boot_pagetable's entry for the jump to the upper half */

extern pte_t boot_pagetable[];
extern char trap_vector[], boot_stack_top[];
extern char kernel_start[], text_end[], rodata_end[], kernel_end[];
void user_enter(struct thread *t, void *kernel_stack_top) __attribute__((noreturn));

static paddr_t test_device = 0x100000;

void machine_exit(int status)
{
	volatile uint32_t *test = phys_to_virt(test_device);

	*test = status == 0 ? 0x5555 : ((uint32_t)status << 16) | 0x3333;
	sbi_shutdown();
}

/*
 * The kernel image page by page, W^X: its text R|X, its read-only data R,
 * the rest R|W. (The boot's gigapage mapped it all R|W|X.) It fits in one
 * level-0 table.
 */
static pte_t image_l1[512] __attribute__((aligned(PAGE_SIZE)));
static pte_t image_l0[512] __attribute__((aligned(PAGE_SIZE)));

static uint64_t image_perm(vaddr_t va)
{
	if (va < (vaddr_t)text_end)
		return PTE_R | PTE_X;
	return va < (vaddr_t)rodata_end ? PTE_R : PTE_R | PTE_W;
}

static void map_kernel_image(void)
{
	vaddr_t va;

	if ((vaddr_t)kernel_end - ROUND_DOWN((vaddr_t)kernel_start, LEVEL_SIZE(1)) >
	    LEVEL_SIZE(1))
		panic("the kernel image outgrew its level-0 table");
	for (va = (vaddr_t)kernel_start; va < (vaddr_t)kernel_end; va += PAGE_SIZE)
		image_l0[PTE_INDEX(va, 0)] = pa_to_pte(virt_to_phys((void *)va),
						      image_perm(va) | PTE_V | PTE_G | PTE_A |
						      PTE_D);
	image_l1[PTE_INDEX(KERNEL_VIRT_BASE, 1)] = pa_to_pte(virt_to_phys(image_l0), PTE_V);
	boot_pagetable[PTE_INDEX(KERNEL_VIRT_BASE, 2)] = pa_to_pte(virt_to_phys(image_l1), PTE_V);
}

/*
 * Direct-maps all of RAM with gigapages - read and write, never execute -
 * maps the image W^X, and drops the boot identity map.
 */
static void finish_kernel_map(const struct machine_info *info)
{
	paddr_t pa;

	if (info->ram.end > DIRECT_MAP_SIZE)
		panic("RAM beyond %lu GiB is not supported", DIRECT_MAP_SIZE >> 30);
	for (pa = ROUND_DOWN(info->ram.start, LEVEL_SIZE(2)); pa < info->ram.end;
	     pa += LEVEL_SIZE(2))
		boot_pagetable[PTE_INDEX(DIRECT_MAP_BASE + pa, 2)] =
			pa_to_pte(pa, PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D);
	map_kernel_image();
	boot_pagetable[IDENTITY_SLOT] = 0;
	sfence_vma_all();
}

/* The rights of the leaf that maps va in the kernel's table, at any level. */
static pte_t kernel_rights(const void *p)
{
	pte_t *table = boot_pagetable;
	int level;

	for (level = 2; level >= 0; level--) {
		pte_t pte = table[PTE_INDEX((vaddr_t)p, level)];

		if (!(pte & PTE_V))
			return 0;
		if (pte_is_leaf(pte))
			return pte & PTE_RWX;
		table = phys_to_virt(pte_to_pa(pte));
	}
	return 0;
}

/*
 * Every boot checks the kernel's own map: no page both writable and
 * executable, text not writable, read-only data read-only.
 */
static void check_kernel_map(const struct machine_info *info)
{
	static const char read_only[] = "read-only data";
	const struct { const void *at; pte_t want; const char *what; } checks[] = {
		{ trap_vector, PTE_R | PTE_X, "kernel text" },
		{ read_only, PTE_R, read_only },
		{ boot_pagetable, PTE_R | PTE_W, "kernel data" },
		{ image_l0, PTE_R | PTE_W, "kernel bss" },
		{ phys_to_virt(info->ram.start), PTE_R | PTE_W, "the direct map" },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(checks); i++)
		if (kernel_rights(checks[i].at) != checks[i].want)
			panic("kernel map: %s at %p is %lx, want %lx", checks[i].what,
			      checks[i].at, kernel_rights(checks[i].at), checks[i].want);
}

static void print_machine(const struct machine_info *info)
{
	kprintf("kernel: %lu MiB RAM at %lx, %d hart%s, timebase %lu Hz\n",
		(info->ram.end - info->ram.start) >> 20, info->ram.start, info->nharts,
		info->nharts == 1 ? "" : "s (one used)", info->timebase_hz);
	kprintf("kernel: initrd %lu KiB at %lx, args \"%s\"\n",
		(info->initrd.end - info->initrd.start) >> 10, info->initrd.start,
		info->bootargs);
}

void kmain(uint64_t hartid, paddr_t dtb)
{
	static struct machine_info info;
	static struct frame_pool pool;
	struct thread *root;

	(void)hartid;
	csr_write(stvec, trap_vector);
	csr_write(sscratch, 0);		/* "in the kernel", for trap.S */
	csr_write(scounteren, 7);	/* user mode may read cycle, time, instret */

	fdt_read(dtb, &info);
	test_device = info.test_device;
	finish_kernel_map(&info);
	check_kernel_map(&info);
	print_machine(&info);
	frame_init(&info, &pool);
	space_init(boot_pagetable);
	root = boot_root_task(&info, &pool);
	timer_init(info.timebase_hz);

	space_activate(root->space);
	csr_clear(sstatus, SSTATUS_SPP);	/* sret goes to user mode */
	user_enter(root, boot_stack_top);
}
