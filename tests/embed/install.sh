#!/usr/bin/env bash
# Installs weft into a temporary prefix and builds examples/embed/globals.c
# against it with pkg-config alone, linked to the shared library and then to
# the static one; both must run and print what the example prints.
#
# usage: install.sh BUILD_DIR SOURCE_DIR CC [SANITIZE]
set -u
build=$1 src=$2 cc=$3 sanitize=${4:-}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$prefix/install.log" 2>&1 || { cat "$prefix/install.log"; fail "cmake --install"; }
[ -f "$prefix/include/weft.h" ] || fail "weft.h not installed"
pc=$(find "$prefix" -name weft.pc | head -n 1)
[ -n "$pc" ] || fail "weft.pc not installed"
# The installed weft.pc first; libuv's from the system's own search path.
export PKG_CONFIG_PATH=$(dirname "$pc")
pkg-config --exists weft || fail "pkg-config does not find weft"
[ "$(pkg-config --variable=prefix weft | xargs realpath)" = "$(realpath "$prefix")" ] || fail "weft.pc points elsewhere"
libdir=$(pkg-config --variable=libdir weft)
[ -f "$libdir/libweft.a" ] && [ -e "$libdir/libweft.so" ] || fail "libweft.a or libweft.so missing in $libdir"

flags=()
[ -n "$sanitize" ] && flags=("-fsanitize=$sanitize")
expected="$src/tests/embed/globals.stdout"
cd "$prefix" || exit 1

"$cc" "${flags[@]}" -o globals-shared "$src/examples/embed/globals.c" $(pkg-config --cflags --libs weft) \
  || fail "building against libweft.so"
LD_LIBRARY_PATH=$libdir ./globals-shared >shared.out 2>shared.err || { cat shared.err; fail "the shared build exits $?"; }
diff -u "$expected" shared.out || fail "the shared build prints something else"
LD_LIBRARY_PATH=$libdir ldd ./globals-shared | grep -q "libweft.so.* => $libdir/libweft.so" || fail "not linked to the installed libweft.so"

"$cc" "${flags[@]}" -o globals-static "$src/examples/embed/globals.c" $(pkg-config --cflags weft) \
  "$libdir/libweft.a" $(pkg-config --static --libs weft | sed 's/-lweft\b//') \
  || fail "building against libweft.a"
./globals-static >static.out 2>static.err || { cat static.err; fail "the static build exits $?"; }
diff -u "$expected" static.out || fail "the static build prints something else"
echo "installed, built with pkg-config (shared and static) and ran"
