// SIMD workload, auto-vectorized: alpha-blends two 16 KiB byte images and sums the result.
// Built twice (build.sh): blend.wasm without SIMD, blend-simd.wasm with -msimd128.
#define N 16384

static unsigned char a[N], b[N], out[N];

int run(int n) {
  unsigned seed = 12345;
  for (int i = 0; i < N; i++) {
    seed = seed * 1103515245u + 12345u;
    a[i] = (unsigned char)(seed >> 24);
    b[i] = (unsigned char)(seed >> 16);
  }
  unsigned sum = 0;
  for (int r = 0; r < n; r++) {
    unsigned alpha = (unsigned)r & 255u;
    for (int i = 0; i < N; i++) out[i] = (unsigned char)((a[i] * alpha + b[i] * (255u - alpha)) >> 8);
    for (int i = 0; i < N; i++) sum += out[i];
  }
  return (int)sum;
}
