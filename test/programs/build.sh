#!/bin/sh
# Builds the WASI test guests with Debian's clang and wasi-libc (apt: clang lld wasi-libc).
# wasi-demo links libc alone (-nodefaultlibs -lc) as it needs no compiler-rt builtins;
# sleep.c does (wasi-libc's clock_nanosleep uses __muloti4): apt libclang-rt-14-dev-wasm32.
# --strip-debug drops libc's DWARF but keeps the name section.
set -eu
cd "$(dirname "$0")"
clang --target=wasm32-wasi --sysroot=/usr -O2 -nodefaultlibs -lc -Wl,--strip-debug -o wasi-demo.wasm wasi-demo.c
clang --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug -o sleep.wasm sleep.c
