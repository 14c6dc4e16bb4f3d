/* picolibc's <signal.h>, and the si_code values FreeBSD gives faults. */
#ifndef LIB_SIGNAL_H
#define LIB_SIGNAL_H

#include_next <signal.h>

#define ILL_ILLOPC  1	/* illegal opcode */
#define SEGV_MAPERR 1	/* address not mapped */
#define SEGV_ACCERR 2	/* mapped, but the access is not allowed */
#define BUS_ADRALN  1	/* misaligned address */
#define BUS_ADRERR  2	/* nonexistent physical address */
#define BUS_OBJERR  3	/* object-specific error (past its end, pager failure) */
#define BUS_OOMERR  100	/* no memory to back the page */
#define TRAP_BRKPT  1	/* breakpoint */

#endif
