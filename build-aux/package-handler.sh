#!/usr/bin/env bash
# Packages the handler for Lambda's provided.al2023 runtime, the way
# aws-lambda-cpp's packaging/packager does it:
#
#   package-handler.sh EXECUTABLE OUTPUT.zip [--report FILE]
#
# The zip holds
#   bootstrap                    a POSIX sh script: runs bin/<EXECUTABLE>
#                                through the bundled dynamic loader with
#                                runtime/lib/ as the only library path
#   bin/<EXECUTABLE>             stripped
#   runtime/lib/<soname>         every shared library the executable loads
#                                (from ldd, libc and the loader included),
#                                symlinks followed to the real files
#
# so the program runs on the build machine's glibc wherever it lands (the
# runtime has glibc 2.34; Debian 12 builds against 2.36). The libraries are
# NOT in lib/: Lambda puts /var/task and /var/task/lib on LD_LIBRARY_PATH for
# every process, so a Debian libc there would be loaded into the runtime's
# own /bin/sh (with the runtime's older loader) before bootstrap even runs.
#
# The zip is reproducible: entries sorted, fixed permissions (0755 for
# bootstrap, the executable and the loader, 0644 otherwise), fixed times,
# no extra fields; the same inputs give the same SHA-256.
#
# --report FILE writes one line per entry, "<bytes> <compressed> <name>",
# largest in the zip first, then the totals.
set -euo pipefail

die() { echo "package-handler: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: $0 EXECUTABLE OUTPUT.zip [--report FILE]"
exe="$1"
out="$2"
shift 2
report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --report) [ $# -ge 2 ] || die "--report needs a value"; report="$2"; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done

[ -x "$exe" ] || die "$exe: not an executable"
for tool in ldd zip strip; do
  command -v "$tool" >/dev/null || die "$tool not found (run build-aux/install-deps.sh)"
done

name="$(basename "$exe")"
out_dir="$(cd "$(dirname "$out")" && pwd)"
stage="$(mktemp -d "$out_dir/.package-handler.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/runtime/lib"

# ldd lines: "libx.so.1 => /path/libx.so.1 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)",
# "linux-vdso.so.1 (0x...)" (in the kernel, nothing to copy).
loader=""
libs=0
while read -r soname arrow path _; do
  if [ "$arrow" = "=>" ]; then
    [ "$path" != "not" ] || die "ldd: $soname not found"
    [ -f "$path" ] || continue
    cp -L "$path" "$stage/runtime/lib/$soname"
    libs=$((libs + 1))
  elif [ -f "$soname" ]; then
    loader="$(basename "$soname")"
    cp -L "$soname" "$stage/runtime/lib/$loader"
    libs=$((libs + 1))
  fi
done < <(LC_ALL=C ldd "$exe")
[ -n "$loader" ] || die "ldd named no dynamic loader for $exe (a static executable?)"

cp "$exe" "$stage/bin/$name"
strip --strip-unneeded "$stage/bin/$name"

# $0 gives the folder without external commands: the environment may be
# empty (no PATH). Lambda starts /var/task/bootstrap by its full path.
cat >"$stage/bootstrap" <<EOF
#!/bin/sh
# dbtrigger handler: runs bin/$name with the libraries bundled beside it.
case "\$0" in
  */*) dir="\${0%/*}" ;;
  *) dir=. ;;
esac
exec "\$dir/runtime/lib/$loader" --library-path "\$dir/runtime/lib" "\$dir/bin/$name" "\$@"
EOF

find "$stage" -type f -exec chmod 0644 {} +
chmod 0755 "$stage/bootstrap" "$stage/bin/$name" "$stage/runtime/lib/$loader"
# 1980-01-01, the earliest time a zip entry can hold.
find "$stage" -exec touch -h -d @315532800 {} +

tmp_zip="$stage.zip"
rm -f "$tmp_zip"
(
  cd "$stage"
  export TZ=UTC
  find . -type f | sed 's|^\./||' | LC_ALL=C sort | zip -q -X -D -9 "$tmp_zip" -@
)
mv "$tmp_zip" "$out"

if [ -n "$report" ]; then
  {
    echo "# <bytes> <compressed bytes> <entry> — $(basename "$out"), $libs shared libraries"
    LC_ALL=C unzip -v "$out" | awk '$1 ~ /^[0-9]+$/ && NF >= 8 { print $1, $3, $8 }' | sort -k2,2nr
    echo "# total: $(LC_ALL=C unzip -v "$out" | tail -n 1 | awk '{ print $1, $2 }') bytes uncompressed/compressed; zip file $(stat -c %s "$out") bytes"
  } >"$report"
fi
