/* Resource usage, with the fault counters FreeBSD keeps. */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <sys/time.h>

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN -1

struct rusage {
	struct timeval ru_utime;	/* user time: not measured (0) */
	struct timeval ru_stime;	/* system time: not measured (0) */
	long ru_minflt;			/* page faults served without a pager's I/O */
	long ru_majflt;			/* page faults that needed I/O */
};

int getrusage(int who, struct rusage *usage);

#endif
