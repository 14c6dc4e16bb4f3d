/* System-wide VM counters, with FreeBSD's names and meanings. */
#ifndef _SYS_VMMETER_H_
#define _SYS_VMMETER_H_

struct vmmeter {
	unsigned long v_vm_faults;	/* page faults handled by the VM server */
	unsigned long v_io_faults;	/* ... that a pager's read served */
	unsigned long v_cow_faults;	/* copy-on-write faults */
	unsigned long v_cow_optim;	/* ... resolved by moving, not copying */
	unsigned long v_zfod;		/* zero-fill-on-demand faults */
	unsigned long v_ozfod;		/* ... that found a pre-zeroed page */
	unsigned long v_intrans;	/* faults that waited for a page in transit */
	unsigned long v_page_count;	/* pages the VM manages */
	unsigned long v_free_count;	/* ... that are free */
	unsigned long v_wire_count;	/* ... that are wired */
	unsigned long v_objects;	/* live VM objects */
	unsigned long v_prefaults;	/* pages mapped ahead by prefault */
	unsigned long v_active_count;	/* pages in use, recently touched */
	unsigned long v_inactive_count;	/* ... not lately: the first to go */
	unsigned long v_pageins;	/* reads asked of pagers */
	unsigned long v_pagein_pages;	/* ... the pages they asked for */
	unsigned long v_pageouts;	/* write-backs asked of pagers */
	unsigned long v_pageout_pages;	/* ... the pages they wrote */
};

/* Fills *vm with the current counters; returns 0, or -1 with errno set. */
int getvmmeter(struct vmmeter *vm);

#endif
