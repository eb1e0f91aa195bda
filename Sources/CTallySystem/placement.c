// Thread placement for _inFreshThreads (TallyCore/_Parallel.swift); no-ops off Linux.
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
#else
int tally_place_on_another_cpu(pthread_attr_t *attributes) { (void)attributes; return 0; }
void tally_release_placement(void) {}
#endif
