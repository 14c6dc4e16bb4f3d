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
void user_enter(struct thread *t, void *kernel_stack_top) __attribute__((noreturn));

static paddr_t test_device = 0x100000;

void machine_exit(int status)
{
	volatile uint32_t *test = phys_to_virt(test_device);

	*test = status == 0 ? 0x5555 : ((uint32_t)status << 16) | 0x3333;
	sbi_shutdown();
}

/* Direct-maps all of RAM with gigapages, and drops the boot identity map. */
static void finish_kernel_map(const struct machine_info *info)
{
	paddr_t pa;

	if (info->ram.end > DIRECT_MAP_SIZE)
		panic("RAM beyond %lu GiB is not supported", DIRECT_MAP_SIZE >> 30);
	for (pa = ROUND_DOWN(info->ram.start, LEVEL_SIZE(2)); pa < info->ram.end;
	     pa += LEVEL_SIZE(2))
		boot_pagetable[PTE_INDEX(DIRECT_MAP_BASE + pa, 2)] =
			pa_to_pte(pa, PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D);
	boot_pagetable[IDENTITY_SLOT] = 0;
	sfence_vma_all();
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
	print_machine(&info);
	frame_init(&info, &pool);
	space_init(boot_pagetable);
	root = boot_root_task(&info, &pool);
	timer_init(info.timebase_hz);

	space_activate(root->space);
	csr_clear(sstatus, SSTATUS_SPP);	/* sret goes to user mode */
	user_enter(root, boot_stack_top);
}
