// Linux scheduling calls that Swift's Glibc module does not expose (they need _GNU_SOURCE), and two
// atomic operations (Swift's Synchronization module needs macOS 15; the package supports macOS 14).
#ifndef TALLY_SYSTEM_H
#define TALLY_SYSTEM_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

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

/// SHA-256 compression of `blocks` whole 64-byte blocks at `data` into `state` (FIPS 180-4, 6.2.2;
/// no padding): with the x86 SHA extensions when the CPU has them, else portable C.
void tally_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// ``tally_sha256_blocks`` in portable C only (tests compare the two).
void tally_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

/// Whether ``tally_sha256_blocks`` uses the x86 SHA extensions on this CPU.
int tally_sha256_uses_extensions(void);

/// A hint to the CPU that the caller is spinning (x86 `pause`, Arm `yield`; nothing elsewhere).
void tally_cpu_relax(void);

/// The number of CPUs the calling thread may run on (1 when it cannot be told).
int tally_usable_cpus(void);

#endif
