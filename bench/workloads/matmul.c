/* Loops over memory: n x n integer matrix multiply (row-major, i-k-j order). */
#include <stdint.h>

#define MAX_N 256

static uint32_t a[MAX_N * MAX_N];
static uint32_t b[MAX_N * MAX_N];
static uint32_t c[MAX_N * MAX_N];

int run(int n) {
  if (n > MAX_N) n = MAX_N;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      a[i * n + j] = (uint32_t)(i * 31 + j * 17 + 7);
      b[i * n + j] = (uint32_t)(i * 13 - j * 29 + 3);
      c[i * n + j] = 0;
    }
  }
  for (int i = 0; i < n; i++) {
    for (int k = 0; k < n; k++) {
      uint32_t aik = a[i * n + k];
      for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  uint32_t checksum = 0;
  for (int i = 0; i < n * n; i++) checksum = checksum * 31 + c[i];
  return (int)checksum;
}
