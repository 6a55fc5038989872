# Install step (install(SCRIPT) in CMakeLists.txt): the unit configured for
# the prefix this install goes to, and /etc/default/topo beside it. Needs
# TOPO_SOURCE_DIR and TOPO_BINARY_DIR, set by the install(CODE) before it.
include(${TOPO_SOURCE_DIR}/cmake/topo_install_paths.cmake)
topo_install_paths("${CMAKE_INSTALL_PREFIX}")
set(TOPO_UNIT_BINARY ${CMAKE_INSTALL_PREFIX}/bin/topo)
configure_file(${TOPO_SOURCE_DIR}/systemd/topo.service.in ${TOPO_BINARY_DIR}/install-unit/topo.service @ONLY)
file(INSTALL DESTINATION ${TOPO_UNIT_DIR} TYPE FILE FILES ${TOPO_BINARY_DIR}/install-unit/topo.service)
file(INSTALL DESTINATION ${TOPO_DEFAULTS_DIR} TYPE FILE RENAME topo FILES ${TOPO_SOURCE_DIR}/systemd/topo.default)
