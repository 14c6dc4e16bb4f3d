/*
 * The VM server: the root task. The kernel starts it with the boot_info
 * page; it takes the frame pool as the VM's pages, starts init, and then
 * serves one message at a time - page faults and the calls of processes -
 * each with one kernel entry: reply to the last, wait for the next.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "initrd.h"
#include "libuser.h"
#include "pmap_riscv.h"
#include "timer.h"
#include "vm_proto.h"
#include "vmserver.h"

#define EXIT_VMSERVER_PANIC 251
#define INIT_MAX_ARGS 16

void vm_server_panic(const char *what, long value)
{
	printf("vmserver: panic: %s (%ld)\n", what, value);
	k_shutdown(EXIT_VMSERVER_PANIC);
	for (;;)
		;
}

void vm_panic(const char *file, int line, const char *what)
{
	printf("vmserver: %s:%d: assertion failed: %s\n", file, line, what);
	k_shutdown(EXIT_VMSERVER_PANIC);
	for (;;)
		;
}

/* A number after a prefix ("pager_timeout=250"), or -1 if word is not that option. */
static long option_value(const char *word, const char *prefix)
{
	size_t n = strlen(prefix);
	long value = 0;

	if (strncmp(word, prefix, n) != 0 || word[n] == '\0')
		return -1;
	for (word += n; *word >= '0' && *word <= '9'; word++)
		value = value * 10 + (*word - '0');
	return *word == '\0' ? value : -1;
}

/*
 * The kernel command line: options (trace=1, collapse=lazy|eager,
 * pager_timeout=MS), then the program init runs and its arguments. Splits
 * it in place into init's argv.
 */
static int parse_args(char *args, char *argv[], int max)
{
	int argc = 0;
	char *s = args;

	argv[argc++] = "init";
	while (*s != '\0' && argc < max) {
		char *word;

		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		word = s;
		while (*s != '\0' && *s != ' ')
			s++;
		if (*s != '\0')
			*s++ = '\0';
		if (strcmp(word, "trace=1") == 0)
			fault_trace = true;
		else if (strcmp(word, "collapse=lazy") == 0)
			vm_collapse_policy = VM_COLLAPSE_LAZY;
		else if (strcmp(word, "collapse=eager") == 0)
			vm_collapse_policy = VM_COLLAPSE_EAGER;
		else if (option_value(word, "pager_timeout=") > 0)
			pager_timeout_ms = (uint64_t)option_value(word, "pager_timeout=");
		else
			argv[argc++] = word;
	}
	argv[argc] = NULL;
	return argc;
}

static void start_vm(const struct boot_info *bi)
{
	struct vm_phys_range ranges[BOOTINFO_MAX_RANGES];
	uint64_t i;

	pmap_riscv_init(bi);
	timer_init(bi->timebase_hz);
	device_init(bi);
	for (i = 0; i < bi->npool; i++) {
		ranges[i].start = bi->pool[i].start;
		ranges[i].end = bi->pool[i].end;
	}
	vm_page_startup(ranges, (int)bi->npool, bi->image.start, bi->image.end);
	initrd_init((const void *)bi->initrd_window, bi->initrd_size);
	printf("vmserver: %lu pages, %lu free\n", (unsigned long)vm_cnt.v_page_count,
	       (unsigned long)vm_cnt.v_free_count);
}

void vm_handle(struct proc *p, struct ipc_msg *m)
{
	if (TAG_LABEL(m->tag) == MSG_EXCEPTION) {
		vm_exception(p, m);
		return;
	}
	vm_request(p, m);
	pmap_batch_flush();
}

static void dispatch(struct ipc_msg *m)
{
	struct proc *p = proc_from_badge(m->badge);

	if (p == NULL) {
		m->peer = 0;	/* its process ended while the message waited */
		return;
	}
	if (TAG_LABEL(m->tag) == MSG_PAGE_FAULT)
		vm_page_fault(p, m);
	else
		vm_handle(p, m);
}

/*
 * The kernel refused a reply: a fault reply whose mappings it could not
 * make (its page-table reserve is exhausted). The process cannot go on.
 */
static void reply_failed(uint64_t peer_badge, long error)
{
	struct proc *p = proc_from_badge(peer_badge);

	if (error != -E_NOMEM || p == NULL)
		vm_server_panic("the kernel refused a reply", error);
	proc_kill(p, SIGBUS, BUS_OOMERR, 0, 0);
}

static void serve(void)
{
	struct ipc_msg m = { 0 };
	uint64_t peer_badge = 0;

	for (;;) {
		ipc_reply_wait(ROOT_ENDPOINT_SLOT, &m);
		if ((int64_t)m.tag == -E_TIMEOUT) {
			timer_expire();
			m.peer = 0;
			continue;
		}
		if ((int64_t)m.tag < 0) {
			reply_failed(peer_badge, (long)m.tag);
			m.peer = 0;
			continue;
		}
		peer_badge = m.badge;
		dispatch(&m);
	}
}

void __start_c(const struct boot_info *bi)
{
	static char args[BOOTINFO_ARGS_SIZE];
	char *argv[INIT_MAX_ARGS + 1];
	struct proc *init;
	int argc, error;

	ipc_buffer_init();
	start_vm(bi);
	memcpy(args, bi->args, sizeof(args));
	args[sizeof(args) - 1] = '\0';
	argc = parse_args(args, argv, INIT_MAX_ARGS);
	init = proc_spawn(NULL, "init", argc, argv, &error);
	if (init == NULL)
		vm_server_panic("cannot start init", error);
	serve();
}
