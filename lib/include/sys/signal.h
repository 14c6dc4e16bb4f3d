/* <sys/signal.h> is <signal.h> here (picolibc's is replaced, not extended). */
#include <signal.h>
