// Linux scheduling calls that Swift's Glibc module does not expose (they need _GNU_SOURCE), and two
// atomic operations (Swift's Synchronization module needs macOS 15; the package supports macOS 14).
#ifndef TALLY_SYSTEM_H
#define TALLY_SYSTEM_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/// Maps the pages of the executable's writable data that the quick commands write (the runtime's and
/// the modules' metadata caches, once tokens and static objects: the .bss and .data sections the
/// release link places first) in one call each, before a second thread runs. Otherwise each .bss page
/// costs a read fault (the zero page) and a write fault, and each .data page a copy-on-write fault;
/// while the reading thread runs on the other CPU, each such write fault must flush that CPU's TLB
/// with an interprocessor interrupt. Returns 1 when both ranges were mapped, 0 otherwise (a link
/// without the order, or a kernel before 5.14).
int tally_populate_hot_data(void);

/// Has malloc serve blocks up to 64 MiB from its heap rather than from mappings of their own, and
/// keep up to 256 MiB freed at the top of the heap rather than return it. A block freed from its own
/// mapping is unmapped, and so is a trimmed heap top: while a second thread runs, each such unmapping
/// must flush that thread's CPU's TLB with an interprocessor interrupt, and the next block needs
/// fresh pages again, a fault each. Returns 1 when both are set (glibc), 0 otherwise.
int tally_keep_freed_memory(void);

/// A hint to the CPU that the caller is spinning (x86 `pause`, Arm `yield`; nothing elsewhere).
void tally_cpu_relax(void);

/// The number of CPUs the calling thread may run on (1 when it cannot be told).
int tally_usable_cpus(void);

/// Where 64 bytes hold a comma, a semicolon, a line feed or a blank (a space or a tab): bit i set for
/// byte i (the readers' fast path for ordinary ballot rows, ``_PlainRows``). Reads exactly the 64
/// bytes at `p`.
typedef struct {
  uint64_t comma;
  uint64_t semicolon;
  uint64_t lineFeed;
  uint64_t blank;
} tally_separators;

static inline __attribute__((always_inline)) tally_separators tally_separators64(const uint8_t *p) {
  tally_separators r;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), semicolon = _mm_set1_epi8(';'), lineFeed = _mm_set1_epi8('\n');
  const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
  const __m128i v0 = _mm_loadu_si128((const __m128i *)p), v1 = _mm_loadu_si128((const __m128i *)(p + 16));
  const __m128i v2 = _mm_loadu_si128((const __m128i *)(p + 32)), v3 = _mm_loadu_si128((const __m128i *)(p + 48));
#define TALLY_BITS(v, c) ((uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)))
#define TALLY_MASK(c) (TALLY_BITS(v0, c) | TALLY_BITS(v1, c) << 16 | TALLY_BITS(v2, c) << 32 | TALLY_BITS(v3, c) << 48)
#define TALLY_BLANKS(v) ((uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab))))
  r.comma = TALLY_MASK(comma);
  r.semicolon = TALLY_MASK(semicolon);
  r.lineFeed = TALLY_MASK(lineFeed);
  r.blank = TALLY_BLANKS(v0) | TALLY_BLANKS(v1) << 16 | TALLY_BLANKS(v2) << 32 | TALLY_BLANKS(v3) << 48;
#undef TALLY_BLANKS
#undef TALLY_MASK
#undef TALLY_BITS
#else
  r.comma = r.semicolon = r.lineFeed = r.blank = 0;
  for (int i = 0; i < 64; i++) {
    const uint64_t bit = (uint64_t)1 << i;
    if (p[i] == ',') r.comma |= bit;
    else if (p[i] == ';') r.semicolon |= bit;
    else if (p[i] == '\n') r.lineFeed |= bit;
    else if (p[i] == ' ' || p[i] == '\t') r.blank |= bit;
  }
#endif
  return r;
}

#endif
