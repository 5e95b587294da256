#!/bin/sh
# Builds the WASI test guests with Debian's clang and wasi-libc (apt: clang lld wasi-libc).
# Debian ships no compiler-rt builtins for wasm32, so link libc alone (-nodefaultlibs -lc);
# these programs need no builtins. --strip-debug drops libc's DWARF but keeps the name section.
set -eu
cd "$(dirname "$0")"
clang --target=wasm32-wasi --sysroot=/usr -O2 -nodefaultlibs -lc -Wl,--strip-debug -o wasi-demo.wasm wasi-demo.c
