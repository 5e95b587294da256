#!/bin/sh
# Rebuilds every bench workload NAME.c into NAME.wasm with Debian clang (no libc).
# Only bulkmem uses bulk-memory instructions; the others stay within the MVP
# (-fno-builtin keeps clang from turning loops into memset/memcpy calls).
set -eu
cd "$(dirname "$0")"

CLANG="${CLANG:-clang}"

build() {
  name="$1"
  shift
  "$CLANG" --target=wasm32 -O2 -ffreestanding -nostdlib -std=c11 -Wall -Wextra \
    -Wl,--no-entry -Wl,--export=run "$@" \
    -o "$name.wasm" "$name.c"
  chmod -x "$name.wasm"
  echo "built $name.wasm ($(wc -c < "$name.wasm") bytes)"
}

for source in *.c; do
  name="${source%.c}"
  case "$name" in
    bulkmem) build "$name" -mbulk-memory ;;
    *) build "$name" -fno-builtin ;;
  esac
done
