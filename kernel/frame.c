#include "frame.h"

/* Frames kept back for page tables: RAM / KERNEL_RESERVE_DIVISOR. */
#define KERNEL_RESERVE_DIVISOR 32

extern char kernel_end[];

struct pool_ownership pool_ownership;

#define ram_start (pool_ownership.ram_start)
#define pool_bitmap (pool_ownership.bitmap)

static struct free_frame {
	struct free_frame *next;
} *kernel_free_list;
static uint64_t kernel_free_frames;

/* Removes [start, end) from the sorted, disjoint list of ranges. */
static void subtract_range(struct frame_pool *pool, paddr_t start, paddr_t end)
{
	struct boot_range out[BOOTINFO_MAX_RANGES];
	int i, n = 0;

	start = ROUND_DOWN(start, PAGE_SIZE);
	end = ROUND_UP(end, PAGE_SIZE);
	for (i = 0; i < pool->nranges; i++) {
		struct boot_range r = pool->range[i];

		if (end <= r.start || start >= r.end) {
			out[n++] = r;
			continue;
		}
		if (r.start < start && n < BOOTINFO_MAX_RANGES)
			out[n++] = (struct boot_range){ r.start, start };
		if (end < r.end && n < BOOTINFO_MAX_RANGES)
			out[n++] = (struct boot_range){ end, r.end };
	}
	memcpy(pool->range, out, sizeof(out[0]) * n);
	pool->nranges = n;
}

static void bitmap_set(paddr_t pa, bool in_pool)
{
	uint64_t bit = (pa - ram_start) >> PAGE_SHIFT;

	if (in_pool)
		pool_bitmap[bit / 64] |= 1UL << (bit % 64);
	else
		pool_bitmap[bit / 64] &= ~(1UL << (bit % 64));
}

void frame_pool_set_owner(struct space *owner)
{
	pool_ownership.owner = owner;
}

void frame_init(const struct machine_info *info, struct frame_pool *pool)
{
	paddr_t kernel_end_pa = virt_to_phys(kernel_end);
	uint64_t nframes = (info->ram.end - info->ram.start) >> PAGE_SHIFT;
	uint64_t bitmap_bytes = ROUND_UP((nframes + 63) / 64 * 8, PAGE_SIZE);
	paddr_t reserve_start, reserve_end, pa;
	int i;

	ram_start = info->ram.start;
	pool_ownership.ram_size = info->ram.end - info->ram.start;

	/* The bitmap, then the page-table reserve, follow the kernel image. */
	pool_bitmap = phys_to_virt(kernel_end_pa);
	memset(pool_bitmap, 0, bitmap_bytes);
	reserve_start = kernel_end_pa + bitmap_bytes;
	reserve_end = reserve_start + ROUND_DOWN(
		pool_ownership.ram_size / KERNEL_RESERVE_DIVISOR, PAGE_SIZE);
	for (pa = reserve_end; pa > reserve_start; pa -= PAGE_SIZE)
		frame_free_kernel(phys_to_virt(pa - PAGE_SIZE));

	pool->range[0] = (struct boot_range){ info->ram.start, info->ram.end };
	pool->nranges = 1;
	subtract_range(pool, ram_start, reserve_end);	/* firmware and kernel */
	subtract_range(pool, info->dtb.start, info->dtb.end);
	if (info->initrd.end > info->initrd.start)
		subtract_range(pool, info->initrd.start, info->initrd.end);
	for (i = 0; i < info->nreserved; i++)
		subtract_range(pool, info->reserved[i].start, info->reserved[i].end);

	pool->nframes = 0;
	for (i = 0; i < pool->nranges; i++) {
		for (pa = pool->range[i].start; pa < pool->range[i].end; pa += PAGE_SIZE)
			bitmap_set(pa, true);
		pool->nframes += (pool->range[i].end - pool->range[i].start) >> PAGE_SHIFT;
	}
}

static struct fdt_range devices[FDT_MAX_DEVICES];
static int ndevices;

void frame_devices_init(const struct machine_info *info)
{
	memcpy(devices, info->devices, sizeof(devices));
	ndevices = info->ndevices;
}

bool frame_device_owned_by(paddr_t pa, const struct space *s)
{
	int i;

	if (s != pool_ownership.owner || (pa & (PAGE_SIZE - 1)) != 0)
		return false;
	for (i = 0; i < ndevices; i++)
		if (pa >= devices[i].start && pa < devices[i].end)
			return true;
	return false;
}

paddr_t frame_take_from_pool(struct frame_pool *pool)
{
	paddr_t pa;

	if (pool->nranges == 0)
		panic("frame pool empty at boot");
	pa = pool->range[0].start;
	pool->range[0].start += PAGE_SIZE;
	if (pool->range[0].start == pool->range[0].end) {
		pool->nranges--;
		memcpy(&pool->range[0], &pool->range[1], sizeof(pool->range[0]) * pool->nranges);
	}
	pool->nframes--;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

void *frame_alloc_kernel(void)
{
	struct free_frame *f = kernel_free_list;

	if (f == NULL)
		return NULL;
	kernel_free_list = f->next;
	kernel_free_frames--;
	memset(f, 0, PAGE_SIZE);
	return f;
}

void frame_free_kernel(void *page)
{
	struct free_frame *f = page;

	f->next = kernel_free_list;
	kernel_free_list = f;
	kernel_free_frames++;
}

uint64_t frame_kernel_free_count(void)
{
	return kernel_free_frames;
}
