// Linux scheduling calls that Swift's Glibc module does not expose (they need _GNU_SOURCE), and two
// atomic operations (Swift's Synchronization module needs macOS 15; the package supports macOS 14).
#ifndef TALLY_SYSTEM_H
#define TALLY_SYSTEM_H
#include <pthread.h>

/// Sets `attributes` so that a thread created with them starts on a CPU the process may use other
/// than the caller's current one. Returns 1 when set, 0 when there is no such CPU or the calls fail
/// (the attributes are then unchanged).
int tally_place_on_another_cpu(pthread_attr_t *attributes);

/// Lets the calling thread run on every CPU the process may use.
void tally_release_placement(void);

/// The value at `p`, loaded with acquire ordering (sequentially consistent).
long tally_atomic_load(long *p);

/// Replaces the value at `p` with `desired` when it is `expected` (sequentially consistent);
/// returns the value it held (`expected` when replaced).
long tally_atomic_exchange_if(long *p, long expected, long desired);

#endif
