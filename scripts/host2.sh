#!/usr/bin/env bash
# A second Docker host on this machine, for lab's multi-host tests and benchmarks: a real dockerd and
# sshd in their own network, mount, pid and uts namespaces, joined to this host by a veth underlay.
# Nothing of it is reachable from here except over that underlay (SSH, and vxlan).
#   host2.sh start NAME HOST_ADDR PEER_ADDR AUTHORIZED_KEYS_FILE [TLS_DIR]   → prints the init pid
#     TLS_DIR (ca.pem, server-cert.pem, server-key.pem): dockerd also serves TLS on PEER_ADDR:2376
#   host2.sh stop NAME
#   host2.sh sshd-stop|sshd-start NAME   (host 2 unreachable, and back)
#   host2.sh docker NAME ARGS…   (the docker CLI against host 2's socket, for test setup)
set -euo pipefail

name=${2:?name}
ns=$name
state=/var/lib/lab-host2/$name.state
data=/var/lib/lab-host2/$name

docker_sock() { echo "/proc/$(cat "$state/pid")/root/run/docker.sock"; }

start() {
  local host_addr=${3:?host address} peer_addr=${4:?peer address} keys=${5:?authorized keys file} tls=${6:-}
  local tls_flags=""
  mkdir -p "$state" "$data"
  if [[ -n "$tls" ]]; then
    # Copied: host 2 has its own /tmp, where the caller's files usually are.
    mkdir -p "$state/tls" && cp "$tls/ca.pem" "$tls/server-cert.pem" "$tls/server-key.pem" "$state/tls/"
    tls_flags="--tlsverify --tlscacert $state/tls/ca.pem --tlscert $state/tls/server-cert.pem --tlskey $state/tls/server-key.pem -H tcp://$peer_addr:2376"
  fi
  mkdir -p "$state" "$data"
  ip netns add "$ns"
  ip link add "${name}-u" type veth peer name eth0 netns "$ns"
  ip addr add "$host_addr/24" dev "${name}-u"
  ip link set "${name}-u" up
  ip -n "$ns" addr add "$peer_addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" route add default via "$host_addr"
  # sshd's own host key and config, only for this host.
  ssh-keygen -q -t ed25519 -N '' -f "$state/ssh_host_ed25519_key" <<<y >/dev/null
  cp "$keys" "$state/authorized_keys"
  chmod 600 "$state/authorized_keys"
  cat >"$state/sshd_config" <<CONF
ListenAddress $peer_addr
HostKey $state/ssh_host_ed25519_key
PidFile /run/sshd-host2.pid
AuthorizedKeysFile $state/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
UsePAM no
CONF
  # Inside: private /run, /tmp and /root, a sysfs of this network namespace (with the cgroup hierarchy
  # carried over, which dockerd needs), its own hostname; then sshd, then dockerd as the service.
  cat >"$state/init.sh" <<INIT
set -e
mount -t tmpfs tmpfs /tmp
mkdir -p /tmp/cg && mount --rbind /sys/fs/cgroup /tmp/cg
mount -t sysfs sysfs /sys
mount --move /tmp/cg /sys/fs/cgroup
mount -t tmpfs tmpfs /run
# A fresh machine's root: no dotfiles of this one (a heavy .bashrc would run on every SSH command).
mount -t tmpfs -o mode=0700 tmpfs /root
mkdir -p /run/sshd /run/netns
hostname $name
/usr/sbin/sshd -f $state/sshd_config -E $state/sshd.log
exec dockerd --data-root $data/docker --exec-root /run/docker-exec --pidfile /run/docker.pid \
  -H unix:///run/docker.sock $tls_flags >$state/dockerd.log 2>&1
INIT
  nohup nsenter --net="/var/run/netns/$ns" unshare --mount --propagation private --pid --fork --mount-proc --uts \
    tini -s -- sh "$state/init.sh" >"$state/init.log" 2>&1 &
  local outer=$!
  # The pid of tini (pid 1 inside): the child of unshare.
  local pid=""
  for _ in $(seq 1 50); do
    pid=$(pgrep -P "$(pgrep -P $outer | head -1)" 2>/dev/null | head -1 || true)
    [[ -n "$pid" && -S "/proc/$pid/root/run/docker.sock" ]] && break
    sleep 0.2
  done
  echo "$pid" >"$state/pid"
  for _ in $(seq 1 60); do
    curl -sf --max-time 2 --unix-socket "$(docker_sock)" http://docker/_ping >/dev/null 2>&1 && { echo "$pid"; return 0; }
    sleep 1
  done
  echo "host2 $name: dockerd did not answer" >&2
  tail -20 "$state/dockerd.log" "$state/init.log" >&2 || true
  return 1
}

stop() {
  if [[ -f "$state/pid" ]]; then
    local pid
    pid=$(cat "$state/pid")
    [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  ip netns del "$ns" 2>/dev/null || true
  ip link del "${name}-u" 2>/dev/null || true
  rm -rf "$data" "$state"
}

in_host2() { nsenter -t "$(cat "$state/pid")" -m -p -n -- "$@"; }

case "${1:-}" in
  start) start "$@" ;;
  stop) stop ;;
  sshd-stop) in_host2 sh -c 'kill "$(cat /run/sshd-host2.pid)"; for i in $(seq 50); do [ -e /run/sshd-host2.pid ] || break; sleep 0.1; done' ;;
  sshd-start) in_host2 /usr/sbin/sshd -f "$state/sshd_config" -E "$state/sshd.log" ;;
  docker) shift 2; DOCKER_HOST="unix://$(docker_sock)" docker "$@" ;;
  *) echo "usage: host2.sh start|stop|docker NAME …" >&2; exit 2 ;;
esac
