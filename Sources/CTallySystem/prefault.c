// Populating the executable's zero-initialised data in one call (see tally_system.h).
#include "tally_system.h"
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// The linker's bounds of the executable's .bss (GNU ld, gold and lld all define them).
extern char __bss_start[] __attribute__((weak));
extern char _end[] __attribute__((weak));

int tally_populate_zero_data(void) {
  if (!__bss_start || !_end) return 0;
  const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  // The first page may hold the end of .data (mapped from the file): start at the next one.
  uintptr_t lo = ((uintptr_t)__bss_start + page - 1) & ~(page - 1);
  uintptr_t hi = ((uintptr_t)_end + page - 1) & ~(page - 1);
  if (hi <= lo) return 0;
  return madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) == 0;
}
#else
int tally_populate_zero_data(void) { return 0; }
#endif
