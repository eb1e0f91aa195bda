// Thread placement for _inFreshThreads (TallyCore/_Parallel.swift); no-ops off Linux. And the number
// of CPUs a thread may use (whether waiting for another thread may spin).
#define _GNU_SOURCE
#include "tally_system.h"

#ifdef __linux__
#include <sched.h>
#include <unistd.h>

int tally_place_on_another_cpu(pthread_attr_t *attributes) {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return 0;
  int here = sched_getcpu();
  if (here < 0 || here >= CPU_SETSIZE || !CPU_ISSET(here, &allowed)) return 0;
  CPU_CLR(here, &allowed);
  if (CPU_COUNT(&allowed) == 0) return 0;
  return pthread_attr_setaffinity_np(attributes, sizeof allowed, &allowed) == 0;
}

void tally_release_placement(void) {
  cpu_set_t allowed;
  if (sched_getaffinity(getpid(), sizeof allowed, &allowed) != 0) return;
  pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
}

int tally_usable_cpus(void) {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return 1;
  int n = CPU_COUNT(&allowed);
  return n > 0 ? n : 1;
}
#else
#include <unistd.h>
int tally_place_on_another_cpu(pthread_attr_t *attributes) { (void)attributes; return 0; }
void tally_release_placement(void) {}
int tally_usable_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}
#endif
