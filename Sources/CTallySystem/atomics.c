// Atomic loads and compare-and-exchange on a `long`, for _MovingCut (TallyIO/_Parallel.swift): the
// package supports macOS 14, where Swift's Synchronization module is not available.
#include "tally_system.h"

long tally_atomic_load(long *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }

long tally_atomic_exchange_if(long *p, long expected, long desired) {
  __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return expected;
}

void tally_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}
