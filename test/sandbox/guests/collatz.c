/*
 * A real compiled guest: finds the start below N (N is the input, in decimal)
 * whose Collatz sequence is longest, logging progress every 10,000 starts.
 * Output: "<start> <steps>"; execute returns the start.
 */
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

IMPORT(host_log) void host_log(const char *ptr, int len);
IMPORT(host_write_output) void host_write_output(const char *ptr, int len);
IMPORT(host_read_input) int host_read_input(char *ptr, int len);

static char input[32];
static char text[64];

/* Writes `value` in decimal at `at`; returns the end. */
static char *format_unsigned(char *at, unsigned value) {
  char digits[10];
  int count = 0;
  do {
    digits[count++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) *at++ = digits[--count];
  return at;
}

static unsigned parse_unsigned(const char *at, int len) {
  unsigned value = 0;
  for (int i = 0; i < len && at[i] >= '0' && at[i] <= '9'; i++) value = value * 10 + (unsigned)(at[i] - '0');
  return value;
}

static unsigned collatz_steps(unsigned long long x) {
  unsigned steps = 0;
  while (x != 1) {
    x = (x & 1) ? 3 * x + 1 : x / 2;
    steps++;
  }
  return steps;
}

__attribute__((export_name("execute"))) int execute(int ptr, int len) {
  (void)ptr;
  (void)len;
  unsigned limit = parse_unsigned(input, host_read_input(input, sizeof input));
  unsigned best_start = 1, best_steps = 0;
  for (unsigned start = 1; start < limit; start++) {
    unsigned steps = collatz_steps(start);
    if (steps > best_steps) {
      best_steps = steps;
      best_start = start;
    }
    if (start % 10000 == 0) {
      char *end = format_unsigned(text, start);
      host_log(text, (int)(end - text));
    }
  }
  char *end = format_unsigned(text, best_start);
  *end++ = ' ';
  end = format_unsigned(end, best_steps);
  host_write_output(text, (int)(end - text));
  return (int)best_start;
}
