#!/usr/bin/env bash
# Puts libvirt 9.0.0's own tests/ folder (the libvirt this project targets: Debian 12's libvirt
# 9.0.0-4+deb12uN) and its src/ folder (where the rule catalog's functions are looked up) into the
# ignored download cache .tools/libvirt-9.0.0/ and prints the path of that tests/ folder. The files come from Debian's source package (the upstream tarball inside it), fetched
# with apt-get from Debian's archive with a private apt state under the cache, so the machine's apt
# configuration is left alone. Downloaded once: later runs (and other worktrees sharing .tools) reuse
# it. libvirt's files are LGPL test data: they stay in the cache and never go into this repository.
#
# Usage: bash test/setup/libvirt-test-suite.sh        (prints e.g. /…/.tools/libvirt-9.0.0/libvirt-9.0.0/tests)
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=9.0.0
# The tarball's SHA-256 as listed in Debian's libvirt_9.0.0-4+deb12u2.dsc: the corpus is exactly this one.
ORIG_SHA256=deca5cff1b7baac297bca9663907c61f71a47183371dc7ac019c107806d5435a
mkdir -p .tools
CACHE="$(cd .tools && pwd -P)/libvirt-$VERSION"
TESTS="$CACHE/libvirt-$VERSION/tests"
SRC="$CACHE/libvirt-$VERSION/src"
ORIG="$CACHE/dl/libvirt_$VERSION.orig.tar.xz"

ready() { [ -f "$CACHE/.complete" ] && [ -d "$TESTS/qemuxml2argvdata" ] && [ -f "$CACHE/.complete-src" ]; }
# a cache filled before src/ was kept: add src/ beside tests/ (tests/ stays in place for other readers)
add_src() {
  rm -rf "$SRC"
  tar -xJf "$ORIG" -C "$CACHE" --wildcards "libvirt-$VERSION/src/*"
  touch "$CACHE/.complete-src"
}

if ready; then echo "$TESTS"; exit 0; fi

mkdir -p "$CACHE"
# Several worktrees share .tools: one download at a time, the others wait and reuse it.
exec 9>"$CACHE.lock"
flock 9
if ready; then echo "$TESTS"; exit 0; fi
if [ -f "$CACHE/.complete" ] && [ -d "$TESTS/qemuxml2argvdata" ] && [ -f "$ORIG" ]; then
  add_src
  echo "$TESTS"
  exit 0
fi

if [ ! -f "$ORIG" ] || ! echo "$ORIG_SHA256  $ORIG" | sha256sum -c --status; then
  command -v apt-get >/dev/null || { echo "libvirt-test-suite: apt-get is needed to fetch Debian's libvirt source package" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "libvirt-test-suite: run as root once (apt-get) to fill $CACHE" >&2; exit 1; }
  APT="$CACHE/apt"
  mkdir -p "$APT/sources.d" "$APT/lists/partial" "$APT/cache/archives/partial" "$CACHE/dl"
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    > "$APT/sources.d/debian-src.sources"
  apt_private() {
    apt-get -q -o Dir::Etc::SourceList="$APT/none.list" -o Dir::Etc::SourceParts="$APT/sources.d" \
      -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache" -o APT::Sandbox::User=root "$@"
  }
  apt_private update >&2
  (cd "$CACHE/dl" && apt_private source --download-only libvirt >&2)
  echo "$ORIG_SHA256  $ORIG" | sha256sum -c --status || { echo "libvirt-test-suite: $ORIG is not the expected libvirt $VERSION tarball" >&2; exit 1; }
  # the package index is only needed for the download
  rm -rf "$APT"
fi

rm -rf "$CACHE/libvirt-$VERSION"
tar -xJf "$ORIG" -C "$CACHE" --wildcards "libvirt-$VERSION/tests/*"
touch "$CACHE/.complete"
add_src
echo "$TESTS"
