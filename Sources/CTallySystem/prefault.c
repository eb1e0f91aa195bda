// Mapping the hot part of the executable's writable data in one call each (see tally_system.h).
#include "tally_system.h"
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// The start of the executable's .bss (defined by GNU ld, gold and lld).
extern char __bss_start[] __attribute__((weak));

// The release link (Benchmarks/layout/tally.order) places the .bss sections the quick commands write
// first, then `tally_hot_data_end`; and in .data, `tally_hot_rwdata_begin`, the sections they write,
// then `tally_hot_rwdata_end`. In any other link these sit wherever the linker puts them, and the
// ranges below are then only smaller, empty, or refused.
__attribute__((used, section(".bss.tally_hot_data_end"))) char tally_hot_data_end;
__attribute__((used, section(".data.tally_hot_rwdata_begin"))) char tally_hot_rwdata_begin = 1;
__attribute__((used, section(".data.tally_hot_rwdata_end"))) char tally_hot_rwdata_end = 1;

// Writes every page that holds a byte of [begin, end] (at most 4 MiB) in one call.
static int populate(uintptr_t begin, uintptr_t end, uintptr_t page) {
  const uintptr_t lo = begin & ~(page - 1), hi = (end + page) & ~(page - 1);
  if (begin > end || hi - lo > ((uintptr_t)1 << 22)) return 0;
  return madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) == 0;
}

int tally_populate_hot_data(void) {
  const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  int done = 0;
  // (.bss's first page may hold the end of .data, mapped from the file: it starts at the next one.)
  if (__bss_start) {
    const uintptr_t first = ((uintptr_t)__bss_start + page - 1) & ~(page - 1);
    if ((uintptr_t)&tally_hot_data_end >= first) done += populate(first, (uintptr_t)&tally_hot_data_end, page);
  }
  done += populate((uintptr_t)&tally_hot_rwdata_begin, (uintptr_t)&tally_hot_rwdata_end, page);
  return done == 2;
}
#else
int tally_populate_hot_data(void) { return 0; }
#endif

#if defined(__GLIBC__)
#include <malloc.h>
int tally_keep_freed_memory(void) {
  // (Fixed values also end glibc's adjustment of the mapping threshold to the largest block freed.)
  return mallopt(M_MMAP_THRESHOLD, 64 << 20) && mallopt(M_TRIM_THRESHOLD, 256 << 20);
}
#else
int tally_keep_freed_memory(void) { return 0; }
#endif
