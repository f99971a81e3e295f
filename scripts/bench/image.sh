#!/usr/bin/env bash
# Builds lab-bench/big:1, a ~900 MB image in 4 layers (the seed's image is 889 MB), without any pull:
# each layer is part random (incompressible, like disk images) and part repeated binaries. Then
# lab-bench/big2:1, the same again on top (~1.8 GB, 8 layers), to show that peak RSS does not grow
# with the image. Idempotent: images already built are kept.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# build IMAGE FROM FIRST LAST: one ~225 MB layer per number from FIRST to LAST.
build() {
  local image=$1 from=$2 first=$3 last=$4 i
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  {
    echo "FROM $from"
    for i in $(seq "$first" "$last"); do
      echo "RUN head -c 150000000 /dev/urandom > /l$i.bin && for i in \$(seq 1 40); do cat /bin/busybox; done > /l$i.txt && head -c 75000000 /l$i.txt > /l$i.cut && rm /l$i.txt"
    done
  } >"$tmp/Dockerfile"
  echo "building $image" >&2
  DOCKER_BUILDKIT=0 docker build -q -t "$image" "$tmp" >/dev/null
}

build lab-bench/big:1 lab-test/linux:1 1 4
build lab-bench/big2:1 lab-bench/big:1 5 8
