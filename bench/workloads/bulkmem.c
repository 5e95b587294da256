/* Bulk memory: memcpy/memset of varying sizes over a 1 MiB arena. Built with
   -mbulk-memory, so they compile to memory.copy and memory.fill. */
#include <stdint.h>

#define ARENA_BYTES (1 << 20)
#define MAX_CHUNK 16384

static uint8_t arena[ARENA_BYTES];

int run(int n) {
  __builtin_memset(arena, 0x5A, ARENA_BYTES);
  uint32_t seed = 2463534242u;
  uint32_t checksum = 0;
  for (int i = 0; i < n; i++) {
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    uint32_t size = 1 + seed % MAX_CHUNK;
    uint32_t from = (seed >> 7) % (ARENA_BYTES - MAX_CHUNK);
    uint32_t to = (seed * 2654435761u) % (ARENA_BYTES - MAX_CHUNK);
    /* Overlapping ranges are allowed: memmove semantics, as memory.copy has. */
    __builtin_memmove(arena + to, arena + from, size);
    __builtin_memset(arena + from, (int)(i & 0xFF), size / 2);
    checksum = checksum * 31 + arena[to] + arena[from + size - 1];
  }
  for (int i = 0; i < ARENA_BYTES; i += 4093) checksum = checksum * 31 + arena[i];
  return (int)checksum;
}
