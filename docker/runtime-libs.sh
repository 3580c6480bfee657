#!/bin/sh
# Prints the Debian packages that provide the shared libraries a binary loads (as ldd reports
# them, transitive ones included), one name per line, sorted. The image's runtime stage installs
# exactly the list in docker/runtime-packages.txt, and the build stage fails when that list and
# this output differ, so the list can be neither incomplete nor padded.
#
#   docker/runtime-libs.sh build/atg
set -eu
if [ "$#" -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 BINARY (an executable file)" >&2
  exit 2
fi
deps=$(ldd "$1")
if printf '%s\n' "$deps" | grep -q 'not found'; then
  printf '%s\n' "$deps" | grep 'not found' >&2
  echo "$0: $1 needs libraries this system does not have" >&2
  exit 1
fi
# `libfoo.so.1 => /lib/x86_64-linux-gnu/libfoo.so.1 (0x...)` and the loader's own absolute line.
# The loop runs in a command substitution so that its `exit 1` fails the script (no pipefail in sh).
pkgs=$(printf '%s\n' "$deps" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' |
  while read -r lib; do
    # dpkg knows a file by the path its package shipped it under; with merged /usr that may be
    # the /lib or the /usr/lib spelling of what ldd printed.
    pkg=""
    for candidate in "$lib" "/usr$lib" "${lib#/usr}" "$(readlink -f "$lib")"; do
      pkg=$(dpkg-query -S "$candidate" 2>/dev/null | grep -v '^diversion' | head -n 1 | cut -d: -f1) || true
      [ -n "$pkg" ] && break
    done
    if [ -z "$pkg" ]; then
      echo "$0: no Debian package owns $lib" >&2
      exit 1
    fi
    echo "$pkg"
  done)
printf '%s\n' "$pkgs" | sort -u
