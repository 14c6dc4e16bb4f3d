/*
 * A reader for the flattened device tree (devicetree.org spec, v17). The
 * structure block is a stream of big-endian tokens: BEGIN_NODE name,
 * PROP len nameoff value, END_NODE, ... END. We walk it once, keeping the
 * path of node names, and pick out the properties boot needs.
 */
#include "fdt.h"

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define MAX_DEPTH      8

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings;
	uint32_t off_mem_rsvmap, version, last_comp_version, boot_cpuid_phys;
	uint32_t size_dt_strings, size_dt_struct;
};

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

/* A cell value of one or two cells, as the property's length says. */
static uint64_t cells(const void *p, uint32_t len)
{
	return len >= 8 ? be64(p) : be32(p);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Does a compatible list (NUL-separated strings) name this device? */
static bool compatible_has(const char *list, uint32_t len, const char *name)
{
	uint32_t i = 0;

	while (i < len) {
		if (strncmp(list + i, name, len - i) == 0)
			return true;
		i += strlen(list + i) + 1;
	}
	return false;
}

static void add_reserved(struct machine_info *info, paddr_t start, paddr_t size)
{
	if (size == 0 || info->nreserved == FDT_MAX_RESERVED)
		return;
	info->reserved[info->nreserved].start = start;
	info->reserved[info->nreserved].end = start + size;
	info->nreserved++;
}

/* The unit address of a node name ("virtio_mmio@10001000"), or 0. */
static paddr_t unit_address(const char *node)
{
	paddr_t pa = 0;

	while (*node != '\0' && *node != '@')
		node++;
	if (*node == '\0')
		return 0;
	for (node++; *node != '\0'; node++)
		pa = pa * 16 + (paddr_t)(*node <= '9' ? *node - '0' : (*node | 0x20) - 'a' + 10);
	return pa;
}

/*
 * Devices the kernel cares about, by their compatible strings: the test
 * device (to end the machine) and the virtio-mmio transports (for the root
 * task's drivers). Each has one page of registers at its unit address.
 */
static void visit_compatible(struct machine_info *info, const char *node,
			     const char *list, uint32_t len)
{
	paddr_t pa = unit_address(node);

	if (pa == 0)
		return;
	if (compatible_has(list, len, "sifive,test0")) {
		info->test_device = pa;
	} else if (compatible_has(list, len, "virtio,mmio") &&
		   info->ndevices < FDT_MAX_DEVICES) {
		info->devices[info->ndevices].start = pa;
		info->devices[info->ndevices].end = pa + PAGE_SIZE;
		info->ndevices++;
	}
}

/*
 * One property of the node whose path is names[0..depth]. QEMU's virt tree
 * uses two address and two size cells everywhere that matters here.
 */
static void visit_property(struct machine_info *info, const char **names,
			   int depth, const char *prop, const uint8_t *val, uint32_t len)
{
	const char *node = names[depth];
	const char *parent = depth > 0 ? names[depth - 1] : "";

	if (depth == 1 && starts_with(node, "memory") && strncmp(prop, "reg", 4) == 0 &&
	    len >= 16 && info->ram.end == 0) {
		info->ram.start = be64(val);
		info->ram.end = info->ram.start + be64(val + 8);
	} else if (depth == 1 && strncmp(node, "chosen", 7) == 0) {
		if (strncmp(prop, "linux,initrd-start", 19) == 0)
			info->initrd.start = cells(val, len);
		else if (strncmp(prop, "linux,initrd-end", 17) == 0)
			info->initrd.end = cells(val, len);
		else if (strncmp(prop, "bootargs", 9) == 0)
			info->bootargs = (const char *)val;
	} else if (depth == 1 && strncmp(node, "cpus", 5) == 0 &&
		   strncmp(prop, "timebase-frequency", 19) == 0) {
		info->timebase_hz = cells(val, len);
	} else if (depth == 2 && strncmp(parent, "cpus", 5) == 0 &&
		   starts_with(node, "cpu@") && strncmp(prop, "device_type", 12) == 0) {
		info->nharts++;
	} else if (depth == 2 && strncmp(parent, "reserved-memory", 16) == 0 &&
		   strncmp(prop, "reg", 4) == 0 && len >= 16) {
		add_reserved(info, be64(val), be64(val + 8));
	} else if (strncmp(prop, "compatible", 11) == 0) {
		visit_compatible(info, node, (const char *)val, len);
	}
}

static void read_memreserve(struct machine_info *info, const uint8_t *blob,
			    const struct fdt_header *h)
{
	const uint8_t *p = blob + be32(&h->off_mem_rsvmap);

	for (; be64(p) != 0 || be64(p + 8) != 0; p += 16)
		add_reserved(info, be64(p), be64(p + 8));
}

void fdt_read(paddr_t dtb_pa, struct machine_info *info)
{
	const uint8_t *blob = phys_to_virt(dtb_pa);
	const struct fdt_header *h = (const void *)blob;
	const uint8_t *p, *strings;
	const char *names[MAX_DEPTH + 1];
	int depth = -1;

	if (be32(&h->magic) != FDT_MAGIC)
		panic("no device tree at %lx", dtb_pa);
	memset(info, 0, sizeof(*info));
	info->dtb.start = dtb_pa;
	info->dtb.end = dtb_pa + be32(&h->totalsize);
	info->test_device = 0x100000;
	info->bootargs = "";
	read_memreserve(info, blob, h);

	p = blob + be32(&h->off_dt_struct);
	strings = blob + be32(&h->off_dt_strings);
	for (;;) {
		uint32_t token = be32(p);

		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			if (++depth > MAX_DEPTH)
				panic("device tree nests deeper than %d", MAX_DEPTH);
			names[depth] = name;
			p += ROUND_UP(strlen(name) + 1, 4);
		} else if (token == FDT_END_NODE) {
			depth--;
		} else if (token == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);

			if (depth >= 0)
				visit_property(info, names, depth,
					       (const char *)strings + nameoff, p + 8, len);
			p += 8 + ROUND_UP(len, 4);
		} else if (token == FDT_END) {
			break;
		} else if (token != FDT_NOP) {
			panic("device tree: bad token %u", token);
		}
	}
	if (info->ram.end == 0)
		panic("device tree names no memory");
	if (info->nharts == 0)
		info->nharts = 1;
}
