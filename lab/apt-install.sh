#!/usr/bin/env bash
# Install Debian packages for the private engines, one apt run at a time on this machine (the
# Docker and Podman engines start concurrently and may both install on a fresh machine).
#
#   bash lab/apt-install.sh LOG_FILE PACKAGE...
#
# Package scripts are kept from starting system services (policy-rc.d, the Debian mechanism;
# only when no policy exists yet). Output goes to LOG_FILE; on failure its tail goes to stderr.
set -uo pipefail
log_file=$1
shift
[ "$(id -u)" = 0 ] || { echo "apt-install: need root to install $*" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
(
  flock 9
  policy_added=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  rc=0
  { apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "$@"; } >"$log_file" 2>&1 || rc=$?
  [ -n "$policy_added" ] && rm -f /usr/sbin/policy-rc.d
  exit $rc
) 9>/tmp/opsdeck-apt.lock
rc=$?
[ $rc = 0 ] || tail -n 30 "$log_file" >&2
exit $rc
