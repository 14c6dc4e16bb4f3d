/*
 * Starting the root task: the VM server, the first file of the initrd.
 *
 * There is no pager for the pager, so the kernel loads it whole: its ELF
 * segments and stack go into frames from the start of the pool, mapped
 * eagerly. It also gets two windows - every pool frame, read-write, and the
 * initrd, read-only - and a boot_info page saying where everything is.
 */
#include "boot.h"
#include "elf.h"
#include "frame.h"
#include "ipc.h"
#include "space.h"
#include "thread.h"
#include "uapi/abi.h"

#define ROOT_POOL_WINDOW   0x2000000000UL
#define ROOT_INITRD_WINDOW 0x3000000000UL
#define ROOT_STACK_TOP     0x3fffe00000UL
#define ROOT_STACK_PAGES   16
#define ROOT_BOOTINFO_VA   0x3ffff00000UL
#define USTAR_BLOCK        512

static struct space *root;
static struct frame_pool *pool;

static void map_or_panic(vaddr_t va, paddr_t pa, uint64_t perm)
{
	if (space_map(root, va, pa, perm) != 0)
		panic("boot: out of page tables mapping the root task");
}

/* A zeroed pool frame, mapped at va in the root task. */
static void *map_new_page(vaddr_t va, uint64_t perm)
{
	paddr_t pa = frame_take_from_pool(pool);

	map_or_panic(va, pa, perm);
	return phys_to_virt(pa);
}

/* The size of the first member of a ustar archive: 12 octal digits at 124. */
static uint64_t ustar_first_size(const char *header)
{
	uint64_t size = 0;
	int i;

	for (i = 124; i < 136 && header[i] >= '0' && header[i] <= '7'; i++)
		size = size * 8 + (uint64_t)(header[i] - '0');
	return size;
}

static uint64_t elf_perm(uint32_t flags)
{
	return (flags & ELF_PF_R ? PERM_R : 0) | (flags & ELF_PF_W ? PERM_W | PERM_R : 0) |
	       (flags & ELF_PF_X ? PERM_X : 0);
}

static void load_segment(const char *image, const struct elf64_phdr *ph)
{
	vaddr_t va;

	if (ph->vaddr % PAGE_SIZE != 0 || ph->filesz > ph->memsz ||
	    ph->vaddr + ph->memsz > USER_TOP)
		panic("boot: root task segment at %lx is not page-aligned user memory",
		      ph->vaddr);
	for (va = ph->vaddr; va < ph->vaddr + ph->memsz; va += PAGE_SIZE) {
		char *page = map_new_page(va, elf_perm(ph->flags));
		uint64_t done = va - ph->vaddr;

		if (done < ph->filesz)
			memcpy(page, image + ph->offset + done,
			       ph->filesz - done < PAGE_SIZE ? ph->filesz - done : PAGE_SIZE);
	}
}

/* Loads the ELF image; returns its entry point. */
static vaddr_t load_elf(const char *image, uint64_t size)
{
	const struct elf64_ehdr *eh = (const void *)image;
	int i;

	if (size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->machine != ELF_EM_RISCV ||
	    eh->phoff + (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size)
		panic("boot: the root task is not a RISC-V ELF file");
	for (i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
			(const void *)(image + eh->phoff + i * sizeof(struct elf64_phdr));

		if (ph->type == ELF_PT_LOAD)
			load_segment(image, ph);
	}
	return eh->entry;
}

static void map_windows(const struct machine_info *info, struct boot_info *bi)
{
	paddr_t pa;
	uint64_t i;

	for (i = 0; i < bi->npool; i++)
		for (pa = bi->pool[i].start; pa < bi->pool[i].end; pa += PAGE_SIZE)
			map_or_panic(ROOT_POOL_WINDOW + (pa - info->ram.start), pa,
				     PERM_R | PERM_W);
	for (pa = ROUND_DOWN(info->initrd.start, PAGE_SIZE); pa < info->initrd.end;
	     pa += PAGE_SIZE)
		map_or_panic(ROOT_INITRD_WINDOW + (pa - ROUND_DOWN(info->initrd.start, PAGE_SIZE)),
			     pa, PERM_R);
	bi->pool_window = ROOT_POOL_WINDOW;
	bi->initrd_window = ROOT_INITRD_WINDOW + info->initrd.start % PAGE_SIZE;
	bi->initrd_size = info->initrd.end - info->initrd.start;
}

/* bi->pool is the whole pool as the root task owns it, its own image included. */
static void fill_boot_info(struct boot_info *bi, const struct machine_info *info,
			   const struct frame_pool *whole)
{
	uint64_t i;

	bi->ram_start = info->ram.start;
	bi->ram_end = info->ram.end;
	bi->npool = (uint64_t)whole->nranges;
	for (i = 0; i < bi->npool; i++)
		bi->pool[i] = whole->range[i];
	bi->nharts = (uint64_t)info->nharts;
	bi->timebase_hz = info->timebase_hz;
	bi->self_space = root->id;
	bi->ndevices = (uint64_t)info->ndevices;
	for (i = 0; i < bi->ndevices; i++)
		bi->devices[i] = (struct boot_range){ info->devices[i].start, info->devices[i].end };
	for (i = 0; i + 1 < BOOTINFO_ARGS_SIZE && info->bootargs[i] != '\0'; i++)
		bi->args[i] = info->bootargs[i];
}

struct thread *boot_root_task(const struct machine_info *info, struct frame_pool *p)
{
	const char *initrd = phys_to_virt(info->initrd.start);
	struct frame_pool whole = *p;
	struct boot_info *bi;
	struct thread *t;
	paddr_t bi_pa;
	vaddr_t entry;
	int i;

	pool = p;
	if (info->initrd.end - info->initrd.start < USTAR_BLOCK)
		panic("boot: no initrd; the root task comes from it");
	if ((root = space_create(NULL)) == NULL)
		panic("boot: cannot create the root space");
	frame_pool_set_owner(root);
	frame_devices_init(info);

	/* The image takes consecutive frames from the start of the first range. */
	bi_pa = frame_take_from_pool(pool);
	bi = phys_to_virt(bi_pa);
	map_or_panic(ROOT_BOOTINFO_VA, bi_pa, PERM_R);
	fill_boot_info(bi, info, &whole);
	entry = load_elf(initrd + USTAR_BLOCK, ustar_first_size(initrd));
	for (i = 1; i <= ROOT_STACK_PAGES; i++)
		map_new_page(ROOT_STACK_TOP - (uint64_t)i * PAGE_SIZE, PERM_R | PERM_W);
	if (pool->nranges != whole.nranges)
		panic("boot: the root task does not fit in the first memory range");
	bi->image = (struct boot_range){ bi_pa, pool->range[0].start };
	map_windows(info, bi);

	if (endpoint_create(root) != ROOT_ENDPOINT_SLOT)
		panic("boot: root endpoint");
	t = thread_alloc(root, entry, ROOT_STACK_TOP, ROOT_BOOTINFO_VA);
	if (t == NULL)
		panic("boot: no thread for the root task");
	kprintf("boot: root task %lu KiB; pool %lu MiB in %d ranges\n",
		(bi->image.end - bi->image.start) / 1024,
		(whole.nframes * PAGE_SIZE) >> 20, whole.nranges);
	return t;
}
