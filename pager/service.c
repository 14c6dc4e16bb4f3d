/*
 * The service registry: names for endpoints, so that programs find servers
 * (vm_proto.h: VM_SERVICE_REGISTER, VM_SERVICE_LOOKUP).
 *
 * A server registers its own endpoint under a name: the VM server copies
 * that cap into a slot of its own space - service i keeps slot i + 1, as
 * slot 0 is the VM server's endpoint. A lookup copies it from there into
 * the client's space, badged with the client's pid, so that the server
 * knows who calls. A lookup of a name not registered yet may wait for it:
 * its reply is held back, as waitpid's is, until the name comes (the cap
 * goes into the slot the client named) or its timer fires (ETIMEDOUT).
 *
 * Invariants: every service and every waiting lookup belongs to a live
 * process - service_proc_exit drops them when it ends; a lookup waits
 * exactly while its timer is pending.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "timer.h"
#include "vmserver.h"

#define NSERVICES (PROC_CAP_SLOTS - 1)
#define LOOKUP_WAIT_MAX_MS (60 * 60 * 1000UL)	/* a longer wait waits this long */

struct service {
	char name[SERVICE_NAME_MAX + 1];	/* "": unused */
	int owner;				/* the pid that registered it */
};

/* A lookup waiting for its name. A process has one thread: one at most. */
struct lookup_wait {
	struct timer timer;			/* pending while it waits */
	char name[SERVICE_NAME_MAX + 1];
	int pid;
	uint64_t thread;			/* waits for our reply */
	uint64_t slot;				/* where the cap goes */
};

static struct service services[NSERVICES];
static struct lookup_wait waits[NPROCS];	/* by process: proc_badge(p) - 1 */

/* Our slot that holds service s's endpoint. */
static uint64_t service_slot(const struct service *s)
{
	return (uint64_t)(s - services) + 1;
}

static struct service *service_named(const char *name)
{
	int i;

	for (i = 0; i < NSERVICES; i++)
		if (strcmp(services[i].name, name) == 0)
			return &services[i];
	return NULL;
}

/* 1..SERVICE_NAME_MAX printable characters, no spaces: init's -s can name it. */
static bool name_ok(const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (i == SERVICE_NAME_MAX || name[i] <= ' ' || name[i] > '~')
			return false;
	return i > 0;
}

/* A slot a process may name: any but the VM server's. */
static bool client_slot_ok(uint64_t slot)
{
	return slot != VM_SERVER_SLOT && slot < PROC_CAP_SLOTS;
}

/*
 * Copies p's cap in `slot` into our slot `ours`, unbadged as it is. Only an
 * unbadged cap will do - the process's own endpoint - since lookups badge
 * it for each client, and the kernel badges only an unbadged cap: a trial
 * copy with a badge tells, and the plain copy then replaces it.
 */
static bool copy_endpoint_in(struct proc *p, uint64_t slot, uint64_t ours)
{
	return k_cap_copy(SPACE_SELF, ours, p->space, slot, (uint64_t)p->pid) == 0 &&
	       k_cap_copy(SPACE_SELF, ours, p->space, slot, 0) == 0;
}

/* Gives p a cap to s in `slot`, badged with p's pid. 0 or an errno value. */
static int copy_endpoint_out(const struct service *s, struct proc *p, uint64_t slot)
{
	return k_cap_copy(p->space, slot, SPACE_SELF, service_slot(s), (uint64_t)p->pid) == 0
		       ? 0 : EINVAL;
}

/* Ends a waiting lookup: the cap to s in its slot, or ETIMEDOUT if s is NULL. */
static void lookup_answer(struct lookup_wait *w, const struct service *s)
{
	struct proc *p = proc_find(w->pid);
	struct ipc_msg reply = { .peer = w->thread };

	timer_stop(&w->timer);
	if (p == NULL || p->state != PROC_ALIVE)
		return;		/* it has gone: nobody waits for the answer */
	reply.tag = TAG(s != NULL ? copy_endpoint_out(s, p, w->slot) : ETIMEDOUT, 0);
	ipc_reply(&reply);
}

static void lookup_timeout(struct timer *t)
{
	lookup_answer((struct lookup_wait *)((char *)t - offsetof(struct lookup_wait, timer)),
		      NULL);
}

int service_add(struct proc *p, uint64_t slot, const char *name)
{
	struct service *s;
	int i;

	if (!name_ok(name) || !client_slot_ok(slot))
		return EINVAL;
	if (service_named(name) != NULL)
		return EEXIST;
	if ((s = service_named("")) == NULL)	/* an unused one */
		return ENOSPC;
	if (!copy_endpoint_in(p, slot, service_slot(s)))
		return EINVAL;
	strcpy(s->name, name);
	s->owner = p->pid;
	for (i = 0; i < NPROCS; i++)
		if (waits[i].timer.pending && strcmp(waits[i].name, name) == 0)
			lookup_answer(&waits[i], s);
	return 0;
}

int service_find(struct proc *p, uint64_t thread, uint64_t slot, uint64_t wait_ms,
		 const char *name)
{
	struct lookup_wait *w = &waits[proc_badge(p) - 1];
	struct service *s;

	if (!name_ok(name) || !client_slot_ok(slot))
		return -EINVAL;
	if ((s = service_named(name)) != NULL)
		return -copy_endpoint_out(s, p, slot);
	if (wait_ms == 0)
		return -ENOENT;
	strcpy(w->name, name);
	w->pid = p->pid;
	w->thread = thread;
	w->slot = slot;
	timer_start(&w->timer, wait_ms < LOOKUP_WAIT_MAX_MS ? wait_ms : LOOKUP_WAIT_MAX_MS,
		    lookup_timeout);
	return 1;
}

void service_proc_exit(struct proc *p)
{
	int i;

	timer_stop(&waits[proc_badge(p) - 1].timer);	/* its thread is gone: no reply */
	/*
	 * Its names go, and our copies of its endpoints: with the last one that
	 * can receive, the kernel fails the calls of its clients (-E_NORECEIVER)
	 * instead of leaving them to wait for a server that is gone.
	 */
	for (i = 0; i < NSERVICES; i++) {
		if (services[i].owner == p->pid) {
			services[i].name[0] = '\0';
			k_cap_clear(SPACE_SELF, service_slot(&services[i]));
		}
	}
}
