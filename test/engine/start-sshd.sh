#!/usr/bin/env bash
# Start (or reuse) a private sshd on a loopback port for opsdeck's ssh:// engine tests.
#
#   SSHD_DIR=/tmp/os-xxxx SSHD_DOCKER_HOST=unix:///tmp/od-xxxx/docker.sock bash test/engine/start-sshd.sh
#
# Idempotent: when the sshd of SSHD_DIR is alive, nothing is started again. Everything lives in
# SSHD_DIR: its own sshd_config (never /etc/ssh/sshd_config), host key, user key, authorized_keys,
# known_hosts, an ssh client config for the tests (never ~/.ssh), pid file and log.
# Sessions get DOCKER_HOST=SSHD_DOCKER_HOST (sshd's SetEnv), so the remote side's
# `docker system dial-stdio` reaches the tests' private dockerd, and HOME=SSHD_DIR/home: Debian's
# bash sources ~/.bashrc for every command sshd runs, and the login user's own rc files are not the
# tests' to run (root's here runs `pyenv init`, whose rehash waits 60 s on a lock file that a
# killed session leaves behind, and may print on the stream dial-stdio carries).
#
# Installs Debian's openssh-server and openssh-client when missing (apt-get update first).
#
# Optional env:
#   SSHD_PORT=2222      port on 127.0.0.1 (default: the previous one in SSHD_DIR, else a free one)
#
# Output (stdout, one KEY=VALUE per line):
#   SSHD_PID=1234  SSHD_PORT=40123  SSH_CONFIG=SSHD_DIR/ssh_config  SSH_HOST_ALIAS=opsdeck-sshd
#   KNOWN_HOSTS=SSHD_DIR/known_hosts  IDENTITY=SSHD_DIR/id_ed25519  HOST_KEY=SSHD_DIR/host_ed25519
#   HOST_KEY_FINGERPRINT=SHA256:...
set -euo pipefail

: "${SSHD_DIR:?SSHD_DIR is required (a directory for the private sshd)}"
: "${SSHD_DOCKER_HOST:?SSHD_DOCKER_HOST is required (the DOCKER_HOST its sessions get)}"
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$SSHD_DIR"
chmod 700 "$SSHD_DIR"
SSHD_DIR=$(cd "$SSHD_DIR" && pwd -P)

PIDFILE=$SSHD_DIR/sshd.pid
LOG=$SSHD_DIR/sshd.log
CONF=$SSHD_DIR/sshd_config
HOST_KEY=$SSHD_DIR/host_ed25519
IDENTITY=$SSHD_DIR/id_ed25519
AUTHORIZED=$SSHD_DIR/authorized_keys
KNOWN_HOSTS=$SSHD_DIR/known_hosts
CLIENT_CONF=$SSHD_DIR/ssh_config
PORT_FILE=$SSHD_DIR/port
ALIAS=opsdeck-sshd
SSHD=/usr/sbin/sshd

log() { echo "start-sshd: $*" >&2; }
die() {
  log "$*"
  if [ -f "$LOG" ]; then echo "--- tail of $LOG ---" >&2; tail -n 20 "$LOG" >&2; fi
  exit 1
}

# ---- packages ----
pkgs=()
[ -x "$SSHD" ] || pkgs+=(openssh-server)
for tool in ssh ssh-keygen ssh-keyscan; do command -v "$tool" >/dev/null 2>&1 || { pkgs+=(openssh-client); break; }; done
if [ ${#pkgs[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "need root to install ${pkgs[*]}"
  log "installing ${pkgs[*]} from Debian (once)"
  # Keep the package scripts from starting the system ssh service (Debian's policy-rc.d).
  policy_added=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  rc=0
  {
    apt-get update -qq -o DPkg::Lock::Timeout=300 &&
      apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${pkgs[@]}"
  } >"$SSHD_DIR/apt.log" 2>&1 </dev/null || rc=$?
  [ -n "$policy_added" ] && rm -f /usr/sbin/policy-rc.d
  [ $rc = 0 ] || { tail -n 30 "$SSHD_DIR/apt.log" >&2; die "apt-get install ${pkgs[*]} failed"; }
fi
[ -x "$SSHD" ] || die "$SSHD not found after install"

# shellcheck source=../../lab/engine-helpers.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../lab/engine-helpers.sh"

# ---- keys (made once, kept across restarts so the host key stays the same) ----
[ -s "$HOST_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C opsdeck-test-host -f "$HOST_KEY" </dev/null
[ -s "$IDENTITY" ] || ssh-keygen -q -t ed25519 -N '' -C opsdeck-test-user -f "$IDENTITY" </dev/null
install -m 600 "$IDENTITY.pub" "$AUTHORIZED"

# ---- sshd ----
# The sessions' HOME (see above): empty, so no rc file runs in front of the remote command.
mkdir -p "$SSHD_DIR/home"
chmod 700 "$SSHD_DIR/home"
# Privilege separation directory (Debian's package creates it at boot through systemd).
mkdir -p /run/sshd
chmod 755 /run/sshd
cat >"$CONF" <<CONF
# private sshd for opsdeck tests; everything else comes from the command line
ListenAddress 127.0.0.1
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
AcceptEnv none
LogLevel INFO
CONF

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

SSHD_PID=
if p=$(live_pid "$PIDFILE" "$CONF"); then
  SSHD_PID=$p
  PORT=$(cat "$PORT_FILE")
else
  rm -f "$PIDFILE"
  candidates=()
  if [ -n "${SSHD_PORT:-}" ]; then candidates=("$SSHD_PORT")
  elif [ -s "$PORT_FILE" ]; then candidates=("$(cat "$PORT_FILE")")
  else for _ in $(seq 1 20); do candidates+=($((20000 + RANDOM % 40000))); done
  fi
  PORT=
  for candidate in "${candidates[@]}"; do
    port_open "$candidate" && continue
    echo "--- sshd start $(date -u +%FT%TZ) port $candidate ---" >>"$LOG"
    # Without -D sshd binds, writes its pid file and detaches; it exits non-zero when it cannot bind.
    if setsid "$SSHD" -f "$CONF" -p "$candidate" -h "$HOST_KEY" -E "$LOG" \
      -o "AuthorizedKeysFile=$AUTHORIZED" \
      -o "PidFile=$PIDFILE" \
      -o "SetEnv=DOCKER_HOST=$SSHD_DOCKER_HOST HOME=$SSHD_DIR/home" \
      </dev/null >>"$LOG" 2>&1; then
      # A port taken between the check and the bind can still end in exit 0 without a daemon: the
      # pid file tells; without it, the next candidate.
      for _ in $(seq 1 20); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
      if [ -s "$PIDFILE" ]; then
        PORT=$candidate
        break
      fi
    fi
  done
  [ -n "$PORT" ] || die "sshd could not listen on any of ${candidates[*]}"
  echo "$PORT" >"$PORT_FILE"
  for _ in $(seq 1 50); do SSHD_PID=$(live_pid "$PIDFILE" "$CONF" || true); [ -n "$SSHD_PID" ] && port_open "$PORT" && break; sleep 0.1; done
  [ -n "$SSHD_PID" ] || die "sshd did not write its pid file $PIDFILE"
  port_open "$PORT" || die "sshd $SSHD_PID does not accept connections on 127.0.0.1:$PORT"
fi

# ---- client side: known_hosts with this host key, an ssh config that never reads ~/.ssh ----
# Written once: after the host key is replaced (rm HOST_KEY*, start again) known_hosts still
# holds the old one, as a client that knew the host would.
[ -s "$KNOWN_HOSTS" ] || printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1-2 "$HOST_KEY.pub")" >"$KNOWN_HOSTS"
cat >"$CLIENT_CONF" <<CONF
Host $ALIAS
  HostName 127.0.0.1
  Port $PORT
  User root
Host *
  IdentityFile $IDENTITY
  IdentitiesOnly yes
  IdentityAgent none
  UserKnownHostsFile $KNOWN_HOSTS
  GlobalKnownHostsFile /dev/null
  UpdateHostKeys no
CONF

echo "SSHD_PID=$SSHD_PID"
echo "SSHD_PORT=$PORT"
echo "SSHD_DIR=$SSHD_DIR"
echo "SSH_CONFIG=$CLIENT_CONF"
echo "SSH_HOST_ALIAS=$ALIAS"
echo "KNOWN_HOSTS=$KNOWN_HOSTS"
echo "IDENTITY=$IDENTITY"
echo "HOST_KEY=$HOST_KEY"
echo "HOST_KEY_FINGERPRINT=$(ssh-keygen -l -f "$HOST_KEY.pub" | cut -d' ' -f2)"
echo "SSHD_LOG=$LOG"
