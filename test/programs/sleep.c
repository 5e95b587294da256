// Sleeping guest for purewasm's poll_oneoff tests (test/wasi-poll.test.ts). Arguments:
// MS (default 50): each way of sleeping below waits that many milliseconds;
// SECONDS (optional): also sleep(SECONDS).
// Each line prints the nanoseconds the guest's own clocks saw pass:
//   nanosleep, usleep (relative monotonic timers), clock_nanosleep with TIMER_ABSTIME on
//   the realtime clock (how late it woke), poll() with no fds (a bare timeout), poll() on
//   stdin with a long timeout (ready at once: stdin never blocks), and sleep().
// Build: test/programs/build.sh
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clock) {
  struct timespec ts;
  if (clock_gettime(clock, &ts) != 0) {
    perror("clock_gettime");
    exit(2);
  }
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void check(int failed, const char *what) {
  if (failed) {
    fprintf(stderr, "error: %s: %s\n", what, strerror(errno));
    exit(2);
  }
}

int main(int argc, char **argv) {
  long ms = argc > 1 ? atol(argv[1]) : 50;
  long long ns = ms * 1000000LL;

  long long start = now_ns(CLOCK_MONOTONIC);
  struct timespec duration = {.tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL};
  check(nanosleep(&duration, NULL) != 0, "nanosleep");
  long long after_nanosleep = now_ns(CLOCK_MONOTONIC);
  printf("nanosleep: %lld\n", after_nanosleep - start);

  check(usleep((useconds_t)(ms * 1000)) != 0, "usleep");
  long long after_usleep = now_ns(CLOCK_MONOTONIC);
  printf("usleep: %lld\n", after_usleep - after_nanosleep);

  long long target = now_ns(CLOCK_REALTIME) + ns;
  struct timespec deadline = {.tv_sec = target / 1000000000LL, .tv_nsec = target % 1000000000LL};
  int err = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &deadline, NULL);
  errno = err;
  check(err != 0, "clock_nanosleep");
  printf("abstime late: %lld\n", now_ns(CLOCK_REALTIME) - target);

  long long before_poll = now_ns(CLOCK_MONOTONIC);
  int ready = poll(NULL, 0, (int)ms);
  check(ready < 0, "poll");
  long long after_poll = now_ns(CLOCK_MONOTONIC);
  printf("poll timeout: ready=%d %lld\n", ready, after_poll - before_poll);

  struct pollfd input = {.fd = 0, .events = POLLIN};
  ready = poll(&input, 1, 60000);
  check(ready < 0, "poll stdin");
  long long after_stdin = now_ns(CLOCK_MONOTONIC);
  printf("poll stdin: ready=%d in=%d hup=%d %lld\n", ready, (input.revents & POLLIN) != 0,
         (input.revents & POLLHUP) != 0, after_stdin - after_poll);

  if (argc > 2) {
    unsigned seconds = (unsigned)atoi(argv[2]);
    check(sleep(seconds) != 0, "sleep");
    printf("sleep: %lld\n", now_ns(CLOCK_MONOTONIC) - after_stdin);
  }
  return 0;
}
