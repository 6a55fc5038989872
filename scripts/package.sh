#!/usr/bin/env bash
# Builds the Debian package and prints its path (README "Debian package").
#   scripts/package.sh             Release build in build-package/ (prefix /usr), the .deb in build-package/package/
#   scripts/package.sh --lintian   also run lintian on it; an error (E:) fails the script
# Environment:
#   TOPO_PACKAGE_BUILD_DIR=DIR  package from an existing build dir instead (the
#                               package test uses the test build: no second build)
#   TOPO_PACKAGE_OUT=DIR        where the .deb (and cpack's staging) goes; default DIR/package
#   TOPO_BUILD_JOBS=N           parallel build jobs; default nproc
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lintian=0
case "${1:-}" in
  "") ;;
  --lintian) lintian=1 ;;
  *) echo "usage: $0 [--lintian]" >&2; exit 2 ;;
esac

if [[ -n "${TOPO_PACKAGE_BUILD_DIR:-}" ]]; then
  build=$TOPO_PACKAGE_BUILD_DIR
  [[ -f "$build/CPackConfig.cmake" ]] || { echo "package.sh: $build is not a configured build dir" >&2; exit 1; }
else
  build=$root/build-package
  # Its own dir: Release, and the prefix the package installs to.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
fi
out=${TOPO_PACKAGE_OUT:-$build/package}
cmake --build "$build" -j"${TOPO_BUILD_JOBS:-$(nproc)}" --target topo_package_inputs >&2
mkdir -p "$out"
# -B: the staging tree goes there too, so two packagings of one build dir
# (a test and a person) do not share it.
(cd "$build" && cpack -G DEB -B "$out") >&2
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
deb="$out/topo_${version}_$(dpkg --print-architecture).deb"
[[ -f "$deb" ]] || { echo "package.sh: cpack did not make $deb" >&2; exit 1; }
if ((lintian)); then
  lintian --fail-on error "$deb" >&2
fi
echo "$deb"
