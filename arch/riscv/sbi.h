/* Calls into the SBI firmware (OpenSBI 1.1: SBI 1.0). */
#ifndef ARCH_RISCV_SBI_H
#define ARCH_RISCV_SBI_H

#include <stdint.h>

void sbi_console_putchar(int c);
void sbi_set_timer(uint64_t stime_value);
void sbi_shutdown(void) __attribute__((noreturn));

#endif
