# Sourced by start-docker.sh and start-podman.sh: builds the busybox root filesystem tarball the
# engines import as local/busybox:latest, once per engine directory.
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
