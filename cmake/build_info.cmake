# Writes the build's version and commit into OUT (a .cpp), run at every build
# by the topo_build_info target. configure_file rewrites OUT only when its text
# changes, so a build on the same commit recompiles nothing.
# Inputs: SRC (the source tree), OUT, VERSION.
set(commit "unknown")
find_program(GIT git)
if(GIT AND EXISTS "${SRC}/.git")
  execute_process(COMMAND "${GIT}" -C "${SRC}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE head RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0 AND head)
    set(commit "${head}")
    # A binary built from edited sources must not pass for the commit.
    execute_process(COMMAND "${GIT}" -C "${SRC}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE rc2 ERROR_QUIET)
    if(rc2 EQUAL 0 AND NOT changes STREQUAL "")
      set(commit "${commit}-dirty")
    endif()
  endif()
endif()
set(TOPO_VERSION "${VERSION}")
set(TOPO_COMMIT "${commit}")
configure_file("${CMAKE_CURRENT_LIST_DIR}/build_info.cpp.in" "${OUT}" @ONLY)
