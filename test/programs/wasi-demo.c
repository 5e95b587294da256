// WASI demo guest for purewasm's WASI tests (test/wasi.test.ts) and `purewasm run`.
// Expects a directory preopened as /sandbox holding input.txt. It
//   - prints its arguments and the GREETING environment variable,
//   - echoes stdin upper-cased,
//   - reads /sandbox/input.txt (size via stat and via seeking), counts its lines,
//   - lists /sandbox, writes /sandbox/out/report.txt (creating /sandbox/out),
//   - writes a line to stderr,
//   - exits with the code given as "exit=N" (default 0); exit() goes through proc_exit.
// Build: test/programs/build.sh
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(const char *what) {
  fprintf(stderr, "error: %s: %s\n", what, strerror(errno));
  return 2;
}

int main(int argc, char **argv) {
  int exit_code = 0;
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) {
    printf("argv[%d]=%s\n", i, argv[i]);
    if (strncmp(argv[i], "exit=", 5) == 0) exit_code = atoi(argv[i] + 5);
  }
  const char *greeting = getenv("GREETING");
  printf("GREETING=%s\n", greeting ? greeting : "(unset)");

  printf("stdin:");
  size_t echoed = 0;
  int c;
  while ((c = getchar()) != EOF) {
    putchar(toupper(c));
    echoed++;
  }
  printf("\nstdin bytes=%zu\n", echoed);

  struct stat st;
  if (stat("/sandbox/input.txt", &st) != 0) return fail("stat /sandbox/input.txt");
  FILE *in = fopen("/sandbox/input.txt", "r");
  if (!in) return fail("open /sandbox/input.txt");
  if (fseek(in, 0, SEEK_END) != 0) return fail("seek");
  long size = ftell(in);
  rewind(in);
  char line[256];
  int lines = 0;
  char first[256] = "";
  while (fgets(line, sizeof line, in)) {
    if (lines == 0) {
      strncpy(first, line, sizeof first - 1);
      first[strcspn(first, "\n")] = '\0';
    }
    lines++;
  }
  fclose(in);
  printf("input.txt: stat size=%lld, seek size=%ld, lines=%d, first=\"%s\"\n", (long long)st.st_size, size, lines,
         first);

  DIR *dir = opendir("/sandbox");
  if (!dir) return fail("opendir /sandbox");
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    printf("entry: %s%s\n", entry->d_name, entry->d_type == DT_DIR ? "/" : "");
  }
  closedir(dir);

  if (mkdir("/sandbox/out", 0755) != 0 && errno != EEXIST) return fail("mkdir /sandbox/out");
  FILE *out = fopen("/sandbox/out/report.txt", "w");
  if (!out) return fail("open /sandbox/out/report.txt");
  fprintf(out, "lines=%d\nbytes=%ld\ngreeting=%s\n", lines, size, greeting ? greeting : "");
  if (fclose(out) != 0) return fail("close report");

  FILE *escape = fopen("/sandbox/../etc/passwd", "r");
  printf("escape: %s\n", escape ? "opened" : "refused");

  fprintf(stderr, "wasi-demo: done, exiting with %d\n", exit_code);
  if (exit_code != 0) exit(exit_code);
  return 0;
}
