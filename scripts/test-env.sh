#!/usr/bin/env bash
# Prepares this machine for lab's tests, idempotently: Debian packages, a running dockerd, Podman's
# Docker-compatible service on its rootful socket, and the local test images (built from
# busybox-static, never pulled: this machine reaches no image registry) in both engines' stores.
set -euo pipefail

log() { printf 'test-env: %s\n' "$*" >&2; }

PACKAGES=(docker.io docker-registry openssh-server openssh-client skopeo busybox-static iproute2 apache2-utils curl ca-certificates openssl procps passwd ethtool chromium graphviz podman netavark aardvark-dns tini jq tcpdump tshark)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The Debian packages start their daemons where systemd runs; the tests start their own instances.
  if command -v systemctl >/dev/null && systemctl is-active -q docker-registry 2>/dev/null; then
    systemctl stop docker-registry || true
  fi
}

engine_answers() {
  curl -sf --max-time 2 --unix-socket /var/run/docker.sock http://docker/_ping >/dev/null 2>&1
}

# A live (not zombie) dockerd. A daemon killed while its parent is gone can linger as a zombie
# that pgrep and kill -0 still report, so the process state is checked too.
dockerd_pids() {
  local pid
  for pid in $(pgrep -x dockerd); do
    [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" == Z* ]] || echo "$pid"
  done
}

wait_for_engine() {
  for _ in $(seq 1 "$1"); do
    engine_answers && return 0
    sleep 1
  done
  return 1
}

# The dockerd this script started, if any: the only one it ever stops.
OWN_DOCKERD_PID=/run/lab-test/dockerd.pid

own_dockerd() {
  local pid
  pid=$(cat "$OWN_DOCKERD_PID" 2>/dev/null) || return 1
  [[ -n "$pid" && "$(ps -o comm= -p "$pid" 2>/dev/null)" == dockerd ]] && echo "$pid"
}

start_dockerd() {
  if engine_answers; then return 0; fi
  local running
  running=$(dockerd_pids)
  if [[ -n "$running" ]]; then
    # Starting up, or hung: give it a moment. Only a daemon this script started is ever replaced.
    wait_for_engine 20 && return 0
    if [[ "$running" != "$(own_dockerd)" ]]; then
      log "dockerd ($running) does not answer /_ping and was not started by this script: fix or stop it, then run again"
      return 1
    fi
    log "dockerd ($running, started by this script) does not answer /_ping; restarting it"
    kill "$running" 2>/dev/null || true
    sleep 3
    kill -9 "$running" 2>/dev/null || true
  fi
  # With no dockerd left, its containerd can outlive it; a new dockerd then waits on that one (or on
  # its stale pid file) until it times out. Stop it and clear its pid file.
  pkill -f 'containerd --config /var/run/docker/containerd/containerd.toml' 2>/dev/null && sleep 1
  pkill -9 -f 'containerd --config /var/run/docker/containerd/containerd.toml' 2>/dev/null || true
  rm -f /var/run/docker/containerd/containerd.pid
  # A killed dockerd leaves its pid file and a dead socket behind; a new one refuses to start
  # while the pid file exists.
  if [[ -f /var/run/docker.pid ]]; then
    log "removing stale /var/run/docker.pid"
    rm -f /var/run/docker.pid
  fi
  rm -f /var/run/docker.sock
  log "starting dockerd"
  mkdir -p /var/log "$(dirname "$OWN_DOCKERD_PID")"
  nohup dockerd >/var/log/lab-dockerd.log 2>&1 &
  echo $! >"$OWN_DOCKERD_PID"
  if ! wait_for_engine 60; then
    log "dockerd did not answer /_ping within 60 s; its log:"
    tail -n 30 /var/log/lab-dockerd.log >&2 || true
    return 1
  fi
}

# Linux's capability names by number (include/uapi/linux/capability.h).
CAP_NAMES=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE
  NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT
  SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE
  AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ
  PERFMON BPF CHECKPOINT_RESTORE)

# The capabilities this kernel knows that this process's bounding set lacks: what a privileged
# container would be given and runc could not apply.
missing_caps() {
  local bnd last i
  bnd=$((16#$(awk '/^CapBnd:/ {print $2}' /proc/self/status)))
  last=$(cat /proc/sys/kernel/cap_last_cap)
  for ((i = 0; i <= last && i < ${#CAP_NAMES[@]}; i++)); do
    (((bnd >> i) & 1)) || echo "CAP_${CAP_NAMES[i]}"
  done
}

CAPTRIM=/usr/local/libexec/lab-test/runc-captrim
CAPTRIM_RUNTIME=lab-captrim

# Containerlab's nodes are privileged by default, and so are lab's. Where the bounding set is
# incomplete (this sandbox lacks CAP_SYS_RESOURCE), dockerd's privileged containers fail to start;
# register scripts/runc-captrim.sh as dockerd's default runtime so that they start with every
# capability the host can give. Podman needs none: it already caps a privileged container's set at
# its own bounding set. On a normal host this does nothing. Runs before dockerd starts; a running
# daemon reloads daemon.json on SIGHUP (runtimes and default-runtime are reloadable), it is not
# restarted.
install_captrim() {
  local missing cfg=/etc/docker/daemon.json current want
  missing=$(missing_caps)
  [[ -z "$missing" ]] && return 0
  log "the capability bounding set lacks $(tr '\n' ' ' <<<"$missing")- privileged containers start through $CAPTRIM"
  mkdir -p "$(dirname "$CAPTRIM")"
  sed -e "s|@REAL_RUNTIME@|$(command -v runc)|" \
    -e "s|@MISSING_CAPS@|$(jq -R . <<<"$missing" | jq -sc .)|" scripts/runc-captrim.sh >"$CAPTRIM.new"
  chmod 755 "$CAPTRIM.new" && mv -f "$CAPTRIM.new" "$CAPTRIM"
  mkdir -p /etc/docker
  current=$(cat "$cfg" 2>/dev/null || echo '{}')
  want=$(jq --arg name "$CAPTRIM_RUNTIME" --arg path "$CAPTRIM" \
    '.runtimes[$name] = {path: $path} | ."default-runtime" = $name' <<<"$current")
  [[ "$(jq -S . <<<"$current")" == "$(jq -S . <<<"$want")" ]] && return 0
  log "registering $CAPTRIM_RUNTIME as dockerd's default runtime in $cfg"
  printf '%s\n' "$want" >"$cfg.new" && mv -f "$cfg.new" "$cfg"
  if engine_answers; then
    kill -HUP $(dockerd_pids) 2>/dev/null || true
    for _ in $(seq 1 20); do
      [[ "$(docker info --format '{{.DefaultRuntime}}' 2>/dev/null)" == "$CAPTRIM_RUNTIME" ]] && return 0
      sleep 0.5
    done
    log "dockerd did not pick up $cfg on SIGHUP"
    return 1
  fi
}

# The default path under test is privileged nodes: say at once if this machine cannot run them.
check_privileged() {
  if ! docker run --rm --privileged --network none lab-test/linux:1 true >/dev/null 2>&1; then
    log "docker run --privileged fails here:"
    docker run --rm --privileged --network none lab-test/linux:1 true >&2 || true
    return 1
  fi
}

# lab-test/base:1 is a busybox rootfs; lab-test/linux:1 adds a CMD that idles and stops at once on
# SIGTERM. busybox brings sh, ip, nc, httpd, wget and friends.
build_images() {
  if docker image inspect lab-test/linux:1 >/dev/null 2>&1; then return 0; fi
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  mkdir -p "$tmp/rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var/www,run}
  cp /bin/busybox "$tmp/rootfs/bin/busybox"
  for applet in $(/bin/busybox --list-full); do
    [[ "$applet" == bin/busybox ]] && continue
    mkdir -p "$tmp/rootfs/$(dirname "$applet")"
    ln -sf /bin/busybox "$tmp/rootfs/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$tmp/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$tmp/rootfs/etc/group"
  echo "lab test node" >"$tmp/rootfs/var/www/index.html"
  log "importing lab-test/base:1"
  tar -C "$tmp/rootfs" -c . | docker import - lab-test/base:1 >/dev/null
  cat >"$tmp/Dockerfile" <<'DOCKERFILE'
FROM lab-test/base:1
ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/bin/sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"]
DOCKERFILE
  log "building lab-test/linux:1"
  DOCKER_BUILDKIT=0 docker build -q -t lab-test/linux:1 "$tmp" >/dev/null
}

# Copies host binaries into a build context at root/host/<path>, with the libraries ldd names at
# their own paths, so a busybox image can run them (moved into place by the Dockerfile).
copy_host_binaries() {
  local root=$1 bin lib
  shift
  for bin in "$@"; do
    mkdir -p "$root/host$(dirname "$bin")"
    cp -L "$bin" "$root/host$bin"
    for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
}

# Stand-ins for the public images Containerlab's smoke topologies name (tests/01-smoke), for the
# ported cases in test/e2e/smoke-*.test.ts:
# - alpine:3: busybox with Alpine's os-release, iproute2's ip (whose `state UP` the cases read) and
#   printenv (an applet Alpine's busybox has and Debian's lacks);
# - nginx:stable-alpine: that, with busybox httpd serving nginx's welcome page on :80;
# - debian:bookworm-slim: bash as sh, as on Debian, and coreutils' date, whose +%N the stages suite
#   reads (busybox's sh would run its own date).
# Rebuilt when this recipe changes: the images carry its version in a label.
SMOKE_IMAGES_VERSION=4
build_smoke_images() {
  local tmp
  [[ "$(docker image inspect -f '{{index .Config.Labels "lab-test.smoke"}}' lab-test/debian:1 2>/dev/null)" == "$SMOKE_IMAGES_VERSION" ]] && return 0
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  mkdir -p "$tmp/alpine/root/etc"
  copy_host_binaries "$tmp/alpine/root" /sbin/ip /usr/bin/printenv
  printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.0\nPRETTY_NAME="Alpine Linux v3.20"\n' >"$tmp/alpine/root/etc/os-release"
  cat >"$tmp/alpine/Dockerfile" <<DOCKERFILE
FROM lab-test/base:1
COPY root/ /
RUN for b in /sbin/ip /usr/bin/printenv; do rm -f \$b && mv /host\$b \$b; done && rm -rf /host
ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin
LABEL lab-test.smoke=$SMOKE_IMAGES_VERSION
CMD ["/bin/sh"]
DOCKERFILE
  log "building lab-test/alpine:3"
  DOCKER_BUILDKIT=0 docker build -q -t lab-test/alpine:3 "$tmp/alpine" >/dev/null
  mkdir -p "$tmp/nginx"
  printf '<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body>\n<h1>Welcome to nginx!</h1>\n<p><em>Thank you for using nginx.</em></p>\n</body></html>\n' >"$tmp/nginx/index.html"
  cat >"$tmp/nginx/Dockerfile" <<'DOCKERFILE'
FROM lab-test/alpine:3
COPY index.html /usr/share/nginx/html/index.html
EXPOSE 80
CMD ["httpd", "-f", "-p", "80", "-h", "/usr/share/nginx/html"]
DOCKERFILE
  log "building lab-test/nginx:1"
  DOCKER_BUILDKIT=0 docker build -q -t lab-test/nginx:1 "$tmp/nginx" >/dev/null
  mkdir -p "$tmp/debian/root/etc"
  copy_host_binaries "$tmp/debian/root" /bin/bash /bin/date /sbin/ip
  printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\n' >"$tmp/debian/root/etc/os-release"
  cat >"$tmp/debian/Dockerfile" <<DOCKERFILE
FROM lab-test/base:1
COPY root/ /
RUN for b in /bin/bash /bin/date /sbin/ip; do rm -f \$b && mv /host\$b \$b; done && rm -rf /host && ln -sf bash /bin/sh
ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin
LABEL lab-test.smoke=$SMOKE_IMAGES_VERSION
CMD ["/bin/bash"]
DOCKERFILE
  log "building lab-test/debian:1"
  DOCKER_BUILDKIT=0 docker build -q -t lab-test/debian:1 "$tmp/debian" >/dev/null
}

PODMAN_SOCK=/run/podman/podman.sock

podman_answers() {
  curl -sf --max-time 2 --unix-socket "$PODMAN_SOCK" http://podman/_ping >/dev/null 2>&1
}

# Podman's Docker-compatible API, as `systemctl start podman.socket` gives it where systemd runs.
# The drop-in is this sandbox's, not lab's: without CAP_SYS_RESOURCE Podman cannot raise the
# rlimits it sets by default, so its containers start only with these; netavark (with aardvark-dns,
# Podman's default stack on a fresh install) is named so a host that once used CNI resolves names too.
start_podman() {
  mkdir -p /etc/containers/containers.conf.d
  cat >/etc/containers/containers.conf.d/lab-test.conf <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[network]
network_backend = "netavark"
CONF
  # Docker pulls from 127.0.0.0/8 registries over plain HTTP by itself; Podman does once told (its
  # prefix match covers every port of 127.0.0.1). The tests' registries listen there.
  mkdir -p /etc/containers/registries.conf.d
  cat >/etc/containers/registries.conf.d/lab-test.conf <<'CONF'
[[registry]]
location = "127.0.0.1"
insecure = true
CONF
  # The service reads its configuration once: a changed one needs a new service.
  local stamp=/run/podman/lab-test.conf.sum sum
  sum=$(cat /etc/containers/containers.conf.d/lab-test.conf /etc/containers/registries.conf.d/lab-test.conf | md5sum)
  if podman_answers && [[ "$(cat "$stamp" 2>/dev/null)" == "$sum" ]]; then return 0; fi
  pkill -f "podman system service" 2>/dev/null && sleep 1
  mkdir -p "$(dirname "$PODMAN_SOCK")"
  rm -f "$PODMAN_SOCK"
  log "starting podman system service"
  nohup podman system service --time=0 "unix://$PODMAN_SOCK" >/var/log/lab-podman.log 2>&1 &
  for _ in $(seq 1 30); do
    podman_answers && echo "$sum" >"$stamp" && return 0
    sleep 1
  done
  log "podman system service did not answer /_ping within 30 s; its log:"
  tail -n 30 /var/log/lab-podman.log >&2 || true
  return 1
}

# The same test images in Podman's store, copied from Docker's (re-copied when Docker's changed).
load_podman_images() {
  local image
  for image in lab-test/base:1 lab-test/linux:1; do
    [[ "$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null)" == "$(docker image inspect --format '{{.Id}}' "$image" | sed 's/^sha256://')" ]] && continue
    log "copying $image into Podman's store"
    docker save "$image" | podman load -q >/dev/null
  done
}

install_packages
install_captrim
start_dockerd
build_images
build_smoke_images
check_privileged
start_podman
load_podman_images
log "ready: $(docker version --format 'Docker {{.Server.Version}} (API {{.Server.APIVersion}})'), Podman $(podman version --format '{{.Client.Version}}')"
