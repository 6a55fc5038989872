# Where the unit and the defaults file go for an install prefix, and what the
# unit then names. Read at configure time (the build's copies of the unit)
# and again at install time, when the prefix is final: `cmake --install
# --prefix P` and cpack (prefix /usr) each get a unit that runs their binary.
# Prefix /usr is Debian's own layout: units in /lib/systemd/system (what
# systemd.pc says on Debian 12, and where lintian wants them) and defaults in
# /etc/default. Any other prefix keeps both below it.
function(topo_install_paths prefix)
  if(prefix STREQUAL "/usr")
    set(TOPO_UNIT_DIR /lib/systemd/system PARENT_SCOPE)
    set(TOPO_DEFAULTS_DIR /etc/default PARENT_SCOPE)
    set(TOPO_DEFAULTS_FILE /etc/default/topo PARENT_SCOPE)
  else()
    set(TOPO_UNIT_DIR ${prefix}/lib/systemd/system PARENT_SCOPE)
    set(TOPO_DEFAULTS_DIR ${prefix}/etc/default PARENT_SCOPE)
    set(TOPO_DEFAULTS_FILE ${prefix}/etc/default/topo PARENT_SCOPE)
  endif()
endfunction()
