// Linux scheduling calls that Swift's Glibc module does not expose (they need _GNU_SOURCE).
#ifndef TALLY_SYSTEM_H
#define TALLY_SYSTEM_H
#include <pthread.h>

/// Sets `attributes` so that a thread created with them starts on a CPU the process may use other
/// than the caller's current one. Returns 1 when set, 0 when there is no such CPU or the calls fail
/// (the attributes are then unchanged).
int tally_place_on_another_cpu(pthread_attr_t *attributes);

/// Lets the calling thread run on every CPU the process may use.
void tally_release_placement(void);

#endif
