// Mapping the hot part of the executable's zero-initialised data in one call (see tally_system.h).
#include "tally_system.h"
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// The start of the executable's .bss (defined by GNU ld, gold and lld).
extern char __bss_start[] __attribute__((weak));

// Ends the hot part of .bss: the release link (Benchmarks/layout/tally.order) places the .bss
// sections the quick commands write first, then this one. In any other link it sits wherever the
// linker puts it, and the range below is then only smaller or empty.
__attribute__((used, section(".bss.tally_hot_data_end"))) char tally_hot_data_end;

int tally_populate_hot_data(void) {
  if (!__bss_start) return 0;
  const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  // The first page may hold the end of .data (mapped from the file): start at the next one.
  const uintptr_t lo = ((uintptr_t)__bss_start + page - 1) & ~(page - 1);
  const uintptr_t hi = ((uintptr_t)&tally_hot_data_end + page - 1) & ~(page - 1);
  if (hi <= lo || hi - lo > ((uintptr_t)1 << 22)) return 0;
  return madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) == 0;
}
#else
int tally_populate_hot_data(void) { return 0; }
#endif
