// SIMD workload, auto-vectorized: f32 a*x + b*y over 4096 floats, repeated; element-wise,
// so the SIMD and scalar builds round identically (no reassociation).
// Built twice (build.sh): saxpy.wasm without SIMD, saxpy-simd.wasm with -msimd128.
#define N 4096

static float x[N], y[N];

int run(int n) {
  for (int i = 0; i < N; i++) {
    x[i] = (float)(i % 100) * 0.01f;
    y[i] = 1.0f;
  }
  for (int r = 0; r < n; r++) {
    float a = 1.0f / (float)(r + 1);
    for (int i = 0; i < N; i++) y[i] = a * x[i] + y[i] * 0.5f;
  }
  int sum = 0;
  for (int i = 0; i < N; i++) sum += (int)(y[i] * 1000.0f);
  return sum;
}
