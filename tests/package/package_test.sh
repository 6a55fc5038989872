#!/usr/bin/env bash
# The Debian package, installed and removed in a throwaway root (ctest
# DebianPackage, label `package`; needs root for its mount namespace):
# builds it with scripts/package.sh from the test build dir (cpack only, no
# second build), checks its control fields and Depends, runs lintian, installs it with
# dpkg --root into an empty dpkg database, checks the files, runs the
# installed binary, runs the maintainer scripts against a fake systemctl,
# removes it (the conffile stays) and purges it (the conffile goes).
#
# Nothing here may reach the machine's own system: the script runs in a mount
# namespace of its own where /usr, /etc, /var and /boot are read-only and /run
# is an empty tmpfs (no systemd to talk to), and dpkg only ever sees the
# throwaway root.
# Environment (set by CMakeLists.txt): TOPO_PACKAGE_BUILD_DIR, TOPO_VERSION,
# TOPO_MAN_AND_COMPLETIONS (ON or OFF).
set -euo pipefail

die() { echo "package_test: CANNOT RUN: $*" >&2; exit 1; }

if [[ "${TOPO_PACKAGE_TEST_STAGE:-}" != inner ]]; then
  command -v unshare >/dev/null || die "unshare(1) not found"
  unshare -m true 2>/dev/null || die "cannot create a mount namespace (need root)"
  TOPO_PACKAGE_TEST_STAGE=inner exec unshare --mount --propagation private -- "$0" "$@"
fi

root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${TOPO_PACKAGE_BUILD_DIR:?TOPO_PACKAGE_BUILD_DIR is not set (ctest sets it)}
version=${TOPO_VERSION:?TOPO_VERSION is not set (ctest sets it)}
docs=${TOPO_MAN_AND_COMPLETIONS:?TOPO_MAN_AND_COMPLETIONS is not set (ctest sets it)}
for tool in dpkg dpkg-deb dpkg-query dpkg-shlibdeps cpack lintian; do
  command -v "$tool" >/dev/null || die "$tool not found (scripts/setup.sh installs dpkg-dev and lintian)"
done

# -n: mount(8) would otherwise note these in the machine's /run/mount/utab.
for d in /usr /etc /var /boot; do
  [[ -d "$d" && ! -L "$d" ]] || continue
  mount -n --bind "$d" "$d" && mount -n -o remount,bind,ro "$d" || die "cannot make $d read-only"
done
mount -n -t tmpfs -o mode=0755 tmpfs-topo-package-test /run || die "cannot mount tmpfs on /run"
if touch /usr/.topo-package-test 2>/dev/null; then die "/usr is still writable"; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/topo-package-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else fail "$what"; fi; }

# --- build ----------------------------------------------------------------
deb=$(TOPO_PACKAGE_BUILD_DIR=$build TOPO_PACKAGE_OUT=$work/out TOPO_BUILD_JOBS=1 \
      "$root_dir/scripts/package.sh" 2>"$work/package.log") || { cat "$work/package.log" >&2; die "scripts/package.sh failed"; }
echo "package: $deb"

# --- control --------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: topo" [ "$(field Package)" = topo ]
check "Version: $version" [ "$(field Version)" = "$version" ]
check "Section: net" [ "$(field Section)" = net ]
check "Priority: optional" [ "$(field Priority)" = optional ]
check "Maintainer set" [ -n "$(field Maintainer)" ]
depends=$(field Depends)
echo "Depends: $depends"
# Each library the binary links, as dpkg-shlibdeps names its package.
for lib in libnl-3-200 libnl-route-3-200 libnftnl11 libmnl0 libsystemd0 libgvc6 libcurl4 libyaml-0-2 libip4tc2; do
  check "Depends names $lib" grep -qE "(^|, )$lib( |,|$)" <<<"$depends"
done
# Errors fail (warnings are printed: README "Debian package" lists the known ones).
# Its scratch dirs (mldbm-elf-*) go in the test's own dir, not /tmp.
check "lintian finds no error" env TMPDIR="$work" lintian --fail-on error "$deb"
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)
check "conffiles lists /etc/default/topo" [ "$conffiles" = /etc/default/topo ]

# --- install into a throwaway root ----------------------------------------
target=$work/root
mkdir -p "$target/var/lib/dpkg/info" "$target/var/lib/dpkg/updates" "$target/var/log"
touch "$target/var/lib/dpkg/status"
# A systemd that answers, and a systemctl and deb-systemd-invoke that only
# write down what they were asked: the maintainer scripts must ask nothing
# when they run for another root (DPKG_ROOT set), and the right things when
# they run for this one (further below).
mkdir -p /run/systemd/system "$work/bin"
for tool in systemctl deb-systemd-invoke; do
  printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$tool" "$work" >"$work/bin/$tool"
  chmod 0755 "$work/bin/$tool"
done
export PATH="$work/bin:$PATH"
# --force-script-chrootless: the empty root has no /bin/sh to chroot into;
# the scripts then run here with DPKG_ROOT=$target and must keep to it.
dpkg_root() { dpkg --root="$target" --log="$target/var/log/dpkg.log" --force-script-chrootless --force-depends "$@"; }
dpkg_root -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; die "dpkg -i into $target failed"; }
check "the maintainer scripts left systemd alone under DPKG_ROOT" [ ! -s "$work/calls" ]
state() { dpkg-query --admindir="$target/var/lib/dpkg" -W -f='${db:Status-Status}' topo 2>/dev/null || echo absent; }
check "dpkg says installed" [ "$(state)" = installed ]

files=(usr/bin/topo lib/systemd/system/topo.service etc/default/topo usr/share/topo/topology.schema.json
       usr/share/topo/examples/quickstart/topology.yaml usr/share/doc/topo/README.md
       usr/share/doc/topo/copyright usr/share/doc/topo/changelog.gz)
docs_files=(usr/share/man/man1/topo.1.gz usr/share/bash-completion/completions/topo
            usr/share/zsh/vendor-completions/_topo usr/share/fish/vendor_completions.d/topo.fish)
for f in "${files[@]}"; do check "installed /$f" [ -f "$target/$f" ]; done
if [[ "$docs" == ON ]]; then
  for f in "${docs_files[@]}"; do check "installed /$f" [ -s "$target/$f" ]; done
  check "the man page is troff" sh -c "zcat '$target/usr/share/man/man1/topo.1.gz' | grep -q '^\.TH'"
else
  # Loud, and still checked: the package must not carry stale ones either.
  echo "WARNING: NOT CHECKED: man page and shell completions (built with TOPO_MAN_AND_COMPLETIONS=OFF:" \
       "turn it on once \`topo man\` and \`topo completion\` exist)" >&2
  for f in "${docs_files[@]}"; do check "no /$f without TOPO_MAN_AND_COMPLETIONS" [ ! -e "$target/$f" ]; done
fi
unit=$target/lib/systemd/system/topo.service
check "the unit runs /usr/bin/topo" grep -qx 'ExecStart=/usr/bin/topo --log-format json watch ${TOPO_MANIFESTS} $TOPO_WATCH_ARGS' "$unit"
check "the unit reads /etc/default/topo" grep -qx 'EnvironmentFile=-/etc/default/topo' "$unit"
check "/etc/default/topo sets nothing" bash -c "! grep -vE '^(#|$)' '$target/etc/default/topo'"
# "topo 0.1.0", or with the commit after it where the build records one.
says_version() { local v; v=$("$target/usr/bin/topo" --version) && [[ "$v" == "topo $version" || "$v" == "topo $version "* ]]; }
check "the installed binary says its version" says_version

# --- the maintainer scripts, for this root (with the fake systemd) ---------
info=$target/var/lib/dpkg/info
calls() { cat "$work/calls" 2>/dev/null; }
run_script() { : >"$work/calls"; env -u DPKG_ROOT "$info/topo.$1" "${@:2}"; }
run_script postinst configure ""
check "first install: daemon-reload, neither enabled nor started" [ "$(calls)" = "systemctl --system daemon-reload" ]
run_script postinst configure 0.0.1
check "upgrade: a running controller is restarted, a stopped one stays stopped" \
  [ "$(calls)" = $'systemctl --system daemon-reload\ndeb-systemd-invoke try-restart topo.service' ]
run_script prerm remove
check "removal stops the controller" [ "$(calls)" = "deb-systemd-invoke stop topo.service" ]
run_script prerm upgrade 0.2.0
check "upgrade: prerm leaves it running" [ -z "$(calls)" ]
run_script postrm remove
check "after removal: daemon-reload" [ "$(calls)" = "systemctl --system daemon-reload" ]
rmdir /run/systemd/system
run_script prerm remove
check "without systemd running: nothing asked" [ -z "$(calls)" ]
# systemd "runs" again, so that only DPKG_ROOT keeps the scripts from it.
mkdir -p /run/systemd/system
: >"$work/calls"

# --- remove: the conffile stays --------------------------------------------
echo "TOPO_NODE=edited-by-the-admin" >>"$target/etc/default/topo"
dpkg_root -r topo >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; die "dpkg -r failed"; }
for f in "${files[@]}" "${docs_files[@]}"; do
  [[ "$f" == etc/default/topo ]] && continue
  check "removed /$f" [ ! -e "$target/$f" ]
done
check "the edited conffile stays after remove" grep -qx TOPO_NODE=edited-by-the-admin "$target/etc/default/topo"
check "dpkg says config-files" [ "$(state)" = config-files ]

# --- purge: the conffile goes ----------------------------------------------
mkdir -p "$target/etc/systemd/system/multi-user.target.wants"
ln -s /lib/systemd/system/topo.service "$target/etc/systemd/system/multi-user.target.wants/topo.service"
dpkg_root -P topo >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; die "dpkg -P failed"; }
check "purge removes /etc/default/topo" [ ! -e "$target/etc/default/topo" ]
check "purge removes what systemctl enable made" [ ! -L "$target/etc/systemd/system/multi-user.target.wants/topo.service" ]
gone() { [[ "$(state)" == absent || "$(state)" == not-installed ]]; }
check "dpkg says not installed" gone
check "the scripts left systemd alone under DPKG_ROOT (remove, purge)" [ ! -s "$work/calls" ]

if ((failures)); then
  echo "package_test: $failures check(s) failed" >&2
  exit 1
fi
echo "package_test: all checks passed"
