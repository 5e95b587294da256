#!/bin/sh
# Rebuilds every bench workload NAME.c into NAME.wasm with Debian clang (no libc).
# Only bulkmem uses bulk-memory instructions; the others stay within the MVP
# (-fno-builtin keeps clang from turning loops into memset/memcpy calls).
# The SIMD workloads are built twice from the same C: NAME.wasm without SIMD and
# NAME-simd.wasm with -msimd128 (auto-vectorized loops, and wasm_simd128.h code).
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

build_simd() {
  name="$1"
  "$CLANG" --target=wasm32 -O2 -ffreestanding -nostdlib -std=c11 -Wall -Wextra \
    -Wl,--no-entry -Wl,--export=run -fno-builtin -msimd128 \
    -o "$name-simd.wasm" "$name.c"
  chmod -x "$name-simd.wasm"
  echo "built $name-simd.wasm ($(wc -c < "$name-simd.wasm") bytes)"
}

for source in *.c; do
  name="${source%.c}"
  case "$name" in
    bulkmem) build "$name" -mbulk-memory ;;
    blend|saxpy|intrinsics)
      build "$name" -fno-builtin
      build_simd "$name" ;;
    *) build "$name" -fno-builtin ;;
  esac
done
