#!/bin/sh
# Installs the lab binary for this OS and CPU, checksum-verified.
#
#   curl -fsSL https://github.com/labctl/lab/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --version 0.2.0
#
# LAB_INSTALL_BASE  where releases live (default below); assets are read from
#                   $LAB_INSTALL_BASE/latest/download/<asset> or $LAB_INSTALL_BASE/download/v<X>/<asset>
# LAB_INSTALL_DIR   where to put `lab` (default /usr/local/bin as root, ~/.local/bin otherwise)
set -eu

LAB_INSTALL_BASE=${LAB_INSTALL_BASE:-https://github.com/labctl/lab/releases}
VERSION=latest
TMP_DIR=""

fail() {
  printf 'lab installer: %s\n' "$*" >&2
  exit 1
}

cleanup() {
  [ -n "$TMP_DIR" ] && rm -rf "$TMP_DIR"
}
trap cleanup EXIT INT TERM

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --version) [ $# -ge 2 ] || fail "--version needs a value, e.g. --version 0.2.0"; VERSION=$2; shift 2 ;;
      --version=*) VERSION=${1#--version=}; shift ;;
      -h|--help) sed -n '2,10p' "$0" 2>/dev/null || true; exit 0 ;;
      *) fail "unknown option $1 (use --version X)" ;;
    esac
  done
}

detect_os() {
  case "$(uname -s)" in
    Linux) OS=linux ;;
    Darwin) OS=darwin ;;
    *) fail "unsupported OS $(uname -s): lab ships for Linux and macOS" ;;
  esac
}

detect_arch() {
  case "$(uname -m)" in
    x86_64|amd64) ARCH=x64 ;;
    aarch64|arm64) ARCH=arm64 ;;
    *) fail "unsupported CPU $(uname -m): lab ships for x86_64 and arm64" ;;
  esac
}

# Alpine and other musl systems cannot run the glibc build.
detect_libc() {
  LIBC=""
  [ "$OS" = linux ] || return 0
  if ls /lib/ld-musl-* >/dev/null 2>&1 || (ldd --version 2>&1 | grep -qi musl); then
    [ "$ARCH" = x64 ] || fail "no musl build for $ARCH yet: only linux-x64-musl is published"
    LIBC=-musl
  fi
}

release_url() {
  if [ "$VERSION" = latest ]; then
    printf '%s/latest/download/%s' "$LAB_INSTALL_BASE" "$1"
  else
    printf '%s/download/v%s/%s' "$LAB_INSTALL_BASE" "${VERSION#v}" "$1"
  fi
}

download() {
  url=$1
  out=$2
  if command -v curl >/dev/null 2>&1; then
    code=$(curl -sSL -o "$out" -w '%{http_code}' "$url" 2>/dev/null) || fail "cannot download $url (network error)"
  elif command -v wget >/dev/null 2>&1; then
    if wget -q -O "$out" "$url"; then code=200; else code="error"; fi
  else
    fail "need curl or wget to download lab"
  fi
  case "$code" in
    200) ;;
    404) fail "no such release file: $url (HTTP 404). Check --version or LAB_INSTALL_BASE" ;;
    *) fail "cannot download $url (HTTP $code)" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    fail "need sha256sum or shasum to verify the download"
  fi
}

verify_checksum() {
  expected=$(awk -v f="$ASSET" '$2 == f || $2 == "*" f { print $1 }' "$TMP_DIR/SHA256SUMS")
  [ -n "$expected" ] || fail "SHA256SUMS has no entry for $ASSET; refusing to install an unverified binary"
  actual=$(sha256_of "$TMP_DIR/$ASSET")
  [ "$expected" = "$actual" ] || fail "checksum mismatch for $ASSET (expected $expected, got $actual); nothing was installed"
}

install_dir() {
  if [ -n "${LAB_INSTALL_DIR:-}" ]; then
    DIR=$LAB_INSTALL_DIR
  elif [ "$(id -u)" = 0 ]; then
    DIR=/usr/local/bin
  else
    DIR=$HOME/.local/bin
  fi
  mkdir -p "$DIR" || fail "cannot create $DIR; set LAB_INSTALL_DIR to a writable directory"
}

install_file() {
  chmod 0755 "$TMP_DIR/$ASSET"
  # Copy next to the target, then rename: a running lab is never replaced half-written.
  cp "$TMP_DIR/$ASSET" "$DIR/.lab.new" || fail "cannot write to $DIR; set LAB_INSTALL_DIR or run as root"
  mv -f "$DIR/.lab.new" "$DIR/lab"
}

main() {
  parse_args "$@"
  detect_os
  detect_arch
  detect_libc
  ASSET="lab-$OS-$ARCH$LIBC"
  TMP_DIR=$(mktemp -d)
  download "$(release_url "$ASSET")" "$TMP_DIR/$ASSET"
  download "$(release_url SHA256SUMS)" "$TMP_DIR/SHA256SUMS"
  verify_checksum
  install_dir
  install_file
  printf 'lab installer: installed %s to %s/lab\n' "$ASSET" "$DIR" >&2
  case ":$PATH:" in *":$DIR:"*) ;; *) printf 'lab installer: add %s to your PATH\n' "$DIR" >&2 ;; esac
  # The engine may not be running yet; the version of lab itself is what matters here.
  "$DIR/lab" version || true
}

main "$@"
