# The man page and the shell completions are what the built topo prints
# (`topo man`, `topo completion bash|zsh|fish`), so they cannot drift from
# the command line. On by default; the sanitizer build turns it off (its
# binary would be run at build time under LeakSanitizer, for nothing). The
# package test knows which it was built with (tests/package/package_test.sh)
# and fails when the package and the option disagree.
option(TOPO_MAN_AND_COMPLETIONS "generate topo.1 and the shell completions by running the built topo" ON)
if(TOPO_MAN_AND_COMPLETIONS)
  set(TOPO_DOCS_DIR ${CMAKE_CURRENT_BINARY_DIR}/generated/docs)
  set(run ${CMAKE_CURRENT_SOURCE_DIR}/cmake/run_to_file.cmake)
  # gzip -9n, as Debian compresses man pages: no name or time stamp inside,
  # so the same page gives the same bytes.
  add_custom_command(OUTPUT ${TOPO_DOCS_DIR}/topo.1.gz
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:topo> "-DARGS=man" -DOUT=${TOPO_DOCS_DIR}/topo.1 -P ${run}
    COMMAND gzip -9nf ${TOPO_DOCS_DIR}/topo.1
    DEPENDS topo ${run}
    COMMENT "topo man > topo.1.gz"
    VERBATIM)
  # Each shell's file under the name its completion loader looks for.
  set(TOPO_COMPLETION_bash topo)
  set(TOPO_COMPLETION_zsh _topo)
  set(TOPO_COMPLETION_fish topo.fish)
  set(outputs ${TOPO_DOCS_DIR}/topo.1.gz)
  foreach(shell bash zsh fish)
    set(file ${TOPO_DOCS_DIR}/${shell}/${TOPO_COMPLETION_${shell}})
    add_custom_command(OUTPUT ${file}
      COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:topo> "-DARGS=completion$<SEMICOLON>${shell}" -DOUT=${file} -P ${run}
      DEPENDS topo ${run}
      COMMENT "topo completion ${shell}"
      VERBATIM)
    list(APPEND outputs ${file})
  endforeach()
  add_custom_target(topo_docs ALL DEPENDS ${outputs})
  install(FILES ${TOPO_DOCS_DIR}/topo.1.gz DESTINATION share/man/man1)
  install(FILES ${TOPO_DOCS_DIR}/bash/topo DESTINATION share/bash-completion/completions)
  install(FILES ${TOPO_DOCS_DIR}/zsh/_topo DESTINATION share/zsh/vendor-completions)
  install(FILES ${TOPO_DOCS_DIR}/fish/topo.fish DESTINATION share/fish/vendor_completions.d)
endif()
