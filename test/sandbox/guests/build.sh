#!/bin/sh
# Builds the C guests with Debian's clang (apt: clang lld). No libc: they use
# only the sandbox's host functions. The .wat guests are compiled by the tests.
set -eu
cd "$(dirname "$0")"
clang --target=wasm32 -nostdlib -O2 -Wl,--no-entry -o collatz.wasm collatz.c
