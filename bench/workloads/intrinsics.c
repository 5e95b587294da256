// SIMD workload, hand-written with wasm_simd128.h: a byte count (i8x16.eq, bitmask,
// popcnt) and a 4x4 f32 matrix applied to vertices (f32x4 splat, mul, add), with the
// plain C versions the scalar build compiles (same operation order: same floats).
// Built twice (build.sh): intrinsics.wasm without SIMD, intrinsics-simd.wasm with -msimd128.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define TEXT 16384
#define VERTICES 1024

static unsigned char text[TEXT];
static float matrix[16]; // column-major
static float vertices[4 * VERTICES], transformed[4 * VERTICES];

static int count_byte(unsigned char c) {
  int count = 0;
#ifdef __wasm_simd128__
  v128_t needle = wasm_i8x16_splat((signed char)c);
  for (int i = 0; i < TEXT; i += 16) {
    v128_t v = wasm_v128_load(text + i);
    count += __builtin_popcount(wasm_i8x16_bitmask(wasm_i8x16_eq(v, needle)));
  }
#else
  for (int i = 0; i < TEXT; i++) count += text[i] == c;
#endif
  return count;
}

static void transform(void) {
#ifdef __wasm_simd128__
  v128_t c0 = wasm_v128_load(matrix), c1 = wasm_v128_load(matrix + 4);
  v128_t c2 = wasm_v128_load(matrix + 8), c3 = wasm_v128_load(matrix + 12);
  for (int v = 0; v < VERTICES; v++) {
    const float *p = vertices + 4 * v;
    v128_t acc = wasm_f32x4_mul(c0, wasm_f32x4_splat(p[0]));
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(c1, wasm_f32x4_splat(p[1])));
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(c2, wasm_f32x4_splat(p[2])));
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(c3, wasm_f32x4_splat(p[3])));
    wasm_v128_store(transformed + 4 * v, acc);
  }
#else
  for (int v = 0; v < VERTICES; v++) {
    const float *p = vertices + 4 * v;
    for (int row = 0; row < 4; row++) {
      float acc = matrix[row] * p[0];
      acc = acc + matrix[4 + row] * p[1];
      acc = acc + matrix[8 + row] * p[2];
      acc = acc + matrix[12 + row] * p[3];
      transformed[4 * v + row] = acc;
    }
  }
#endif
}

int run(int n) {
  unsigned seed = 777;
  for (int i = 0; i < TEXT; i++) {
    seed = seed * 1103515245u + 12345u;
    text[i] = (unsigned char)((seed >> 24) % 32u);
  }
  for (int i = 0; i < 16; i++) matrix[i] = (float)(i % 5) * 0.25f - 0.5f;
  for (int i = 0; i < 4 * VERTICES; i++) vertices[i] = (float)(i % 17) * 0.125f;
  int sum = 0;
  for (int r = 0; r < n; r++) {
    sum += count_byte((unsigned char)(r % 32));
    transform();
    vertices[r % (4 * VERTICES)] += 1.0f;
    sum += (int)(transformed[(r * 7) % (4 * VERTICES)] * 16.0f);
  }
  return sum;
}
