#!/usr/bin/env bash
# A real Kubernetes v1.20.2 control plane of our own, for opsdeck's tests and benchmarks: etcd,
# kube-apiserver, kube-controller-manager and kube-scheduler on free loopback ports, everything
# (keys, certificates, tokens, data, logs, pid files) in one run directory.
#
#   bash lab/start-kube.sh build
#       Install the Debian packages when missing and build the three binaries from bookworm's own
#       `kubernetes` source package, once, into the cache (about 6 minutes on 2 cores, 2.3 GB of
#       disk while it builds, removed afterwards). A lock keeps two processes from building at once.
#   KUBE_RUN_DIR=DIR KUBE_ETCD_PORT=P KUBE_ETCD_PEER_PORT=P KUBE_APISERVER_PORT=P bash lab/start-kube.sh up
#       build, then start whatever of etcd, the apiserver, the controller-manager and the scheduler
#       is not running in DIR (idempotent: after a stopped apiserver, `up` starts only that one).
#       The ports are remembered in DIR on the first call. KUBE_CONTROLLER_MANAGER_FLAGS: further
#       kube-controller-manager flags, space-separated (the benchmark's --kube-api-qps=...).
#   KUBE_RUN_DIR=DIR bash lab/start-kube.sh apiserver NAME [PORT]
#       a further apiserver on the same etcd (or the same one again after a stop), its own
#       kubeconfig DIR/NAME.kubeconfig with the contexts NAME (admin) and NAME-viewer.
#
# The main apiserver's kubeconfig, DIR/kubeconfig, has the contexts `admin` (system:masters, the
# current context) and `viewer` (a user in no group but system:authenticated, bound to the built-in
# `view` ClusterRole: get, list and watch, nothing that changes anything). TLS is verified: the
# serving certificate is signed by the run's own CA, whose certificate the kubeconfigs carry.
#
# Output (stdout, KEY=VALUE lines): KUBECONFIG, KUBE_SERVER, and the pids it knows.
# Cache: ${OPSDECK_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opsdeck/kube}/bin.
# Every process is started in its own session (setsid) and known by its pid file; a pid counts only
# while its command line names the run directory. Nothing here touches another cluster.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=engine-helpers.sh
. "$LAB/engine-helpers.sh"

CACHE=${OPSDECK_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opsdeck/kube}
BIN=$CACHE/bin
KUBE_VERSION=v1.20.2
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler)

log() { echo "start-kube: $*" >&2; }
die() {
  log "$1"
  if [ -n "${2:-}" ] && [ -f "$2" ]; then echo "--- tail of $2 ---" >&2; tail -n 40 "$2" >&2; fi
  exit 1
}

# ---- packages and binaries ----
install_missing() { # COMMAND=PACKAGE or /PATH=PACKAGE...
  local wanted=() pair need
  for pair in "$@"; do
    need=${pair%%=*}
    if [[ $need == /* ]]; then [ -e "$need" ] || wanted+=("${pair#*=}"); else command -v "$need" >/dev/null 2>&1 || wanted+=("${pair#*=}"); fi
  done
  [ ${#wanted[@]} -eq 0 ] && return 0
  mkdir -p "$CACHE"
  log "installing ${wanted[*]} from Debian (once)"
  bash "$LAB/apt-install.sh" "$CACHE/apt-install.log" "${wanted[@]}" || die "apt-get install ${wanted[*]} failed"
}

# Kubernetes 1.20 vendors github.com/modern-go/reflect2 v1.0.1, which breaks under Go 1.18 and
# later: the apiserver panics while encoding any object with a map (every list of pods or
# namespaces: "apiserver panic'd on GET /api/v1/pods", modern-go/reflect2#22). The build uses
# Debian's reflect2 1.0.2 instead, and a binary counts only when it contains 1.0.2's go1.18 file.
REFLECT2=/usr/share/gocode/src/github.com/modern-go/reflect2
FIXED_MARK=modern-go/reflect2/go_above_118.go
binaries_stamp() { (cd "$BIN" && stat -c '%n %s %Y' "${BINARIES[@]}") 2>/dev/null; }
have_binaries() {
  local binary
  for binary in "${BINARIES[@]}"; do [ -x "$BIN/$binary" ] || return 1; done
  [ "$(cat "$BIN/.verified" 2>/dev/null)" = "$(binaries_stamp)" ] && return 0
  for binary in "${BINARIES[@]}"; do grep -qF "$FIXED_MARK" "$BIN/$binary" || return 1; done
  binaries_stamp >"$BIN/.verified"
}

build_binaries() {
  local work=$CACHE/build source_tree apt_options binary started
  install_missing go=golang-go dpkg-source=dpkg-dev make=make rsync=rsync jq=jq "$REFLECT2/go_above_118.go=golang-github-modern-go-reflect2-dev"
  started=$(date +%s)
  log "building ${BINARIES[*]} $KUBE_VERSION from Debian's kubernetes source package (about 6 minutes, once; log: $CACHE/build.log)"
  rm -rf "$work"   # what an interrupted build left
  mkdir -p "$work" "$CACHE/apt/lists/partial" "$CACHE/apt/cache" "$BIN"
  echo 'deb-src http://deb.debian.org/debian bookworm main' >"$CACHE/apt/sources.list"
  apt_options=(-o Dir::Etc::sourcelist="$CACHE/apt/sources.list" -o Dir::Etc::sourceparts=/dev/null
    -o Dir::State::Lists="$CACHE/apt/lists" -o Dir::Cache="$CACHE/apt/cache")
  {
    apt-get "${apt_options[@]}" update -qq &&
      (cd "$work" && apt-get "${apt_options[@]}" source -qq kubernetes)
  } >"$CACHE/build.log" 2>&1 || die "apt-get source kubernetes failed" "$CACHE/build.log"
  source_tree=$(find "$work" -maxdepth 1 -type d -name 'kubernetes-1.20*' | head -n 1)
  [ -n "$source_tree" ] || die "no kubernetes-1.20 tree after apt-get source" "$CACHE/build.log"
  rm -rf "$source_tree/vendor/github.com/modern-go/reflect2"
  cp -r "$REFLECT2" "$source_tree/vendor/github.com/modern-go/reflect2"
  # The Go caches live in the build directory too, so removing it leaves nothing behind.
  (cd "$source_tree" && CGO_ENABLED=0 HOME="$work" GOCACHE="$work/go-cache" \
    KUBE_GIT_VERSION=$KUBE_VERSION KUBE_GIT_TREE_STATE=clean \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler") >>"$CACHE/build.log" 2>&1 ||
    { rm -rf "$work"; die "the kubernetes build failed" "$CACHE/build.log"; }
  for binary in "${BINARIES[@]}"; do
    grep -qF "$FIXED_MARK" "$source_tree/_output/bin/$binary" || { rm -rf "$work"; die "$binary was built without reflect2 1.0.2"; }
    # Replaced, never overwritten: a control plane running the old file keeps it.
    cp "$source_tree/_output/bin/$binary" "$BIN/.$binary.tmp" && mv "$BIN/.$binary.tmp" "$BIN/$binary"
  done
  rm -rf "$work" "$CACHE/apt/cache"
  log "built in $(($(date +%s) - started)) s"
}

ensure_binaries() {
  install_missing etcd=etcd-server openssl=openssl curl=curl
  have_binaries && return 0
  mkdir -p "$CACHE"
  exec 8>"$CACHE/build.lock"
  if ! flock -n 8; then
    log "another process is building the binaries; waiting for it"
    flock 8
  fi
  have_binaries || build_binaries
  flock -u 8
  exec 8>&-
}

command=${1:-up}
if [ "$command" = build ]; then
  ensure_binaries
  echo "KUBE_BIN=$BIN"
  exit 0
fi

# ---- the run directory ----
: "${KUBE_RUN_DIR:?KUBE_RUN_DIR is required (a directory for this control plane)}"
mkdir -p "$KUBE_RUN_DIR"
RUN=$(cd "$KUBE_RUN_DIR" && pwd -P)
cd "$RUN"

remember_ports() {
  if [ ! -s ports.env ]; then
    : "${KUBE_ETCD_PORT:?KUBE_ETCD_PORT is required on the first up}" "${KUBE_ETCD_PEER_PORT:?}" "${KUBE_APISERVER_PORT:?}"
    printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPISERVER_PORT=%s\n' "$KUBE_ETCD_PORT" "$KUBE_ETCD_PEER_PORT" "$KUBE_APISERVER_PORT" >ports.env
  fi
}
[ "$command" = up ] && remember_ports
[ -s ports.env ] || die "$RUN has no control plane (run \`up\` first)"
# shellcheck source=/dev/null
. ./ports.env

make_secrets() {
  [ -s tokens.csv ] && return 0
  openssl ecparam -name prime256v1 -genkey -noout -out sa.key 2>/dev/null
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
    -days 3650 -subj /CN=opsdeck-lab-ca 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout serving.key -out serving.csr \
    -subj /CN=kube-apiserver 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >serving.ext
  openssl x509 -req -in serving.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out serving.crt -days 3650 \
    -extfile serving.ext 2>/dev/null
  rm -f serving.csr serving.ext ca.srl
  # No groups for the viewer: the apiserver adds system:authenticated, nothing more.
  printf '%s,admin,admin-uid,"system:masters"\n%s,viewer,viewer-uid\n' "$(openssl rand -hex 24)" "$(openssl rand -hex 24)" >tokens.csv.tmp
  chmod 600 sa.key ca.key serving.key tokens.csv.tmp
  mv tokens.csv.tmp tokens.csv
}
token_of() { awk -F, -v user="$1" '$2 == user { print $1 }' tokens.csv; }

# start_process NAME LOG COMMAND...: in its own session, its pid (the exec'd command's) in NAME.pid.
start_process() {
  local name=$1 log_file=$2
  shift 2
  echo "--- $name start $(date -u +%FT%TZ) ---" >>"$log_file"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN/$name.pid" "$@" </dev/null >>"$log_file" 2>&1 &
}
running() { live_pid "$RUN/$1.pid" "$RUN/" >/dev/null; }

# wait_until SECONDS PIDNAME LOG CHECK...: the check passes, or the process died, or time is up.
wait_until() {
  local seconds=$1 name=$2 log_file=$3 i
  shift 3
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" && return 0
    # The pid file is written by the child itself: give it a moment before calling it dead.
    if [ $i -gt 5 ] && ! running "$name"; then die "$name exited during start" "$log_file"; fi
    sleep 0.1
  done
  die "$name not ready after ${seconds}s" "$log_file"
}

etcd_healthy() { curl -sf -m 2 "http://127.0.0.1:$ETCD_PORT/health" >/dev/null 2>&1; }
apiserver_ready() { curl -sf -m 2 --cacert "$RUN/ca.crt" -H "Authorization: Bearer $(token_of admin)" "https://127.0.0.1:$1/readyz" >/dev/null 2>&1; }

start_etcd() {
  running etcd && return 0
  start_process etcd "$RUN/etcd.log" etcd --name lab --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "lab=http://127.0.0.1:$ETCD_PEER_PORT"
  wait_until 30 etcd "$RUN/etcd.log" etcd_healthy
}

# write_kubeconfig FILE CLUSTER ADMIN_CONTEXT VIEWER_CONTEXT PORT
write_kubeconfig() {
  local ca
  ca=$(base64 -w0 <"$RUN/ca.crt")
  cat >"$1.tmp" <<KC
apiVersion: v1
kind: Config
clusters:
- name: $2
  cluster:
    server: https://127.0.0.1:$5
    certificate-authority-data: $ca
users:
- name: $3
  user:
    token: $(token_of admin)
- name: $4
  user:
    token: $(token_of viewer)
contexts:
- name: $3
  context:
    cluster: $2
    user: $3
- name: $4
  context:
    cluster: $2
    user: $4
current-context: $3
KC
  chmod 600 "$1.tmp"
  mv "$1.tmp" "$1"
}

# start_apiserver NAME PORT: pid file apiserver-NAME.pid, log apiserver-NAME.log.
start_apiserver() {
  local name=$1 port=$2
  running "apiserver-$name" || start_process "apiserver-$name" "$RUN/apiserver-$name.log" "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --secure-port="$port" --insecure-port=0 --cert-dir="$RUN/apiserver-$name" \
    --tls-cert-file="$RUN/serving.crt" --tls-private-key-file="$RUN/serving.key" --client-ca-file="$RUN/ca.crt" \
    --service-account-key-file="$RUN/sa.key" --service-account-signing-key-file="$RUN/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local --token-auth-file="$RUN/tokens.csv" \
    --authorization-mode=RBAC --service-cluster-ip-range=10.96.0.0/24 --profiling=false
  wait_until 90 "apiserver-$name" "$RUN/apiserver-$name.log" apiserver_ready "$port"
}

bind_viewer() {
  local status
  status=$(curl -s -m 10 -o /dev/null -w '%{http_code}' --cacert "$RUN/ca.crt" -H "Authorization: Bearer $(token_of admin)" \
    -H 'Content-Type: application/json' -X POST "https://127.0.0.1:$APISERVER_PORT/apis/rbac.authorization.k8s.io/v1/clusterrolebindings" \
    -d '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"opsdeck-lab-viewer"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"viewer"}]}')
  [ "$status" = 201 ] || [ "$status" = 409 ] || die "binding the viewer to the view ClusterRole failed (HTTP $status)"
}

start_controllers() {
  local extra_controller_flags=()
  read -ra extra_controller_flags <<<"${KUBE_CONTROLLER_MANAGER_FLAGS:-}"
  local shared=(--kubeconfig="$RUN/kubeconfig" --authentication-kubeconfig="$RUN/kubeconfig" --authorization-kubeconfig="$RUN/kubeconfig"
    --leader-elect=false --bind-address=127.0.0.1 --secure-port=0 --port=0 --profiling=false)
  running controller-manager || start_process controller-manager "$RUN/controller-manager.log" "$BIN/kube-controller-manager" "${shared[@]}" \
    --service-account-private-key-file="$RUN/sa.key" --root-ca-file="$RUN/ca.crt" --use-service-account-credentials=false \
    --controllers='*,-nodeipam,-service,-route,-cloud-node-lifecycle,-nodelifecycle' "${extra_controller_flags[@]}"
  running scheduler || start_process scheduler "$RUN/scheduler.log" "$BIN/kube-scheduler" "${shared[@]}"
  sleep 0.3
  running controller-manager || die "kube-controller-manager exited during start" "$RUN/controller-manager.log"
  running scheduler || die "kube-scheduler exited during start" "$RUN/scheduler.log"
}

print_pids() {
  local name
  for name in "$@"; do echo "$(echo "$name" | tr 'a-z-' 'A-Z_')_PID=$(live_pid "$RUN/$name.pid" "$RUN/" || echo)"; done
}

case $command in
  up)
    ensure_binaries
    make_secrets
    start_etcd
    start_apiserver main "$APISERVER_PORT"
    write_kubeconfig "$RUN/kubeconfig" lab admin viewer "$APISERVER_PORT"
    bind_viewer
    start_controllers
    echo "KUBECONFIG=$RUN/kubeconfig"
    echo "KUBE_SERVER=https://127.0.0.1:$APISERVER_PORT"
    print_pids etcd apiserver-main controller-manager scheduler
    ;;
  apiserver)
    name=${2:?apiserver NAME [PORT]}
    [[ $name =~ ^[a-z0-9][a-z0-9-]*$ ]] && [ "$name" != main ] || die "apiserver name must be lower-case letters, digits and dashes (not main): $name"
    port=${3:-$(cat "apiserver-$name.port" 2>/dev/null || true)}
    [ -n "$port" ] || die "no port for apiserver $name"
    echo "$port" >"apiserver-$name.port"
    ensure_binaries
    running etcd || die "etcd of $RUN is not running" "$RUN/etcd.log"
    start_apiserver "$name" "$port"
    write_kubeconfig "$RUN/$name.kubeconfig" "$name" "$name" "$name-viewer" "$port"
    echo "KUBECONFIG=$RUN/$name.kubeconfig"
    echo "KUBE_SERVER=https://127.0.0.1:$port"
    print_pids "apiserver-$name"
    ;;
  *) die "unknown command $command (build, up, apiserver NAME [PORT])" ;;
esac
