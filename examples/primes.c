// A small guest program for the README example: counts primes with a sieve and
// reports through a host function, so the example shows imports, memory and fuel.
// Build: clang --target=wasm32 -O2 -mbulk-memory -nostdlib -Wl,--allow-undefined -Wl,--no-entry -Wl,--export=count_primes -o primes.wasm primes.c

__attribute__((import_module("env"), import_name("log"))) void host_log(const char *ptr, int len);

static unsigned char sieve[1 << 20];

static int format_uint(char *out, unsigned value) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value);
  for (int i = 0; i < n; i++) out[i] = digits[n - 1 - i];
  return n;
}

int count_primes(int limit) {
  if (limit < 2) return 0;
  if (limit > (int)sizeof sieve) limit = sizeof sieve;
  __builtin_memset(sieve, 1, (unsigned)limit);
  sieve[0] = sieve[1] = 0;
  for (int i = 2; (long long)i * i < limit; i++)
    if (sieve[i])
      for (int j = i * i; j < limit; j += i) sieve[j] = 0;
  int count = 0;
  for (int i = 0; i < limit; i++) count += sieve[i];

  static char message[64];
  static const char prefix[] = "primes below ";
  int len = 0;
  for (int i = 0; prefix[i]; i++) message[len++] = prefix[i];
  len += format_uint(message + len, (unsigned)limit);
  message[len++] = ':';
  message[len++] = ' ';
  len += format_uint(message + len, (unsigned)count);
  host_log(message, len);
  return count;
}
