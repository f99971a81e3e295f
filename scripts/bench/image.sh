#!/usr/bin/env bash
# Builds lab-bench/big:1, a ~900 MB image in 4 layers (the seed's image is 889 MB), without any pull:
# each layer is part random (incompressible, like disk images) and part repeated binaries.
# Idempotent: images already built are kept.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! docker image inspect lab-bench/big:1 >/dev/null 2>&1; then
cat >"$tmp/Dockerfile" <<'DOCKERFILE'
FROM lab-test/linux:1
RUN head -c 150000000 /dev/urandom > /l1.bin && for i in $(seq 1 40); do cat /bin/busybox; done > /l1.txt && head -c 75000000 /l1.txt > /l1.cut && rm /l1.txt
RUN head -c 150000000 /dev/urandom > /l2.bin && for i in $(seq 1 40); do cat /bin/busybox; done > /l2.txt && head -c 75000000 /l2.txt > /l2.cut && rm /l2.txt
RUN head -c 150000000 /dev/urandom > /l3.bin && for i in $(seq 1 40); do cat /bin/busybox; done > /l3.txt && head -c 75000000 /l3.txt > /l3.cut && rm /l3.txt
RUN head -c 150000000 /dev/urandom > /l4.bin && for i in $(seq 1 40); do cat /bin/busybox; done > /l4.txt && head -c 75000000 /l4.txt > /l4.cut && rm /l4.txt
DOCKERFILE
echo "building lab-bench/big:1 (~900 MB)" >&2
DOCKER_BUILDKIT=0 docker build -q -t lab-bench/big:1 "$tmp" >/dev/null
fi

# lab-bench/big2:1: the same again on top (~1.8 GB, 8 layers), to show that peak RSS does not grow
# with the image.
if ! docker image inspect lab-bench/big2:1 >/dev/null 2>&1; then
  cat >"$tmp/Dockerfile" <<'DOCKERFILE'
FROM lab-bench/big:1
RUN head -c 150000000 /dev/urandom > /l5.bin && for i in $(seq 1 40); do cat /bin/busybox; done > /l5.txt && head -c 75000000 /l5.txt > /l5.cut && rm /l5.txt
RUN head -c 150000000 /dev/urandom > /l6.bin && for i in $(seq 1 40); do cat /bin/busybox; done > /l6.txt && head -c 75000000 /l6.txt > /l6.cut && rm /l6.txt
RUN head -c 150000000 /dev/urandom > /l7.bin && for i in $(seq 1 40); do cat /bin/busybox; done > /l7.txt && head -c 75000000 /l7.txt > /l7.cut && rm /l7.txt
RUN head -c 150000000 /dev/urandom > /l8.bin && for i in $(seq 1 40); do cat /bin/busybox; done > /l8.txt && head -c 75000000 /l8.txt > /l8.cut && rm /l8.txt
DOCKERFILE
  echo "building lab-bench/big2:1 (~1.8 GB)" >&2
  DOCKER_BUILDKIT=0 docker build -q -t lab-bench/big2:1 "$tmp" >/dev/null
fi
