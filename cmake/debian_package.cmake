# The Debian package: `cpack -G DEB` in a build dir, or scripts/package.sh.
# What goes in is what `cmake --install` installs, under /usr; the unit then
# lands in /lib/systemd/system and the defaults in /etc/default/topo
# (cmake/topo_install_paths.cmake).
set(TOPO_PACKAGE_MAINTAINER "topo maintainers <maintainers@users.noreply.b-seed-1c7ef373.example>"
    CACHE STRING "the Maintainer: field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME topo)
# project()'s version alone, for builds from git too: one source, no suffix.
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TOPO_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "declarative network topology reconciler")
# CPack indents these lines under the summary, as the Description: field wants.
set(CPACK_PACKAGE_DESCRIPTION "topo reads YAML manifests (networks, containers, attachments, hosts)
and converges the kernel to them over netlink: network namespaces,
bridges, veths, macvlan, ipvlan and VXLAN overlays, addresses, routes and
nftables rules. It plans before it changes anything, owns only what it
made, and runs as a controller (topo.service, not enabled on install) that
repairs drift as it happens.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# topo_<version>_<arch>.deb, as Debian names packages.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends: from the libraries the binary links (dpkg-shlibdeps). topo runs
# no other program (no ip, nft or dot). The maintainer scripts' deb-systemd-invoke
# comes with init-system-helpers, which is essential on Debian 12 (lintian
# refuses a Depends on it without a version).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcurl is loaded by name when cluster mode first needs it
# (reconciler/cluster/etcd/curl_library.hpp), and Graphviz's libgvc and
# libcgraph when SVG is first drawn (reconciler/graph/gvc_library.hpp), so
# dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.68.0), libgvc6, libcgraph6")
# The install goes through DESTDIR with the prefix /usr, so that the unit
# configured at install time names /usr/bin/topo, and the files with an
# absolute destination (/lib/systemd/system, /etc/default) land in the
# package, never on this machine.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb/postrm
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb/conffiles)
# 0755 scripts and 0644 conffiles whatever the checkout's modes, as lintian asks.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# Debian wants a changelog and a copyright file in every package's doc dir.
# The changelog's one entry names this version; its date is the configure
# time, or SOURCE_DATE_EPOCH when set, for reproducible builds.
string(TIMESTAMP TOPO_PACKAGE_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(packaging/deb/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz
  COMMAND gzip -9nkf ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog
  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog
  VERBATIM)
add_custom_target(topo_package_changelog ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz packaging/deb/copyright DESTINATION share/doc/topo)
# What the package holds, built without the tests: cpack would otherwise
# build every target first (its preinstall step), tests included, which
# doubles the cost of a package build dir. scripts/package.sh builds this.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
add_custom_target(topo_package_inputs DEPENDS topo topo_package_changelog)
if(TOPO_MAN_AND_COMPLETIONS)
  add_dependencies(topo_package_inputs topo_docs)
endif()
include(CPack)
