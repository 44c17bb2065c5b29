#!/usr/bin/env bash
# Start (or reuse) a private Docker engine for opsdeck's integration tests and demo.
#
#   ENGINE_DIR=/tmp/od-xxxx bash lab/start-docker.sh
#
# Idempotent: when the engine in ENGINE_DIR already answers, nothing is started again.
# Everything lives in ENGINE_DIR (socket, data root, pid file, log, busybox rootfs tarball),
# except the exec root when ENGINE_DIR is too long for unix socket paths (see below).
# It never talks to any other daemon: the socket is ENGINE_DIR/docker.sock, the config file
# is ENGINE_DIR/daemon.json (never /etc/docker/daemon.json), and containerd is private too.
#
# Machine assumptions (Debian bookworm, root, cgroup v1, no image registry, no container
# networking): installs docker.io and busybox-static from Debian when missing, imports a
# busybox root filesystem as local/busybox:latest.
#
# Output (stdout, one KEY=VALUE per line):
#   DOCKER_HOST=unix://ENGINE_DIR/docker.sock
#   DOCKERD_PID=1234
#   ENGINE_DIR=...   EXEC_ROOT=...   DOCKERD_LOG=...
#
# Optional env:
#   OPSDECK_PRIVATE_CONTAINERD=1  always start a private containerd (done automatically when a
#                                 system containerd socket exists, which dockerd would otherwise use)
#   OPSDECK_DOCKERD_WAIT=30       seconds to wait for _ping
set -euo pipefail

: "${ENGINE_DIR:?ENGINE_DIR is required (a directory for the private engine)}"
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$ENGINE_DIR"
ENGINE_DIR=$(cd "$ENGINE_DIR" && pwd -P)

SOCK=$ENGINE_DIR/docker.sock
DATA=$ENGINE_DIR/data
PIDFILE=$ENGINE_DIR/docker.pid
LOG=$ENGINE_DIR/dockerd.log
CONF=$ENGINE_DIR/daemon.json
TARBALL=$ENGINE_DIR/busybox-rootfs.tar
WAIT_S=${OPSDECK_DOCKERD_WAIT:-30}

log() { echo "start-docker: $*" >&2; }
die() {
  log "$*"
  if [ -f "$LOG" ]; then echo "--- tail of $LOG ---" >&2; grep -v 'module=grpc' "$LOG" | tail -n 40 >&2; fi
  exit 1
}

# ---- unix socket path limits (sun_path is 108 bytes including the NUL) ----
# Longest sockets: ENGINE_DIR/docker.sock and EXEC_ROOT/containerd/containerd.sock.ttrpc
# (plus EXEC_ROOT/ctd/containerd.sock.ttrpc for the private containerd). Keep EXEC_ROOT short.
[ ${#SOCK} -le 100 ] || die "ENGINE_DIR is too long for a unix socket path (${#SOCK} > 100 chars): $SOCK"
EXEC_ROOT=$ENGINE_DIR/x
if [ $(( ${#EXEC_ROOT} + 40 )) -gt 104 ]; then
  # Too long: use a short directory keyed by ENGINE_DIR, remembered through a symlink.
  EXEC_ROOT=/tmp/odx-$(printf '%s' "$ENGINE_DIR" | cksum | cut -d' ' -f1)
  ln -sfn "$EXEC_ROOT" "$ENGINE_DIR/exec-root"
fi

# ---- packages ----
pkgs=()
command -v dockerd >/dev/null 2>&1 || pkgs+=(docker.io)
[ -x /bin/busybox ] || pkgs+=(busybox-static)
if [ ${#pkgs[@]} -gt 0 ]; then
  log "installing ${pkgs[*]} from Debian (once)"
  bash "$(dirname "$0")/apt-install.sh" "$ENGINE_DIR/apt.log" "${pkgs[@]}" || die "apt-get install ${pkgs[*]} failed"
fi
command -v dockerd >/dev/null 2>&1 || die "dockerd not found after install"
[ -x /bin/busybox ] || die "/bin/busybox not found after install"

# The CLI that matches the daemon (20.10, API 1.41) when present, else whatever is on PATH.
if [ -x /usr/bin/docker ]; then DOCKER_CLI=/usr/bin/docker; else DOCKER_CLI=$(command -v docker || true); fi
[ -n "$DOCKER_CLI" ] || die "no docker CLI found"
dk() { env -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH DOCKER_HOST="unix://$SOCK" "$DOCKER_CLI" "$@"; }

# shellcheck source=engine-helpers.sh
. "$(dirname "${BASH_SOURCE[0]}")/engine-helpers.sh"

ping_sock() {
  [ -S "$SOCK" ] || return 1
  if command -v curl >/dev/null 2>&1; then
    curl -sf -m 2 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1
  else
    timeout 3 env -u DOCKER_CONTEXT DOCKER_HOST="unix://$SOCK" "$DOCKER_CLI" version >/dev/null 2>&1
  fi
}
# ---- busybox root filesystem tarball (built once, cached in ENGINE_DIR) ----
build_busybox_rootfs "$TARBALL"

# ---- dockerd ----
DOCKERD_PID=
if ping_sock; then
  DOCKERD_PID=$(live_pid "$PIDFILE" "$SOCK" || true)
else
  # A dockerd of ours may still be starting (or shutting down): never start a second one.
  if p=$(live_pid "$PIDFILE" "$SOCK"); then
    log "dockerd $p is alive but not answering yet; waiting"
    DOCKERD_PID=$p
  else
    rm -f "$SOCK" "$PIDFILE"
    mkdir -p "$DATA" "$EXEC_ROOT"
    # A stale pid file of dockerd's own containerd (e.g. after a SIGKILL; its pid may still be an
    # unreaped zombie) makes dockerd wait for a containerd that never answers. Keep it only if live.
    MANAGED_CTD_PID=$EXEC_ROOT/containerd/containerd.pid
    if [ -e "$MANAGED_CTD_PID" ] && ! live_pid "$MANAGED_CTD_PID" "$EXEC_ROOT/containerd" >/dev/null; then
      rm -f "$MANAGED_CTD_PID"
    fi
    # Own config file (never /etc/docker/daemon.json); keep the daemon's trust key out of /etc/docker.
    printf '{ "deprecated-key-path": "%s/key.json" }\n' "$ENGINE_DIR" >"$CONF"
    extra=()
    CTD_PIDFILE=$ENGINE_DIR/containerd.pid
    if [ "${OPSDECK_PRIVATE_CONTAINERD:-0}" = 1 ] || [ -e /run/containerd/containerd.sock ]; then
      # dockerd 20.10 silently uses /run/containerd/containerd.sock when it exists;
      # run our own containerd instead so we never touch the system one.
      CTD_SOCK=$EXEC_ROOT/ctd/containerd.sock
      if ! live_pid "$CTD_PIDFILE" "$ENGINE_DIR/containerd.toml" >/dev/null; then
        mkdir -p "$EXEC_ROOT/ctd"
        rm -f "$CTD_SOCK"
        cat >"$ENGINE_DIR/containerd.toml" <<TOML
version = 2
root = "$DATA/containerd"
state = "$EXEC_ROOT/ctd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTD_SOCK"
[debug]
  address = "$EXEC_ROOT/ctd/debug.sock"
[metrics]
  address = ""
TOML
        echo "--- containerd start $(date -u +%FT%TZ) ---" >>"$ENGINE_DIR/containerd.log"
        setsid containerd --config "$ENGINE_DIR/containerd.toml" \
          </dev/null >>"$ENGINE_DIR/containerd.log" 2>&1 &
        echo $! >"$CTD_PIDFILE"
        for _ in $(seq 1 100); do [ -S "$CTD_SOCK" ] && break; sleep 0.1; done
        [ -S "$CTD_SOCK" ] || { tail -n 30 "$ENGINE_DIR/containerd.log" >&2; die "private containerd did not start"; }
      fi
      extra+=(--containerd "$CTD_SOCK")
    fi
    echo "--- dockerd start $(date -u +%FT%TZ) ---" >>"$LOG"
    # setsid: the daemon's lifetime is controlled by its pid only (a Ctrl-C in the terminal that
    # started a test run or the demo must not kill it halfway through an orderly teardown).
    setsid dockerd \
      --config-file "$CONF" \
      --host "unix://$SOCK" \
      --data-root "$DATA" \
      --exec-root "$EXEC_ROOT" \
      --pidfile "$PIDFILE" \
      --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
      --storage-driver=vfs \
      --init \
      --shutdown-timeout 5 \
      "${extra[@]}" \
      </dev/null >>"$LOG" 2>&1 &
    DOCKERD_PID=$!
  fi
  for ((i = 0; i < WAIT_S * 10; i++)); do
    ping_sock && break
    if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
      DOCKERD_PID=$(live_pid "$PIDFILE" "$SOCK") || die "dockerd exited during start"
    fi
    sleep 0.1
  done
  ping_sock || die "dockerd on $SOCK not answering after ${WAIT_S}s"
  # The pid file is authoritative (setsid may have forked).
  if p=$(live_pid "$PIDFILE" "$SOCK"); then DOCKERD_PID=$p; fi
fi

# ---- image ----
if ! dk image inspect local/busybox:latest >/dev/null 2>&1; then
  dk import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' "$TARBALL" local/busybox:latest >/dev/null ||
    { rm -f "$TARBALL"; die "docker import of $TARBALL failed (tarball removed; it is rebuilt next time)"; }
fi

echo "DOCKER_HOST=unix://$SOCK"
echo "DOCKERD_PID=$DOCKERD_PID"
echo "ENGINE_DIR=$ENGINE_DIR"
echo "EXEC_ROOT=$EXEC_ROOT"
echo "DOCKERD_LOG=$LOG"
