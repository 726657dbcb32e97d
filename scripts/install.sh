#!/usr/bin/env bash
# Installs libsendsecure for C and C++ programs: the shared library (versioned, with its SONAME
# links), the static library, include/sendsecure.h and include/sendsecure.hpp, pkg-config files
# (sendsecure.pc, sendsecure-static.pc) and a CMake package (find_package(sendsecure)).
#
#   scripts/install.sh [--prefix DIR] [--libdir DIR] [--release] [--no-build]
#
#   --prefix DIR   where to install (default /usr/local)
#   --libdir DIR   libraries' directory, relative to the prefix (default lib; e.g.
#                  lib/x86_64-linux-gnu)
#   --release      build and install the optimized library (default: the debug build)
#   --no-build     install what is in the target directory without running cargo (it must be
#                  up to date)
#   DESTDIR=DIR    (environment) stage the files under DIR, for packaging: the installed files
#                  still refer to --prefix
#
# The version comes from Cargo.toml. Layout, SONAME scheme and usage: docs/install.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

prefix=/usr/local
libdir_rel=lib
profile=debug
build=1
usage() { sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --libdir) [ $# -ge 2 ] || usage; libdir_rel=$2; shift 2 ;;
    --libdir=*) libdir_rel=${1#*=}; shift ;;
    --release) profile=release; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage ;;
    *) echo "install.sh: unknown argument: $1" >&2; usage ;;
  esac
done

die() { echo "install.sh: $*" >&2; exit 1; }
[ -n "$prefix" ] || die "empty --prefix"
case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac
prefix=${prefix%/}
[ -n "$prefix" ] || die "--prefix / is not supported: use /usr"
libdir_rel=${libdir_rel#./}
libdir_rel=${libdir_rel%/}
case $libdir_rel in
  ''|/*|..|../*|*/..|*/../*) die "--libdir must be a directory below the prefix, e.g. lib" ;;
esac
destdir=${DESTDIR:-}
destdir=${destdir%/}

# The version of the [package] section of Cargo.toml, and the ABI version of the SONAME.
version=$(awk '
  /^\[/ { section = $0 }
  section == "[package]" && $1 == "version" { gsub(/[" ]/, "", $3); print $3; exit }
' "$root/Cargo.toml")
[[ $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]] || die "no MAJOR.MINOR.PATCH version in Cargo.toml"
major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]} patch=${BASH_REMATCH[3]}
version=$major.$minor.$patch
if [ "$major" = 0 ]; then abi=0.$minor; else abi=$major; fi
soname=libsendsecure.so.$abi
realname=libsendsecure.so.$version

if [ "$build" = 1 ]; then
  command -v cargo >/dev/null || die "cargo is required (https://rustup.rs)"
  flags=(--locked -p sendsecure)
  [ "$profile" = release ] && flags+=(--release)
  (cd "$root" && cargo build "${flags[@]}")
fi
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
built=$target/$profile
hint="cargo build -p sendsecure"
[ "$profile" = release ] && hint="$hint --release"
for f in libsendsecure.so libsendsecure.a; do
  [ -f "$built/$f" ] || die "$built/$f is missing: build it first ($hint) or drop --no-build"
done
# The SONAME is set at link time by build.rs; refuse to install a library without it.
if command -v readelf >/dev/null; then
  found=$(readelf -d "$built/libsendsecure.so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
  [ "$found" = "$soname" ] || die "$built/libsendsecure.so has SONAME '${found:-none}', expected $soname: rebuild it ($hint; build.rs sets it)"
fi

# What the static library needs from the system: rustc's list for the standard library of this
# target (the library adds none), with the Linux default when rustc cannot say.
static_libs=
if command -v "${RUSTC:-rustc}" >/dev/null; then
  probe=$(mktemp -d)
  : >"$probe/probe.rs"
  static_libs=$(cd "$probe" && "${RUSTC:-rustc}" --crate-type staticlib --crate-name probe \
    --print native-static-libs probe.rs 2>&1 | sed -n 's/.*native-static-libs: //p' | tail -1) || true
  rm -rf "$probe"
fi
[ -n "$static_libs" ] || static_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

# The library's pointer size, from its ELF class (byte 4: 1 for 32-bit, 2 for 64-bit).
case $(od -An -tu1 -j4 -N1 "$built/libsendsecure.so" | tr -d ' ') in
  1) pointer_size=4 ;; 2) pointer_size=8 ;; *) die "$built/libsendsecure.so is not an ELF library" ;;
esac

libdir=$prefix/$libdir_rel
includedir=$prefix/include
pkgconfigdir=$libdir/pkgconfig
cmakedir=$libdir/cmake/sendsecure
# From the CMake package's directory up to the prefix (it finds the files relative to itself).
up=..
IFS=/ read -r -a parts <<<"$libdir_rel/cmake"
for _ in "${parts[@]}"; do up=$up/..; done

subst() {
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@LIBDIR@|$libdir_rel|g" -e "s|@VERSION@|$version|g" \
      -e "s|@ABI@|$abi|g" -e "s|@SONAME@|$soname|g" -e "s|@REALNAME@|$realname|g" \
      -e "s|@STATIC_LIBS@|$static_libs|g" -e "s|@RELATIVE_PREFIX@|$up|g" -e "s|@POINTER_SIZE@|$pointer_size|g" \
      -e "s|@MAJOR@|$major|g" -e "s|@MINOR@|$minor|g" -e "s|@PATCH@|$patch|g" "$1"
}

stage=$destdir
install -d "$stage$libdir" "$stage$includedir" "$stage$pkgconfigdir" "$stage$cmakedir"
install -m 0755 "$built/libsendsecure.so" "$stage$libdir/$realname"
ln -sfn "$realname" "$stage$libdir/$soname"
ln -sfn "$soname" "$stage$libdir/libsendsecure.so"
install -m 0644 "$built/libsendsecure.a" "$stage$libdir/libsendsecure.a"
install -m 0644 "$root/include/sendsecure.h" "$root/include/sendsecure.hpp" "$stage$includedir/"
for template in sendsecure.pc sendsecure-static.pc; do
  subst "$root/packaging/$template.in" >"$stage$pkgconfigdir/$template"
done
for template in sendsecureConfig.cmake sendsecureConfigVersion.cmake; do
  subst "$root/packaging/$template.in" >"$stage$cmakedir/$template"
done
chmod 0644 "$stage$pkgconfigdir"/sendsecure*.pc "$stage$cmakedir"/sendsecure*.cmake

# Refresh the loader's cache when installing for real into a directory it searches.
if [ -z "$destdir" ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then
  case $prefix in /usr|/usr/local) ldconfig || true ;; esac
fi

echo "installed libsendsecure $version ($profile) into $destdir$prefix:"
for f in "$libdir/$realname" "$libdir/$soname" "$libdir/libsendsecure.so" "$libdir/libsendsecure.a" \
         "$includedir/sendsecure.h" "$includedir/sendsecure.hpp" "$pkgconfigdir/sendsecure.pc" \
         "$pkgconfigdir/sendsecure-static.pc" "$cmakedir/sendsecureConfig.cmake" \
         "$cmakedir/sendsecureConfigVersion.cmake"; do
  echo "  $f"
done
