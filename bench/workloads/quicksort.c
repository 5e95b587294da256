/* Sorting: quicksort (median of three, insertion sort for short ranges)
   of n pseudo-random integers; checks the order and returns a weighted sum. */
#include <stdint.h>

#define MAX_N (1 << 18)

static int32_t values[MAX_N];

static void insertion_sort(int32_t *a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    int32_t v = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void swap(int32_t *a, int i, int j) {
  int32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quicksort(int32_t *a, int lo, int hi) {
  /* Recurse on the smaller side and loop on the larger: depth stays O(log n). */
  while (hi - lo > 16) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    int32_t pivot = a[mid];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

int run(int n) {
  if (n > MAX_N) n = MAX_N;
  uint32_t seed = 12345;
  for (int i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    values[i] = (int32_t)(seed ^ (seed >> 16));
  }
  quicksort(values, 0, n - 1);
  uint32_t checksum = 0;
  for (int i = 0; i < n; i++) {
    if (i > 0 && values[i - 1] > values[i]) return -1;
    checksum += (uint32_t)values[i] * (uint32_t)(i + 1);
  }
  return (int)checksum;
}
