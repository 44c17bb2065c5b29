#!/usr/bin/env bash
# Start (or reuse) a private, rootful Podman service (Docker-compatible API) for opsdeck's tests.
#
#   ENGINE_DIR=/tmp/op-xxxx bash lab/start-podman.sh
#
# Idempotent: when the service in ENGINE_DIR already answers, nothing is started again.
# Everything lives in ENGINE_DIR: the socket, containers.conf and storage.conf (never the files in
# /etc/containers), the storage itself (vfs), the event log, the pid files and the logs. It never
# talks to another podman: every podman command here runs with CONTAINERS_CONF and
# CONTAINERS_STORAGE_CONF pointing into ENGINE_DIR.
#
# Machine assumptions (Debian bookworm, root, cgroup v1, no systemd, no image registry, no
# container networking). Two fixes for Podman 4.3 here:
#   - container rlimits are pinned at what this process may set (`default_ulimits`): runc cannot
#     raise them (no CAP_SYS_RESOURCE) and podman itself runs with nproc <= 32768;
#   - without systemd podman never runs healthchecks by itself (health stays `starting`), so a
#     background loop runs every container's healthcheck once a second (through the API, as
#     `podman healthcheck run` would); it ends with the service.
# Installs podman and busybox-static from Debian when missing and imports a busybox root
# filesystem as local/busybox:latest (podman shows it as localhost/local/busybox:latest).
#
# Output (stdout, one KEY=VALUE per line):
#   PODMAN_HOST=unix://ENGINE_DIR/podman.sock   PODMAN_PID=1234   HEALTHCHECK_PID=1240
#   CONTAINERS_CONF=...   CONTAINERS_STORAGE_CONF=...   ENGINE_DIR=...   PODMAN_LOG=...
#
# Optional env: OPSDECK_PODMAN_WAIT=30 (seconds to wait for _ping)
set -euo pipefail

: "${ENGINE_DIR:?ENGINE_DIR is required (a directory for the private podman service)}"
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$ENGINE_DIR"
ENGINE_DIR=$(cd "$ENGINE_DIR" && pwd -P)

SOCK=$ENGINE_DIR/podman.sock
PIDFILE=$ENGINE_DIR/podman.pid
HC_PIDFILE=$ENGINE_DIR/healthcheck.pid
LOG=$ENGINE_DIR/podman.log
TARBALL=$ENGINE_DIR/busybox-rootfs.tar
WAIT_S=${OPSDECK_PODMAN_WAIT:-30}
export CONTAINERS_CONF=$ENGINE_DIR/containers.conf
export CONTAINERS_STORAGE_CONF=$ENGINE_DIR/storage.conf

log() { echo "start-podman: $*" >&2; }
die() {
  log "$*"
  if [ -f "$LOG" ]; then echo "--- tail of $LOG ---" >&2; tail -n 40 "$LOG" >&2; fi
  exit 1
}

[ ${#SOCK} -le 100 ] || die "ENGINE_DIR is too long for a unix socket path (${#SOCK} > 100 chars): $SOCK"

# ---- packages (apt-install.sh: one apt run at a time, the Docker engine may install at the same moment) ----
pkgs=()
command -v podman >/dev/null 2>&1 || pkgs+=(podman)
# podman depends on crun | runc; containers.conf below names runc (as the Docker engine uses).
command -v runc >/dev/null 2>&1 || pkgs+=(runc)
[ -x /bin/busybox ] || pkgs+=(busybox-static)
command -v curl >/dev/null 2>&1 || pkgs+=(curl)
if [ ${#pkgs[@]} -gt 0 ]; then
  log "installing ${pkgs[*]} from Debian (once)"
  bash "$(dirname "$0")/apt-install.sh" "$ENGINE_DIR/apt.log" "${pkgs[@]}" || die "apt-get install ${pkgs[*]} failed"
fi
command -v podman >/dev/null 2>&1 || die "podman not found after install"
[ -x /bin/busybox ] || die "/bin/busybox not found after install"

# shellcheck source=engine-helpers.sh
. "$(dirname "${BASH_SOURCE[0]}")/engine-helpers.sh"

ping_sock() { [ -S "$SOCK" ] && curl -sf -m 2 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }
# ---- configuration (our own files only) ----
if [ ! -s "$CONTAINERS_CONF" ]; then
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
  mkdir -p "$ENGINE_DIR/tmp" "$ENGINE_DIR/net"
  cat >"$CONTAINERS_CONF" <<CONF
[containers]
netns = "none"
log_driver = "k8s-file"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$ENGINE_DIR/events.log"
runtime = "runc"
tmp_dir = "$ENGINE_DIR/tmp"
[network]
network_config_dir = "$ENGINE_DIR/net"
CONF
  printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' "$ENGINE_DIR" "$ENGINE_DIR" >"$CONTAINERS_STORAGE_CONF"
fi

# ---- busybox root filesystem tarball (built once, cached in ENGINE_DIR) ----
build_busybox_rootfs "$TARBALL"

# ---- podman system service ----
PODMAN_PID=
if ping_sock; then
  PODMAN_PID=$(live_pid "$PIDFILE" "$SOCK" || true)
else
  if p=$(live_pid "$PIDFILE" "$SOCK"); then
    log "podman service $p is alive but not answering yet; waiting"
    PODMAN_PID=$p
  else
    rm -f "$SOCK" "$PIDFILE"
    echo "--- podman system service start $(date -u +%FT%TZ) ---" >>"$LOG"
    # setsid: its lifetime is controlled by its pid only (a Ctrl-C in the terminal that started a
    # test run must not kill it halfway through an orderly teardown).
    setsid podman system service --time=0 "unix://$SOCK" </dev/null >>"$LOG" 2>&1 &
    PODMAN_PID=$!
    echo "$PODMAN_PID" >"$PIDFILE"
  fi
  for ((i = 0; i < WAIT_S * 10; i++)); do
    ping_sock && break
    kill -0 "$PODMAN_PID" 2>/dev/null || die "podman system service exited during start"
    sleep 0.1
  done
  ping_sock || die "podman service on $SOCK not answering after ${WAIT_S}s"
fi

# ---- image ----
if ! podman image exists localhost/local/busybox:latest; then
  podman import -q -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' "$TARBALL" local/busybox:latest >/dev/null ||
    { rm -f "$TARBALL"; die "podman import of $TARBALL failed (tarball removed; it is rebuilt next time)"; }
fi

# ---- healthchecks: no systemd, so drive them once a second while the service lives ----
# Through the service's own API (GET .../healthcheck runs the check), with curl: a podman CLI per
# check costs ~10x the CPU.
if ! HC_PID=$(live_pid "$HC_PIDFILE" "opsdeck-podman-healthchecks"); then
  # shellcheck disable=SC2016
  setsid bash -c '
    service=$1 sock=$2
    filter="filters={\"health\":[\"starting\",\"healthy\",\"unhealthy\"]}"
    while kill -0 "$service" 2>/dev/null && sleep 1; do
      ids=$(curl -sf -m 5 --unix-socket "$sock" -G http://d/v4.0.0/libpod/containers/json --data-urlencode "$filter" |
        grep -o "\"Id\":\"[0-9a-f]*\"" | cut -d\" -f4)
      for c in $ids; do
        curl -sf -m 60 --unix-socket "$sock" "http://d/v4.0.0/libpod/containers/$c/healthcheck" >/dev/null 2>&1 || true
      done
    done' opsdeck-podman-healthchecks "$PODMAN_PID" "$SOCK" </dev/null >/dev/null 2>&1 &
  HC_PID=$!
  echo "$HC_PID" >"$HC_PIDFILE"
  # Callers find it by its command line: wait until the fork has become the loop.
  for _ in $(seq 1 50); do live_pid "$HC_PIDFILE" opsdeck-podman-healthchecks >/dev/null && break; sleep 0.02; done
fi

echo "PODMAN_HOST=unix://$SOCK"
echo "PODMAN_PID=$PODMAN_PID"
echo "HEALTHCHECK_PID=$HC_PID"
echo "CONTAINERS_CONF=$CONTAINERS_CONF"
echo "CONTAINERS_STORAGE_CONF=$CONTAINERS_STORAGE_CONF"
echo "ENGINE_DIR=$ENGINE_DIR"
echo "PODMAN_LOG=$LOG"
