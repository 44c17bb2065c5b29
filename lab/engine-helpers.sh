# Sourced by the private engines' start scripts (lab/start-docker.sh, lab/start-podman.sh and
# test/engine/start-sshd.sh): what each of them needs the same way.

# live_pid PIDFILE MUST_CONTAIN: the pid from a pid file, only when that process is alive and its
# command line contains MUST_CONTAIN (our socket or config path), so a reused pid is never ours.
live_pid() {
  local p
  [ -s "$1" ] || return 1
  p=$(tr -dc 0-9 <"$1")
  [ -n "$p" ] && [ -r "/proc/$p/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF -- "$2" || return 1
  echo "$p"
}

# The busybox root filesystem tarball the engines import as local/busybox:latest, once per
# engine directory.
# build_busybox_rootfs TARBALL
build_busybox_rootfs() {
  local tarball=$1 root
  [ -s "$tarball" ] && return 0
  root=$(mktemp -d)
  mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,root}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  echo 'hosts: files' >"$root/etc/nsswitch.conf"
  tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$root"
}
