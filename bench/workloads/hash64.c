/* i64 hashing: an xxHash64-style hash (64-bit multiply, rotate, xor-shift)
   chained n times over a 16 KiB buffer filled by splitmix64. */
#include <stdint.h>

#define WORDS 2048

static uint64_t buffer[WORDS];

static const uint64_t P1 = 0x9E3779B185EBCA87ull;
static const uint64_t P2 = 0xC2B2AE3D27D4EB4Full;
static const uint64_t P3 = 0x165667B19E3779F9ull;
static const uint64_t P4 = 0x85EBCA77C2B2AE63ull;
static const uint64_t P5 = 0x27D4EB2F165667C5ull;

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t round64(uint64_t acc, uint64_t input) {
  return rotl(acc + input * P2, 31) * P1;
}

static uint64_t merge(uint64_t acc, uint64_t lane) {
  return (acc ^ round64(0, lane)) * P1 + P4;
}

static uint64_t hash(const uint64_t *words, int count, uint64_t seed) {
  uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
  for (int i = 0; i + 4 <= count; i += 4) {
    v1 = round64(v1, words[i]);
    v2 = round64(v2, words[i + 1]);
    v3 = round64(v3, words[i + 2]);
    v4 = round64(v4, words[i + 3]);
  }
  uint64_t h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
  h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  h += (uint64_t)count * 8;
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h ^ P5;
}

int64_t run(int n) {
  uint64_t state = 0x0123456789ABCDEFull;
  for (int i = 0; i < WORDS; i++) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    buffer[i] = z ^ (z >> 31);
  }
  uint64_t h = 0;
  for (int round = 0; round < n; round++) h = hash(buffer, WORDS, h);
  return (int64_t)h;
}
